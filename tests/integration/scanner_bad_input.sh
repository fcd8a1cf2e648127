#!/usr/bin/env bash
# Bad input, as a new user types it: each gets one clear line on stderr, exit
# status 1, nothing on stdout, and not one packet leaves the scanner (dumpcap
# watches the lab link and loopback the whole time). -oN and -oX files named
# alongside are not created.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN"
command -v dumpcap >/dev/null || die "no dumpcap (apt-get install wireshark-common)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-bad.XXXXXX")
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
export SCANTRACE_BIN WORK SCANTRACE_SOURCE_DIR

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
ip link set lo up
dumpcap -q -i "$LAB_IFACE" -i lo -w "$WORK/wire.pcapng" 2>"$WORK/dumpcap.log" &
dumpcap_pid=$!
dumpcap_ready "$WORK/dumpcap.log"
# bad NAME ARGS...: one line, exit 1, no stdout, no report file.
bad() {
    local name=$1 rc=0
    shift
    rm -f "$WORK/out.txt" "$WORK/out.xml"
    "$SCANTRACE_BIN" -oN "$WORK/out.txt" -oX "$WORK/out.xml" "$@" >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
    check "$name: $(head -c 150 "$WORK/bad.err")" \
        "[[ $rc -eq 1 && \$(wc -l <$WORK/bad.err) -eq 1 && ! -s $WORK/bad.out && ! -e $WORK/out.txt && ! -e $WORK/out.xml ]] || { echo \"  rc=$rc\"; cat $WORK/bad.out; false; }"
}
head -c 4096 /bin/sh >"$WORK/binary-list"
printf "10.201.0.2\n10.201.0.\x01\n" >"$WORK/control-list"
bad "--max-rate 0" -sS -n -p 22 --max-rate 0 "$LAB_TARGET_IP"
bad "--min-rate 0" -sS -n -p 22 --min-rate 0 "$LAB_TARGET_IP"
bad "--max-rate -5" -sS -n -p 22 --max-rate -5 "$LAB_TARGET_IP"
bad "--max-rate nan" -sS -n -p 22 --max-rate nan "$LAB_TARGET_IP"
bad "-T6" -n -p 22 -T6 "$LAB_TARGET_IP"
bad "--host-timeout in old milliseconds" -n -p 22 --host-timeout 20000 "$LAB_TARGET_IP"
bad "--min-hostgroup too large for -p-" -n -p- --min-hostgroup 5000 "$LAB_TARGET_IP/16"
bad "--scanflags with an unknown name" -n -p 22 --scanflags SYNX "$LAB_TARGET_IP"
bad "--scanflags with -sT" -sT -n -p 22 --scanflags SYN "$LAB_TARGET_IP"
bad "-oX into a directory" -sS -n -p 22 -oX "$WORK" "$LAB_TARGET_IP"
bad "-w into a directory" -sS -n -p 22 -w "$WORK" "$LAB_TARGET_IP"
bad "-w into a missing directory" -sS -n -p 22 -w "$WORK/no/such.pcap" "$LAB_TARGET_IP"
bad "binary -iL file" -sn -n -iL "$WORK/binary-list"
# One 100 KB word: the line quotes its first 64 bytes and "...".
python3 -c "print(\"10.201.0.\" * 12000)" >"$WORK/long-list"
bad "-iL file with a 100 KB token" -sn -n -iL "$WORK/long-list"
check "-iL: the 100 KB token cut in the error" "(( \$(wc -c <$WORK/bad.err) < 200 )) && grep -q \"10.201.0.10.201.0.*\\.\\.\\.\\\"\" $WORK/bad.err"
bad "-iL file with a control byte" -sn -n -iL "$WORK/control-list"
# A list that names no one is the warning of nmap and exit 0 (scanner_cli.sh); one
# that cannot be read is bad input.
bad "missing -iL file" -sn -n -iL "$WORK/no-such-list"
bad "-iL a directory" -sn -n -iL "$WORK"
bad "broadcast with --send-ip" -sS -n --send-ip -p 22 10.201.0.255
bad "limited broadcast" -sS -n -Pn -p 22 -e "$LAB_IFACE" 255.255.255.255
bad "broadcast, -sT -Pn" -sT -n -Pn -p 22 10.201.0.255
bad "IPv4 multicast" -sS -n -Pn -p 22 -e "$LAB_IFACE" 224.0.0.1
bad "IPv4 multicast, -sn" -sn -n 239.255.255.250
bad "IPv4 multicast in a range" -sS -n -p 22 "$LAB_TARGET_IP" 224.0.0.0/30
bad "IPv6 multicast on the lab link" -6 -sS -n -Pn -p 22 "ff02::1%$LAB_IFACE"
bad "IPv6 multicast, -sT" -6 -sT -n -Pn -p 22 "ff02::2%$LAB_IFACE"
bad "IPv6 multicast, -sn" -6 -sn -n ff05::2
bad "--port-ratio 1.5" -n --port-ratio 1.5 "$LAB_TARGET_IP"
bad "--port-ratio not a number" -n --port-ratio x "$LAB_TARGET_IP"
bad "--port-ratio with -F" -n -F --port-ratio 0.1 "$LAB_TARGET_IP"
bad "--exclude-ports with -sn" -sn -n --exclude-ports 22 "$LAB_TARGET_IP"
bad "--exclude-ports with a bad list" -n -p 22 --exclude-ports 22x "$LAB_TARGET_IP"
bad "--defeat-rst-ratelimit with -sA" -sA -n -p 22 --defeat-rst-ratelimit "$LAB_TARGET_IP"
bad "-PS with a bad port list" -sn -n -PS22,x "$LAB_TARGET_IP"
bad "-PU with a port past 65535" -sn -n -PU0,65536 "$LAB_TARGET_IP"
bad "-PA with a protocol prefix" -sn -n -PAT:80 "$LAB_TARGET_IP"
bad "-PE with an argument" -sn -n -PE80 "$LAB_TARGET_IP"
bad "-PO with a protocol past 255" -sn -n -PO1,256 "$LAB_TARGET_IP"
bad "-PY with a bad port list" -sn -n -PY22,x "$LAB_TARGET_IP"
bad "-sY and -sZ together" -sY -sZ -n -Pn -p 80 "$LAB_TARGET_IP"
bad "-p with an unknown protocol prefix" -sY -n -Pn -p X:80 "$LAB_TARGET_IP"
bad "an unknown -P option" -sn -n -PZ "$LAB_TARGET_IP"
bad "an IPv6 target without -6" -sS -n -p 22 "$LAB_TARGET_IP6"
bad "an IPv4 target with -6" -6 -sS -n -p 22 "$LAB_TARGET_IP6" "$LAB_TARGET_IP"
bad "an IPv6 /64 (2^64 addresses)" -6 -sn -n fd20:1::/64
bad "a link-local target without its interface" -6 -sS -n -p 22 fe80::1
bad "a link-local target on no interface" -6 -sS -n -p 22 fe80::1%nosuch0
bad "-PP with -6" -6 -sn -n -PP "$LAB_TARGET_IP6"
bad "-PM with -6" -6 -sn -n -PM "$LAB_TARGET_IP6"
bad "--ttl 256" -sS -n -p 22 --ttl 256 "$LAB_TARGET_IP"
bad "--data-length 1401" -sS -n -p 22 --data-length 1401 "$LAB_TARGET_IP"
bad "-g 65536" -sS -n -p 22 -g 65536 "$LAB_TARGET_IP"
bad "-S not an address" -sS -n -p 22 -S 10.201.0 "$LAB_TARGET_IP"
bad "-S no interface holds, without -e" -sS -n -p 22 -S 10.201.0.77 "$LAB_TARGET_IP"
bad "-sT -S none of our addresses" -sT -n -Pn -p 22 -S 10.201.0.77 -e "$LAB_IFACE" "$LAB_TARGET_IP"
bad "--mtu 12 (not a multiple of 8)" -sS -n -p 22 --mtu 12 "$LAB_TARGET_IP"
bad "--mtu 0" -sS -n -p 22 --mtu 0 "$LAB_TARGET_IP"
bad "-f with -sU alone" -sU -n -p 53 -f "$LAB_TARGET_IP"
bad "-f with -sT" -sT -n -p 22 -f "$LAB_TARGET_IP"
bad "-f with -6" -6 -sS -n -p 22 -f "$LAB_TARGET_IP6"
bad "-D with ME twice" -sS -n -p 22 -D 10.201.0.7,ME,ME "$LAB_TARGET_IP"
bad "-D with an empty decoy" -sS -n -p 22 -D 10.201.0.7,,ME "$LAB_TARGET_IP"
bad "-D with a name" -sS -n -p 22 -D lab-decoy.invalid,ME "$LAB_TARGET_IP"
bad "-D with an IPv4 decoy and -6" -6 -sS -n -p 22 -D 10.201.0.7,ME "$LAB_TARGET_IP6"
# Every numeric option with a word for a number: one plain line (the GOption
# integer parser quoted the value in curly quotes, which came out as \xe2\x80\x9c).
for opt in --max-retries --ttl --data-length -g --top-ports --port-ratio --max-rate --min-rate \
    --mtu --shards --shard --seed --min-parallelism --max-parallelism --min-hostgroup \
    --max-hostgroup --host-timeout --scan-delay --max-scan-delay --min-rtt-timeout \
    --max-rtt-timeout --initial-rtt-timeout --stats-every -T; do
    bad "$opt abc" -sS -n -p 22 "$opt" abc "$LAB_TARGET_IP"
    check "$opt abc: plain ASCII, no escapes" "! LC_ALL=C grep -q -e \"[^ -~]\" -e \"\\\\\\\\x\" $WORK/bad.err"
