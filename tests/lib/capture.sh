# shellcheck shell=bash
# dumpcap on the lab scanner's interface around a command, for the scripts a
# test runs inside the lab (tests/lab/lab.sh run: $LAB_IFACE is set there).
#
#   capture_around FILE FILTER CMD...
#
# runs CMD while dumpcap writes FILE (FILTER: a capture filter, "" for every
# frame), once dumpcap says it captures and CAPTURE_START seconds more
# (default 0.2: dumpcap prints "Capturing on" a little before its first frame,
# and a capture that missed a scan's first probes failed tests on a busy
# machine); after CMD, waits CAPTURE_SETTLE
# seconds (default 0.2) for the last replies and teardowns, then stops
# dumpcap. dumpcap's messages go to FILE.log. Returns CMD's status.
capture_around() {
    local file=$1 filter=$2 pid rc=0
    shift 2
    local args=(-i "$LAB_IFACE" -q -w "$file")
    [[ -n $filter ]] && args+=(-f "$filter")
    dumpcap "${args[@]}" 2>"$file.log" &
    pid=$!
    for _ in $(seq 100); do
        grep -q "Capturing on" "$file.log" 2>/dev/null && break
        sleep 0.05
    done
    sleep "${CAPTURE_START:-0.2}"
    "$@" || rc=$?
    sleep "${CAPTURE_SETTLE:-0.2}"
    kill -INT "$pid"
    wait "$pid" || true
    return "$rc"
}
