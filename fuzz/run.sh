#!/usr/bin/env bash
# Fuzzes one target for a number of minutes, then minimizes its corpus:
#
#   fuzz/run.sh compile 10        # or ir_load, lsp_edits
#
# Needs a nightly toolchain (`rustup toolchain install nightly`); installs
# cargo-fuzz if it is missing. Builds with debug assertions and overflow
# checks (as the test suite runs) and without a sanitizer: the code is safe
# Rust, and a sanitizer halves the executions. `SANITIZER=address` turns
# one back on. A crash is written to fuzz/artifacts/TARGET/ and stops the
# run: fix it, keep the file (the replay test runs it from then on), run
# again. Prints the figures for fuzz/README.md at the end.
set -euo pipefail
target=${1:?usage: fuzz/run.sh TARGET MINUTES}
minutes=${2:?usage: fuzz/run.sh TARGET MINUTES}
cd "$(dirname "$0")"

toolchain=${FUZZ_TOOLCHAIN:-nightly}
sanitizer=${SANITIZER:-none}
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

mkdir -p "corpus/$target" "artifacts/$target"
crashes_before=$(find "artifacts/$target" -type f | wc -l)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# An input that takes over 10 s is reported (as a timeout), not waited for.
status=0
cargo "+$toolchain" fuzz run --sanitizer "$sanitizer" --debug-assertions "$target" "corpus/$target" -- \
  -max_total_time=$((minutes * 60)) -timeout=10 -dict="$PWD/camp.dict" -print_final_stats=1 \
  2>&1 | tee "$log" || status=$?

# Keep the corpus small enough to commit (and to replay in the test suite):
# a greedy set cover of every edge reached, hit counts aside (with
# counters, or with libFuzzer's default merge, it stays several times
# larger).
cargo "+$toolchain" fuzz cmin --sanitizer "$sanitizer" --debug-assertions "$target" "corpus/$target" \
  -- -set_cover_merge=1 -use_counters=0 >/dev/null 2>&1
# ir_load: most inputs libFuzzer keeps are not JSON at all and stop in
# serde_json's parser; they come back within seconds of any run (over
# 10,000 runs a second), so only inputs that are JSON are kept.
if [ "$target" = ir_load ]; then
  for file in corpus/ir_load/*; do
    python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read())' "$file" 2>/dev/null || rm -f "$file"
  done
fi

executions=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
seconds=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | grep -o '[0-9]* second' | grep -o '[0-9]*' || echo "?")
crashes=$(($(find "artifacts/$target" -type f | wc -l) - crashes_before))
echo "fuzz $target: $executions executions in ${seconds}s (asked for $minutes min), $crashes new crash file(s) in fuzz/artifacts/$target, corpus now $(find "corpus/$target" -type f | wc -l) files ($(du -sh "corpus/$target" | cut -f1))"
exit "$status"
