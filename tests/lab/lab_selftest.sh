#!/usr/bin/env bash
# Checks that the lab behaves as its truth file says, so scanner tests can
# trust LAB_TRUTH:
#  - nmap (-sS and -sU against LAB_TARGET_IP, and with -6 against
#    LAB_TARGET_IP6) must report exactly the truth;
#  - plain bash sockets must see the matching outcome for every truth line of
#    both targets over both families (works without nmap and without real root);
#  - the SSH banner and the down hosts behave as documented.
#
#   lab_selftest.sh [--no-nmap]
# shellcheck disable=SC2016,SC2153 # bash -c scripts expand their own arguments; LAB_* come from lab.sh
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ ${1:-} != --inside ]]; then
    nmap=1
    [[ ${1:-} == --no-nmap ]] && nmap=0
    if ((nmap)) && ! command -v nmap >/dev/null; then
        [[ $EUID -eq 0 ]] || { echo "lab_selftest: nmap missing (or use --no-nmap)" >&2; exit 1; }
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q nmap >&2 ||
            { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nmap >&2; }
    fi
    exec "$HERE/lab.sh" run -- "$BASH" "${BASH_SOURCE[0]}" --inside "$nmap"
fi
nmap=$2
fail=0

# diff_or_fail LABEL EXPECTED_FILE ACTUAL_FILE
diff_or_fail() {
    if diff -u --label "truth ($1)" --label "observed ($1)" "$2" "$3"; then
        echo "ok: $1 ($(wc -l <"$2") ports)"
    else
        echo "FAIL: $1 differs from the truth (see diff above)"
        fail=1
    fi
}
sort_truth() { sort -k1,1V -k2,2 -k3,3n; }

# Started first: ARP (Neighbor Discovery) for the down host takes ~3 s to give up.
timeout 10 bash -c ': <>"/dev/tcp/$LAB_DOWN_IP/80"' 2>"$LAB_DIR/down.err" &
[[ -z $LAB_DOWN_IP6 ]] || timeout 10 bash -c ': <>"/dev/tcp/$LAB_DOWN_IP6/80"' 2>"$LAB_DIR/down6.err" &

# nmap_check LABEL TARGET TCP-PORTS UDP-PORTS [NMAP-OPTIONS...]
nmap_check() {
    local label=$1 target=$2 tcp=$3 udp=$4
    shift 4
    nmap "$@" -sS -Pn -n --reason -p "$tcp" -oX "$LAB_DIR/tcp.xml" "$target" >"$LAB_DIR/nmap.txt"
    nmap "$@" -sU -Pn -n --reason -p "$udp" -oX "$LAB_DIR/udp.xml" "$target" >>"$LAB_DIR/nmap.txt"
    grep -E '^[0-9]+/(tcp|udp) ' "$LAB_DIR/nmap.txt"
    # One <port> element per line; nmap only folds ports into <extraports>
    # when many share a state, which this plan never does.
    sed -n 's|.*<port protocol="\([a-z]*\)" portid="\([0-9]*\)"><state state="\([^"]*\)" reason="\([^"]*\)".*|\1 \2 \3 \4|p' \
        "$LAB_DIR/tcp.xml" "$LAB_DIR/udp.xml" | sed "s/^/$target /" | sort_truth >"$LAB_DIR/nmap.view"
    grep "^$target " "$LAB_TRUTH" >"$LAB_DIR/nmap.expect" || true
    diff_or_fail "$label" "$LAB_DIR/nmap.expect" "$LAB_DIR/nmap.view"
}
if ((nmap)); then
    nmap_check "nmap $LAB_TARGET_IP" "$LAB_TARGET_IP" "$LAB_TCP_PORTS" "$LAB_UDP_PORTS"
    [[ -z $LAB_TARGET_IP6 ]] ||
        nmap_check "nmap -6 $LAB_TARGET_IP6" "$LAB_TARGET_IP6" "$LAB_TCP_PORTS6" "$LAB_UDP_PORTS6" -6
fi

