#!/usr/bin/env bash
# Speed and memory figures, each against its peer measured in the same run on the
# same machine, so the ratios mean something where absolute times do not:
#  - the scanner against nmap: the same SYN scans of the built-in lab's target
#    (1000 ports and all 65535), wall-clock time and peak memory (max RSS);
#    and the floor under both, the probes a second the lab's link takes
#    (tests/bench/veth_floor: prebuilt SYNs to every port, 64 a sendmmsg());
#    and a sweep of LAB_SWEEP_HOSTS lab hosts (default 64) x the top 1000
#    ports by both with -T4, each report held to the lab's truth port by port
#    (tests/lib/sweep_check.py; a mismatch is printed loudly);
#  - the plugin against tshark's own dissectors: the capture of the 65535-port
#    scan read by tshark -2 making the -z table, filtering on a verdict and
#    printing every verdict, each beside tshark doing the like with a built-in
#    tree, filter or field while the scantrace dissector is disabled;
#  - the port table of a large sweep (nmap -sS of SWEEP_HOSTS hosts, default
#    4096, x 10 ports, made offline by scripts/make-sweep-capture.py) against
#    -z ip_hosts,tree, the same way;
#  - what the plugin, on by default, costs on captures that hold no scan: the
#    same tshark -2 -Y (trees built, as in the GUI) with and without it, over
#    ORDINARY_PACKETS (default 1,000,000) packets of web and DNS traffic and
#    DNS_PACKETS (default 600,000) of DNS queries each from a flow of its own,
#    made offline by scripts/make-ordinary-capture.py.
# Each figure is the median of RUNS runs (default 3). Nothing here passes or fails.
#
#   scripts/benchmark.sh          (as root: the lab needs raw sockets)
#   SCANNER_ONLY=1 scripts/benchmark.sh   the scanner's rows alone
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "$0")/setup.sh"
cd "$SCANTRACE_ROOT"

setup_packages "${SCANTRACE_PACKAGES[@]}" time
setup_build
export SCANTRACE_BIN=$SCANTRACE_BUILD/scanner/scantrace
export SCANTRACE_PLUGIN=$SCANTRACE_BUILD/plugin/scantrace.so
export LAB_LISTENER=$SCANTRACE_BUILD/tests/lab/lab_listener
export VETH_FLOOR=$SCANTRACE_BUILD/tests/bench/veth_floor
export SCANTRACE_SOURCE_DIR=$SCANTRACE_ROOT
export RUNS=${RUNS:-3}
export LAB_SWEEP_HOSTS=${LAB_SWEEP_HOSTS:-64}
scanner_only=${SCANNER_ONLY:-0}
# shellcheck source=tests/lib/tshark.sh
. tests/lib/tshark.sh

BENCH=$(mktemp -d "${TMPDIR:-/tmp}/scantrace-bench.XXXXXX")
chmod 755 "$BENCH"
trap 'rm -rf "$BENCH"' EXIT
export BENCH

# measure NAME CMD...: one run of CMD, its "seconds max-rss-KiB" appended to
# $BENCH/NAME.runs (GNU time). Exported for the lab's inner shell.
measure() {
    local name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$BENCH/$name.one" "$@" >/dev/null 2>"$BENCH/$name.err" ||
        { echo "benchmark: $name failed:"; cat "$BENCH/$name.err"; return 1; } >&2
    cat "$BENCH/$name.one" >>"$BENCH/$name.runs"
}
export -f measure
# sweep_check NAME REPORT: the report against the lab's sweep truth; a
# mismatch goes to $BENCH/NAME.wrong, said at the end.
sweep_check() {
    python3 tests/lib/sweep_check.py "$2" "$LAB_SWEEP_TRUTH" >"$BENCH/$1.check" ||
        cat "$BENCH/$1.check" >>"$BENCH/$1.wrong"
}
export -f sweep_check
# median NAME: the median run's "seconds KiB" (each column on its own).
median() {
    local col
    for col in 1 2; do
        awk -v c="$col" '{print $c}' "$BENCH/$1.runs" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
    done | paste -sd' '
}

