#!/usr/bin/env bash
# Captures for the chroot tests, made on this host: scans of the built-in lab
# (tests/lab/) by the scanner of BUILD (-w), each labelled by the plugin of BUILD
# with the host's tshark into NAME.expected and NAME.table
# (tests/integration/plugin_expected.sh --update). tests/chroot/plugin-tests.sh
# then checks that the plugin built for another Wireshark labels them the same.
#
#   tests/chroot/host-captures.sh BUILD OUT
#
# OUT is emptied first. Root, or user namespaces (lab.sh).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)

(($# == 2)) || { sed -n '8s/^# \{0,1\}//p' "$0" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
OUT=$2
export SCANTRACE_BIN=$BUILD/scanner/scantrace
export SCANTRACE_PLUGIN=$BUILD/plugin/scantrace.so
export LAB_LISTENER=$BUILD/tests/lab/lab_listener
for f in "$SCANTRACE_BIN" "$SCANTRACE_PLUGIN" "$LAB_LISTENER"; do
    [[ -e $f ]] || { echo "host-captures.sh: no $f (build first)" >&2; exit 1; }
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f -- "$OUT"/*
export OUT

# One scan per scan type (the SYN scan covers both targets) and host discovery.
# Inside the lab's scanner namespace.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
scan() { # NAME OPTIONS...
    local name=$1
    shift
    "$SCANTRACE_BIN" -n --reason -w "$OUT/host-$name.pcapng" "$@" >"$OUT/host-$name.log" 2>&1 ||
        { cat "$OUT/host-$name.log"; echo "scan $name failed: scantrace $*"; return 1; }
}
tcp=(-Pn -p "$LAB_TCP_PORTS" "$LAB_TARGET_IP")
scan syn -sS -Pn -p "$LAB_TCP_PORTS" "$LAB_TARGET_IP" "$LAB_TARGET2_IP"
scan ack -sA "${tcp[@]}"
scan fin -sF "${tcp[@]}"
scan null -sN "${tcp[@]}"
scan xmas -sX "${tcp[@]}"
scan udp -sU -Pn -p "$LAB_UDP_PORTS" "$LAB_TARGET_IP"
scan connect -sT "${tcp[@]}"
scan discovery -sn "$LAB_TARGET_IP" "$LAB_TARGET2_IP" "$LAB_DOWN_IP"
'
bash "$SRC/tests/lab/lab.sh" run -- bash -c "$inner"
rm -f -- "$OUT"/*.log
chmod a+r "$OUT"/*
SCANTRACE_SOURCE_DIR=$SRC bash "$SRC/tests/integration/plugin_expected.sh" --update "$OUT"/*.pcapng
