#!/usr/bin/env node
// Tokenizes every .camp file under the repository's examples/ folder with
// the grammar and fails if any token is scoped `invalid.*`: the examples are
// valid Camp, so the grammar must not paint anything in them as an error.
// `node scripts/check-examples.js FOLDER` checks another folder instead.
'use strict';

const fs = require('fs');
const path = require('path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const extensionRoot = path.resolve(__dirname, '..');
const repoRoot = path.resolve(extensionRoot, '..', '..', '..');
const grammarPath = path.join(repoRoot, 'grammar', 'camp.tmLanguage.json');
const examplesRoot = process.argv[2] ? path.resolve(process.argv[2]) : path.join(repoRoot, 'examples');

function campFiles(folder) {
  const found = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...campFiles(full));
    } else if (entry.name.endsWith('.camp')) {
      found.push(full);
    }
  }
  return found.sort();
}

async function main() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.camp'
        ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  const grammar = await registry.loadGrammar('source.camp');

  const files = campFiles(examplesRoot);
  if (files.length === 0) {
    console.error(`check-examples: no .camp files under ${examplesRoot}`);
    process.exit(1);
  }
  let lines = 0;
  const problems = [];
  for (const file of files) {
    let stack = textmate.INITIAL;
    fs.readFileSync(file, 'utf8')
      .split(/\r\n|\n/)
      .forEach((line, index) => {
        lines++;
        const result = grammar.tokenizeLine(line, stack);
        stack = result.ruleStack;
        for (const token of result.tokens) {
          const invalid = token.scopes.find((scope) => scope.startsWith('invalid.'));
          if (invalid) {
            const text = line.slice(token.startIndex, token.endIndex);
            problems.push(
              `${path.relative(repoRoot, file)}:${index + 1}:${token.startIndex + 1}: ${JSON.stringify(text)} is ${invalid}`,
            );
          }
        }
      });
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`check-examples: ${problems.length} invalid token(s) in the examples`);
    process.exit(1);
  }
  console.log(`check-examples: ${files.length} example files, ${lines} lines, no invalid tokens`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
