# shellcheck shell=bash
# Runs tshark with the scantrace plugin as an unprivileged user. Source it:
#
#   . tests/lib/tshark.sh
#   tshark_setup
#   tshark_unpriv -r "$(tshark_file capture.pcapng)" -T fields -e scantrace.verdict
#
# tshark ignores personal plugin folders and WIRESHARK_PLUGIN_DIR when run as root,
# which CI is, so the plugin is copied into the personal plugin folder of a fresh
# HOME and tshark runs there as nobody. Capture files must be readable by nobody:
# tshark_file copies one into that HOME and prints the copy's path.
#
# SCANTRACE_PLUGIN: the built plugin (CTest sets it; by hand the default is
# build/plugin/scantrace.so under SCANTRACE_SOURCE_DIR, or the current folder).
#
# SCANTRACE_SANITIZED=1: the plugin is a -DSCANTRACE_SANITIZE=ON (gcc) build.
# Debian's tshark has no sanitizer runtime, and ASan must be the first library
# of the process, so tshark runs with the plugin's libasan preloaded, and:
#  - WIRESHARK_EXTCAP_DIR names an empty folder. tshark starts its extcap helpers
#    (androiddump, ...), which inherit LD_PRELOAD; under it androiddump hangs at
#    exit, in p11-kit's destructor (freelocale() waits on glibc's locale lock),
#    and tshark waits for it forever. tshark honours the variable only when run
#    unprivileged, which it is here.
#  - WIRESHARK_DEBUG_WMEM_OVERRIDE=simple and G_SLICE=always-malloc make every
#    wmem and GSlice allocation a malloc of its own, so that ASan sees an overrun
#    that would otherwise stay inside a pool block.
#  - Reports go to files, judged when the test exits (the EXIT trap): any ASan or
#    UBSan report fails the test, and so does a leak whose memory our own code
#    allocated (the first frame past malloc, GLib and wmem is ours); tshark has
#    leaks of its own at exit. Finding that frame needs the slow unwinder (GLib
#    has no frame pointers), which makes tshark ~3 times slower: a test running
#    tshark hundreds of times sets TSHARK_LEAKS=0 before tshark_setup.
#  - Most of that cost is tshark's start (every dissector's registration
#    allocates, ~3.5 s of unwinding a pass), and a test reads one capture many
#    times, with another filter or field list each time. So the leak check
#    (TSHARK_LEAKS=1, the default) runs on the first pass of each kind over each
#    capture: the same bytes (cksum) and the same options but for -Y, -R, -e, -E
#    and -T fields, which only choose what is shown of the frames the plugin
#    dissected (the words and tree items it adds for them live in the packet's
#    own pool). A pass with another -o, -z, -2, -q, -V, -T or -X is another kind.
#    Every pass still runs under ASan and UBSan. tshark_setup's -G plugins is not
#    leak-checked: every checked pass registers the plugin the same way. A pass
#    reading a pipe (-r -) is always checked. TSHARK_LEAKS=all checks every pass.
#    A test that reads many captures of one scan (plugin_linktypes.sh) has them
#    leak-checked read as one file, then calls tshark_leaks_done.

TSHARK_HOME=
TSHARK_USER=nobody
TSHARK_GROUP=nogroup
TSHARK_SANITIZER_ENV=()
# Under the leak check once per kind of pass (see above): the file of the kinds
# already checked, and ASAN_OPTIONS for the passes after.
TSHARK_LEAKS_SEEN=
TSHARK_ASAN_NO_LEAKS=
TSHARK_LEAKS_DONE=
# The command run: scripts/benchmark.sh puts GNU time in front of tshark, and
# wireshark_unpriv runs the GUI the same way.
TSHARK_PROGRAM=(tshark)

_tshark_die() {
    echo "tshark.sh: $*" >&2
    exit 1
}

