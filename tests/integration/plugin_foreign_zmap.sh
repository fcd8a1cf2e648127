#!/usr/bin/env bash
# zmap's scans of the lab (tcp_synscan, udp and icmp_echoscan), captured with
# dumpcap: the plugin names every probe zmap's, agrees with zmap's own results
# (-o, CSV with the classification of every reply) and gives every port the
# lab's truth (what nmap reports), the ports zmap reports nothing for included.
# zmap 2.1 scans one port per run, so each port is a run of its own.
#
# Safety: zmap runs inside the lab's scanner namespace, which has no route out,
# with exactly the lab target's address (/32), an empty blocklist (its default
# one lists the lab's 10/8) and a modest --rate.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/verdicts.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"

foreign_start zmap zmap

# One open, closed, dropped and rejected port of each protocol.
TCP_PORTS="22 23 8080 3389"
UDP_PORTS="53 69 500 1900"
export TCP_PORTS UDP_PORTS
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"
[[ $LAB_TARGET_IP == 10.201.0.2 ]] || { echo "not the lab"; exit 1; }
cp "$LAB_TRUTH" "$WORK/truth.txt"
router_mac=$(ip netns exec "$LAB_TARGET_NS" cat "/sys/class/net/$LAB_TARGET_IFACE/address")
: >"$WORK/empty.blocklist"
# zmap 2.1.1 now and then aborts on an assertion when it scans a single
# address (zmap issues #310 and #786, fixed after 2.1.1): a run that ends that
# way is run again, anything else fails the test.
zmap_run() { # NAME ZMAP-ARGS...
    local name=$1 try rc
    shift
    for try in 1 2 3; do
        rc=0
        lab_capture "$name" timeout 60 zmap "$LAB_TARGET_IP/32" -i "$LAB_IFACE" -G "$router_mac" \
            -S "$LAB_SCANNER_IP" -b "$WORK/empty.blocklist" -r 100 -c 1 --disable-syslog -O csv \
            --output-filter="success = 1 || success = 0" -o "$WORK/$name.csv" "$@" || rc=$?
        grep -q "constraint_lookup_index: Assertion" "$WORK/$name.out" || return "$rc"
        echo "zmap $name: zmap 2.1.1 hit its known assertion (try $try), running it again"
    done
    return 1
}
for port in $TCP_PORTS; do
    zmap_run "tcp-$port" -M tcp_synscan -p "$port" -f saddr,sport,classification,repeat
done
for port in $UDP_PORTS; do
    zmap_run "udp-$port" -M udp -p "$port" --probe-args=text:scantrace \
        -f saddr,sport,classification,repeat
done
zmap_run icmp -M icmp_echoscan -f saddr,classification,repeat
'
foreign_lab "$inner" ||
    { cat "$WORK/lab.log" "$WORK"/*.out 2>/dev/null; die "lab scans failed"; }

fail=0
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}

# zmap's classification of a port's reply in nmap's words; nothing when zmap
# reports none (it ignores the ICMP errors a TCP probe meets).
zmap_says() { # PROTO PORT
    local class
    class=$(awk -F, 'NR > 1 && $4 == 0 {print $3; exit}' "$WORK/$1-$2.csv")
    case $1/$class in
    tcp/synack) echo "open syn-ack" ;;
    tcp/rst) echo "closed reset" ;;
    udp/udp) echo "open udp-response" ;;
    udp/icmp-unreach) echo "unreachable" ;;
    esac
}

for proto in tcp udp; do
    ports=TCP_PORTS
    scan=syn
    [[ $proto == udp ]] && { ports=UDP_PORTS; scan=udp; }
    for port in ${!ports}; do
        capture=$WORK/$proto-$port.pcapng
        got=$(verdicts_from_capture "$capture")
        truth=$(grep "^10.201.0.2 $proto $port " "$WORK/truth.txt")
        says=$(zmap_says "$proto" "$port")
        if [[ $got != "$truth" ]]; then
            echo "FAIL zmap $proto $port: the plugin says '$got', the lab's truth is '$truth'"
            fail=1
        elif [[ -n $says && $says != unreachable && $got != *" $says" ]] ||
            [[ $says == unreachable && $got != *unreach* && $got != *prohibited* ]]; then
            echo "FAIL zmap $proto $port: zmap says $says, the plugin '$got'"
            fail=1
        else
            echo "ok   zmap $proto $port: ${got#10.201.0.2 } (zmap: ${says:-no reply reported})"
        fi
        tools=$(plugin_tools "$capture" | awk '{print $2, $3}' | sort -u)
        [[ $tools == "zmap $scan" ]] || { echo "FAIL $proto $port: probes labelled: $tools"; fail=1; }
    done
done

grep -q "^10.201.0.2,echoreply," "$WORK/icmp.csv" || die "zmap's icmp_echoscan found no host"
check "zmap icmp_echoscan: the host is up, as zmap found" <(echo "10.201.0.2 up echo-reply") \
    <(plugin_hosts "$WORK/icmp.pcapng")
tools=$(plugin_tools "$WORK/icmp.pcapng" | awk '{print $2, $3}' | sort -u)
[[ $tools == "zmap echo" ]] || { echo "FAIL icmp: probes labelled: $tools"; fail=1; }
tshark_unpriv -r "$(tshark_file "$WORK/tcp-22.pcapng")" -2 -Y 'scantrace.role == "probe"' \
    -T fields -e scantrace.evidence | sed -n 1p | sed 's/^/evidence of a SYN probe: /'

((fail == 0)) && echo PASS
exit $fail
