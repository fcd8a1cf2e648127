#!/usr/bin/env bash
# scantrace test lab: a scanner and a target network namespace joined by a
# veth pair, with a fixed port plan on the target and a ground-truth file
# describing what a correct scanner reports. See tests/lab/README.md.
#
#   lab.sh run [--] CMD [ARGS...]   run CMD in the scanner namespace
#   lab.sh shell                    interactive shell in the scanner namespace
#   lab.sh clean                    remove what a SIGKILLed lab left behind
#
# Faults, off unless set (see README.md): LAB_LOSS=PCT, LAB_ICMP_LIMIT=linux,
# LAB_HOSTS=FILE. LAB_SWEEP_HOSTS=N adds N small targets on 10.201.1.0/24.
#
# Root uses named namespaces (st-scan-PID, st-tgt-PID) so labs can run side
# by side; anyone else gets the same lab inside a private user+net+mount
# namespace, so nothing outside is touched.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

SCANNER_IP=10.201.0.1
TARGET_IP=10.201.0.2
TARGET2_IP=10.201.0.3
DOWN_IP=10.201.0.5 # never assigned: ARP fails, the scanner's kernel reports host-unreachable
# The same hosts over IPv6 (unique local addresses, RFC 4193), on the same link.
SCANNER_IP6=fd20:1::1
TARGET_IP6=fd20:1::2
TARGET2_IP6=fd20:1::3
DOWN_IP6=fd20:1::5 # never assigned: Neighbor Discovery fails, address unreachable
SCAN_IFACE=st0
TARGET_IFACE=st1
# LAB_SWEEP_HOSTS=N: N more targets for sweeps of many hosts, on a subnet of
# their own on the same link (so nothing in 10.201.0.0/24 changes): the
# scanner also holds SWEEP_SCANNER_IP, target i (0-based) is SWEEP_NET.(2+i).
SWEEP_NET=10.201.1
SWEEP_SCANNER_IP=$SWEEP_NET.1
SWEEP_MAX=250
# The ports a sweep host's plan picks from: nmap's 20 most often open TCP
# ports (nmap-services), so that any top-ports scan of 20 or more sees them.
SWEEP_PORTS=(80 23 443 21 22 25 3389 110 445 139 143 53 135 3306 8080 1723 111 995 993 5900)

# The port plan for TARGET_IP and TARGET_IP6, the one source of nft rules,
# listener sockets and ground truth. Actions: open, closed (no listener, kernel
# answers), drop, admin (ICMP/ICMPv6 admin-prohibited), hostunr (ICMP
# host-unreachable; ICMPv6 address unreachable, which nmap calls host-unreach
# too), noroute (ICMPv6 no route), portunr (ICMPv6 port unreachable to a TCP
# probe). A fourth word "6" keeps a port to IPv6: the kinds ICMPv4 rejects do
# not have, so the IPv4 plan stays what older captures and tests know.
PLAN=(
    "tcp 22 open" "tcp 80 open" "tcp 443 open"
    "tcp 23 closed" "tcp 25 closed" "tcp 113 closed"
    "tcp 8080 drop" "tcp 8443 drop"
    "tcp 3389 admin"
    "tcp 5900 hostunr"
    "udp 53 open" "udp 123 open" "udp 161 open"
    "udp 69 closed" "udp 514 closed"
    "udp 500 drop"
    "udp 1900 admin"
    "tcp 3390 noroute 6" "tcp 5901 portunr 6"
    "udp 137 noroute 6" "udp 1901 hostunr 6"
)
# TARGET2_IP has no firewall rules: these (a subset of PLAN) are open, every
# other plan port is closed.
PLAN2=("tcp 80 open")

