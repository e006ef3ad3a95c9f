#!/usr/bin/env bash
# CI for the VS Code extension: install from the lockfile, build, unit and
# grammar tests, package the .vsix, and check what the .vsix holds.
# Needs Node 20+ and npm (registry access for `npm ci`) and python3 (to read
# the .vsix, a zip). Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n--- %s\n' "$*"; }

step "npm ci"
npm ci --no-audit --no-fund

step "npm run compile"
npm run compile

step "npm run test:unit"
npm run test:unit

step "npm run test:grammar"
npm run test:grammar

step "npm run package"
rm -f camp-*.vsix
npm run package
vsix=$(ls camp-*.vsix)

step "check $vsix"
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
python3 - "$vsix" "$unpacked" <<'PY'
import sys, zipfile
vsix, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(vsix) as archive:
    names = set(archive.namelist())
    required = [
        "extension/package.json",
        "extension/out/extension.js",
        "extension/syntaxes/camp.tmLanguage.json",
        "extension/schemas/camp.toml.schema.json",
        "extension/language-configuration.json",
        "extension/node_modules/vscode-languageclient/package.json",
        "extension/node_modules/vscode-languageclient/node.js",
    ]
    missing = [name for name in required if name not in names]
    forbidden = [name for name in names if name.startswith(("extension/src/", "extension/test/", "extension/node_modules/typescript/", "extension/node_modules/@vscode/vsce/"))]
    for name in required:
        print(("ok      " if name in names else "MISSING ") + name)
    if forbidden:
        print("should not be packaged: " + ", ".join(sorted(forbidden)[:10]))
    if missing or forbidden:
        sys.exit(1)
    archive.extractall(target)
    print(f"{len(names)} entries")
PY
node scripts/smoke-vsix.js "$unpacked"

size=$(wc -c < "$vsix" | tr -d ' ')
step "done"
echo "ci.sh: compiled, unit and grammar tests passed, packaged $vsix ($size bytes)"
