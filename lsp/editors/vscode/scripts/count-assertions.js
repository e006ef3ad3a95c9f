#!/usr/bin/env node
// Counts the scope assertions in the grammar tests (run after
// vscode-tmgrammar-test has passed them), using the tool's own parser.
'use strict';

const fs = require('fs');
const path = require('path');
const { parseGrammarTestCase } = require('vscode-tmgrammar-test/dist/unit/index');

const folder = path.resolve(__dirname, '..', 'test', 'grammar');
const files = fs.readdirSync(folder).filter((name) => name.endsWith('.camp')).sort();
let total = 0;
for (const name of files) {
  const testCase = parseGrammarTestCase(fs.readFileSync(path.join(folder, name), 'utf8'));
  const count = testCase.assertions.reduce((sum, line) => sum + line.scopeAssertions.length, 0);
  console.log(`  ${name}: ${count} assertions`);
  total += count;
}
console.log(`grammar tests: ${total} scope assertions in ${files.length} files, all passed`);
