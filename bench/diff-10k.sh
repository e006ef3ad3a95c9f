#!/usr/bin/env bash
# Benchmark: `campc diff OLD NEW` of two generated packages of 10,000
# campaigns each (one per file), the first 1,000 made from one template
# whose reward differs between the two (so 1,000 campaigns change), against
# one `campc check NEW`, in release. Runs alternate (check, diff, check,
# diff, …) so that a change in the machine's load falls on both; prints the
# median wall time of each and the ratio diff / check.
#
#   bench/diff-10k.sh [RUNS] [CAMPAIGNS]
#
# Not a test: timings depend on the machine and what else it is doing.
set -euo pipefail
runs=${1:-7}
campaigns=${2:-10000}
cd "$(dirname "$0")/.."

cargo build --release -q -p campc --bin campc --example generate_diff_pair
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/examples/generate_diff_pair "$work" "$campaigns"
campc=./target/release/campc
changed=$("$campc" diff "$work/old" "$work/new" --format json | grep -c '"status": "changed"' || true)
echo "campaigns per side: $campaigns; changed in meaning: $changed"

sync
for warm in 1 2; do "$campc" check "$work/new" >/dev/null || true; "$campc" diff "$work/old" "$work/new" >/dev/null || true; done

wall() { # the wall time of one run of "$@", in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m}'; }

: >"$work/check.txt"
: >"$work/diff.txt"
for run in $(seq 1 "$runs"); do
  wall "$campc" check "$work/new" >>"$work/check.txt"
  wall "$campc" diff "$work/old" "$work/new" >>"$work/diff.txt"
done
check=$(median <"$work/check.txt")
diff=$(median <"$work/diff.txt")
printf 'check NEW:    median %s s wall over %d runs\n' "$check" "$runs"
printf 'diff OLD NEW: median %s s wall over %d runs\n' "$diff" "$runs"
printf 'diff / check: %.2f\n' "$(echo "$diff / $check" | bc -l)"
