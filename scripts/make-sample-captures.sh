#!/usr/bin/env bash
# Remakes the scanner's sample captures in captures/, one per scan type, from
# scans of the built-in lab, with their expected fields and tables. Review the
# diff before committing: the scan ids and timings change every run.
#
#   scripts/make-sample-captures.sh [NAME...]     (default: all)
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "$0")/setup.sh"
cd "$SCANTRACE_ROOT"
setup_build

# NAME and the scan's options; PORTS stands for the lab's TCP ports, UPORTS for
# its UDP ports, TARGET for the target, HOSTS for the three discovery addresses.
SCANS=(
    "syn-scan|-sS --reason -p PORTS TARGET"
    "ack-scan|-sA -Pn --reason -p PORTS TARGET"
    "fin-scan|-sF -Pn --reason -p PORTS TARGET"
    "null-scan|-sN -Pn --reason -p PORTS TARGET"
    "xmas-scan|-sX -Pn --reason -p PORTS TARGET"
    "maimon-scan|-sM -Pn --reason -p PORTS TARGET"
    "window-scan|-sW -Pn --reason -p PORTS TARGET"
    "scanflags-scan|--scanflags URGPSH -Pn --reason -p PORTS TARGET"
    "udp-scan|-sU -Pn --reason -p UPORTS TARGET"
    "connect-scan|-sT -Pn --reason -p PORTS TARGET"
    "discovery|-sn --reason HOSTS"
)
want=("$@")

export SCANTRACE_BIN=$SCANTRACE_BUILD/scanner/scantrace
export LAB_LISTENER=$SCANTRACE_BUILD/tests/lab/lab_listener
OUT=$(mktemp -d)
chmod 755 "$OUT"
trap 'rm -rf "$OUT"' EXIT
export OUT
printf '%s\n' "${SCANS[@]}" >"$OUT/scans"
[[ ${#want[@]} -gt 0 ]] && printf '%s\n' "${want[@]}" >"$OUT/want"

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
while IFS="|" read -r name options; do
    [[ -f $OUT/want ]] && ! grep -qx "$name" "$OUT/want" && continue
    options=${options//UPORTS/$LAB_UDP_PORTS}
    options=${options//PORTS/$LAB_TCP_PORTS}
    options=${options//TARGET/$LAB_TARGET_IP}
    options=${options//HOSTS/$LAB_TARGET_IP $LAB_TARGET2_IP $LAB_DOWN_IP}
    echo "== $name: scantrace $options"
    # shellcheck disable=SC2086 # the options are words
    "$SCANTRACE_BIN" $options -n -w "$OUT/$name.pcapng"
done <"$OUT/scans"
'
bash tests/lab/lab.sh run -- bash -c "$inner"
for capture in "$OUT"/*.pcapng; do
    cp "$capture" captures/
    SCANTRACE_PLUGIN=$SCANTRACE_BUILD/plugin/scantrace.so \
        bash tests/integration/plugin_expected.sh --update "captures/$(basename "$capture")"
done
