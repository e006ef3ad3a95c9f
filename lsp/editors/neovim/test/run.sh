#!/usr/bin/env bash
# Runs lua/camp.lua in a real Neovim, headless, on the repository's
# examples: once as on Neovim 0.11+ (vim.lsp.config and vim.lsp.enable),
# once through the 0.10 branch (vim.lsp.start from a FileType autocmd),
# with `has("nvim-0.11")` answering 0 and vim.lsp.config and vim.lsp.enable
# removed, so that branch can only use what 0.10 has.
#
# Needs `nvim` 0.11+ (NVIM=path to choose one), a C compiler, and camp-lsp
# (CAMP_LSP=path, default target/debug/camp-lsp).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
plugin=$(cd "$here/.." && pwd)
root=$(cd "$here/../../../.." && pwd)
nvim=${NVIM:-nvim}
lsp=${CAMP_LSP:-$root/target/debug/camp-lsp}

"$nvim" --version | head -n 1
[ -x "$lsp" ] || { echo "no camp-lsp at $lsp (cargo build -p camp-lsp)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sh "$plugin/build-parser.sh" "$work"

passed=0
failed=0
for branch in 0.11 0.10; do
  echo "--- the ${branch} branch"
  if CAMP_NVIM_BRANCH=$branch CAMP_LSP=$lsp CAMP_ROOT=$root \
    "$nvim" --headless --clean --cmd "set runtimepath^=$plugin,$work" -l "$here/check.lua"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "neovim: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
