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

TSHARK_HOME=
TSHARK_USER=nobody
TSHARK_GROUP=nogroup

_tshark_die() {
    echo "tshark.sh: $*" >&2
    exit 1
}

_tshark_cleanup() {
    [[ -n $TSHARK_HOME && -d $TSHARK_HOME ]] && rm -rf -- "$TSHARK_HOME"
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
    [[ -n $TSHARK_HOME ]] || _tshark_die "call tshark_setup first"
    if [[ -n $TSHARK_USER ]]; then
        setpriv --reuid="$TSHARK_USER" --regid="$TSHARK_GROUP" --clear-groups \
            env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$TSHARK_HOME" LC_ALL=C.UTF-8 tshark "$@"
    else
        env HOME="$TSHARK_HOME" tshark "$@"
    fi
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
