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

# foreign_lab INNER: runs the bash script INNER in a lab (tests/lab/lab.sh run),
# its output in $WORK/lab.log; what it leaves in $WORK (other tools' captures and
# reports) is what the test judges. Returns the lab's status.
#
# The other tools' scans are not what the sanitizers test, the plugin reading
# them is: where SCANTRACE_LAB_CACHE names a folder (scripts/run-tests.sh sets
# it), a run without the sanitizers keeps a copy of $WORK after a good lab run in
# a folder of the test's own there, and a run under them (SCANTRACE_SANITIZED=1)
# takes that copy instead of scanning the lab again, when it was made by the
# same test script (INNER and the variables it reads come from there), these
# helpers, the lab and the same tools' versions. With no such copy (a test run
# alone, the run without sanitizers failed) the test scans the lab itself.
foreign_lab() {
    local inner=$1 cache="" key="" name status=0
    name=$(basename -- "$0" .sh)
    if [[ -n ${SCANTRACE_LAB_CACHE:-} ]]; then
        cache=$SCANTRACE_LAB_CACHE/$name
        key=$({
            cat -- "$0" "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh" \
                "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh" "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh"
            printf '%s\n' "$inner"
            local tool
            for tool in nmap masscan zmap dumpcap; do
                command -v "$tool" >/dev/null && "$tool" --version 2>&1 | head -n 2
            done
        } | cksum)
        if [[ ${SCANTRACE_SANITIZED:-0} == 1 && -f $cache/.key && $(<"$cache/.key") == "$key" ]]; then
            cp -a -- "$cache/." "$WORK/"
            rm -f -- "$WORK/.key"
            echo "lab: the captures of the run without sanitizers ($cache)"
            return 0
        fi
    fi
    bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
        status=$?
    if ((status == 0)) && [[ -n $cache && ${SCANTRACE_SANITIZED:-0} != 1 ]]; then
        rm -rf -- "$cache" "$cache.new"
        mkdir -p -- "$cache.new"
        if ! { cp -a -- "$WORK/." "$cache.new/" && echo "$key" >"$cache.new/.key" &&
            mv -- "$cache.new" "$cache"; }; then
            rm -rf -- "$cache.new"
        fi
    fi
    return "$status"
}
