#!/usr/bin/env bash
# Compare two `campc` binaries on one generated package, back to back:
# runs alternate (A, B, A, B, …) so that a change in the machine's load
# falls on both, and the figures are the median wall time of each and the
# ratio B / A. Then each binary's instruction count (one more run each,
# with perf or valgrind): far less sensitive to other load than wall time.
#
#   bench/compare.sh OLD_CAMPC NEW_CAMPC [RUNS] [CAMPAIGNS]
#
# Build the old binary from an older commit first, e.g.
#   git worktree add /tmp/old OLD && (cd /tmp/old && cargo build --release -p campc)
# The package comes from the NEW tree's generator (`generate_package`), so
# both binaries read the same files.
set -euo pipefail
old=$1
new=$2
runs=${3:-15}
campaigns=${4:-10000}
cd "$(dirname "$0")/.."

cargo build --release -q -p campc --example generate_package
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/examples/generate_package "$work/pkg" "$campaigns"
sync

for warm in 1 2; do "$old" check "$work/pkg" >/dev/null || true; "$new" check "$work/pkg" >/dev/null || true; done

wall() { # prints the wall time of one `check` run in seconds
  local start end
  start=$(date +%s.%N)
  "$1" check "$work/pkg" >/dev/null || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m}'; }

: >"$work/old.txt"
: >"$work/new.txt"
for run in $(seq 1 "$runs"); do
  wall "$old" >>"$work/old.txt"
  wall "$new" >>"$work/new.txt"
done
old_median=$(median <"$work/old.txt")
new_median=$(median <"$work/new.txt")
printf 'campaigns: %d, runs: %d each, interleaved\n' "$campaigns" "$runs"
printf 'old: median %s s wall\n' "$old_median"
printf 'new: median %s s wall\n' "$new_median"
printf 'new / old: %.3f\n' "$(echo "$new_median / $old_median" | bc -l)"

# Instruction counts: perf where the machine exposes the counter, else
# valgrind (callgrind, about 50 times slower, threads serialised).
count() {
  local n=""
  if command -v perf >/dev/null 2>&1; then
    n=$(perf stat -x, -e instructions:u "$1" check "$work/pkg" 2>&1 >/dev/null |
      awk -F, '/instructions/ {print $1}')
  fi
  case $n in
    '' | *[!0-9]*)
      if command -v valgrind >/dev/null 2>&1; then
        n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
          "$1" check "$work/pkg" 2>&1 >/dev/null | awk '/Collected :/ {print $NF}')
      fi ;;
  esac
  echo "$n"
}
old_ins=$(count "$old")
new_ins=$(count "$new")
case "$old_ins$new_ins" in
  '' | *[!0-9]*) echo "instruction counts: no counter on this machine" ;;
  *)
    printf 'old: %s instructions\n' "$old_ins"
    printf 'new: %s instructions\n' "$new_ins"
    printf 'new / old: %.3f\n' "$(echo "$new_ins / $old_ins" | bc -l)" ;;
esac
