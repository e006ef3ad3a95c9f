#!/usr/bin/env bash
# Seeds the fuzz corpora from the examples and test fixtures:
#   corpus/compile/    every small .camp file of examples/, compiler/tests/fixtures/, lsp/tests/fixtures/
#   corpus/ir_load/    the IR of examples/platform: the manifest, each campaign
#                      document, and each bare campaign object (no hash to forge)
#   corpus/lsp_edits/  campaign files, each followed by 0xFF and a short script
#                      (see fuzz/props/src/lsp_edits.rs for the format)
# Files are named by the SHA-1 of their bytes, as libFuzzer names what it
# finds, so seeding twice adds nothing. After seeding, `run.sh` minimizes.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=fuzz/corpus
mkdir -p "$corpus/compile" "$corpus/ir_load" "$corpus/lsp_edits"

# A file into a corpus folder, named by its hash.
add() { # FOLDER FILE
  cp "$2" "$1/$(sha1sum "$2" | cut -c1-40)"
}

# compile: every .camp file up to 16 KiB (the large bad-input fixtures are
# for the catalogue test, not for mutation). Links are left out.
find examples compiler/tests/fixtures lsp/tests/fixtures -name '*.camp' -type f -size -16k -print0 |
  sort -z | while IFS= read -r -d '' file; do add "$corpus/compile" "$file"; done

# lsp_edits: campaign and error files, each with two scripts: bytes taken
# from the file's own hashes, so each seed runs different operations.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
find examples/platform/campaigns compiler/tests/fixtures/errors lsp/tests/fixtures -name '*.camp' -type f -size -4k -print0 |
  sort -z | while IFS= read -r -d '' file; do
    for salt in a b; do
      seed="$scratch/seed"
      { cat "$file"; printf '\377'; { cat "$file"; echo "$salt"; } | sha256sum | cut -c1-64 | xxd -r -p; } > "$seed"
      add "$corpus/lsp_edits" "$seed"
    done
  done

# ir_load: build the example platform and take its documents apart.
cargo run --quiet --locked -p campc -- build examples/platform --out "$scratch/ir" >/dev/null
for file in "$scratch"/ir/manifest.json "$scratch"/ir/campaigns/*.json; do
  add "$corpus/ir_load" "$file"
done
for file in "$scratch"/ir/campaigns/*.json; do
  python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["campaign"], ensure_ascii=False))' "$file" > "$scratch/bare.json"
  add "$corpus/ir_load" "$scratch/bare.json"
done

for target in compile ir_load lsp_edits; do
  echo "corpus/$target: $(find "$corpus/$target" -type f | wc -l) files"
done
