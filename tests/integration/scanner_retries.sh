#!/usr/bin/env bash
# Retries never turn an open port closed, and a connect scan never takes a
# connection to itself for an open port:
#  - the target loses its first SYN-ACK of each open port, and its own
#    retransmission of it (an nftables rule that drops the first two). The first try's half-open connection is
#    left on the target; a retry on the same flow would draw a RST. The scan
#    must still call every port what the truth says, and each try of a probe
#    must leave from its own source port (the first try's + the try number, as
#    nmap's do), which the capture shows;
#  - -sT of 127.0.0.1, ports 61440-65535 (the connect scan's own source
#    ports), with nothing listening: every port closed, as root and as nobody.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN"
command -v tshark >/dev/null || die "no tshark (apt-get install tshark)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-retries.XXXXXX")
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
export SCANTRACE_BIN WORK

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
table() { awk -v ip="$1" '\''$1 ~ /^[0-9]+\/(tcp|udp)$/ { split($1, p, "/"); print ip, p[2], p[1], $2, $4 }'\'' "$2" | sort; }

# The first SYN-ACK of each open port is lost on the way back, and so is the
# target'"'"'s own retransmission of it a second later (which would otherwise
# answer the first try while the scanner pauses before its retry).
rules=
for port in 22 80 443; do
    rules+="  tcp sport $port tcp flags & (syn|ack) == syn|ack numgen inc mod 1000000 < 2 drop
"
done
printf "table inet firstloss {\n chain output {\n  type filter hook output priority -20; policy accept;\n%s }\n}\n" "$rules" |
    ip netns exec "$LAB_TARGET_NS" nft -f -
"$SCANTRACE_BIN" -sS -Pn -n --reason -p "$LAB_TCP_PORTS" "$LAB_TARGET_IP" -oN "$WORK/lost.txt" \
    -w "$WORK/lost.pcap" >/dev/null
grep "^$LAB_TARGET_IP tcp " "$LAB_TRUTH" | sort >"$WORK/want.txt"
table "$LAB_TARGET_IP" "$WORK/lost.txt" >"$WORK/got.txt"
check "first SYN-ACKs lost: every port as the truth says" "diff -u $WORK/want.txt $WORK/got.txt"
# The SYNs to port 80: tag try number and source port, in send order.
tshark -r "$WORK/lost.pcap" -Y "ip.src == $LAB_SCANNER_IP && tcp.flags == 0x002 && tcp.dstport == 80" \
    -T fields -e tcp.srcport 2>/dev/null >"$WORK/sports"
first=$(head -1 "$WORK/sports")
check "port 80 probed twice ($(paste -sd, "$WORK/sports"))" "[[ \$(wc -l <$WORK/sports) -ge 2 ]]"
check "each try from the first try'"'"'s source port + its number" \
    "awk -v f=$first '\''\$1 != f + NR - 1 { exit 1 }'\'' $WORK/sports"
ip netns exec "$LAB_TARGET_NS" nft delete table inet firstloss

# Our own connect source ports, scanned on our own address.
ip link set lo up
"$SCANTRACE_BIN" -sT -Pn -n -p 61440-65535 127.0.0.1 -oN "$WORK/self.txt" >"$WORK/self.out" 2>&1
check "-sT 61440-65535 of 127.0.0.1 as root: no port open" \
    "! grep -q \" open \" $WORK/self.txt && grep -q \"Not shown: 4096 closed\" $WORK/self.txt"
check "-sT as root without -w: no capture drop reported" "! grep -q dropped $WORK/self.out"
if setpriv --reuid=nobody --regid=nogroup --clear-groups -- true 2>/dev/null; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
        "$SCANTRACE_BIN" -sT -Pn -n -p 61440-65535 127.0.0.1 >"$WORK/self-nobody.txt"
    check "-sT 61440-65535 of 127.0.0.1 as nobody: no port open" \
        "! grep -q \" open \" $WORK/self-nobody.txt && grep -q \"Not shown: 4096 closed\" $WORK/self-nobody.txt"
fi
exit $fail
'
rc=0
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 || rc=$?
cat "$WORK/lab.log"
((rc == 0)) || die "scanner retries test failed (exit $rc)"
echo "PASS"
