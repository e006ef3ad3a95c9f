#!/usr/bin/env bash
# Benchmark: `campc check` on a generated package of 10,000 campaigns, one
# per file (about 5.6 MB), in release. Prints each run's wall time and peak
# memory (from /usr/bin/time -v) and the median of the runs.
#
#   bench/check-10k.sh [RUNS] [CAMPAIGNS]
#   LINTS=off bench/check-10k.sh      # every lint rule set to `allow`
#
# Not a test: timings depend on the machine and what else it is doing.
# Run it on an idle machine and compare ratios, not absolute numbers.
set -euo pipefail
runs=${1:-10}
campaigns=${2:-10000}
cd "$(dirname "$0")/.."

cargo build --release -q -p campc --bin campc --example generate_package
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/examples/generate_package "$work/pkg" "$campaigns"
if [ "${LINTS:-on}" = off ]; then
  { printf '[package]\nname = "synthetic"\n\n[lints]\n'
    ./target/release/campc rules | awk '{printf "%s = \"allow\"\n", $1}'; } > "$work/pkg/camp.toml"
  echo "lints: all off"
else
  echo "lints: defaults (all on)"
fi

sync   # let the new files reach the disk first: write-back would disturb the runs
for warm in 1 2 3; do ./target/release/campc check "$work/pkg" >/dev/null; done   # warm caches
walls=()
for run in $(seq 1 "$runs"); do
  /usr/bin/time -v ./target/release/campc check "$work/pkg" >/dev/null 2>"$work/time.txt" || true
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, t, ":"); print t[1]*60 + t[2]}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  printf 'run %2d: %.3f s wall, %d MB peak\n' "$run" "$wall" "$((rss / 1024))"
  walls+=("$wall")
done
printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "median: %.3f s wall over %d runs (min %.3f, max %.3f)\n", m, NR, a[1], a[NR]}'
