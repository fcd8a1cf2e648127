#!/usr/bin/env bash
# Cached, clean Debian chroots carrying newer Wireshark development packages
# (trixie: Wireshark 4.4, sid: 4.6), and a runner that builds/tests a copy of
# the scantrace source inside them. Root only. API differences between the
# Wireshark versions: tests/chroot/API-NOTES.md.
#
#   wireshark-chroot.sh prepare SUITE [--refresh|--rebuild]
#   wireshark-chroot.sh run SUITE [--] [CMD [ARGS...]]   (default CMD: bash)
#   wireshark-chroot.sh status [SUITE...]
#   wireshark-chroot.sh destroy SUITE
#
# SUITE is trixie or sid (any Debian suite name works; those two are tested).
#
# prepare  debootstraps (--variant=minbase) SUITE into $CACHE/SUITE from the
#          Debian mirror the host's apt is configured with, then installs the
#          build/test packages. A ready chroot younger than MAX_AGE_DAYS whose
#          package list has not changed is left alone (fast no-op); an older
#          one is refreshed in place (apt-get update + dist-upgrade);
#          --refresh forces that, --rebuild starts over from debootstrap.
# run      runs CMD as root inside the chroot, in private mount, PID, IPC and
#          (by default) network namespaces: the chroot sees only a loopback
#          interface, and every mount disappears with the namespace even if
#          the runner is killed. Inside:
#            /src       the project source, bind-mounted read-only
#            /build     empty per-run build dir (cwd), removed afterwards,
#                       unless SCANTRACE_CHROOT_BUILD_DIR names a host folder
#            /captures  a copy of $SCANTRACE_CHROOT_CAPTURES, if set
#            /proc /sys(ro) /dev(minimal) /dev/pts /dev/shm /tmp(tmpfs)
#          Exit status is CMD's. Note that tshark run as root ignores
#          personal plugins: drop to a user (setpriv) to test a plugin.
#
# Cache layout: $CACHE/SUITE is the chroot (ready when it holds
# .scantrace-chroot-stamp: date, mirror, package list and versions),
# $CACHE/.debs/SUITE keeps downloaded .debs for rebuilds, $CACHE/.locks has
# the per-suite locks (prepare exclusive, run shared), $CACHE/.runs the
# per-run /build and /captures folders. The mirror serves a frozen archive,
# so apt in a chroot whose Release has Valid-Until (sid) gets
# Acquire::Check-Valid-Until "false"; debootstrap never checks Valid-Until.
#
# Environment:
#   SCANTRACE_CHROOT_CACHE         cache root (default /var/cache/scantrace/chroot)
#   SCANTRACE_CHROOT_MAX_AGE_DAYS  refresh a ready chroot older than this (default 7)
#   SCANTRACE_CHROOT_MIRROR        Debian mirror URI (default: from host apt sources)
#   SCANTRACE_CHROOT_EXTRA_PACKAGES  more packages to install (space separated)
#   SCANTRACE_CHROOT_SRC           source to expose at /src (default: this checkout)
#   SCANTRACE_CHROOT_BUILD_DIR     host folder bind-mounted at /build and kept
#   SCANTRACE_CHROOT_CAPTURES      host folder copied to /captures; inside,
#                                  SCANTRACE_CAPTURES=/captures
#   SCANTRACE_CHROOT_NET           "none" (default: private netns, loopback up)
#                                  or "host" (share the host network)
#   SCANTRACE_CHROOT_PASSENV       names of host variables to pass into CMD
#
# Inside CMD the environment is clean: PATH, HOME=/root, LANG=C.UTF-8, TERM,
# SCANTRACE_CHROOT=SUITE, SCANTRACE_SRC=/src, SCANTRACE_BUILD=/build,
# SCANTRACE_CAPTURES (if any) and the PASSENV variables.
set -euo pipefail

PROG=$(basename "$0")
SELF=$(readlink -f "${BASH_SOURCE[0]}")
HERE=$(dirname "$SELF")

