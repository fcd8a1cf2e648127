#!/usr/bin/env bash
# `cmake --install` puts the plugin where Wireshark looks, and Wireshark loads it
# from there. Both ways are staged under a temporary folder:
#  - as root, without --prefix (DESTDIR stages it): Wireshark's global plugin
#    folder, pkg-config's plugindir for the Wireshark we built against + /epan;
#    tshark, run in a mount namespace where the staged folder is bind-mounted
#    on the real global one, lists the plugin from the global folder;
#  - as a user, --prefix ~/.local (HOME is a temporary folder): that user's
#    personal folder, ~/.local/lib/wireshark/plugins/X.Y/epan; tshark, as
#    nobody with that HOME, lists it from there.
# The scanner goes to PREFIX/bin either way.
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
prefix=$(awk -F= '/^CMAKE_INSTALL_PREFIX:/ { print $2 }' "$BUILD/CMakeCache.txt")

# As root, the build's own prefix: the global folder.
DESTDIR=$work/global cmake --install "$BUILD" >"$work/global.log" 2>&1 ||
    { cat "$work/global.log"; fail "cmake --install failed"; }
[[ -f $work/global$global/scantrace.so ]] ||
    fail "prefix $prefix: the plugin is not in Wireshark's global folder $global:"$'\n'"$(find "$work/global" -type f)"
[[ -x $work/global$prefix/bin/scantrace ]] || fail "prefix $prefix: no $prefix/bin/scantrace"
! grep -q '\.local' "$work/global.log" || fail "the global install touched a personal folder"
echo "ok   cmake --install (prefix $prefix): $global/scantrace.so, $prefix/bin/scantrace"

# Root's tshark loads the global folder (and only it); the staged folder stands
# in for the real one in a mount namespace of its own.
unshare_args=(--mount --propagation private)
((EUID == 0)) || unshare_args+=(--map-root-user)
# shellcheck disable=SC2016
listed=$(unshare "${unshare_args[@]}" bash -c 'mount --bind "$1" "$2" && shift 2 && exec env "$@" tshark -G plugins' \
    _ "$work/global$global" "$global" "${TSHARK_SANITIZER_ENV[@]}" 2>&1) ||
    fail "tshark in a mount namespace: $listed"
grep -qF "$global/scantrace.so" <<<"$listed" ||
    fail "tshark does not load $global/scantrace.so:"$'\n'"$listed"
echo "ok   tshark loads $global/scantrace.so"

# As a user, --prefix ~/.local: the personal folder.
mkdir -p "$work/home"
HOME=$work/home cmake --install "$BUILD" --prefix "$work/home/.local" >"$work/personal.log" 2>&1 ||
    { cat "$work/personal.log"; fail "cmake --install --prefix ~/.local failed"; }
personal=$work/home/.local/lib/wireshark/plugins/$version/epan/scantrace.so
[[ -f $personal ]] || fail "--prefix ~/.local: not in the personal folder"$'\n'"$(find "$work/home" -type f)"
[[ -x $work/home/.local/bin/scantrace ]] || fail "--prefix ~/.local: no ~/.local/bin/scantrace"
chmod -R a+rX "$work"
listed=$(tshark_unpriv_home "$work/home" -G plugins)
grep -qF "$personal" <<<"$listed" || fail "tshark does not load $personal:"$'\n'"$listed"
echo "ok   cmake --install --prefix ~/.local: tshark (as nobody) loads ~/.local/lib/wireshark/plugins/$version/epan/scantrace.so"
echo ok
