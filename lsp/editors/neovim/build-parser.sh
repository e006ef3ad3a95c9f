#!/usr/bin/env sh
# Compiles the Camp tree-sitter parser to parser/camp.so beside this script
# (or in the folder given as the argument), where Neovim finds it once that
# folder is on 'runtimepath'. Needs a C
# compiler (cc). The parser is generated C, committed in
# grammar/tree-sitter-camp/src; nothing is downloaded.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../../../grammar/tree-sitter-camp/src"
out=${1:-$here}
mkdir -p "$out/parser"
${CC:-cc} -shared -fPIC -O2 -std=c11 -I "$src" "$src/parser.c" -o "$out/parser/camp.so"
echo "built $out/parser/camp.so"