# What nmap reports (state and --reason) for each proto/action.
verdict() {
    case $1/$2 in
    tcp/open) echo "open syn-ack" ;;
    tcp/closed) echo "closed reset" ;;
    tcp/drop) echo "filtered no-response" ;;
    udp/open) echo "open udp-response" ;;
    udp/closed) echo "closed port-unreach" ;;
    udp/drop) echo "open|filtered no-response" ;;
    */admin) echo "filtered admin-prohibited" ;;
    */hostunr) echo "filtered host-unreach" ;;
    */noroute) echo "filtered no-route" ;;
    tcp/portunr) echo "filtered port-unreach" ;;
    *) die "no verdict for $1/$2" ;;
    esac
}
nft_action() { # FAMILY(4|6) ACTION
    case $1/$2 in
    */drop) echo drop ;;
    4/admin) echo "reject with icmp type admin-prohibited" ;;
    4/hostunr) echo "reject with icmp type host-unreachable" ;;
    6/admin) echo "reject with icmpv6 type admin-prohibited" ;;
    6/hostunr) echo "reject with icmpv6 type addr-unreachable" ;;
    6/noroute) echo "reject with icmpv6 type no-route" ;;
    6/portunr) echo "reject with icmpv6 type port-unreachable" ;;
    *) die "no nft rule for $2 over IPv$1" ;;
    esac
}

die() { echo "lab.sh: $*" >&2; exit 1; }
usage() { sed -n '6,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

# Install what is missing when we are real root; say what is missing otherwise.
need() {
    local cmd pkg missing=()
    for cmd in "$@"; do
        case $cmd in
        ip) pkg=iproute2 ;; nft) pkg=nftables ;; cc) pkg=gcc ;;
        unshare | setpriv) pkg=util-linux ;; *) pkg=$cmd ;;
        esac
        command -v "$cmd" >/dev/null || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    [[ $EUID -eq 0 && -z ${LAB_USERNS:-} ]] || die "missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${missing[@]}" >&2 ||
        { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; }
}

# Unprivileged: become root of a private user/net/mount namespace and start
# over. No --fork, so signals still reach this script directly.
if [[ $EUID -ne 0 ]]; then
    need unshare
    export LAB_USERNS=1
    exec unshare --user --map-root-user --net --mount -- "$BASH" "${BASH_SOURCE[0]}" "$@"
fi
if [[ -n ${LAB_USERNS:-} ]]; then
    # ip netns keeps its mounts in /run/netns, which we may not create in the
    # real /run; a private tmpfs (visible only to this lab) stands in. When
    # /run/netns does not exist yet this hides the rest of /run from CMD too.
    if [[ -d /run/netns ]]; then mount -t tmpfs lab-netns /run/netns; else mount -t tmpfs lab-run /run; fi
fi