done
bad "--max-retries -1" -sS -n -p 22 --max-retries -1 "$LAB_TARGET_IP"
check "--max-retries -1: nmap.s words" "grep -q \"^scantrace: max-retries must be positive\" $WORK/bad.err"
# Two -p options: nmap refuses them (nmap.cc) rather than keep the last.
bad "two -p options" -sS -n -p 22 -p 80 "$LAB_TARGET_IP"
check "two -p options: nmap.s line" "grep -qx \"scantrace: Only 1 -p option allowed, separate multiple ranges with commas.\" $WORK/bad.err"
bad "-p- and -p" -sS -n -p- --ports=80 "$LAB_TARGET_IP"
# Every option of nmap 7.93'"'"'s --help that scantrace does not do, as nmap
# takes it (with its value): refused in one line that names it. -PO, -sO,
# -S, -g, --source-port, --data-length, --ttl, --badsum, -f, --mtu and -D
# are done: bad values of some are above, the others in their own tests;
# scan_protocols.sh checks the refusals of -sO.
while IFS= read -r line; do
    read -ra args <<<"$line"
    bad "nmap ${args[0]}" -n -p 22 "${args[@]}" "$LAB_TARGET_IP"
    check "nmap ${args[0]}: says it is not supported" "grep -q \"^scantrace: ${args[0]%%=*} (nmap.s .*) is not supported by scantrace\" $WORK/bad.err"
done <<"OPTIONS"
-iR 5
-sL
-R
--dns-servers 10.201.0.1
--system-dns
--traceroute
-sI 10.201.0.3
-b 10.201.0.3
-sV
--version-intensity 5
--version-light
--version-all
--version-trace
-sC
--script=default
--script default
--script-args=a=1
--script-args-file=/dev/null
--script-trace
--script-updatedb
--script-help=default
-O
--osscan-limit
--osscan-guess
--proxies http://10.201.0.3:8080
--data 0x00
--data-string x
--ip-options R
--spoof-mac 0
-oS /dev/null
--iflist
--stylesheet x.xsl
--webxml
--no-stylesheet
-A
--datadir /tmp
--send-eth
OPTIONS
sleep 0.2
kill -INT "$dumpcap_pid"
wait "$dumpcap_pid" || true
sent=$(capinfos -c -M "$WORK/wire.pcapng" | awk "/^Number of packets/ { print \$NF }")
check "not one packet on the wire ($sent)" "[[ $sent -eq 0 ]]"
exit $fail
'
rc=0
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 || rc=$?
cat "$WORK/lab.log"
((rc == 0)) || die "scanner bad input test failed (exit $rc)"
echo "PASS"
