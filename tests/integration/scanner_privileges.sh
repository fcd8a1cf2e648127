#!/usr/bin/env bash
# Least privilege: once its raw sockets, capture handles and files are open,
# the scanner gives up what opened them, before it reads a reply.
#  - As root: every thread of a running scan is user nobody (uid, gid, no
#    supplementary groups) with no capability in any set, the bounding set
#    included, and no_new_privs; the scan is still right. -Z USER picks the
#    user, -Z root keeps root, an unknown user is bad input.
#  - As an ordinary user with file capabilities (setcap cap_net_raw+ep on a
#    copy of the binary, the README's way): the raw scan works, -w included,
#    and the running scan holds no capability.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN"
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root"; exit 77; }
command -v setcap >/dev/null || die "no setcap (apt-get install libcap2-bin)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-privileges.XXXXXX")
chmod 755 "$WORK"
mkdir -m 777 "$WORK/out"
trap 'rm -rf "$WORK"' EXIT
# The copy an ordinary user runs; under the sanitizers too (libasan is found
# by the loader as for the original).
cp "$SCANTRACE_BIN" "$WORK/scantrace"
chmod 755 "$WORK/scantrace"
setcap cap_net_raw+ep "$WORK/scantrace" || die "setcap failed (is $WORK on a nosuid mount?)"
export SCANTRACE_BIN WORK

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
# status_of PID: one line per thread: uid, gid, groups, CapPrm, CapEff, CapBnd, CapAmb, NoNewPrivs.
status_of() {
    for t in /proc/$1/task/*/status; do
        awk '\''/^Uid:/ { u = $2 "/" $3 "/" $4 "/" $5 } /^Gid:/ { g = $2 "/" $3 "/" $4 "/" $5 }
             /^Groups:/ { gr = $2 } /^CapPrm:/ { p = $2 } /^CapEff:/ { e = $2 } /^CapBnd:/ { b = $2 }
             /^CapAmb:/ { a = $2 } /^NoNewPrivs:/ { n = $2 }
             END { print u, g, "[" gr "]", p, e, b, a, n }'\'' "$t"
    done
}
# running CMD...: starts a scan slow enough to watch, prints its threads'"'"' status.
running() {
    rm -f "$WORK/out/scan.txt" "$WORK/out/err" "$WORK/out/status"
    "$@" -sS -n --reason -p 1-3000 --max-rate 3000 "$LAB_TARGET_IP" -oN "$WORK/out/scan.txt" >/dev/null 2>"$WORK/out/err" &
    local pid=$!
    sleep 0.6
    status_of "$pid" >"$WORK/out/status" || cat "$WORK/out/err"
    wait "$pid"
}
table_ok() { grep -q "^Not shown: 2997 closed" "$WORK/out/scan.txt" && [[ $(grep -c " open " "$WORK/out/scan.txt") -eq 3 ]]; }
nobody=$(id -u nobody)/$(id -u nobody)/$(id -u nobody)/$(id -u nobody)
none=0000000000000000

running "$SCANTRACE_BIN"
cat "$WORK/out/status"
check "root: two threads or more" "[[ \$(wc -l <$WORK/out/status) -ge 2 ]]"
check "root: every thread nobody, no group, no capability, no_new_privs" \
    "awk -v u=$nobody -v n=$none '\''\$1 != u || \$3 != \"[]\" || \$4 != n || \$5 != n || \$6 != n || \$7 != n || \$8 != 1 { bad = 1 } END { exit bad }'\'' $WORK/out/status"
check "root: the scan is right" table_ok

running "$SCANTRACE_BIN" -Z daemon
daemon=$(id -u daemon)
check "-Z daemon: every thread daemon" "awk -v u=$daemon '\''{ split(\$1, x, \"/\"); if (x[1] != u || x[2] != u || x[3] != u) bad = 1 } END { exit bad }'\'' $WORK/out/status"

running "$SCANTRACE_BIN" -Z root
check "-Z root: keeps root" "awk '\''{ split(\$1, x, \"/\"); if (x[2] != 0) bad = 1 } END { exit bad }'\'' $WORK/out/status"

rc=0
"$SCANTRACE_BIN" -Z no-such-user-here -p 22 "$LAB_TARGET_IP" >"$WORK/out/bad.out" 2>"$WORK/out/bad.err" || rc=$?
check "-Z no-such-user-here: one line, exit 1 ($(cat "$WORK/out/bad.err"))" \
    "[[ $rc -eq 1 && \$(wc -l <$WORK/out/bad.err) -eq 1 && ! -s $WORK/out/bad.out ]]"

running "${as_nobody[@]}" "$WORK/scantrace"
cat "$WORK/out/status"
check "setcap, as nobody: no capability left while scanning" \
    "awk -v n=$none '\''\$4 != n || \$5 != n || \$7 != n || \$8 != 1 { bad = 1 } END { exit bad }'\'' $WORK/out/status"
check "setcap, as nobody: the scan is right" table_ok
"${as_nobody[@]}" "$WORK/scantrace" -sS -n --reason -p "$LAB_TCP_PORTS" "$LAB_TARGET_IP" \
    -oN "$WORK/out/truth.txt" -w "$WORK/out/scan.pcap" >/dev/null
awk -v ip="$LAB_TARGET_IP" '\''$1 ~ /^[0-9]+\/tcp$/ { split($1, p, "/"); print ip, p[2], p[1], $2, $4 }'\'' "$WORK/out/truth.txt" | sort >"$WORK/out/got"
grep "^$LAB_TARGET_IP tcp " "$LAB_TRUTH" | sort >"$WORK/out/want"
check "setcap, as nobody: every lab port as the truth says" "diff -u $WORK/out/want $WORK/out/got"
check "setcap, as nobody: -w capture written" "capinfos -c $WORK/out/scan.pcap >/dev/null"
exit $fail
'
rc=0
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 || rc=$?
cat "$WORK/lab.log"
((rc == 0)) || die "scanner privileges test failed (exit $rc)"
echo "PASS"