cmd=${1:-}
shift || true
case $cmd in
run) [[ ${1:-} == -- ]] && shift; (($#)) || usage ;;
shell) set -- "${SHELL:-/bin/bash}" -i ;;
clean)
    # Namespaces named after a lab whose process is gone; its listener is ours.
    for ns in $(ip netns list | grep -oE '^st-(scan|tgt)-[0-9]+'); do
        kill -0 "${ns##*-}" 2>/dev/null && continue
        for pid in $(ip netns pids "$ns"); do kill "$pid" || true; done
        ip netns del "$ns" && echo "removed $ns"
    done
    for dir in /etc/netns/st-scan-*; do
        pid=${dir##*-}
        [[ -d $dir ]] && ! kill -0 "$pid" 2>/dev/null && rm -rf "$dir" && echo "removed $dir"
    done
    for dir in "${TMPDIR:-/tmp}"/st-lab-*; do
        pid=${dir##*/st-lab-}
        [[ -d $dir ]] && ! kill -0 "${pid%%.*}" 2>/dev/null && rm -rf "$dir" && echo "removed $dir"
    done
    exit 0 ;;
*) usage ;;
esac

need ip nft setpriv
[[ -n ${LAB_LISTENER:-} ]] || need cc
sweep_hosts=${LAB_SWEEP_HOSTS:-0}
if ! [[ $sweep_hosts =~ ^[0-9]+$ ]] || ((10#$sweep_hosts > SWEEP_MAX)); then
    die "LAB_SWEEP_HOSTS must be a number of hosts (0-$SWEEP_MAX)"
fi
sweep_hosts=$((10#$sweep_hosts))

SCAN_NS=st-scan-$$
TGT_NS=st-tgt-$$
LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/st-lab-$$.XXXXXX")
listener_pid=
netns_etc=
netns_etc_made=

# shellcheck disable=SC2317 # called from the EXIT trap
teardown() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    # Whatever still runs in a lab namespace (the listener, anything CMD left
    # behind) was started by this lab and would keep the namespace alive.
    for ns in "$SCAN_NS" "$TGT_NS"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
        ip netns del "$ns" 2>/dev/null
    done
    [[ -n $netns_etc ]] && rm -rf "$netns_etc"
    # /etc/netns itself, when this lab made it and no other lab uses it now.
    [[ -n $netns_etc_made ]] && rmdir /etc/netns 2>/dev/null
    [[ -n $listener_pid ]] && wait "$listener_pid" 2>/dev/null
    if [[ ${LAB_KEEP:-0} == 1 ]]; then echo "lab.sh: kept $LAB_DIR" >&2; else rm -rf "$LAB_DIR"; fi
    exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Write sysctls through /proc so procps is not needed; each netns has its own.
# shellcheck disable=SC2016 # the inner script expands its own arguments
set_sysctl() { # NS KEY=VALUE...
    ip netns exec "$1" bash -c 'for kv in "$@"; do k=${kv%%=*}; echo "${kv#*=}" >"/proc/sys/${k//.//}"; done' _ "${@:2}"
}

ip netns add "$SCAN_NS"
ip netns add "$TGT_NS"
# IPv6 where the kernel has it (no /proc/sys/net/ipv6 when booted with
# ipv6.disable=1: the lab is then IPv4 only and LAB_TARGET_IP6 is empty).
ipv6=0
[[ -d /proc/sys/net/ipv6 ]] && ipv6=1
if ((ipv6)); then
    # Before the link exists, so its interfaces inherit them: no duplicate
    # address detection (addresses usable at once, no NS at startup), no
    # router solicitations (there is no router).
    for ns in "$SCAN_NS" "$TGT_NS"; do
        for conf in all default; do
            set_sysctl "$ns" "net.ipv6.conf.$conf.accept_dad=0" "net.ipv6.conf.$conf.accept_ra=0" \
                "net.ipv6.conf.$conf.router_solicitations=0"
        done
        # MLD reports for the solicited-node groups go out at random up to a
        # second after setup, into a test's capture: they stay in the host.
        printf 'table inet labquiet {\n chain output {\n  type filter hook output priority 0; policy accept;\n  icmpv6 type { mld-listener-report, mld2-listener-report, nd-router-solicit } drop\n }\n}\n' |
            ip netns exec "$ns" nft -f -
    done
else
    echo "lab.sh: note: this kernel has no IPv6; the lab is IPv4 only" >&2
fi
ip -n "$SCAN_NS" link add "$SCAN_IFACE" type veth peer name "$TARGET_IFACE" netns "$TGT_NS"
ip -n "$SCAN_NS" addr add "$SCANNER_IP/24" dev "$SCAN_IFACE"
ip -n "$TGT_NS" addr add "$TARGET_IP/24" dev "$TARGET_IFACE"
ip -n "$TGT_NS" addr add "$TARGET2_IP/24" dev "$TARGET_IFACE"
if ((sweep_hosts)); then
    ip -n "$SCAN_NS" addr add "$SWEEP_SCANNER_IP/24" dev "$SCAN_IFACE"
    for ((i = 0; i < sweep_hosts; i++)); do echo "addr add $SWEEP_NET.$((2 + i))/24 dev $TARGET_IFACE"; done |
        ip -n "$TGT_NS" -batch -
fi
if ((ipv6)); then
    ip -n "$SCAN_NS" addr add "$SCANNER_IP6/64" dev "$SCAN_IFACE" nodad
    ip -n "$TGT_NS" addr add "$TARGET_IP6/64" dev "$TARGET_IFACE" nodad
    ip -n "$TGT_NS" addr add "$TARGET2_IP6/64" dev "$TARGET_IFACE" nodad
fi
for ns in "$SCAN_NS" "$TGT_NS"; do ip -n "$ns" link set lo up; done
ip -n "$SCAN_NS" link set "$SCAN_IFACE" up
ip -n "$TGT_NS" link set "$TARGET_IFACE" up

# Fast scans must get every ICMP error: an empty ratemask exempts all types
# from both the per-peer and the global limiter; the rest is belt and braces.
set_sysctl "$TGT_NS" net.ipv4.icmp_ratemask=0 net.ipv4.icmp_ratelimit=0
set_sysctl "$TGT_NS" net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=100000 2>/dev/null ||
    echo "lab.sh: note: icmp_msgs_* not settable in a netns on this kernel" >&2
# ICMPv6 errors: no per-peer interval (the global limit above covers both).
((ipv6 == 0)) || set_sysctl "$TGT_NS" net.ipv6.icmp.ratelimit=0

# Faults a real network has, emulated without netem (this kernel may lack it).
# LAB_ICMP_LIMIT=linux: Linux's default ICMP rate limits (an error per second
# per peer after a burst of 6, 1000/s in all), as most targets have them.
if [[ ${LAB_ICMP_LIMIT:-} == linux ]]; then
    set_sysctl "$TGT_NS" net.ipv4.icmp_ratemask=6168 net.ipv4.icmp_ratelimit=1000
    set_sysctl "$TGT_NS" net.ipv4.icmp_msgs_per_sec=1000 net.ipv4.icmp_msgs_burst=50 2>/dev/null || true
    ((ipv6 == 0)) || set_sysctl "$TGT_NS" net.ipv6.icmp.ratelimit=1000
fi
# LAB_LOSS=PCT: the target loses that share of the IP packets it receives and
# of those it sends, at random (nftables' numgen), before any other rule.
if [[ -n ${LAB_LOSS:-} && ${LAB_LOSS} != 0 ]]; then
    [[ $LAB_LOSS =~ ^[0-9]+$ && $LAB_LOSS -lt 100 ]] || die "LAB_LOSS must be a percentage (0-99)"
    printf 'table inet labloss {\n chain input {\n  type filter hook input priority -10; policy accept;\n  numgen random mod 100 < %s drop\n }\n chain output {\n  type filter hook output priority -10; policy accept;\n  numgen random mod 100 < %s drop\n }\n}\n' \
        "$LAB_LOSS" "$LAB_LOSS" >"$LAB_DIR/loss.nft"
    ip netns exec "$TGT_NS" nft -f "$LAB_DIR/loss.nft"
fi
# LAB_HOSTS=FILE: the scanner namespace's /etc/hosts (ip netns exec mounts
# /etc/netns/NAME/hosts over it), so a test can choose the names reverse
# lookups of lab addresses give. Root only: a user namespace cannot write /etc.
if [[ -n ${LAB_HOSTS:-} ]]; then
    [[ -z ${LAB_USERNS:-} ]] || die "LAB_HOSTS needs real root"
    netns_etc=/etc/netns/$SCAN_NS
    [[ -d /etc/netns ]] || netns_etc_made=1
    mkdir -p "$netns_etc"
    cp "$LAB_HOSTS" "$netns_etc/hosts"
fi

# Only filtered ports of the targets get rules; no conntrack, so listener
# replies and kernel RSTs/port-unreachables pass untouched. A plan port is
# IPv4's unless marked 6, and IPv6's when the lab has IPv6.
rules=() listen=() tcp_ports=() udp_ports=() tcp_ports6=() udp_ports6=()
for entry in "${PLAN[@]}"; do
    read -r proto port action only <<<"$entry"
    if [[ -z $only ]]; then
        if [[ $proto == tcp ]]; then tcp_ports+=("$port"); else udp_ports+=("$port"); fi
        case $action in
        open) listen+=("$proto:$TARGET_IP:$port") ;;
        closed) ;;
        *) rules+=("ip daddr $TARGET_IP $proto dport $port $(nft_action 4 "$action")") ;;
        esac
    fi
    ((ipv6)) || continue
    if [[ $proto == tcp ]]; then tcp_ports6+=("$port"); else udp_ports6+=("$port"); fi
    case $action in
    open) listen+=("$proto:$TARGET_IP6:$port") ;;
    closed) ;;
    *) rules+=("ip6 daddr $TARGET_IP6 $proto dport $port $(nft_action 6 "$action")") ;;
    esac