# Prints the sanitizer reports that fail the test (see above).
_tshark_sanitizer_reports() {
    local f
    for f in "$TSHARK_HOME"/sanitizer/*; do
        [[ -e $f ]] || continue
        if grep -q 'ERROR: LeakSanitizer: detected memory leaks' "$f" &&
            ! grep -qE 'ERROR: AddressSanitizer|runtime error' "$f"; then
            awk -v src="${SCANTRACE_SOURCE_DIR:-/nonexistent}/" '
                function flush() { if (mine) print block "\n"; block = ""; mine = judged = 0 }
                /^(Direct|Indirect) leak of / { flush(); block = $0; next }
                block != "" && /^ *#[0-9]+ / {
                    block = block "\n" $0
                    if (!judged && $0 !~ /libsanitizer|libasan|libglib-2\.0|libwsutil/) {
                        judged = 1
                        mine = index($0, src) || index($0, "scantrace.so")
                    }
                    next
                }
                { flush() }
                END { flush() }' "$f"
        else
            cat "$f"
        fi
    done
}

_tshark_cleanup() {
    [[ -n $TSHARK_HOME && -d $TSHARK_HOME ]] || return 0
    local reports=
    [[ -d $TSHARK_HOME/sanitizer ]] && reports=$(_tshark_sanitizer_reports || true)
    rm -rf -- "$TSHARK_HOME"
    TSHARK_HOME=
    if [[ -n $reports ]]; then
        printf 'FAIL: sanitizer reports from tshark with the plugin:\n%s\n' "$reports"
        exit 1
    fi
}

# Fills TSHARK_SANITIZER_ENV for a sanitized PLUGIN (see above).
_tshark_sanitizer_setup() {
    local plugin=$1 asan leaks=detect_leaks=0
    asan=$(ldd "$plugin" | awk '$1 ~ /^libasan\.so/ { print $3 }')
    [[ -r $asan ]] || _tshark_die "SCANTRACE_SANITIZED=1, but $plugin is not linked with libasan"
    mkdir -p "$TSHARK_HOME/sanitizer" "$TSHARK_HOME/extcap"
    # exitcode=0: tshark's own leaks must not change its exit status; errors abort.
    local options="log_path=$TSHARK_HOME/sanitizer/asan:abort_on_error=1:exitcode=0"
    case ${TSHARK_LEAKS:-1} in
    0) ;;
    1 | all)
        leaks=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=8
        if [[ ${TSHARK_LEAKS:-1} == 1 ]]; then
            TSHARK_LEAKS_SEEN=$TSHARK_HOME/leaks-checked
            TSHARK_ASAN_NO_LEAKS="$options:detect_leaks=0"
            : >"$TSHARK_LEAKS_SEEN"
            _tshark_leak_check_wanted -G plugins >/dev/null || true
        fi
        ;;
    *) _tshark_die "TSHARK_LEAKS=${TSHARK_LEAKS}: 0, 1 or all" ;;
    esac
    TSHARK_SANITIZER_ENV=(LD_PRELOAD="$asan"
        ASAN_OPTIONS="$options:$leaks"
        UBSAN_OPTIONS="log_path=$TSHARK_HOME/sanitizer/ubsan:print_stacktrace=1:abort_on_error=1"
        WIRESHARK_EXTCAP_DIR="$TSHARK_HOME/extcap"
        WIRESHARK_DEBUG_WMEM_OVERRIDE=simple G_SLICE=always-malloc)
}

# _tshark_leak_check_wanted ARGS...: whether a pass with these tshark arguments
# is the first of its kind (see above), noting it as checked. Status 0: check it.
_tshark_leak_check_wanted() {
    local key=() shown=0 sum
    [[ ${TSHARK_PROGRAM[*]} == tshark ]] || key+=("${TSHARK_PROGRAM[@]}")
    while (($#)); do
        case $1 in
        -r)
            [[ $# -ge 2 && -f $2 ]] || return 0
            sum=$(cksum <"$2") || return 0
            key+=(-r "$sum")
            shift 2
            continue
            ;;
        -Y | -R | -e | -E)
            shown=1
            shift
            (($#)) && shift
            continue
            ;;
        -T)
            if [[ ${2:-} == fields ]]; then
                shown=1
                shift 2
                continue
            fi
            ;;
        esac
        key+=("$1")
        shift
    done
    sum=$(printf '%s\0' "$shown" "${key[@]}" | cksum)
    grep -qxF -- "$sum" "$TSHARK_LEAKS_SEEN" 2>/dev/null && return 1
    echo "$sum" >>"$TSHARK_LEAKS_SEEN"
}

# tshark_leaks_done: the passes so far were leak-checked over every code path
# the test reaches (its captures read merged as one, say): under TSHARK_LEAKS=1
# no pass after is. Call it in the test's own shell, not in a subshell.
tshark_leaks_done() {
    [[ -n $TSHARK_LEAKS_SEEN ]] && TSHARK_LEAKS_DONE=1
    return 0
}

# Makes the HOME, checks that tshark loads the plugin from it, and removes the
# HOME when the shell exits (an EXIT trap). Call it once, in the test's own shell,
# before the others (they may run in $(...) subshells).
tshark_setup() {
    [[ -n $TSHARK_HOME ]] && return 0
    local plugin=${SCANTRACE_PLUGIN:-${SCANTRACE_SOURCE_DIR:-.}/build/plugin/scantrace.so}
    [[ -r $plugin ]] || _tshark_die "no plugin at $plugin (set SCANTRACE_PLUGIN)"
    command -v tshark >/dev/null || _tshark_die "tshark is not installed"
    command -v setpriv >/dev/null || _tshark_die "setpriv (util-linux) is not installed"
    local version
    version=$(tshark --version 2>/dev/null | sed -n '1s/.* \([0-9][0-9]*\.[0-9][0-9]*\)\.[0-9].*/\1/p')
    [[ -n $version ]] || _tshark_die "cannot tell the tshark version"

    TSHARK_HOME=$(mktemp -d /tmp/scantrace-tshark.XXXXXX)
    trap _tshark_cleanup EXIT
    local dir=$TSHARK_HOME/.local/lib/wireshark/plugins/$version/epan
    mkdir -p "$dir" "$TSHARK_HOME/captures"
    cp -- "$plugin" "$dir/scantrace.so"
    [[ ${SCANTRACE_SANITIZED:-0} == 1 ]] && _tshark_sanitizer_setup "$plugin"
    chmod -R a+rX "$TSHARK_HOME"
    if [[ $EUID -eq 0 ]]; then
        chown -R "$TSHARK_USER:$TSHARK_GROUP" "$TSHARK_HOME"
    else
        TSHARK_USER= # already unprivileged: run tshark directly
    fi

    local listed
    listed=$(tshark_unpriv -G plugins 2>&1) || _tshark_die "tshark -G plugins failed: $listed"
    grep -q 'scantrace\.so' <<<"$listed" ||
        _tshark_die "tshark did not load the plugin from $dir:"$'\n'"$listed"
}