CACHE=${SCANTRACE_CHROOT_CACHE:-/var/cache/scantrace/chroot}
export SCANTRACE_CHROOT_CACHE=$CACHE # for the re-executed inner parts
MAX_AGE_DAYS=${SCANTRACE_CHROOT_MAX_AGE_DAYS:-7}
STAMP_NAME=.scantrace-chroot-stamp
BOOTSTRAPPED_NAME=.scantrace-debootstrap-done
INSTALLED_NAME=.scantrace-installed-packages

# What the plugin build and tests need. build-essential/cmake/pkg-config and
# the -dev packages build it; tshark runs it; clang for the clang CI leg;
# util-linux (setpriv), iproute2 (ip, ss), nftables and procps are what the
# test lab (tests/lab/lab.sh) uses, so the integration tests can run inside.
BASE_PACKAGES="build-essential cmake pkg-config libwireshark-dev wireshark-dev tshark
libglib2.0-dev libpcap-dev clang bash coreutils util-linux iproute2 nftables procps"

log() { printf '[%s] %s\n' "$PROG" "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$SELF"
    exit "${1:-0}"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# step NAME CMD...: run CMD, report how long it took. A failing CMD ends the
# script (set -e); on_exit then reports the step that failed.
STEP_NAME=
STEP_T0=
step() {
    local name=$1 t0
    shift
    t0=$(now)
    log "$SUITE: $name ..."
    STEP_NAME=$name STEP_T0=$t0
    "$@"
    STEP_NAME=
    log "$SUITE: $name done in $(elapsed "$t0")"
}

RUNDIR=
on_exit() {
    local rc=$?
    if [[ -n $STEP_NAME ]]; then
        log "$SUITE: $STEP_NAME FAILED (exit $rc) after $(elapsed "$STEP_T0")"
    fi
    if [[ -n $RUNDIR ]]; then
        rm -rf --one-file-system "$RUNDIR"
    fi
    return "$rc"
}

need_root() { ((EUID == 0)) || die "must run as root (debootstrap, chroot, mounts)"; }

check_suite() {
    [[ ${1:-} =~ ^[a-z][a-z0-9-]*$ ]] || die "bad or missing suite name '${1:-}' (trixie|sid)"
}

# shellcheck disable=SC2086 # word splitting wanted
packages() { echo $BASE_PACKAGES ${SCANTRACE_CHROOT_EXTRA_PACKAGES:-}; }

# --- host apt configuration ------------------------------------------------

# Print "URI KEYRING" of the host's main Debian archive source: the first
# enabled "deb" source with component main whose suites are not
# -security/-updates/-backports. Reads deb822 *.sources and one-line *.list.
host_source() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -r $f ]] || continue
        awk '
            function flush() {
                if (uri != "" && types ~ /(^| )deb( |$)/ && comps ~ /(^| )main( |$)/ &&
                    enabled !~ /^[Nn]o/ && uri !~ /security/) {
                    n = split(suites, s, " ")
                    for (i = 1; i <= n; i++)
                        if (s[i] !~ /-(security|updates|backports|proposed-updates)$/) {
                            print uri, (signed == "" ? "-" : signed); found = 1; exit
                        }
                }
                uri = types = suites = comps = signed = enabled = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            {
                key = tolower($1); sub(/:$/, "", key)
                val = $0; sub(/^[^:]*:[ \t]*/, "", val)
                if (key == "types") types = val
                else if (key == "uris") { split(val, u, " "); uri = u[1] }
                else if (key == "suites") suites = val
                else if (key == "components") comps = val
                else if (key == "signed-by") signed = val
                else if (key == "enabled") enabled = val
            }
            END { if (!found) flush() }
        ' "$f" | head -n1
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -r $f ]] || continue
        awk '
            $1 != "deb" { next }
            {
                i = 2
                if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                uri = $i; suite = $(i + 1); main = 0
                for (j = i + 2; j <= NF; j++) if ($j == "main") main = 1
                if (main && uri !~ /security/ &&
                    suite !~ /-(security|updates|backports|proposed-updates)$/) { print uri, "-"; exit }
            }
        ' "$f" | head -n1
    done
}

