# shellcheck shell=bash
# Helpers of the plugin_foreign_*.sh tests: other tools' own reports as
# "HOST PROTO PORT STATE REASON" lines, the plugin's view of who scanned, and
# captures made in the lab. Source after tests/lib/tshark.sh and verdicts.sh.

die() { echo "FAIL: $*" >&2; exit 1; }
# shellcheck source=tests/lib/capture.sh
. "$(dirname "${BASH_SOURCE[0]}")/capture.sh"

# foreign_start NAME COMMAND...: skips the test (77) where a command it needs is
# missing (a Wireshark chroot has no nmap, say); else makes $WORK, readable by
# the unprivileged tshark, sets tshark up and cleans both up at exit.
foreign_start() {
    local name=$1 cmd
    shift
    for cmd in dumpcap "$@"; do
        command -v "$cmd" >/dev/null || { echo "SKIP: no $cmd (scripts/setup.sh installs it)"; exit 77; }
    done
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/plugin-$name.XXXXXX")
    chmod 755 "$WORK"
    tshark_setup
    trap 'rm -rf "$WORK"; _tshark_cleanup' EXIT
    export WORK SCANTRACE_SOURCE_DIR
}

# plugin_tools CAPTURE: "TOOL SCAN" for every probe the plugin labels, counted
# ("12 nmap syn").
plugin_tools() {
    tshark_unpriv -r "$(tshark_file "$1")" -2 -Y 'scantrace.role == "probe"' -T fields \
        -E separator=' ' -e scantrace.tool -e scantrace.scan | sort | uniq -c |
        sed 's/^ *//'
}

# plugin_hosts CAPTURE: "HOST up REASON" per probed host (IPv4 or IPv6), from
# the first reply that said something to any of its host discovery probes.
plugin_hosts() {
    tshark_unpriv -r "$(tshark_file "$1")" -2 -Y 'scantrace.role == "response" && scantrace.host' \
        -T fields -e scantrace.target -e scantrace.target6 -e scantrace.host -e scantrace.reason |
        awk -F'\t' '{print ($1 != "" ? $1 : $2), $3, $4}' | awk '!seen[$1]++' | sort
}

# lab_capture NAME CMD...: inside the lab's scanner namespace, CMD run while
# dumpcap writes $WORK/NAME.pcapng on the scanner's interface.
lab_capture() {
    local name=$1
    shift
    CAPTURE_SETTLE=0.5 capture_around "$WORK/$name.pcapng" "" "$@" >"$WORK/$name.out" 2>&1
}
