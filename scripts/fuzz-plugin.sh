#!/usr/bin/env bash
# Fuzzes the plugin the way Wireshark's own fuzz test (tools/fuzz-test.sh)
# does: mutants of every capture in captures/, made with editcap -E (bytes
# changed at random) and, one in three, editcap -s (every packet cut to a
# random snapshot length), read by tshark with the plugin (-2, every field
# printed, the port table), as an unprivileged user (tests/lib/tshark.sh).
# tshark starts slowly, so mutants go in groups of GROUP, one file each
# (mergecap -a); a group that crashes tshark is kept for a rerun.
#
#   scripts/fuzz-plugin.sh [MUTANTS]      # default 20000; CTest runs 300
#
# Env: SCANTRACE_PLUGIN (default build/plugin/scantrace.so), SEED (default
# random; printed), JOBS (default: cores), GROUP (default 100), KEEP (folder for
# crashing groups, default fuzz-crashes/ in the build folder of the plugin).
# SCANTRACE_SANITIZED=1 with a -DSCANTRACE_SANITIZE=ON plugin: tshark runs with
# ASan and UBSan, and any report fails (leaks are not checked: tshark's own
# exit leaks would drown them, and plugin_expected checks ours).
# Exit status 0 only with no crash and no sanitizer report.
set -euo pipefail
SCANTRACE_SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export SCANTRACE_SOURCE_DIR
MUTANTS=${1:-20000}
SEED=${SEED:-$RANDOM$RANDOM}
JOBS=${JOBS:-$(nproc)}
GROUP=${GROUP:-100}
SCANTRACE_PLUGIN=${SCANTRACE_PLUGIN:-$SCANTRACE_SOURCE_DIR/build/plugin/scantrace.so}
KEEP=${KEEP:-$(dirname "$SCANTRACE_PLUGIN")/../fuzz-crashes}
export SCANTRACE_PLUGIN TSHARK_LEAKS=0

for tool in editcap mergecap capinfos; do
    command -v "$tool" >/dev/null || { echo "fuzz-plugin: no $tool (apt-get install wireshark-common)" >&2; exit 1; }
done
# shellcheck source=tests/lib/tshark.sh
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
tshark_setup
# As Wireshark's fuzz test: a dissector bug or a runaway tree aborts tshark.
TSHARK_SANITIZER_ENV+=(WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 WIRESHARK_ABORT_ON_TOO_MANY_ITEMS=1)

mapfile -t captures < <(ls "$SCANTRACE_SOURCE_DIR"/captures/*.pcap "$SCANTRACE_SOURCE_DIR"/captures/*.pcapng 2>/dev/null)
((${#captures[@]})) || { echo "fuzz-plugin: no captures in captures/" >&2; exit 1; }
WORK=$TSHARK_HOME/fuzz
mkdir -p "$WORK"
groups=$(((MUTANTS + GROUP - 1) / GROUP))
start=$SECONDS

# make_group N: mutants N*GROUP .. of the captures in turn, merged into one file.
make_group() {
    local g=$1 dir=$WORK/g$1 i first=$(($1 * GROUP)) files=()
    mkdir -p "$dir"
    for ((i = first; i < first + GROUP && i < MUTANTS; i++)); do
        local src=${captures[i % ${#captures[@]}]} out=$dir/m$i.pcapng
        # Wireshark's fuzz test's error probabilities, and cuts; seeded so a
        # run can be made again.
        local probs=(0.005 0.01 0.02 0.05 0.1) seed=$((SEED + i))
        local args=(-E "${probs[seed % 5]}" --seed "$seed")
        ((seed % 3 == 0)) && args+=(-s $((14 + seed % 120)))
        editcap -F pcapng "${args[@]}" "$src" "$out" >/dev/null 2>&1 && files+=("$out")
    done
    mergecap -a -F pcapng -w "$dir/group.pcapng" "${files[@]}" 2>/dev/null
    rm -f "${files[@]}"
    chmod -R a+rX "$dir"
}

# run_group N: tshark over group N; prints "crash N STATUS" when it dies.
run_group() {
    local g=$1 dir=$WORK/g$1 status=0
    make_group "$g"
    tshark_unpriv -r "$dir/group.pcapng" -2 -V -z scantrace,ports -q >/dev/null 2>"$dir/stderr" ||
        status=$?
    # 0: read; 2: a capture cut short, which editcap -s makes on purpose.
    if ((status >= 128 || status == 1)) || grep -qiE 'ERROR: AddressSanitizer|runtime error|dissector bug' "$dir/stderr"; then
        mkdir -p "$KEEP"
        cp "$dir/group.pcapng" "$KEEP/seed$SEED-group$g.pcapng"
        echo "crash $g $status $(grep -m1 -E 'ERROR|runtime error|dissector bug' "$dir/stderr" || true)"
    fi
    rm -rf "$dir"
}

# Workers take the groups in turn.
worker() {
    local w=$1 g
    for ((g = w; g < groups; g += JOBS)); do run_group "$g"; done
}
for ((w = 0; w < JOBS; w++)); do worker "$w" >"$WORK/worker$w.log" 2>&1 & done
wait
crashes=$(cat "$WORK"/worker*.log | grep -c '^crash' || true)
cat "$WORK"/worker*.log | grep '^crash' || true
echo "fuzz-plugin: $MUTANTS mutants of ${#captures[@]} captures (seed $SEED) in $groups tshark runs," \
    "$((SECONDS - start)) s: $crashes crashes"
# Sanitizer reports, if any, are judged when this shell exits (tshark.sh).
((crashes == 0))
