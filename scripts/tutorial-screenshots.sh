#!/usr/bin/env bash
# Makes the screenshots of docs/tutorial.md again, from the real GUI: Wireshark
# (Qt) with the plugin of BUILD and the Scantrace profile, on an Xvfb display of
# its own, driven by xdotool, each window grabbed with Python's PIL. Run it after
# a change to what the GUI shows, and look at the pictures before committing.
#
#   scripts/tutorial-screenshots.sh [BUILD]     # default build/; writes docs/tutorial/*.png
#
# Needs wireshark-qt, xvfb, xdotool and python3-pil (apt-get install them).
# Wireshark runs unprivileged (tests/lib/tshark.sh), as it must to load a
# personal plugin.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=$ROOT/docs/tutorial
export SCANTRACE_SOURCE_DIR=$ROOT SCANTRACE_PLUGIN=$BUILD/plugin/scantrace.so
. "$ROOT/tests/lib/tshark.sh"

die() { echo "tutorial-screenshots: $*" >&2; exit 1; }
for cmd in wireshark Xvfb xdotool; do
    command -v "$cmd" >/dev/null || die "no $cmd"
done
PYTHON=/usr/bin/python3
"$PYTHON" -c 'from PIL import ImageGrab' 2>/dev/null || die "no python3-pil"
[[ -d $BUILD/plugin/profile/Scantrace ]] || die "no profile in $BUILD (build first)"

tshark_setup
XVFB_PID="" WS_PID=""
stop_wireshark() {
    if [[ -n $WS_PID ]]; then
        pkill -P "$WS_PID" 2>/dev/null || true
        kill "$WS_PID" 2>/dev/null || true
        wait "$WS_PID" 2>/dev/null || true
    fi
    WS_PID=""
    # Its windows go a moment later; the next search must not find them.
    for _ in $(seq 100); do
        [[ -n ${WIN:-} ]] && xdotool getwindowname "$WIN" >/dev/null 2>&1 || break
        sleep 0.1
    done
    WIN=""
}
cleanup() {
    stop_wireshark
    [[ -n $XVFB_PID ]] && kill "$XVFB_PID" 2>/dev/null
    _tshark_cleanup
}
trap cleanup EXIT

# The profile, as `cmake --install --prefix ~/.local` puts it.
profiles=$TSHARK_HOME/.config/wireshark/profiles
mkdir -p "$profiles"
cp -r "$BUILD/plugin/profile/Scantrace" "$profiles/"
[[ -n $TSHARK_USER ]] && chown -R "$TSHARK_USER:$TSHARK_GROUP" "$TSHARK_HOME/.config"

Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$TSHARK_HOME/display" >/dev/null 2>&1 &
XVFB_PID=$!
for _ in $(seq 100); do
    [[ -s $TSHARK_HOME/display ]] && break
    sleep 0.1
done
export DISPLAY=:$(head -1 "$TSHARK_HOME/display")

# open CAPTURE WINDOW-NAME ARGS...: starts Wireshark, waits for the window, and
# makes it fill the screen.
open() {
    local capture name=$2
    capture=$(tshark_file "$ROOT/captures/$1")
    shift 2
    stop_wireshark
    wireshark_unpriv "$DISPLAY" -C Scantrace -r "$capture" "$@" >"$TSHARK_HOME/wireshark.log" 2>&1 &
    WS_PID=$!
    WIN=$(timeout 90 xdotool search --sync --name "$name" | head -1) || die "no window '$name'"
    xdotool windowmove "$WIN" 0 0 windowsize "$WIN" 1280 900
    sleep 3
}
shot() { # NAME: the whole display
    "$PYTHON" -c 'import sys; from PIL import ImageGrab; ImageGrab.grab(xdisplay=sys.argv[1]).quantize(256).save(sys.argv[2], optimize=True)' \
        "$DISPLAY" "$OUT/$1.png"
    echo "wrote docs/tutorial/$1.png"
}
mkdir -p "$OUT"

# 1. The scan, coloured by verdict, with the profile's columns.
open syn-scan.pcapng '^syn-scan\.pcapng$'
shot 01-scan

# 2. A probe and its reply, their scantrace trees opened: Wireshark goes to the
#    frame (-g); a click in the packet details pane gives it the keys, End
#    selects its last item (the scantrace tree: a postdissector comes last),
#    Shift+Right opens it with its subtrees, and End then Up select a line of
#    it, whose bytes the bytes pane highlights.
details() { # UPS: select the line UPS above the tree's last one
    xdotool mousemove 200 500 click 1
    sleep 0.5
    xdotool key End shift+Right
    sleep 0.5
    xdotool key End
    for _ in $(seq "$1"); do xdotool key Up; done
    sleep 1
}
# Frame 11, the SYN to 22/tcp: the tag, 13 lines above the last (its expert
# info, 4 lines; cookie checks, cookie, and the tag's seven fields).
open syn-scan.pcapng '^syn-scan\.pcapng$' -g 11
details 13
shot 02-probe
# Frame 12, its SYN-ACK: the cookie it acknowledges, 9 lines above the last
# (two expert infos, the port's verdict note among them; cookie checks).
open syn-scan.pcapng '^syn-scan\.pcapng$' -g 12
details 9
shot 03-reply

# 3. Only the filtered ports: the filter typed in the display filter bar
#    (Ctrl+/) once the file is read. (Given with -Y on the command line it is
#    applied while the file is first read, before silence is known: the
#    no-response ports would be missing.)
open syn-scan.pcapng '^syn-scan\.pcapng$'
xdotool key ctrl+slash
sleep 0.5
xdotool type --delay 20 'scantrace.verdict == "filtered"'
xdotool key Return
sleep 2
shot 04-filtered

# 4. The port table of nmap's default scan of the lab.
open nmap-default-syn.pcapng '^nmap-default-syn\.pcapng$' -z scantrace,table
TABLE=$(timeout 60 xdotool search --sync --name "Scantrace Ports" | head -1) || die "no table"
xdotool windowmove "$TABLE" 200 150 windowsize "$TABLE" 900 520
sleep 2
shot 05-ports
