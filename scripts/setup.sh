# Sourced by the top-level commands: installs what a fresh Debian 12 machine lacks
# and builds the project into $SCANTRACE_BUILD (default build/).
# shellcheck shell=bash

SCANTRACE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCANTRACE_BUILD=${SCANTRACE_BUILD:-$SCANTRACE_ROOT/build}

# Debian packages the build, the lab and the tests use.
SCANTRACE_PACKAGES=(
    cmake gcc clang make pkg-config
    libglib2.0-dev libpcap-dev libwireshark-dev wireshark-dev tshark
    iproute2 nftables util-linux libxml2-utils nmap
    # nmap's report differ, which the merged shard reports must satisfy (scanner_shards).
    ndiff
    # setcap, for the scanner run as an ordinary user (scanner_privileges).
    libcap2-bin
    # Other tools' scans, and ordinary traffic, for the plugin_foreign_* tests.
    masscan zmap curl openssl openssh-client openssh-server bind9-dnsutils python3
    # Captures of real-world kinds, built offline (tests/real-world/make_captures.py).
    python3-scapy
    # Wireshark's GUI on a virtual display, driven as a user would (plugin_gui).
    wireshark-qt xvfb xdotool xclip
    # The Debian package (cpack -G DEB: dpkg-shlibdeps) and its man page check (package_deb).
    dpkg-dev groff-base
)

setup_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || {
            echo "scantrace: missing packages (${missing[*]}); install them as root" >&2
            return 1
        }
        sudo=(sudo)
    fi
    echo "scantrace: installing ${missing[*]}" >&2
    "${sudo[@]}" apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
        "${missing[@]}" >&2
}

# The build's chatter goes to $SCANTRACE_BUILD/build.log, shown only on failure.
setup_build() {
    mkdir -p "$SCANTRACE_BUILD"
    local log=$SCANTRACE_BUILD/build.log
    { cmake -S "$SCANTRACE_ROOT" -B "$SCANTRACE_BUILD" "$@" &&
        cmake --build "$SCANTRACE_BUILD" -j "$(nproc)"; } >"$log" 2>&1 ||
        { cat "$log" >&2; echo "scantrace: the build failed (log: $log)" >&2; return 1; }
}
