#!/usr/bin/env bash
# scantrace against nmap 7.93, in the lab, with real packets: every classic scan
# type (-sS -sT -sU -sA -sF -sN -sX, and -sS -sU together) and host discovery
# (-sn by ARP, -sn --send-ip by the IP pings, and the discovery that precedes
# every port scan), each run by both with the same flags against the same
# hosts: 10.201.0.2 (the full port plan), 10.201.0.3 (tcp 80 open, the rest
# closed) and 10.201.0.5 (nobody). Both XML reports must give the same
# (host, protocol, port, state, reason) set, the same host up/down and
# reason, and the same MAC address of each host; scantrace's XML must be valid against nmap.dtd. -sT is also run as
# an unprivileged user, by both. -v makes both report the down host.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
# SCANTRACE_CAPTURE_DIR: where to keep scantrace's -w capture of each case.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}
DTD=/usr/share/nmap/nmap.dtd

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN (build it, or set SCANTRACE_BIN)"
command -v nmap >/dev/null || die "no nmap (apt-get install nmap)"
[[ -f $DTD ]] || die "no $DTD (apt-get install nmap-common)"
command -v xmllint >/dev/null || die "no xmllint (apt-get install libxml2-utils)"
command -v capinfos >/dev/null || die "no capinfos (apt-get install wireshark-common)"
nmap --version | grep -q "^Nmap version 7\.93 " ||
    echo "note: the reference is nmap 7.93; this is $(nmap --version | head -1)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-vs-nmap.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# The unprivileged runs write their reports here.
chmod 755 "$WORK"
mkdir -m 1777 "$WORK/nobody"
if [[ -n ${SCANTRACE_CAPTURE_DIR:-} ]]; then
    mkdir -p "$SCANTRACE_CAPTURE_DIR"
    SCANTRACE_CAPTURE_DIR=$(cd "$SCANTRACE_CAPTURE_DIR" && pwd)
fi
export SCANTRACE_BIN SCANTRACE_SOURCE_DIR WORK DTD SCANTRACE_CAPTURE_DIR

# Runs inside the scanner namespace; LAB_* come from lab.sh.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/verdicts.sh"
fail=0
hosts=("$LAB_TARGET_IP" "$LAB_TARGET2_IP" "$LAB_DOWN_IP")
tcp=$LAB_TCP_PORTS udp=$LAB_UDP_PORTS
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" "BEGIN { printf \"%.2f\", b - a }"; }

