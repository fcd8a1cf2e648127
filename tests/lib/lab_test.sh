# shellcheck shell=bash
# The start every test that scans the lab shares. Source it first thing, after
# `set -euo pipefail`; it sources tests/lib/tshark.sh and verdicts.sh, and
# defines die (FAIL, exit 1) and skip (SKIP, exit 77, which CTest counts as
# skipped).
#
#   lab_test_start NAME [--tshark] [COMMAND...]
#
# fails without the scanner ($SCANTRACE_BIN, set by CTest), skips where a
# COMMAND it needs is missing (nmap, dumpcap, ...), makes $WORK (readable by
# the unprivileged tshark), with --tshark sets tshark up with the plugin (set
# TSHARK_LEAKS before, as tests/lib/tshark.sh says), and removes both at exit.
# Exports WORK, SCANTRACE_BIN and SCANTRACE_SOURCE_DIR for the lab's inner shell.
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/verdicts.sh"

die() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

lab_test_start() {
    local name=$1 tshark=0 cmd
    shift
    if [[ ${1:-} == --tshark ]]; then
        tshark=1
        shift
    fi
    [[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN (build it, or set SCANTRACE_BIN)"
    for cmd in "$@"; do
        command -v "$cmd" >/dev/null || skip "no $cmd (scripts/setup.sh installs it)"
    done
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
    chmod 755 "$WORK"
    if ((tshark)); then
        tshark_setup
        trap 'rm -rf "$WORK"; _tshark_cleanup' EXIT
    else
        trap 'rm -rf "$WORK"' EXIT
    fi
    export WORK SCANTRACE_BIN SCANTRACE_SOURCE_DIR
}
