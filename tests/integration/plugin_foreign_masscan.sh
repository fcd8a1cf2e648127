#!/usr/bin/env bash
# masscan's scans of the lab (TCP SYN, UDP and ICMP echo), captured with dumpcap:
# the plugin names every probe masscan's, agrees with masscan's own list (-oL)
# on every port masscan reports, and gives every port the lab's truth (what nmap
# reports), the ports masscan does not report (filtered ones) included.
#
# Safety: masscan runs inside the lab's scanner namespace, which has no route
# out, with exactly the lab target's address (/32) and a modest --rate.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/verdicts.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"

foreign_start masscan masscan

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"
[[ $LAB_TARGET_IP == 10.201.0.2 ]] || { echo "not the lab"; exit 1; }
cp "$LAB_TRUTH" "$WORK/truth.txt"
router_mac=$(ip netns exec "$LAB_TARGET_NS" cat "/sys/class/net/$LAB_TARGET_IFACE/address")
udp_ports=$(tr , "\n" <<<"$LAB_UDP_PORTS" | sed "s/^/U:/" | paste -sd,)
# masscan 1.3.2 only sees that its wait is over when a frame arrives; when the
# target has gone quiet, an ARP request for an address nobody has (bash sends
# none of the datagram itself) wakes it.
wake() {
    sleep 4
    for _ in $(seq 20); do echo >/dev/udp/10.201.0.9/9 || true; sleep 1; done 2>/dev/null
}
masscan_run() { # NAME MASSCAN-ARGS...
    local name=$1
    shift
    wake &
    local waker=$!
    lab_capture "$name" timeout 60 masscan "$LAB_TARGET_IP/32" --rate 100 --wait 2 \
        --router-mac "$router_mac" --adapter-ip "$LAB_SCANNER_IP" -e "$LAB_IFACE" \
        -oL "$WORK/$name.list" "$@"
    kill $waker 2>/dev/null || true
    wait $waker 2>/dev/null || true
}
masscan_run tcp -p "$LAB_TCP_PORTS" --show closed
masscan_run udp -p "$udp_ports" --show closed
masscan_run ping --ping
'
foreign_lab "$inner" ||
    { cat "$WORK/lab.log" "$WORK"/*.out 2>/dev/null; die "lab scans failed"; }

fail=0
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}

for name in tcp udp; do
    capture=$WORK/$name.pcapng
    verdicts_from_capture "$capture" >"$WORK/$name.got"
    # masscan's words: "open tcp 22 10.201.0.2 TIME"; nmap's reasons for them.
    awk '$1 == "open" || $1 == "closed" {
            reason = $2 == "tcp" ? ($1 == "open" ? "syn-ack" : "reset") \
                                 : ($1 == "open" ? "udp-response" : "port-unreach")
            print $4, $2, $3, $1, reason
        }' "$WORK/$name.list" | sort >"$WORK/$name.masscan"
    [[ -s $WORK/$name.masscan ]] || die "masscan's $name list reports no port"
    n=$(wc -l <"$WORK/$name.masscan")
    check "masscan $name: the plugin agrees on the $n ports masscan reports" \
        "$WORK/$name.masscan" <(grep -Fxf "$WORK/$name.masscan" "$WORK/$name.got")
    awk -v proto="$name" '$1 == "10.201.0.2" && $2 == proto' "$WORK/truth.txt" | sort \
        >"$WORK/$name.truth"
    check "masscan $name: the plugin gives every port the lab's truth" "$WORK/$name.truth" \
        "$WORK/$name.got"
    tools=$(plugin_tools "$capture" | awk '{print $2, $3}' | sort -u)
    scan=$name
    [[ $name == tcp ]] && scan=syn
    [[ $tools == "masscan $scan" ]] || { echo "FAIL $name: probes labelled: $tools"; fail=1; }
done

grep -q "^open icmp 0 10.201.0.2 " "$WORK/ping.list" || die "masscan --ping found no host"
check "masscan --ping: the host is up, as masscan found" <(echo "10.201.0.2 up echo-reply") \
    <(plugin_hosts "$WORK/ping.pcapng")
tools=$(plugin_tools "$WORK/ping.pcapng" | awk '{print $2, $3}' | sort -u)
[[ $tools == "masscan echo" ]] || { echo "FAIL ping: probes labelled: $tools"; fail=1; }
tshark_unpriv -r "$(tshark_file "$WORK/tcp.pcapng")" -2 -Y 'scantrace.role == "probe"' \
    -T fields -e scantrace.evidence | sed -n 1p | sed 's/^/evidence of a SYN probe: /'

((fail == 0)) && echo PASS
exit $fail