# compare NAME RUN-AS -- FLAGS...: both scanners, same flags, same hosts.
compare() {
    local name=$1 as=$2
    shift 3
    local dir=$WORK capture=$WORK/$name.pcapng
    [[ -n ${SCANTRACE_CAPTURE_DIR:-} ]] && capture=$SCANTRACE_CAPTURE_DIR/$name.pcapng
    local -a run=() wflag=(-w "$capture")
    if [[ $as == nobody ]]; then
        run=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
        dir=$WORK/nobody
        wflag=() # capturing needs privileges
    fi
    local t0 t1 t2
    # Each starts with no neighbour entry: a connect() to the down host waits
    # on ARP in the kernel, whose failure (after 3 s) would otherwise reach
    # whichever run happened to be going on then.
    ip neigh flush dev "$LAB_IFACE"
    t0=$(seconds)
    "${run[@]}" nmap "$@" -n -v --reason --max-retries 1 -oX "$dir/$name.nmap.xml" "${hosts[@]}" \
        >"$WORK/$name.nmap.txt" 2>&1 || { cat "$WORK/$name.nmap.txt"; echo "FAIL $name: nmap failed"; fail=1; return; }
    t1=$(seconds)
    ip neigh flush dev "$LAB_IFACE"
    "${run[@]}" "$SCANTRACE_BIN" "$@" -n -v --reason --max-retries 1 -oX "$dir/$name.st.xml" \
        "${wflag[@]}" "${hosts[@]}" >"$WORK/$name.st.txt" 2>&1 ||
        { cat "$WORK/$name.st.txt"; echo "FAIL $name: scantrace failed"; fail=1; return; }
    t2=$(seconds)
    local ok=1
    if ! xmllint --noout --dtdvalid "$DTD" "$dir/$name.st.xml" 2>"$WORK/$name.dtd"; then
        cat "$WORK/$name.dtd"; echo "FAIL $name: scantrace XML not valid against nmap.dtd"; ok=0
    fi
    verdicts_from_xml "$dir/$name.nmap.xml" >"$WORK/$name.nmap.ports"
    verdicts_from_xml "$dir/$name.st.xml" >"$WORK/$name.st.ports"
    # nmap also writes <hosthint>s, what it knew of a host before the port
    # scan; only the <host>s are its verdicts.
    sed "/^<hosthint>/,/^<\/hosthint>/d" "$dir/$name.nmap.xml" >"$WORK/$name.nmap.final.xml"
    hosts_from_xml "$WORK/$name.nmap.final.xml" >"$WORK/$name.nmap.hosts"
    hosts_from_xml "$dir/$name.st.xml" >"$WORK/$name.st.hosts"
    diff -u --label "nmap $name ports" --label "scantrace $name ports" \
        "$WORK/$name.nmap.ports" "$WORK/$name.st.ports" || ok=0
    diff -u --label "nmap $name hosts" --label "scantrace $name hosts" \
        "$WORK/$name.nmap.hosts" "$WORK/$name.st.hosts" || ok=0
    # The MAC address of each host on the link, whatever told it (ARP, or the
    # frames of its replies after --send-ip).
    diff -u --label "nmap $name MAC addresses" --label "scantrace $name MAC addresses" \
        <(macs_from_xml "$WORK/$name.nmap.final.xml") <(macs_from_xml "$dir/$name.st.xml") || ok=0
    [[ $(wc -l <"$WORK/$name.nmap.hosts") -eq ${#hosts[@]} ]] ||
        { echo "FAIL $name: nmap reported $(wc -l <"$WORK/$name.nmap.hosts") hosts"; ok=0; }
    if ((${#wflag[@]})) && ! capinfos -c "$capture" >/dev/null 2>&1; then
        echo "FAIL $name: capture $capture unreadable"; ok=0
    fi
    if ((ok)); then
        printf "ok   %-12s %s: %2d ports, %d hosts agree; scantrace %ss, nmap %ss\n" "$name" "$*" \
            "$(wc -l <"$WORK/$name.st.ports")" "$(wc -l <"$WORK/$name.st.hosts")" \
            "$(elapsed "$t1" "$t2")" "$(elapsed "$t0" "$t1")"
    else
        echo "FAIL $name ($*)"; cat "$WORK/$name.st.txt"; fail=1
    fi
}

compare syn root -- -sS -p "$tcp"
compare connect root -- -sT -p "$tcp"
compare udp root -- -sU -p "$udp"
compare ack root -- -sA -p "$tcp"
compare fin root -- -sF -p "$tcp"
compare null root -- -sN -p "$tcp"
compare xmas root -- -sX -p "$tcp"
compare syn-udp root -- -sS -sU -p "T:$tcp,U:$udp"
compare ping-arp root -- -sn
compare ping-ip root -- -sn --send-ip
compare syn-ip root -- -sS --send-ip -p "$tcp"
compare syn-pn root -- -sS -Pn -p "$tcp"
if setpriv --reuid=nobody --regid=nogroup --clear-groups -- true 2>/dev/null; then
    compare connect-user nobody -- -sT -p "$tcp"
    compare ping-user nobody -- -sn
else
    echo "skip unprivileged runs: no user nobody in this namespace"
fi
exit $fail
'
# lab.sh's output goes to a file: nothing the lab starts can then hold the
# pipe CTest reads from.
rc=0
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 || rc=$?
cat "$WORK/lab.log"
((rc == 0)) || die "scantrace and nmap disagree (exit $rc)"
echo "PASS"