# Inside the lab's scanner namespace; -n and the default host discovery (ARP)
# for both, as a user would type them.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
for run in $(seq "$RUNS"); do
    "$VETH_FLOOR" "$LAB_SCANNER_IP" "$LAB_TARGET_IP" 1 64 | cut -d" " -f2 >>"$BENCH/floor.runs"
    measure scantrace-1000 "$SCANTRACE_BIN" -sS -n -p 1-1000 "$LAB_TARGET_IP"
    measure nmap-1000 nmap -sS -n -p 1-1000 "$LAB_TARGET_IP"
    measure scantrace-all "$SCANTRACE_BIN" -sS -n -p- -w "$BENCH/all.pcapng" "$LAB_TARGET_IP"
    measure nmap-all nmap -sS -n -p- "$LAB_TARGET_IP"
    measure scantrace-sweep "$SCANTRACE_BIN" -sS -n -T4 -oX "$BENCH/sweep-scantrace.xml" "$LAB_SWEEP_TARGETS"
    sweep_check scantrace-sweep "$BENCH/sweep-scantrace.xml"
    measure nmap-sweep nmap -sS -n -T4 -oX "$BENCH/sweep-nmap.xml" "$LAB_SWEEP_TARGETS"
    sweep_check nmap-sweep "$BENCH/sweep-nmap.xml"
done
'
echo "benchmark: scanning the lab, $RUNS runs of each scan" >&2
bash tests/lab/lab.sh run -- bash -c "$inner" >"$BENCH/lab.log" 2>&1 ||
    { cat "$BENCH/lab.log" >&2; exit 1; }

if ((scanner_only == 0)); then
    echo "benchmark: reading the 65535-port capture with tshark, $RUNS runs of each" >&2
    tshark_setup
    capture=$(tshark_file "$BENCH/all.pcapng")
    packets=$(capinfos -M -c "$BENCH/all.pcapng" | awk '/Number of packets/ {print $NF}')
    tshark_timed() { # NAME TSHARK-ARGS...
        local name=$1
        shift
        : >"$TSHARK_HOME/time.one"
        chmod 666 "$TSHARK_HOME/time.one"
        local TSHARK_PROGRAM=(/usr/bin/time -f "%e %M" -o "$TSHARK_HOME/time.one" tshark)
        tshark_unpriv "$@" >/dev/null 2>"$BENCH/$name.err" ||
            { echo "benchmark: $name failed:"; cat "$BENCH/$name.err"; exit 1; } >&2
        cat "$TSHARK_HOME/time.one" >>"$BENCH/$name.runs"
    }
    # Each peer is tshark doing the like with a built-in dissector or tree, the
    # scantrace dissector disabled.
    for _ in $(seq "$RUNS"); do
        tshark_timed table -r "$capture" -2 -q -z scantrace,ports
        tshark_timed table-peer -r "$capture" -2 -q -z ip_hosts,tree --disable-protocol scantrace
        tshark_timed filter -r "$capture" -2 -q -Y 'scantrace.verdict == "filtered"'
        tshark_timed filter-peer -r "$capture" -2 -q -Y 'tcp.flags.syn == 1' \
            --disable-protocol scantrace
        tshark_timed fields -r "$capture" -2 -T fields -e scantrace.verdict
        tshark_timed fields-peer -r "$capture" -2 -T fields -e tcp.flags.str \
            --disable-protocol scantrace
    done

    sweep_hosts=${SWEEP_HOSTS:-4096}
    echo "benchmark: writing a sweep of $sweep_hosts hosts x 10 ports (scapy, offline)" >&2
    python3 scripts/make-sweep-capture.py "$BENCH/sweep.pcap" "$sweep_hosts" 10
    chmod 644 "$BENCH/sweep.pcap"
    sweep=$(tshark_file "$BENCH/sweep.pcap")
    sweep_packets=$(capinfos -M -c "$BENCH/sweep.pcap" | awk '/Number of packets/ {print $NF}')
    for _ in $(seq "$RUNS"); do
        tshark_timed sweep -r "$sweep" -2 -q -z scantrace,ports
        tshark_timed sweep-peer -r "$sweep" -2 -q -z ip_hosts,tree --disable-protocol scantrace
    done

    ordinary_packets=${ORDINARY_PACKETS:-1000000}
    dns_packets=${DNS_PACKETS:-600000}
    echo "benchmark: writing $ordinary_packets packets of web and DNS traffic and $dns_packets of DNS (offline)" >&2
    python3 scripts/make-ordinary-capture.py "$BENCH/ordinary.pcap" "$ordinary_packets" web
    python3 scripts/make-ordinary-capture.py "$BENCH/dns.pcap" "$dns_packets" dns
    chmod 644 "$BENCH/ordinary.pcap" "$BENCH/dns.pcap"
    ordinary=$(tshark_file "$BENCH/ordinary.pcap")
    dns=$(tshark_file "$BENCH/dns.pcap")
    for _ in $(seq "$RUNS"); do
        tshark_timed ordinary -r "$ordinary" -2 -q -Y 'dns || http'
        tshark_timed ordinary-peer -r "$ordinary" -2 -q -Y 'dns || http' --disable-protocol scantrace
        tshark_timed dns -r "$dns" -2 -q -Y dns
        tshark_timed dns-peer -r "$dns" -2 -q -Y dns --disable-protocol scantrace
    done