resolve_source() {
    local uri keyring
    read -r uri keyring < <(host_source; echo) || true
    if [[ -n ${SCANTRACE_CHROOT_MIRROR:-} ]]; then
        uri=$SCANTRACE_CHROOT_MIRROR
    fi
    [[ -n $uri ]] || die "no Debian 'deb ... main' source found in /etc/apt/sources.list{,.d/*}; set SCANTRACE_CHROOT_MIRROR"
    MIRROR=${uri%/}
    # Signed-By may be a file name or an inline key block; only use a file.
    if [[ ${keyring:--} == /* && -r $keyring ]]; then
        HOST_KEYRING=$keyring
    else
        HOST_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
    fi
    [[ -r $HOST_KEYRING ]] || die "no archive keyring at $HOST_KEYRING (apt-get install debian-archive-keyring)"
}

# --- paths, locks, safety -------------------------------------------------

set_paths() {
    SUITE=$1
    ROOT=$CACHE/$SUITE
    STAMP=$ROOT/$STAMP_NAME
    DEBCACHE=$CACHE/.debs/$SUITE
    LOCKFILE=$CACHE/.locks/$SUITE.lock
}

# lock MODE: -x for prepare/destroy, -s for run. Held until the script exits.
lock() {
    mkdir -p "$CACHE/.locks"
    exec 9>"$LOCKFILE"
    if ! flock -n "$1" 9; then
        log "$SUITE: waiting for the lock on $LOCKFILE ..."
        flock "$1" 9
    fi
}

# Refuse to delete anything while something is mounted below it.
mounts_below() { findmnt -rn -o TARGET | awk -v r="$1" 'index($0, r "/") == 1 || $0 == r'; }

wipe_root() {
    [[ -n $ROOT && $ROOT == "$CACHE"/* && $ROOT != "$CACHE"/.* ]] || die "refusing to wipe '$ROOT'"
    if [[ -n $(mounts_below "$ROOT") ]]; then
        die "refusing to wipe $ROOT, mounts below it: $(mounts_below "$ROOT" | tr '\n' ' ')"
    fi
    rm -rf --one-file-system "$ROOT"
}

# --- namespace helper -------------------------------------------------------

# Inside the private mount namespace: give $ROOT a minimal /dev, /proc, /sys,
# /tmp. Mounts vanish with the namespace; the EXIT trap unmounts them anyway.
INNER_MOUNTS=()
inner_mount() {
    # inner_mount TARGET MOUNT-ARGS...
    local target=$1
    shift
    mount "$@" "$target"
    INNER_MOUNTS=("$target" "${INNER_MOUNTS[@]}")
}
inner_umount_all() {
    local m
    for m in "${INNER_MOUNTS[@]}"; do
        umount -l "$m" 2>/dev/null || true
    done
    INNER_MOUNTS=()
}

inner_setup_base() {
    local n
    mount --make-rprivate /
    trap inner_umount_all EXIT
    inner_mount "$ROOT/proc" -t proc -o nosuid,nodev,noexec proc
    inner_mount "$ROOT/sys" -t sysfs -o ro,nosuid,nodev,noexec sysfs
    inner_mount "$ROOT/dev" -t tmpfs -o mode=755,nosuid,size=4m dev
    for n in null zero full random urandom tty; do
        : >"$ROOT/dev/$n"
        inner_mount "$ROOT/dev/$n" --bind "/dev/$n"
    done
    mkdir -p "$ROOT/dev/pts" "$ROOT/dev/shm"
    inner_mount "$ROOT/dev/pts" -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts
    ln -s pts/ptmx "$ROOT/dev/ptmx"
    inner_mount "$ROOT/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev shm
    ln -s /proc/self/fd "$ROOT/dev/fd"
    ln -s /proc/self/fd/0 "$ROOT/dev/stdin"
    ln -s /proc/self/fd/1 "$ROOT/dev/stdout"
    ln -s /proc/self/fd/2 "$ROOT/dev/stderr"
    inner_mount "$ROOT/tmp" -t tmpfs -o mode=1777,nosuid,nodev tmp
}

chroot_env() {
    local v
    CHROOT_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" SCANTRACE_CHROOT="$SUITE")
    for v in ${SCANTRACE_CHROOT_PASSENV:-}; do
        [[ -v $v ]] && CHROOT_ENV+=("$v=${!v}")
    done
}

# __apt SUITE CMD...: run CMD in the chroot with host network and the
# persistent .deb cache at /var/cache/apt/archives (prepare only).
inner_apt() {
    inner_setup_base
    mkdir -p "$DEBCACHE/partial"
    inner_mount "$ROOT/var/cache/apt/archives" --bind "$DEBCACHE"
    chroot_env
    chroot "$ROOT" /usr/bin/env -i "${CHROOT_ENV[@]}" DEBIAN_FRONTEND=noninteractive "$@"
}

# __run SUITE RUNDIR CMD...
inner_run() {
    local rundir=$1 rc=0
    shift
    inner_setup_base
    if [[ ${SCANTRACE_CHROOT_NET:-none} != host ]]; then
        ip link set lo up
    fi
    mkdir -p "$ROOT/src" "$ROOT/build" "$ROOT/captures"
    inner_mount "$ROOT/src" --bind "$SRC"
    mount -o remount,bind,ro "$ROOT/src"
    inner_mount "$ROOT/build" --bind "$rundir/build"
    if [[ -d $rundir/captures ]]; then
        inner_mount "$ROOT/captures" --bind "$rundir/captures"
    fi
    chroot_env
    CHROOT_ENV+=(SCANTRACE_SRC=/src SCANTRACE_BUILD=/build)
    [[ -d $rundir/captures ]] && CHROOT_ENV+=(SCANTRACE_CAPTURES=/captures)
    chroot "$ROOT" /usr/bin/env -i "${CHROOT_ENV[@]}" \
        /bin/sh -c 'cd /build && exec "$@"' sh "$@" || rc=$?
    inner_umount_all
    return "$rc"
}

# ns_spawn [--net] CMD...: run CMD in fresh mount, PID and IPC (and, with
# --net, network) namespaces; whatever CMD mounts is private to it and goes
# away with it.
NS_PID=
NS_ABORT=
ns_spawn() {
    local net=() rc=0
    if [[ $1 == --net ]]; then
        net=(--net)
        shift
    fi
    # In the background so a signal to this script can be passed on.
    # unshare ignores SIGINT/SIGTERM while it waits, and the namespace's init
    # ignores signals from outside, so the signal becomes SIGKILL for
    # unshare: --kill-child then SIGKILLs init, the whole PID namespace goes
    # and its mount namespace (every mount) with it. fd 3 keeps the real
    # stdin (a background job would get /dev/null).
    NS_PID='' NS_ABORT=''
    trap 'NS_ABORT=1; [[ -z $NS_PID ]] || kill -KILL "$NS_PID" 2>/dev/null || true' INT TERM HUP
    exec 3<&0
    unshare --mount --propagation private --pid --fork --kill-child --ipc "${net[@]}" \
        -- "$@" <&3 3<&- &
    NS_PID=$!
    exec 3<&-
    [[ -z $NS_ABORT ]] || kill -KILL "$NS_PID" 2>/dev/null || true
    wait "$NS_PID" || rc=$?
    while kill -0 "$NS_PID" 2>/dev/null; do
        rc=0
        wait "$NS_PID" || rc=$?
    done
    trap - INT TERM HUP
    NS_PID=
    if [[ -n $NS_ABORT ]]; then
        log "interrupted"
        return 130
    fi
    return "$rc"
}

# in_ns MODE ARGS...: re-exec this script as MODE (__apt, __run) in ns_spawn.
in_ns() {
    local mode=$1 net=()
    shift
    if [[ $mode == __run && ${SCANTRACE_CHROOT_NET:-none} != host ]]; then
        net=(--net)
    fi
    ns_spawn "${net[@]}" "$SELF" "$mode" "$SUITE" "$@"
}

# --- prepare ----------------------------------------------------------------

stamp_packages() { sed -n 's/^packages=//p' "$STAMP" 2>/dev/null; }
stamp_age_days() {
    awk -v m="$(stat -c %Y "$STAMP")" -v n="$(date +%s)" 'BEGIN { printf "%.1f", (n - m) / 86400 }'
}

ensure_debootstrap() {
    command -v debootstrap >/dev/null && return
    step "apt-get install debootstrap (host)" \
        env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap
}

do_debootstrap() {
    mkdir -p "$DEBCACHE" "$(dirname "$ROOT")"
    # debootstrap checks the Release signature with gpgv --ignore-time-conflict
    # and never reads Valid-Until, so an expired sid Release is fine here.
    # In its own mount namespace: the /proc and /sys debootstrap mounts in
    # the target cannot outlive it, even if it is killed.
    ns_spawn debootstrap --variant=minbase --components=main --keyring="$HOST_KEYRING" \
        --cache-dir="$DEBCACHE" "$SUITE" "$ROOT" "$MIRROR"
    touch "$ROOT/$BOOTSTRAPPED_NAME"
}

configure_apt() {
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    [[ -e $ROOT$keyring ]] || keyring=/usr/share/keyrings/debian-archive-keyring.pgp
    if [[ ! -e $ROOT$keyring ]]; then
        # The suite's own keyring package is missing: use the host's keys.
        install -m 644 "$HOST_KEYRING" "$ROOT/usr/share/keyrings/scantrace-host-archive-keyring.gpg"
        keyring=/usr/share/keyrings/scantrace-host-archive-keyring.gpg
    fi
    rm -f "$ROOT/etc/apt/sources.list"
    cat >"$ROOT/etc/apt/sources.list.d/debian.sources" <<EOF
# written by tests/chroot/wireshark-chroot.sh: the host's Debian mirror
Types: deb
URIs: $MIRROR
Suites: $SUITE
Components: main
Signed-By: $keyring
EOF
    cat >"$ROOT/etc/apt/apt.conf.d/90scantrace" <<EOF
// written by tests/chroot/wireshark-chroot.sh
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
Dpkg::Options { "--force-unsafe-io"; };
Dpkg::Use-Pty "false";
EOF
    # The mirror serves a frozen copy of the archive: a suite whose Release
    # carries Valid-Until (sid, not stable trixie) is "expired" for apt.
    if [[ $SUITE == sid ]] || grep -qs '^Valid-Until:' "$ROOT"/var/lib/apt/lists/*Release; then
        echo 'Acquire::Check-Valid-Until "false";' >>"$ROOT/etc/apt/apt.conf.d/90scantrace"
    fi
    # No daemons started by maintainer scripts.
    printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
    chmod 755 "$ROOT/usr/sbin/policy-rc.d"
    # Name resolution for the mirror during prepare.
    cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
    # debootstrap leaves its mirror-specific apt lists behind.
    rm -f "$ROOT"/var/lib/apt/lists/debootstrap.invalid_*
}

write_stamp() {
    local tmp=$STAMP.tmp
    {
        echo "suite=$SUITE"
        echo "mirror=$MIRROR"
        echo "prepared=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "packages=$(packages)"
        # shellcheck disable=SC2016,SC2046
        in_ns __apt sh -c '
            echo "tshark_version=$(tshark --version 2>/dev/null | head -n1)"
            echo "wireshark_pkgconfig=$(pkg-config --modversion wireshark 2>/dev/null)"
            dpkg-query -W -f="pkg \${Package}=\${Version}\n" "$@" "libwireshark[0-9]*" \
                "libwsutil[0-9]*" "libwiretap[0-9]*" gcc 2>/dev/null | sort -u || true
        ' sh $(packages) # word splitting wanted
    } >"$tmp"
    grep -q '^tshark_version=TShark' "$tmp" || { cat "$tmp" >&2; die "tshark does not run in the chroot"; }
    mv "$tmp" "$STAMP"
}

cmd_prepare() {
    local mode=auto t0
    check_suite "${1:-}"
    set_paths "$1"
    shift
    case ${1:-} in
    --refresh) mode=refresh ;;
    --rebuild) mode=rebuild ;;
    "") ;;
    *) die "prepare: unknown option '$1'" ;;
    esac
    need_root
    t0=$(now)
    lock -x
    resolve_source

    if [[ $mode == auto && -f $STAMP ]]; then
        if [[ $(stamp_packages) != "$(packages)" ]]; then
            log "$SUITE: package list changed since the last prepare: refreshing"
            mode=refresh
        elif awk -v a="$(stamp_age_days)" -v m="$MAX_AGE_DAYS" 'BEGIN { exit !(a >= m) }'; then
            log "$SUITE: stamp is $(stamp_age_days) days old (>= $MAX_AGE_DAYS): refreshing"
            mode=refresh
        else
            log "$SUITE: ready ($(sed -n 's/^tshark_version=//p' "$STAMP"), stamp $(stamp_age_days) days old): nothing to do"
            log "$SUITE: prepare took $(elapsed "$t0") in total"
            return 0
        fi
    fi
    if [[ $mode == refresh && ! -f $STAMP ]]; then
        mode=auto
    fi

    if [[ $mode == rebuild || ! -f $ROOT/$BOOTSTRAPPED_NAME ]]; then
        ensure_debootstrap
        [[ -e $ROOT ]] && step "remove old chroot $ROOT" wipe_root
        log "$SUITE: mirror $MIRROR, keyring $HOST_KEYRING"
        step "debootstrap --variant=minbase" do_debootstrap
    fi
    rm -f "$STAMP"
    step "configure apt" configure_apt
    # dpkg --configure -a: finish whatever an interrupted prepare left.
    step "apt-get update" in_ns __apt sh -c 'dpkg --configure -a && apt-get update'
    if [[ $mode == refresh ]]; then
        step "apt-get dist-upgrade" in_ns __apt apt-get -y dist-upgrade
    fi
    # Packages an earlier prepare installed that are no longer wanted become
    # "automatically installed", so autoremove takes them out again.
    local dropped
    dropped=$(comm -23 <(tr ' ' '\n' <"$ROOT/$INSTALLED_NAME" 2>/dev/null | sed '/^$/d' | sort -u) \
        <(packages | tr ' ' '\n' | sort -u) | tr '\n' ' ')
    if [[ -n ${dropped// /} ]]; then
        # shellcheck disable=SC2086
        step "apt-mark auto $dropped" in_ns __apt apt-mark auto $dropped
    fi
    # shellcheck disable=SC2046
    step "apt-get install $(packages | wc -w) packages" in_ns __apt apt-get -y install $(packages)
    packages >"$ROOT/$INSTALLED_NAME"
    step "apt-get autoremove/autoclean" in_ns __apt sh -c 'apt-get -y autoremove --purge && apt-get autoclean'
    write_stamp
    log "$SUITE: ready: $(sed -n 's/^tshark_version=//p' "$STAMP"); pkg-config wireshark $(sed -n 's/^wireshark_pkgconfig=//p' "$STAMP")"
    log "$SUITE: prepare took $(elapsed "$t0") in total"
}

# --- run --------------------------------------------------------------------

cmd_run() {
    local rundir rc=0
    check_suite "${1:-}"
    set_paths "$1"
    shift
    [[ ${1:-} == -- ]] && shift
    (($#)) || set -- bash
    need_root
    lock -s
    [[ -f $STAMP ]] || die "$SUITE chroot is not prepared: run '$PROG prepare $SUITE' first"
    if awk -v a="$(stamp_age_days)" -v m="$MAX_AGE_DAYS" 'BEGIN { exit !(a >= m) }'; then
        log "$SUITE: note: chroot is $(stamp_age_days) days old; '$PROG prepare $SUITE' refreshes it"
    fi
    SRC=$(readlink -f "${SCANTRACE_CHROOT_SRC:-$HERE/../..}")
    [[ -f $SRC/CMakeLists.txt ]] || die "no CMakeLists.txt in source dir $SRC"

    mkdir -p "$CACHE/.runs"
    rundir=$(mktemp -d "$CACHE/.runs/$SUITE.XXXXXX")
    RUNDIR=$rundir # removed by on_exit
    if [[ -n ${SCANTRACE_CHROOT_BUILD_DIR:-} ]]; then
        mkdir -p "$SCANTRACE_CHROOT_BUILD_DIR"
        ln -s "$(readlink -f "$SCANTRACE_CHROOT_BUILD_DIR")" "$rundir/build"
    else
        mkdir "$rundir/build"
    fi
    if [[ -n ${SCANTRACE_CHROOT_CAPTURES:-} ]]; then
        [[ -d $SCANTRACE_CHROOT_CAPTURES ]] || die "SCANTRACE_CHROOT_CAPTURES=$SCANTRACE_CHROOT_CAPTURES is not a folder"
        mkdir "$rundir/captures"
        cp -a "$SCANTRACE_CHROOT_CAPTURES/." "$rundir/captures/"
    fi
    export SRC
    in_ns __run "$rundir" "$@" || rc=$?
    if [[ -n $(mounts_below "$ROOT") ]]; then
        log "$SUITE: warning: mounts left below $ROOT: $(mounts_below "$ROOT" | tr '\n' ' ')"
    fi
    return "$rc"
}

# --- status / destroy --------------------------------------------------------

cmd_status() {
    local s
    # shellcheck disable=SC2046,SC2012
    (($#)) || set -- $(cd "$CACHE" 2>/dev/null && ls -d -- */ 2>/dev/null | tr -d /)
    for s in "$@"; do
        check_suite "$s"
        set_paths "$s"
        if [[ -f $STAMP ]]; then
            printf '%-8s ready, %s days old, %s, pkg-config wireshark %s, %s\n' "$s" "$(stamp_age_days)" \
                "$(sed -n 's/^tshark_version=//p' "$STAMP")" "$(sed -n 's/^wireshark_pkgconfig=//p' "$STAMP")" \
                "$(du -sh --one-file-system "$ROOT" 2>/dev/null | cut -f1)"
        elif [[ -d $ROOT ]]; then
            printf '%-8s incomplete (no stamp): run prepare\n' "$s"
        else
            printf '%-8s absent\n' "$s"
        fi
    done
}

cmd_destroy() {
    check_suite "${1:-}"
    set_paths "$1"
    need_root
    lock -x
    [[ -e $ROOT ]] && step "remove $ROOT" wipe_root
    rm -rf --one-file-system "$DEBCACHE"
}

# --- main ---------------------------------------------------------------------

trap on_exit EXIT
case ${1:-} in
prepare) shift && cmd_prepare "$@" ;;
run) shift && cmd_run "$@" ;;
status) shift && cmd_status "$@" ;;
destroy) shift && cmd_destroy "$@" ;;
__apt) set_paths "$2" && shift 2 && inner_apt "$@" ;;
__run) set_paths "$2" && shift 2 && inner_run "$@" ;;
-h | --help | help) usage 0 ;;
*) usage 1 >&2 ;;
esac