# tshark_unpriv ARGS...: tshark as nobody, with the plugin.
tshark_unpriv() {
    tshark_unpriv_home "$TSHARK_HOME" "$@"
}

# tshark_unpriv_home HOME ARGS...: the same with another HOME, readable by nobody.
tshark_unpriv_home() {
    [[ -n $TSHARK_HOME ]] || _tshark_die "call tshark_setup first"
    local home=$1
    shift
    local status=0 no_leaks=()
    # A kind of pass already leak-checked: env takes the last ASAN_OPTIONS.
    if [[ -n $TSHARK_LEAKS_SEEN ]] && { [[ -n $TSHARK_LEAKS_DONE ]] || ! _tshark_leak_check_wanted "$@"; }; then
        no_leaks=(ASAN_OPTIONS="$TSHARK_ASAN_NO_LEAKS")
    fi
    if [[ -n $TSHARK_USER ]]; then
        setpriv --reuid="$TSHARK_USER" --regid="$TSHARK_GROUP" --clear-groups \
            env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" LC_ALL=C.UTF-8 \
            "${TSHARK_SANITIZER_ENV[@]}" "${no_leaks[@]}" "${TSHARK_PROGRAM[@]}" "$@" || status=$?
    else
        env HOME="$home" "${TSHARK_SANITIZER_ENV[@]}" "${no_leaks[@]}" "${TSHARK_PROGRAM[@]}" "$@" ||
            status=$?
    fi
    # A sanitizer error aborts tshark. UBSan, loaded with the plugin, ignores
    # log_path and reports on stderr only; record the abort for the EXIT trap,
    # even when the caller looks at tshark's output only.
    if ((status >= 128)) && [[ -d $TSHARK_HOME/sanitizer ]]; then
        echo "tshark $* died of signal $((status - 128)) (the report is on its stderr)" \
            >>"$TSHARK_HOME/sanitizer/signals"
    fi
    return "$status"
}

# wireshark_unpriv DISPLAY ARGS...: Wireshark's GUI the same way, on an X display.
wireshark_unpriv() {
    local display=$1 runtime=$TSHARK_HOME/runtime
    shift
    mkdir -p -m 700 "$runtime"
    [[ -n $TSHARK_USER ]] && chown "$TSHARK_USER:$TSHARK_GROUP" "$runtime"
    local TSHARK_PROGRAM=(env DISPLAY="$display" XDG_RUNTIME_DIR="$runtime" wireshark)
    tshark_unpriv "$@"
}

# tshark_file PATH: a copy of the capture that tshark_unpriv can read.
tshark_file() {
    [[ -n $TSHARK_HOME ]] || _tshark_die "call tshark_setup first"
    local copy
    copy=$TSHARK_HOME/captures/$(basename -- "$1")
    if [[ ! $1 -ef $copy ]]; then
        cp -- "$1" "$copy" || _tshark_die "cannot copy $1"
    fi
    chmod a+r "$copy"
    echo "$copy"
}