fi

row() { # LABEL NAME PEER-NAME
    local t m pt pm
    [[ -s $BENCH/$2.runs && -s $BENCH/$3.runs ]] || return 0
    read -r t m <<<"$(median "$2")"
    read -r pt pm <<<"$(median "$3")"
    awk -v l="$1" -v t="$t" -v m="$m" -v pt="$pt" -v pm="$pm" 'BEGIN {
        printf "%-44s %7.2f s %8.1f MiB   %7.2f s %8.1f MiB   %6.2f  %6.2f\n",
            l, t, m / 1024, pt, pm / 1024, (pt > 0 ? t / pt : 0), (pm > 0 ? m / pm : 0) }'
}
printf '\nscantrace %s, nmap %s, tshark %s; %s cores, load average %s; median of %s runs\n\n' \
    "$("$SCANTRACE_BIN" --version | awk 'NR == 1 {print $2}')" \
    "$(nmap --version | awk 'NR == 1 {print $3}')" \
    "$(tshark --version | sed -n '1s/^TShark (Wireshark) \([0-9.]*\).*/\1/p')" "$(nproc)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$RUNS"
printf '%-44s %-22s %-22s %s\n' "" "THIS" "PEER" "RATIO (time, memory)"
row "scantrace -sS -p 1-1000   vs nmap" scantrace-1000 nmap-1000
row "scantrace -sS -p-         vs nmap" scantrace-all nmap-all
row "sweep $LAB_SWEEP_HOSTS hosts x top 1000, -T4 vs nmap" scantrace-sweep nmap-sweep
row "tshark -2 -z scantrace,ports vs -z ip_hosts,tree" table table-peer
row "tshark -2 -Y scantrace.verdict vs -Y tcp.flags" filter filter-peer
row "tshark -2 -e scantrace.verdict vs -e tcp.flags" fields fields-peer
row "sweep: -z scantrace,ports vs -z ip_hosts,tree" sweep sweep-peer
row "web+DNS: -2 -Y 'dns || http', plugin on/off" ordinary ordinary-peer
row "DNS, a flow each: -2 -Y dns, plugin on/off" dns dns-peer
floor=$(sort -g "$BENCH/floor.runs" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
printf '\nThe lab'"'"'s link takes %s SYN probes a second (veth_floor, 64 a sendmmsg()): %.2f s for 65535.\n' \
    "$floor" "$(awk -v f="$floor" 'BEGIN {print (f > 0 ? 65535 / f : 0)}')"
((scanner_only)) ||
    printf 'The 65535-port capture holds %s packets, the sweep of %s hosts %s, the web and DNS\ncapture %s, the DNS one %s. ' \
        "${packets:-?}" "$sweep_hosts" "${sweep_packets:-?}" "$ordinary_packets" "$dns_packets"
printf 'A ratio below 1 means faster or smaller than the peer.\n'
for name in scantrace-sweep nmap-sweep; do
    if [[ -s $BENCH/$name.wrong ]]; then
        printf '\n*** MISMATCH: %s was wrong on the sweep (against the lab truth):\n' "${name%-sweep}"
        cat "$BENCH/$name.wrong"
    else
        printf '%s was right on every port of the sweep (%s).\n' "${name%-sweep}" "$(tail -1 "$BENCH/$name.check" | sed 's/^sweep_check: //')"
    fi
done
