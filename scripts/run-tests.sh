#!/usr/bin/env bash
# The test command: installs what a fresh Debian 12 machine lacks, builds with gcc
# and clang (warnings are errors), runs the unit and integration tests, runs them
# again under AddressSanitizer + UndefinedBehaviorSanitizer, then runs the
# plugin's tests against Wireshark 4.4 and 4.6 in Debian chroots.
# Needs root, or packages already installed and user namespaces.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "$0")/setup.sh"
cd "$SCANTRACE_ROOT"

passed=0
failed=0
stage_start=0
stage() {
    stage_start=$SECONDS
    printf '\n== %s\n' "$*"
}
stage_done() {
    printf '== %s: %ds\n' "$1" $((SECONDS - stage_start))
}

# Runs ctest in a build dir and adds its counts to the totals.
run_ctest() {
    local dir=$1 log
    shift
    log=$(mktemp)
    local status=0
    (cd "$dir" && ctest --output-on-failure "$@") | tee "$log" || status=$?
    local summary
    summary=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" || true)
    rm -f "$log"
    if [[ $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
        failed=$((failed + BASH_REMATCH[1]))
        passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
    elif [ "$status" -ne 0 ]; then
        failed=$((failed + 1))
    fi
}

stage "packages"
setup_packages "${SCANTRACE_PACKAGES[@]}"
stage_done packages

stage "gcc build, -Werror"
SCANTRACE_BUILD=$SCANTRACE_ROOT/build setup_build -DCMAKE_C_COMPILER=gcc -DSCANTRACE_WERROR=ON
stage_done "gcc build"

# Tests that read captures run two at a time (or one per core); every test that
# scans the lab runs alone (RUN_SERIAL, tests/integration/CMakeLists.txt).
jobs=$(nproc 2>/dev/null || echo 1)
((jobs <= 2)) || jobs=2

# Other tools' lab scans (nmap, masscan, zmap, ordinary traffic) are made once:
# the gcc stage's plugin_foreign_* and plugin_nmap_* tests keep their captures and
# reports here, and the sanitizer stage's read those with the sanitized plugin
# instead of scanning the lab again (foreign_lab, tests/lib/foreign.sh). The
# scanner's own lab runs are made in both stages: the scanner is sanitized too.
export SCANTRACE_LAB_CACHE=$SCANTRACE_ROOT/build/lab-cache
rm -rf -- "$SCANTRACE_LAB_CACHE"

stage "tests (gcc build)"
run_ctest build -j "$jobs"
stage_done "tests (gcc build)"

stage "clang build, -Werror"
SCANTRACE_BUILD=$SCANTRACE_ROOT/build-clang setup_build -DCMAKE_C_COMPILER=clang \
    -DSCANTRACE_WERROR=ON
# The libFuzzer target exists in the clang build only (tests/fuzz/README.md).
run_ctest build-clang -R '^fuzz/packet$'
stage_done "clang build"

# Under the sanitizers tshark's leak check runs on the first pass of each kind
# over each capture, not on every pass (tests/lib/tshark.sh), and the other
# tools' captures come from the gcc stage (SCANTRACE_LAB_CACHE, above).
stage "tests under AddressSanitizer + UndefinedBehaviorSanitizer"
SCANTRACE_BUILD=$SCANTRACE_ROOT/build-asan setup_build -DCMAKE_C_COMPILER=gcc \
    -DSCANTRACE_WERROR=ON -DSCANTRACE_SANITIZE=ON
SCANTRACE_SANITIZED=1 run_ctest build-asan -j "$jobs"
stage_done "sanitizer tests"

# The plugin built and tested against Wireshark 4.4 (trixie) and 4.6 (sid) in
# cached Debian chroots, on captures/ and on fresh scans of the lab that the 4.0
# plugin labelled here: each must label them the same way.
stage "plugin on Wireshark 4.4 and 4.6 (Debian chroots)"
if [ "$(id -u)" -ne 0 ]; then
    echo "skipped: the chroots need root"
else
    host_captures=$SCANTRACE_ROOT/build/host-captures
    part_start=$SECONDS
    if tests/chroot/host-captures.sh build "$host_captures"; then
        passed=$((passed + 1))
        echo "== host captures: ok in $((SECONDS - part_start))s"
    else
        failed=$((failed + 1))
        host_captures=
        echo "== host captures: FAILED after $((SECONDS - part_start))s; captures/ only"
    fi
    for suite in trixie sid; do
        part_start=$SECONDS
        log=$(mktemp)
        tests/chroot/plugin-tests.sh "$suite" ${host_captures:+"$host_captures"} 2>&1 |
            tee "$log" || true
        summary=$(grep -E "^chroot $suite .*: [0-9]+ passed, [0-9]+ failed$" "$log" | tail -n1 || true)
        rm -f "$log"
        if [[ $summary =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
            passed=$((passed + BASH_REMATCH[1]))
            failed=$((failed + BASH_REMATCH[2]))
        else
            failed=$((failed + 1))
            summary="chroot $suite: no result"
        fi
        echo "== $summary, $((SECONDS - part_start))s"
    done
fi
stage_done "chroot tests"

printf '\nscantrace tests: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
