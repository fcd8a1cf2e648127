#!/usr/bin/env bash
# Runs fuzz_packet FUZZ_RUNS times (default 200000) from seeds made of every
# frame in captures/, the new inputs it finds in a scratch corpus. Any crash or
# sanitizer report fails (libFuzzer writes the input to crash-* and exits 1).
#
#   run_fuzz_packet.sh FUZZ_PACKET SOURCE_DIR
set -euo pipefail
fuzzer=$1 source=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-packet.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$source/tests/fuzz/make_seeds.py" "$work/seeds" "$source"/captures/*.pcap* >/dev/null
mkdir "$work/corpus"
cd "$work"
"$fuzzer" -runs="${FUZZ_RUNS:-200000}" -seed="${FUZZ_SEED:-1}" -max_len=2048 \
    -print_final_stats=1 "$work/corpus" "$work/seeds" 2>&1 | tail -15
