#!/usr/bin/env bash
# The Debian package, built from the tree with CPack (`cpack -G DEB` in the
# build folder), holds the scanner, the plugin in Wireshark's global plugin
# folder, the man page, bash completion and the Scantrace profile; depends on
# the libwireshark it was built against; and its maintainer scripts give raw
# sockets to the group scantrace (statoverride root:scantrace 0750 + setcap
# cap_net_raw), as wireshark-common does for dumpcap. Building it must not touch
# the machine's own folders. Lists the contents.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PLUGIN=${SCANTRACE_PLUGIN:-$SCANTRACE_SOURCE_DIR/build/plugin/scantrace.so}
BUILD=$(cd "$(dirname "$PLUGIN")/.." && pwd)

fail() {
    echo "FAIL: $*"
    exit 1
}
for cmd in cpack dpkg-deb dpkg-shlibdeps; do
    command -v "$cmd" >/dev/null || { echo "SKIP: no $cmd (scripts/setup.sh installs dpkg-dev)"; exit 77; }
done

work=$(mktemp -d /tmp/scantrace-deb.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
global=$(pkg-config --variable=plugindir wireshark)/epan
before=$(ls -l "$global" 2>/dev/null || true)

(cd "$BUILD" && cpack -G DEB -B "$work") >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/scantrace_*.deb)
[[ $(ls -l "$global" 2>/dev/null || true) == "$before" ]] || fail "building the package changed $global"

contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
echo "$contents"
for path in ./usr/bin/scantrace "./usr/${global#/usr/}/scantrace.so" ./usr/share/man/man1/scantrace.1.gz \
    ./usr/share/bash-completion/completions/scantrace ./usr/share/wireshark/profiles/Scantrace/colorfilters \
    ./usr/share/wireshark/profiles/Scantrace/preferences; do
    grep -qxF "$path" <<<"$contents" || fail "the package lacks $path"
done
! grep -qE '^\./(root|home|tmp)/' <<<"$contents" || fail "the package holds a personal folder"

control=$(dpkg-deb -f "$deb")
grep -qE '^Depends:.*libwireshark[0-9]+' <<<"$control" || fail "no dependency on libwireshark:"$'\n'"$control"
dpkg-deb -e "$deb" "$work/control"
grep -q 'dpkg-statoverride --update --add root scantrace 0750' "$work/control/postinst" &&
    grep -q 'setcap cap_net_raw+ep' "$work/control/postinst" || fail "postinst gives no raw sockets to the group"
grep -q 'dpkg-statoverride --remove' "$work/control/postrm" || fail "postrm leaves the statoverride"
# The man page reads cleanly.
dpkg-deb -x "$deb" "$work/root"
if command -v groff >/dev/null; then
    warnings=$(zcat "$work/root/usr/share/man/man1/scantrace.1.gz" | groff -man -Tutf8 -ww 2>&1 >/dev/null)
    [[ -z $warnings ]] || fail "man page warnings: $warnings"
fi
bash -n "$work/root/usr/share/bash-completion/completions/scantrace" || fail "completion script"
echo "ok   $(basename "$deb"): $(wc -l <<<"$contents") entries; $(grep '^Depends:' <<<"$control")"
