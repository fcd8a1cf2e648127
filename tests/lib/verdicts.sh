# shellcheck shell=bash
# Verdicts as comparable lines, whoever gave them: an nmap-format XML report
# (scantrace's or nmap's) or the plugin reading a capture. Source it;
# verdicts_from_capture needs tests/lib/tshark.sh set up.

# Walks the XML's tags; prints "HOST PROTO PORT STATE REASON" per port (what=ports),
# the ports folded into <extraports> ("Not shown: 993 closed tcp ports (reset)")
# included, "HOST STATE REASON" per host (what=hosts), the same with the
# reply's TTL (what=hostlines), or "HOST MAC" (what=macs).
_xml_walk() {
    awk -v what="$1" 'BEGIN { RS = "<" }
        function attr(name,   m) {
            if (!match($0, "[[:space:]]" name "=\"[^\"]*\""))
                return ""
            m = substr($0, RSTART, RLENGTH)
            sub(/^[^"]*"/, "", m)
            sub(/"$/, "", m)
            return m
        }
        /^status / { hstate = attr("state"); hreason = attr("reason"); httl = attr("reason_ttl") }
        /^address / && (attr("addrtype") == "ipv4" || attr("addrtype") == "ipv6") {
            host = attr("addr")
            if (what == "hosts") print host, hstate, hreason
            if (what == "hostlines") print host, hstate, hreason (httl != "" && httl != "0" ? " ttl " httl : "")
        }
        /^address / && attr("addrtype") == "mac" && what == "macs" { print host, attr("addr") }
        /^extraports / { folded = attr("state") }
        # -sO folds protocols under proto="n/a" (nmap 7.93, output.cc) where its
        # <port> elements say protocol="ip": one key for both, or a join drops them.
        /^extrareasons / && what == "ports" {
            fproto = attr("proto") == "n/a" ? "ip" : attr("proto")
            n = split(attr("ports"), ranges, ",")
            for (i = 1; i <= n; i++) {
                lo = hi = ranges[i]
                if (index(ranges[i], "-")) { split(ranges[i], r, "-"); lo = r[1]; hi = r[2] }
                for (p = lo + 0; p <= hi + 0; p++) print host, fproto, p, folded, attr("reason")
            }
        }
        /^port / { proto = attr("protocol"); port = attr("portid") }
        /^state / && what == "ports" { print host, proto, port, attr("state"), attr("reason") }' "$2" |
        sort -u
}

# verdicts_from_xml FILE: "HOST PROTO PORT STATE REASON" per port, sorted.
verdicts_from_xml() { _xml_walk ports "$1"; }

# hosts_from_xml FILE: "HOST STATE REASON" per host, sorted.
hosts_from_xml() { _xml_walk hosts "$1"; }

# host_lines_from_xml FILE: "HOST STATE REASON[ ttl N]" per host, sorted: what
# nmap's "Host is up, received echo-reply ttl 64" line says (no TTL where nmap
# gives 0: an ARP answer, no answer).
host_lines_from_xml() { _xml_walk hostlines "$1"; }

# macs_from_xml FILE: "HOST MAC" per host with a MAC address, sorted (nmap
# writes the host's IP address first, then its MAC address).
macs_from_xml() { _xml_walk macs "$1"; }

# verdicts_from_capture CAPTURE [TSHARK-ARGS...]: the plugin's final verdict for
# every port a probe in the capture touched, "HOST PROTO PORT STATE REASON", sorted;
# HOST is scantrace.target or, for an IPv6 target, scantrace.target6.
verdicts_from_capture() {
    local capture=$1
    shift
    tshark_unpriv -r "$(tshark_file "$capture")" -2 "$@" \
        -Y 'scantrace.role == "probe" && scantrace.port' -T fields \
        -e scantrace.target -e scantrace.target6 -e scantrace.proto -e scantrace.port \
        -e scantrace.verdict -e scantrace.reason |
        awk -F'\t' '{print ($1 != "" ? $1 : $2), $3, $4, $5, $6}' | sort -u
}

# explain_missing WANT GOT CAPTURE: for a failed comparison, what the capture
# holds of each port WANT lists and GOT lacks (its frames, read with -2, one
# line each), and what dumpcap said of drops (CAPTURE.log, capture.sh), so
# that a rare miss tells a frame the capture lost from one the plugin misread.
# Returns 0 when the capture holds no frame at all of any such port (the
# plugin had nothing to read), 1 when it holds some (the plugin's fault).
explain_missing() {
    local want=$1 got=$2 capture=$3 proto port frames lost=0
    while read -r _ proto port _; do
        [[ $proto == tcp || $proto == udp || $proto == sctp ]] || { lost=1; continue; }
        frames=$(tshark_unpriv -r "$(tshark_file "$capture")" -2 -Y "$proto.port == $port" 2>&1)
        if [[ -z $frames ]]; then
            echo "  the capture's frames of $proto port $port: none"
        else
            echo "  the capture's frames of $proto port $port:"
            sed 's/^/    /' <<<"$frames"
            lost=1
        fi
    done < <(comm -23 "$want" "$got")
    [[ -f $capture.log ]] && grep -h "dropped" "$capture.log" | sed 's/^/  dumpcap: /'
    return $lost
}

# compare_with_capture WHAT WANT GOT CAPTURE: "ok"/"FAIL WHAT" as diff -u WANT
# GOT says, but a line of WANT whose port has no frame in CAPTURE (dumpcap lost
# them: nothing for the plugin to read; explain_missing shows it) is left out
# of the comparison with a note (a miss the plugin had frames for fails,
# listed by explain_missing). Sets fail=1 on a failure.
compare_with_capture() {
    local what=$1 want=$2 got=$3 capture=$4
    if ! cmp -s "$want" "$got" && [[ -z $(comm -13 "$want" "$got") ]] &&
        explain_missing "$want" "$got" "$capture"; then
        echo "note $what: the capture holds no frame of the ports above; compared without them"
        comm -12 "$want" "$got" >"$want.captured"
        want=$want.captured
    fi
    if diff -u "$want" "$got"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}
