#!/usr/bin/env bash
# Ordinary traffic is not a scan: HTTP (a busy client opening 60 connections, 20
# at a time), TLS (curl and openssl s_client), SSH (a key login running a
# command), DNS (dig), and a few connections refused as any client meets them,
# all in the lab between the scanner and the target namespaces, captured on
# both ends. With the default preferences, and with the behaviour thresholds
# far lower than the defaults, the plugin labels no packet at all.
#
# Needs (scripts/setup.sh installs them): curl, openssl, openssh-server and
# -client, bind9-dnsutils (dig), python3.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"

[[ -x /usr/sbin/sshd ]] || { echo "SKIP: no sshd (scripts/setup.sh installs openssh-server)"; exit 77; }
foreign_start ordinary curl openssl ssh ssh-keygen dig python3

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"
T=$LAB_TARGET_IP
in_target() { ip netns exec "$LAB_TARGET_NS" "$@"; }
listening() { # PORT: wait until something in the target listens on it
    for _ in $(seq 100); do
        in_target ss -ltnH "sport = :$1" | grep -q . && return 0
        sleep 0.05
    done
    echo "nothing listens on $1"; return 1
}

# Servers on the target, on ports outside the lab plan.
mkdir -p "$WORK/www" /run/sshd
for i in $(seq 60); do echo "page $i" >"$WORK/www/$i.html"; done
in_target python3 -m http.server 8000 --bind "$T" --directory "$WORK/www" \
    >"$WORK/http.log" 2>&1 &
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj /CN=lab -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
in_target openssl s_server -accept "$T:4433" -cert "$WORK/tls.crt" -key "$WORK/tls.key" \
    -www -quiet >"$WORK/tls.log" 2>&1 &
ssh-keygen -q -t ed25519 -N "" -f "$WORK/host_key"
ssh-keygen -q -t ed25519 -N "" -f "$WORK/client_key"
cp "$WORK/client_key.pub" "$WORK/authorized_keys"
in_target /usr/sbin/sshd -D -e -f /dev/null -h "$WORK/host_key" -o ListenAddress="$T:2222" \
    -o PidFile=none -o UsePAM=no -o StrictModes=no -o PermitRootLogin=prohibit-password \
    -o AuthorizedKeysFile="$WORK/authorized_keys" >"$WORK/sshd.log" 2>&1 &
for port in 8000 4433 2222; do listening $port; done

traffic() {
    # A busy web client: 60 pages over 20 connections at a time.
    curl -sS --parallel --parallel-max 20 -o "/dev/null" "http://$T:8000/[1-60].html"
    # TLS, twice with curl and once with openssl.
    for _ in 1 2; do curl -sSk -o /dev/null "https://$T:4433/"; done
    openssl s_client -connect "$T:4433" -brief </dev/null >/dev/null 2>&1
    # SSH: log in with a key and run a command.
    ssh -q -i "$WORK/client_key" -p 2222 -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null -o BatchMode=yes "root@$T" true
    # DNS: the lab listener answers on 53.
    for name in example.org example.com www.example.net; do
        dig +short +tries=1 +time=1 "@$T" "$name" A >/dev/null || true
    done
    # What any client meets now and then: a refused connection, a web page on
    # the second target.
    curl -sS -o /dev/null "http://$T:8001/" 2>/dev/null || true
    curl -sS -o /dev/null "http://$LAB_TARGET2_IP:80/" 2>/dev/null || true
}
ip netns exec "$LAB_TARGET_NS" dumpcap -i "$LAB_TARGET_IFACE" -q -w "$WORK/target.pcapng" \
    2>"$WORK/target.dumpcap" &
target_pid=$!
dumpcap_ready "$WORK/target.dumpcap"
lab_capture ordinary traffic
kill -INT $target_pid
wait $target_pid || true
'
foreign_lab "$inner" ||
    { cat "$WORK/lab.log" "$WORK"/*.out "$WORK"/*.log 2>/dev/null; die "lab traffic failed"; }

fail=0
for capture in ordinary target; do
    file=$WORK/$capture.pcapng
    frames=$(tshark_unpriv -r "$(tshark_file "$file")" -T fields -e frame.number | wc -l)
    # Enough of everything was there to be mistaken for a scan.
    conns=$(tshark_unpriv -r "$(tshark_file "$file")" \
        -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e tcp.dstport | sort -u |
        tr '\n' ' ')
    echo "$capture.pcapng: $frames frames, SYNs to ports $conns"
    ((frames > 300)) || { echo "FAIL $capture: only $frames frames"; fail=1; }
    for proto in http tls ssh dns; do
        n=$(tshark_unpriv -r "$(tshark_file "$file")" -d tcp.port==2222,ssh -Y "$proto" \
            -T fields -e frame.number | wc -l)
        ((n > 0)) || { echo "FAIL $capture: no $proto"; fail=1; }
    done
    for prefs in "" "-o scantrace.behaviour_ports:3 -o scantrace.behaviour_hosts:2"; do
        # shellcheck disable=SC2086 # prefs are separate words
        labelled=$(tshark_unpriv -r "$(tshark_file "$file")" -2 $prefs -Y scantrace \
            -T fields -e frame.number -e scantrace.role -e _ws.col.Info)
        if [[ -n $labelled ]]; then
            echo "FAIL $capture ${prefs:-(default preferences)}: labelled frames:"
            head -20 <<<"$labelled"
            fail=1
        else
            echo "ok   $capture ${prefs:-(default preferences)}: no frame labelled"
        fi
    done
done
((fail == 0)) && echo PASS
exit $fail
