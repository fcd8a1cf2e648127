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
# The scanner goes to PREFIX/bin either way, and the Scantrace configuration
# profile beside the plugin: the global profiles folder (PREFIX of Wireshark +
# /share/wireshark/profiles), or ~/.config/wireshark/profiles; tshark -C
# Scantrace then shows its columns (port, verdict, reason, try, RTT), and every
# colouring rule of ours is a valid filter that picks the packets it names.
set -euo pipefail
# Where files go does not change under the sanitizers, and the filters' code is
# the other tests' own: once, in the plain build, is enough (CI time).
if [[ ${SCANTRACE_SANITIZED:-0} == 1 ]]; then
    echo "SKIP: installing is checked in the plain build"
    exit 77
fi
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
profiles=$(pkg-config --variable=prefix wireshark)/share/wireshark/profiles
capture=$(tshark_file "$SCANTRACE_SOURCE_DIR/captures/syn-scan.pcapng")
# tshark -C Scantrace's first line: frame 1, a probe of 113/tcp, closed (reset), try 0.
columns_ok() { grep -qE '^ *1 .* 113 closed reset 0 +TCP \[probe 113/tcp' <<<"$1"; }

# As root, the build's own prefix: the global folder.
DESTDIR=$work/global cmake --install "$BUILD" >"$work/global.log" 2>&1 ||
    { cat "$work/global.log"; fail "cmake --install failed"; }
[[ -f $work/global$global/scantrace.so ]] ||
    fail "prefix $prefix: the plugin is not in Wireshark's global folder $global:"$'\n'"$(find "$work/global" -type f)"
[[ -x $work/global$prefix/bin/scantrace ]] || fail "prefix $prefix: no $prefix/bin/scantrace"
for f in colorfilters preferences; do
    [[ -f $work/global$profiles/Scantrace/$f ]] || fail "prefix $prefix: no $profiles/Scantrace/$f"
done
! grep -q '\.local' "$work/global.log" || fail "the global install touched a personal folder"
echo "ok   cmake --install (prefix $prefix): $global/scantrace.so, $prefix/bin/scantrace"

# Root's tshark loads the global folder (and only it); the staged folder stands
# in for the real one in a mount namespace of its own.
unshare_args=(--mount --propagation private)
((EUID == 0)) || unshare_args+=(--map-root-user)
# A chroot (the Wireshark 4.4 and 4.6 runs of tests/chroot/) has no mount of its
# own to make private: there the global folder is not tried, the rest is.
in_chroot() { [[ $(stat -c %d:%i /) != "$(stat -c %d:%i /proc/1/root/. 2>/dev/null)" ]]; }
if in_chroot && ! unshare "${unshare_args[@]}" true 2>/dev/null; then
    echo "skip loading from the global folder: a chroot has no mount to make private"
else
    # Root's tshark ignores WIRESHARK_EXTCAP_DIR and starts the real extcap helpers,
    # which hang under the sanitizers' LD_PRELOAD: an empty folder hides them too.
    extcap=$(dirname "$(dirname "$(pkg-config --variable=plugindir wireshark)")")/extcap
    empty=$work/no-extcap
    mkdir -p "$empty"
    [[ -d $extcap ]] || extcap=$empty
    # shellcheck disable=SC2016
    listed=$(unshare "${unshare_args[@]}" bash -c 'mount --bind "$1" "$2" && mount --bind "$3" "$4" && shift 4 &&
        exec env "$@" tshark -G plugins' \
        _ "$work/global$global" "$global" "$empty" "$extcap" "${TSHARK_SANITIZER_ENV[@]}" 2>&1) ||
        fail "tshark in a mount namespace: $listed"
    grep -qF "$global/scantrace.so" <<<"$listed" ||
        fail "tshark does not load $global/scantrace.so:"$'\n'"$listed"
    # The global profile: tshark -C copies it into the (here temporary) HOME of the
    # user running it, and reads the capture with its columns.
    mkdir -p "$work/roothome"
    # shellcheck disable=SC2016
    shown=$(unshare "${unshare_args[@]}" bash -c 'mount --bind "$1" "$2" && mount --bind "$3" "$4" &&
        mount --bind "$5" "$6" && shift 6 && exec env HOME="$1" "${@:3}" tshark -C Scantrace -r "$2" -2' \
        _ "$work/global$global" "$global" "$work/global$profiles" "$profiles" "$empty" "$extcap" \
        "$work/roothome" "$capture" \
        "${TSHARK_SANITIZER_ENV[@]}" 2>&1) || fail "tshark -C Scantrace (global): $shown"
    columns_ok "$shown" || fail "the global Scantrace profile's columns are not shown:"$'\n'"$(head -3 <<<"$shown")"
    echo "ok   tshark loads $global/scantrace.so, and -C Scantrace from $profiles"
fi

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
[[ -f $work/home/.config/wireshark/profiles/Scantrace/colorfilters ]] ||
    fail "--prefix ~/.local: no ~/.config/wireshark/profiles/Scantrace"
chown -R "${TSHARK_USER:-$(id -u)}" "$work/home"
shown=$(tshark_unpriv_home "$work/home" -C Scantrace -r "$capture" -2)
columns_ok "$shown" || fail "the personal Scantrace profile's columns are not shown:"$'\n'"$(head -3 <<<"$shown")"

# Each colouring rule of ours compiles, and on the golden captures picks only
# packets of the role or verdict it is named for.
rules=$work/home/.config/wireshark/profiles/Scantrace/colorfilters
n=0
while IFS=@ read -r _ rule filter _; do
    [[ $rule == Scantrace* ]] || continue
    n=$((n + 1))
    tshark_unpriv_home "$work/home" -r "$capture" -2 -Y "$filter" >/dev/null 2>"$work/err" ||
        fail "colouring rule '$rule' is no valid filter: $(cat "$work/err")"
done <"$rules"
((n >= 8)) || fail "only $n Scantrace colouring rules"
check_rule() { # RULE-NAME CAPTURE FIELD WANT: every packet the rule picks has FIELD == WANT
    local filter got
    filter=$(awk -F@ -v r="$1" '$2 == r { print $3; exit }' "$rules")
    got=$(tshark_unpriv_home "$work/home" -r "$(tshark_file "$SCANTRACE_SOURCE_DIR/captures/$2")" -2 \
        -Y "$filter" -T fields -e "$3" | sort -u)
    [[ $got == "$4" ]] || fail "rule '$1' on $2 picks $3 '$got', want '$4'"
}
check_rule "Scantrace teardown" syn-scan.pcapng scantrace.role teardown
check_rule "Scantrace retry" syn-scan.pcapng scantrace.try $'1\n2'
check_rule "Scantrace open" syn-scan.pcapng scantrace.verdict open
check_rule "Scantrace closed" syn-scan.pcapng scantrace.verdict closed
check_rule "Scantrace unfiltered" ack-scan.pcapng scantrace.verdict unfiltered
check_rule "Scantrace filtered" syn-scan.pcapng scantrace.verdict filtered
echo "ok   the Scantrace profile: columns with -C Scantrace, $n colouring rules, each a valid filter"
echo "ok   cmake --install --prefix ~/.local: tshark (as nobody) loads ~/.local/lib/wireshark/plugins/$version/epan/scantrace.so"
echo ok
