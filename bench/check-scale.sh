#!/usr/bin/env bash
# `campc check` against another build of itself on the generated packages
# of bench/peers.sh (compiler/examples/generate_peers.rs), both layouts:
# one campaign per file, and every campaign in one file (files of at most
# 8 MiB). Runs are interleaved (new, old, new, old, …); each figure is the
# median over the runs of the wall time, of the CPU time (user + system,
# all threads) and of the peak memory, from /usr/bin/time.
#
#   bench/check-scale.sh OLD_CAMPC [NEW_CAMPC] [--sizes 10000,50000] [--runs 5]
#
# NEW_CAMPC defaults to this tree's release build (built first). The CPU
# time and the memory move much less with the machine's load than the
# wall time: on a shared machine, compare those. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."

old=""
new=""
sizes=10000,50000
runs=5
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    *) if [ -z "$old" ]; then old=$1; elif [ -z "$new" ]; then new=$1; else
         echo "one or two binaries (see --help)" >&2; exit 2; fi; shift ;;
  esac
done
if [ -z "$old" ]; then echo "usage: bench/check-scale.sh OLD_CAMPC [NEW_CAMPC]" >&2; exit 2; fi
cargo build --release -q -p campc --example generate_peers
if [ -z "$new" ]; then
  cargo build --release -q -p campc --bin campc
  new=target/release/campc
fi
old=$(realpath "$old")
new=$(realpath "$new")
generate=$(realpath target/release/examples/generate_peers)
echo "new: $new"
echo "old: $old"
echo "runs: $runs per binary and case, interleaved; medians; load: $(cut -d' ' -f1-3 /proc/loadavg)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m}'; }
run() { # one run of `$1 check $2`: "wall cpu kilobytes" appended to $3
  /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$1" check "$2" >/dev/null 2>&1 || true
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time.txt" >>"$3"
}
column() { awk -v c="$1" '{print $c}' "$2" | median; }

echo
echo "| campaigns | layout | new wall | old wall | new CPU | old CPU | new peak | old peak |"
echo "|---|---|---|---|---|---|---|---|"
for size in ${sizes//,/ }; do
  pkg=$work/$size
  "$generate" "$pkg" "$size" >/dev/null
  sync
  for layout in files one; do
    target=$pkg/camp-$layout
    "$new" check "$target" >/dev/null 2>&1 || true # warm the page cache
    : >"$work/new.txt"; : >"$work/old.txt"
    for _ in $(seq 1 "$runs"); do
      run "$new" "$target" "$work/new.txt"
      run "$old" "$target" "$work/old.txt"
    done
    printf '| %s | %s | %s s | %s s | %s s | %s s | %d MB | %d MB |\n' "$size" "$layout" \
      "$(column 1 "$work/new.txt")" "$(column 1 "$work/old.txt")" \
      "$(column 2 "$work/new.txt")" "$(column 2 "$work/old.txt")" \
      "$(( $(column 3 "$work/new.txt" | cut -d. -f1) / 1024 ))" \
      "$(( $(column 3 "$work/old.txt" | cut -d. -f1) / 1024 ))"
  done
  rm -rf "$pkg"
done
