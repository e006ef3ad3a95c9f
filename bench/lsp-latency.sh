#!/usr/bin/env bash
# Editor latency (issue 15, item 3): the language server's edit → diagnostics
# time on the two cases of `lsp/examples/latency.rs` (10,000 campaigns one
# per file, and one file of 3,000 lines), for one or two builds of that
# example.
#
#   bench/lsp-latency.sh [OLD_LATENCY] [RUNS]
#
# 1. Wall time: RUNS runs of each binary, alternating (old, new, old, …) so
#    that a change in the machine's load falls on both; each run prints its
#    p50/p95/p99. Take the median of each column.
# 2. Instructions per edit on the 10k package, with callgrind: the run with
#    ROUNDS=25 edits minus the run with ROUNDS=5, over 20 (the package's
#    load and first check cancel out); and on the 3,000-line file, the
#    instructions inside `recheck` over its 201 calls (the open and 200
#    edits). Far less sensitive to other load than wall time.
#
# OLD_LATENCY is a build of the example from an older commit, e.g.
#   git worktree add /tmp/old OLD && (cd /tmp/old &&
#     cargo build --release -p camp-lsp --example latency)
#   bench/lsp-latency.sh /tmp/old/target/release/examples/latency
set -euo pipefail
old=${1:-}
runs=${2:-3}
cd "$(dirname "$0")/.."

cargo build --release -q -p camp-lsp --example latency
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp target/release/examples/latency "$work/new"
binaries=(new)
if [ -n "$old" ]; then
  cp "$old" "$work/old"
  binaries=(old new)
fi

for run in $(seq "$runs"); do
  for binary in "${binaries[@]}"; do
    echo "== $binary, run $run"
    "$work/$binary" 10k-files 3000-lines | grep -E 'file\(s\)|edit →'
  done
done

if ! command -v valgrind >/dev/null; then
  echo "valgrind not found: no instruction counts"
  exit 0
fi
total() { grep -o 'Collected : [0-9]*' "$1" | grep -o '[0-9]*$'; }
for binary in "${binaries[@]}"; do
  for rounds in 5 25; do
    ROUNDS=$rounds valgrind --tool=callgrind --dump-instr=no \
      --callgrind-out-file="$work/$binary-$rounds.out" "$work/$binary" 10k-files \
      >/dev/null 2>"$work/$binary-$rounds.log"
  done
  per_edit=$(( ($(total "$work/$binary-25.log") - $(total "$work/$binary-5.log")) / 20 ))
  valgrind --tool=callgrind --dump-instr=no --toggle-collect='*Server*recheck*' \
    --callgrind-out-file="$work/$binary-3000.out" "$work/$binary" 3000-lines \
    >/dev/null 2>"$work/$binary-3000.log"
  per_check=$(( $(total "$work/$binary-3000.log") / 201 ))
  echo "$binary: $per_edit instructions per edit (10k files), $per_check per check (3,000 lines)"
done
