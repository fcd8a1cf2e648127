#!/usr/bin/env bash
# Builds scantrace in a clean Debian chroot carrying another Wireshark (trixie:
# 4.4, sid: 4.6) and runs the plugin's tests there: what a user of that Debian
# would hit. Root only (see wireshark-chroot.sh, which does the chroot work).
#
#   tests/chroot/plugin-tests.sh SUITE [CAPTURES]
#
#  1. prepare  the cached chroot (a no-op when it is ready and fresh).
#  2. build    everything with gcc and with clang, -DSCANTRACE_WERROR=ON; each
#              build is one check. A failing target does not stop the others
#              (make -k), so the plugin is tested whenever it built.
#  3. test     the unit tests and tests/integration/plugin_*.sh (tshark as
#              nobody, as everywhere) with the gcc build, on captures/ and on
#              CAPTURES: a host folder of NAME.pcapng + NAME.expected (+ .table)
#              made on the host, so the plugin must label them the same on this
#              Wireshark as on the host's (tests/chroot/host-captures.sh).
#
# The chroot has loopback only (wireshark-chroot.sh run). Prints how long each
# part took, and ends with one line that scripts/run-tests.sh adds to its totals:
#   chroot SUITE (Wireshark X.Y.Z): N passed, M failed
# Exit status: 0 when nothing failed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROG=plugin-tests.sh
TESTS='^(unit/|integration/plugin_)'

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# --- inside the chroot (cwd /build, source at /src) -------------------------

inside() {
    local jobs passed=0 failed=0 skipped t0 t_all compiler summary rc
    jobs=$(nproc)
    t_all=$(now)
    for compiler in gcc clang; do
        t0=$(now)
        rc=0
        {
            cmake -S /src -B "/build/$compiler" -DCMAKE_C_COMPILER="$compiler" \
                -DSCANTRACE_WERROR=ON >/dev/null &&
                cmake --build "/build/$compiler" -j "$jobs" -- -k
        } >"/build/$compiler.log" 2>&1 || rc=$?
        if ((rc == 0)); then
            passed=$((passed + 1))
            echo "[$PROG] build ($compiler $("$compiler" -dumpversion), -Werror): ok in $(since "$t0")"
        else
            failed=$((failed + 1))
            if grep -qE '(error|warning): ' "/build/$compiler.log"; then
                grep -E -A3 '(error|warning): ' "/build/$compiler.log" | head -60
            else
                tail -30 "/build/$compiler.log"
            fi
            echo "[$PROG] build ($compiler $("$compiler" -dumpversion), -Werror): FAILED in $(since "$t0")"
        fi
    done

    t0=$(now)
    rc=0
    if [[ -f /build/gcc/plugin/scantrace.so ]]; then
        ctest --test-dir /build/gcc -R "$TESTS" -j "$jobs" --output-on-failure \
            >/build/ctest.log 2>&1 || rc=$?
        cat /build/ctest.log
        summary=$(grep -E '[0-9]+ tests? failed out of [0-9]+' /build/ctest.log || true)
        # Tests that cannot run here (SKIP_RETURN_CODE) are neither.
        skipped=$(grep -c '\*\*\*Skipped' /build/ctest.log || true)
        if [[ $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
            failed=$((failed + BASH_REMATCH[1]))
            passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1] - skipped))
            ((skipped == 0)) || echo "[$PROG] $skipped tests skipped"
        else
            failed=$((failed + 1))
        fi
        echo "[$PROG] tests: exit $rc in $(since "$t0")"
    else
        failed=$((failed + 1))
        echo "[$PROG] tests: not run, the plugin did not build"
    fi
    echo "[$PROG] build and tests took $(since "$t_all")"
    echo "chroot $SCANTRACE_CHROOT (Wireshark $(pkg-config --modversion wireshark)):" \
        "$passed passed, $failed failed"
    ((failed == 0))
}

if [[ ${1:-} == --inside ]]; then
    inside
    exit
fi

# --- on the host --------------------------------------------------------------

suite=${1:-}
captures=${2:-}
[[ -n $suite && $# -le 2 ]] || { sed -n '6,7s/^# \{0,1\}//p' "$0" >&2; exit 2; }
((EUID == 0)) || { echo "$PROG: must run as root (chroot, namespaces)" >&2; exit 1; }
if [[ -n $captures ]]; then
    [[ -d $captures ]] || { echo "$PROG: no folder $captures" >&2; exit 1; }
    export SCANTRACE_CHROOT_CAPTURES=$captures
fi

t_all=$(now)
t0=$(now)
"$HERE/wireshark-chroot.sh" prepare "$suite"
echo "[$PROG] $suite: prepare took $(since "$t0")"

t0=$(now)
rc=0
SCANTRACE_CHROOT_NET=none "$HERE/wireshark-chroot.sh" run "$suite" -- \
    bash /src/tests/chroot/plugin-tests.sh --inside || rc=$?
echo "[$PROG] $suite: chroot run took $(since "$t0"); $suite in total $(since "$t_all")"
exit "$rc"