done
for entry in "${PLAN2[@]}"; do
    read -r proto port action <<<"$entry"
    listen+=("$proto:$TARGET2_IP:$port")
    ((ipv6)) && listen+=("$proto:$TARGET2_IP6:$port")
done
# The sweep's hosts: host i has two open ports, one dropped and one rejected
# (ICMP admin-prohibited), four different ports of SWEEP_PORTS that move
# with i, so that a reply given to the wrong host shows; every other port is
# closed (the kernel's RST). Their rules are two sets of address . port, one
# lookup a packet however many hosts there are.
sweep_drop=() sweep_admin=() sweep_truth=()
for ((i = 0; i < sweep_hosts; i++)); do
    ip=$SWEEP_NET.$((2 + i))
    n=${#SWEEP_PORTS[@]}
    open1=${SWEEP_PORTS[i % n]} open2=${SWEEP_PORTS[(i + 5) % n]}
    drop=${SWEEP_PORTS[(i + 10) % n]} admin=${SWEEP_PORTS[(i + 15) % n]}
    listen+=("tcp:$ip:$open1" "tcp:$ip:$open2")
    sweep_drop+=("$ip . $drop") sweep_admin+=("$ip . $admin")
    sweep_truth+=("$ip tcp $open1 $(verdict tcp open)" "$ip tcp $open2 $(verdict tcp open)"
        "$ip tcp $drop $(verdict tcp drop)" "$ip tcp $admin $(verdict tcp admin)")
done
if ((sweep_hosts)); then
    join() { local IFS=,; echo "$*"; }
    rules+=("ip daddr . tcp dport @sweep_drop drop"
        "ip daddr . tcp dport @sweep_admin $(nft_action 4 admin)")
    sets=$(printf ' set sweep_drop {\n  type ipv4_addr . inet_service\n  elements = { %s }\n }\n set sweep_admin {\n  type ipv4_addr . inet_service\n  elements = { %s }\n }\n' \
        "$(join "${sweep_drop[@]}")" "$(join "${sweep_admin[@]}")")
fi
printf 'table inet lab {\n%s\n chain input {\n  type filter hook input priority 0; policy accept;\n%s\n }\n}\n' \
    "${sets:-}" "$(printf '  %s\n' "${rules[@]}")" >"$LAB_DIR/lab.nft"
ip netns exec "$TGT_NS" nft -f "$LAB_DIR/lab.nft"

# truth_lines TARGET TARGET2 FAMILY: the truth of both targets over one family.
truth_lines() {
    local entry e2 proto port action only
    for entry in "${PLAN[@]}"; do
        read -r proto port action only <<<"$entry"
        [[ -z $only || $only == "$3" ]] || continue
        echo "$1 $proto $port $(verdict "$proto" "$action")"
        action=closed
        for e2 in "${PLAN2[@]}"; do [[ $e2 == "$proto $port "* ]] && action=${e2##* }; done
        echo "$2 $proto $port $(verdict "$proto" "$action")"
    done
}
{
    truth_lines "$TARGET_IP" "$TARGET2_IP" 4
    ((ipv6 == 0)) || truth_lines "$TARGET_IP6" "$TARGET2_IP6" 6
} | sort -k1,1V -k2,2 -k3,3n >"$LAB_DIR/truth.txt"
((sweep_hosts == 0)) || printf '%s\n' "${sweep_truth[@]}" | sort -k1,1V -k2,2 -k3,3n >"$LAB_DIR/sweep_truth.txt"

listener=${LAB_LISTENER:-}
if [[ -z $listener ]]; then
    listener=$LAB_DIR/lab_listener
    cc -std=c11 -O2 -Wall -Wextra -o "$listener" "$HERE/lab_listener.c"
fi
# ip and setpriv exec in place, so $! is the listener itself; pdeathsig
# takes it down even if lab.sh is SIGKILLed.
mkfifo "$LAB_DIR/ready"
ip netns exec "$TGT_NS" setpriv --pdeathsig TERM -- "$listener" "${listen[@]}" \
    >"$LAB_DIR/ready" 2>"$LAB_DIR/listener.log" &
listener_pid=$!
read -r -t 10 ready <"$LAB_DIR/ready" || true
[[ ${ready:-} == READY ]] || die "listener did not come up: $(cat "$LAB_DIR/listener.log")"

export LAB_SCANNER_NS=$SCAN_NS LAB_TARGET_NS=$TGT_NS LAB_DIR
export LAB_SCANNER_IP=$SCANNER_IP LAB_TARGET_IP=$TARGET_IP LAB_TARGET2_IP=$TARGET2_IP LAB_DOWN_IP=$DOWN_IP
export LAB_IFACE=$SCAN_IFACE LAB_TARGET_IFACE=$TARGET_IFACE LAB_TRUTH=$LAB_DIR/truth.txt
LAB_TCP_PORTS=$(printf '%s\n' "${tcp_ports[@]}" | sort -n | paste -sd,)
LAB_UDP_PORTS=$(printf '%s\n' "${udp_ports[@]}" | sort -n | paste -sd,)
export LAB_TCP_PORTS LAB_UDP_PORTS
# IPv6: empty when the kernel has none.
LAB_SCANNER_IP6="" LAB_TARGET_IP6="" LAB_TARGET2_IP6="" LAB_DOWN_IP6="" LAB_TCP_PORTS6="" LAB_UDP_PORTS6=""
if ((ipv6)); then
    LAB_SCANNER_IP6=$SCANNER_IP6 LAB_TARGET_IP6=$TARGET_IP6 LAB_TARGET2_IP6=$TARGET2_IP6 LAB_DOWN_IP6=$DOWN_IP6
    LAB_TCP_PORTS6=$(printf '%s\n' "${tcp_ports6[@]}" | sort -n | paste -sd,)
    LAB_UDP_PORTS6=$(printf '%s\n' "${udp_ports6[@]}" | sort -n | paste -sd,)
fi
export LAB_SCANNER_IP6 LAB_TARGET_IP6 LAB_TARGET2_IP6 LAB_DOWN_IP6 LAB_TCP_PORTS6 LAB_UDP_PORTS6
# The sweep's hosts as a target range both scanners read, and their truth;
# empty without LAB_SWEEP_HOSTS.
LAB_SWEEP_SCANNER_IP="" LAB_SWEEP_TARGETS="" LAB_SWEEP_TRUTH=""
if ((sweep_hosts)); then
    LAB_SWEEP_SCANNER_IP=$SWEEP_SCANNER_IP LAB_SWEEP_TRUTH=$LAB_DIR/sweep_truth.txt
    LAB_SWEEP_TARGETS=$SWEEP_NET.2-$((1 + sweep_hosts))
fi
export LAB_SWEEP_SCANNER_IP LAB_SWEEP_TARGETS LAB_SWEEP_TRUTH

# CMD runs as a child we wait for, so a TERM sent to lab.sh (e.g. by a
# timeout) reaches CMD at once and teardown still happens. Ctrl-C reaches CMD
# from the terminal by itself; lab.sh just outlives it. env restores the
# SIGINT/SIGQUIT that bash ignores in background children, <&0 keeps stdin.
trap 'kill -TERM "$cmd_pid" 2>/dev/null' TERM
trap ':' INT
env --default-signal=INT,QUIT ip netns exec "$SCAN_NS" "$@" <&0 &
cmd_pid=$!
while kill -0 "$cmd_pid" 2>/dev/null; do wait "$cmd_pid" || true; done
rc=0
wait "$cmd_pid" || rc=$?
exit "$rc"
