# shellcheck shell=bash
# dumpcap on the lab scanner's interface around a command, for the scripts a
# test runs inside the lab (tests/lab/lab.sh run: $LAB_IFACE is set there).
#
#   capture_around FILE FILTER CMD...
#
# runs CMD while dumpcap writes FILE (FILTER: a capture filter, "" for every
# frame), once dumpcap captures (dumpcap_ready) and CAPTURE_START seconds more
# (default 0); after CMD, waits CAPTURE_SETTLE seconds (default 0.2) for the
# last replies and teardowns, then stops dumpcap. dumpcap's messages go to
# FILE.log. Returns CMD's status.
#
#   dumpcap_ready LOG
#
# waits (10 s at most) until the dumpcap whose stderr goes to LOG captures:
# it prints "File: NAME" once its packet socket is bound with the filter
# attached and the file's header written. Its "Capturing on" line comes before
# it opens the interface at all (strace shows the order): a scan started on
# that line lost its first probes on a busy machine. Returns 1, with the log,
# if dumpcap never gets there.
dumpcap_ready() {
    local log=$1
    for _ in $(seq 200); do
        grep -qs "^File: " "$log" && return 0
        sleep 0.05
    done
    echo "dumpcap did not start capturing: $(cat "$log" 2>/dev/null)" >&2
    return 1
}
capture_around() {
    local file=$1 filter=$2 pid rc=0
    shift 2
    local args=(-i "$LAB_IFACE" -q -w "$file")
    [[ -n $filter ]] && args+=(-f "$filter")
    dumpcap "${args[@]}" 2>"$file.log" &
    pid=$!
    dumpcap_ready "$file.log" || { kill -INT "$pid"; wait "$pid" || true; return 1; }
    sleep "${CAPTURE_START:-0}"
    "$@" || rc=$?
    sleep "${CAPTURE_SETTLE:-0.2}"
    kill -INT "$pid"
    wait "$pid" || true
    return "$rc"
}
