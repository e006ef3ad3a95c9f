#!/usr/bin/env bash
# Benchmark: `campc build` on a generated package of 10,000 campaigns, one
# per file, in release: a first build into a new `--out`, a rebuild with
# nothing changed, and a rebuild after one campaign's doc comment changed
# (its file and the manifest change). Runs are interleaved between this
# checkout's campc and, with `--baseline`, another campc, and each case's
# median wall time is printed (with the user and system CPU of that run).
#
#   bench/build-10k.sh [--runs N] [--campaigns N] [--baseline PATH] [--campc PATH]
#   bench/build-10k.sh --baseline /work/bench-before/campc-8abb581
#
# Not a test: timings depend on the machine and on what else it is doing
# (creating files is most of a first build's time on a busy disk). Compare
# ratios from the same session, not absolute numbers.
set -euo pipefail
runs=5
campaigns=10000
baseline=""
campc=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --campaigns) campaigns=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --campc) campc=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."

cargo build --release -q -p campc --bin campc --example generate_package
[ -n "$campc" ] || campc=$PWD/target/release/campc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/examples/generate_package "$work/pkg" "$campaigns" >/dev/null
edited=$(find "$work/pkg" -name '*.camp' -path '*campaigns*' | sort | sed -n 43p)
original=$(cat "$edited")

binaries=("$campc")
names=("campc")
if [ -n "$baseline" ]; then
  binaries+=("$baseline")
  names+=("baseline")
fi

# One timed run: appends "wall user sys" to $work/<name>-<case>.txt.
timed() {
  local name=$1 case=$2
  shift 2
  /usr/bin/time -f '%e %U %S' -o "$work/time.txt" "$@" >/dev/null 2>&1
  cat "$work/time.txt" >> "$work/$name-$case.txt"
}

sync
for run in $(seq 1 "$runs"); do
  for index in "${!binaries[@]}"; do
    bin=${binaries[$index]}
    name=${names[$index]}
    out=$work/ir-$name
    printf '%s\n' "$original" > "$edited"
    rm -rf "$out"
    sync
    timed "$name" first "$bin" build "$work/pkg" --out "$out"
    timed "$name" unchanged "$bin" build "$work/pkg" --out "$out"
    printf '%s\n' "$original" | sed "1s|\$| (edited in run $run)|" > "$edited"
    timed "$name" one-changed "$bin" build "$work/pkg" --out "$out"
  done
  echo "run $run of $runs done" >&2
done

printf '| campc build, %d campaigns | case | median wall (min–max) | user | sys |\n|---|---|---|---|---|\n' "$campaigns"
for index in "${!binaries[@]}"; do
  name=${names[$index]}
  for case in first unchanged one-changed; do
    sort -n "$work/$name-$case.txt" | awk -v name="$name" -v bin="${binaries[$index]}" -v case="$case" \
      '{w[NR]=$1; u[NR]=$2; s[NR]=$3} END {m=int((NR+1)/2); printf "| %s (`%s`) | %s | %.2f s (%.2f–%.2f) | %.2f s | %.2f s |\n", name, bin, case, w[m], w[1], w[NR], u[m], s[m]}'
  done
done