# What a plain connect()/send() sees for each nmap verdict (IP PROTO REASON).
# Both ICMPv4 reject kinds surface as EHOSTUNREACH, so bash cannot tell them
# apart; Linux makes ICMPv6 admin-prohibited EACCES and no-route ENETUNREACH
# (icmpv6_err_convert), and a plain UDP socket hears only the errors that
# table calls fatal: no-route and address unreachable pass unseen.
bash_outcome() {
    case $3 in
    syn-ack) echo connected ;; udp-response) echo reply ;;
    reset | port-unreach) echo refused ;;
    admin-prohibited) if [[ $1 == *:* ]]; then echo prohibited; else echo unreachable; fi ;;
    host-unreach) if [[ $1 == *:* && $2 == udp ]]; then echo timeout; else echo unreachable; fi ;;
    no-route) if [[ $2 == udp ]]; then echo timeout; else echo netunreachable; fi ;;
    no-response) echo timeout ;;
    *) echo "unknown-reason-$3" ;;
    esac
}
# The TCP timeout leaves room for one SYN retransmit (1 s): on a veth the ICMP
# error can arrive while connect() still holds the socket lock, and Linux then
# drops it (TcpExtLockDroppedIcmps), so only the second SYN's error counts.
# UDP reads take one byte: a read consumes the whole datagram anyway.
probe() { # IP PROTO PORT
    local err rc=0 out
    if [[ $2 == tcp ]]; then
        err=$(timeout 3 bash -c ': <>"/dev/tcp/$1/$2"' _ "$1" "$3" 2>&1) || rc=$?
    else
        err=$(bash -c 'exec 3<>"/dev/udp/$1/$2"; echo lab >&3; read -r -t 2 -n 1 _ <&3' _ "$1" "$3" 2>&1) || rc=$?
    fi
    case $rc/$err in
    0/*) out=connected; [[ $2 == udp ]] && out=reply ;;
    */*"Connection refused"*) out=refused ;;
    */*"No route to host"*) out=unreachable ;;
    */*"Permission denied"*) out=prohibited ;;
    */*"Network is unreachable"*) out=netunreachable ;;
    124/* | 1[3-9][0-9]/*) out=timeout ;;
    *) out="rc=$rc:${err//$'\n'/ }" ;;
    esac
    echo "$1 $2 $3 $out"
}
# In parallel: the timeouts would otherwise add up.
n=0
while read -r ip proto port _ reason; do
    echo "$ip $proto $port $(bash_outcome "$ip" "$proto" "$reason")" >>"$LAB_DIR/bash.expect"
    probe "$ip" "$proto" "$port" >"$LAB_DIR/probe.$n" &
    n=$((n + 1))
done <"$LAB_TRUTH"
wait
cat "$LAB_DIR"/probe.* | sort_truth >"$LAB_DIR/bash.view"
diff_or_fail "bash sockets, all targets, both families" "$LAB_DIR/bash.expect" "$LAB_DIR/bash.view"

banner=$(timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/22"; read -r b <&3; echo "$b"' _ "$LAB_TARGET_IP") || true
if [[ $banner == SSH-2.0-lab* ]]; then echo "ok: ssh banner"; else echo "FAIL: ssh banner '$banner'"; fail=1; fi

if grep -q "No route to host" "$LAB_DIR/down.err"; then
    echo "ok: $LAB_DOWN_IP is down (host unreachable)"
else
    echo "FAIL: $LAB_DOWN_IP: $(cat "$LAB_DIR/down.err")"
    fail=1
fi
if [[ -z $LAB_DOWN_IP6 ]]; then
    echo "note: no IPv6 in this kernel, the lab is IPv4 only"
elif grep -q "No route to host" "$LAB_DIR/down6.err"; then
    echo "ok: $LAB_DOWN_IP6 is down (address unreachable)"
else
    echo "FAIL: $LAB_DOWN_IP6: $(cat "$LAB_DIR/down6.err")"
    fail=1
fi

((fail == 0)) && echo "lab selftest: PASS" || echo "lab selftest: FAIL"
exit "$fail"
