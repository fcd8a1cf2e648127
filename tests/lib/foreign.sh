# shellcheck shell=bash
# Helpers of the plugin_foreign_*.sh tests: other tools' own reports as
# "HOST PROTO PORT STATE REASON" lines, the plugin's view of who scanned, and
# captures made in the lab. Source after tests/lib/tshark.sh and verdicts.sh.

# nmap_verdicts FILE: every port of an nmap XML report, the ports nmap folds into
# <extraports> ("Not shown: 993 closed tcp ports (reset)") included, sorted.
nmap_verdicts() {
    awk 'BEGIN { RS = "<" }
        function attr(name,   m) {
            if (!match($0, "[[:space:]]" name "=\"[^\"]*\""))
                return ""
            m = substr($0, RSTART, RLENGTH)
            sub(/^[^"]*"/, "", m)
            sub(/"$/, "", m)
            return m
        }
        /^address / && attr("addrtype") == "ipv4" { host = attr("addr") }
        /^extraports / { state = attr("state") }
        /^extrareasons / {
            n = split(attr("ports"), ranges, ",")
            for (i = 1; i <= n; i++) {
                lo = ranges[i]; hi = ranges[i]
                if (index(ranges[i], "-")) { split(ranges[i], r, "-"); lo = r[1]; hi = r[2] }
                for (p = lo + 0; p <= hi + 0; p++) print host, attr("proto"), p, state, attr("reason")
            }
        }
        /^port / { proto = attr("protocol"); port = attr("portid") }
        /^state / { print host, proto, port, attr("state"), attr("reason") }' "$1" | sort -u
}

# plugin_tools CAPTURE: "TOOL SCAN" for every probe the plugin labels, counted
# ("12 nmap syn").
plugin_tools() {
    tshark_unpriv -r "$(tshark_file "$1")" -2 -Y 'scantrace.role == "probe"' -T fields \
        -E separator=' ' -e scantrace.tool -e scantrace.scan | sort | uniq -c |
        sed 's/^ *//'
}

# plugin_hosts CAPTURE: "HOST up REASON" per probed host, from the first reply
# that said something to any of its host discovery probes.
plugin_hosts() {
    tshark_unpriv -r "$(tshark_file "$1")" -2 -Y 'scantrace.role == "response" && scantrace.host' \
        -T fields -E separator=' ' -e scantrace.target -e scantrace.host -e scantrace.reason |
        awk '!seen[$1]++' | sort
}

# lab_capture NAME CMD...: inside the lab's scanner namespace, CMD run while
# dumpcap writes $WORK/NAME.pcapng on the scanner's interface.
lab_capture() {
    local name=$1
    shift
    dumpcap -i "$LAB_IFACE" -q -w "$WORK/$name.pcapng" 2>"$WORK/$name.dumpcap" &
    local pid=$!
    for _ in $(seq 100); do
        grep -q "Capturing on" "$WORK/$name.dumpcap" 2>/dev/null && break
        sleep 0.05
    done
    local rc=0
    "$@" >"$WORK/$name.out" 2>&1 || rc=$?
    sleep 0.5 # the last replies and teardowns
    kill -INT "$pid"
    wait "$pid" || true
    return "$rc"
}
