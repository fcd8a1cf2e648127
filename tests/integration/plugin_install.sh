#!/usr/bin/env bash
# cmake --install puts the plugin where Wireshark looks: its global folder with
# Wireshark's own prefix, the installing user's personal folder otherwise; and
# tshark loads it from there.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PLUGIN=${SCANTRACE_PLUGIN:-$SCANTRACE_SOURCE_DIR/build/plugin/scantrace.so}
BUILD=$(cd "$(dirname "$PLUGIN")/.." && pwd)
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"

fail() {
    echo "FAIL: $*"
    exit 1
}

tshark_setup
work=$(mktemp -d /tmp/scantrace-install.XXXXXX)
trap 'rm -rf -- "$work"; _tshark_cleanup' EXIT
version=$(pkg-config --modversion wireshark | cut -d. -f1,2)
global=$(pkg-config --variable=plugindir wireshark)/epan
prefix=$(pkg-config --variable=prefix wireshark)

mkdir -p "$work/home"
HOME=$work/home cmake --install "$BUILD" --component plugin --prefix "$work/prefix" >/dev/null
personal=$work/home/.local/lib/wireshark/plugins/$version/epan/scantrace.so
[[ -f $personal ]] || fail "private prefix: not in the personal folder"
[[ ! -e $work/prefix ]] || fail "private prefix: something went under the prefix"

DESTDIR=$work/dest cmake --install "$BUILD" --component plugin --prefix "$prefix" >/dev/null
[[ -f $work/dest$global/scantrace.so ]] || fail "prefix $prefix: not in $global"

# tshark finds the personal install (as nobody: root ignores personal folders).
chmod -R a+rX "$work"
listed=$(tshark_unpriv_home "$work/home" -G plugins)
grep -qF "$personal" <<<"$listed" || fail "tshark does not load $personal"
echo ok
