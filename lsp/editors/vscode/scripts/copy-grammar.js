#!/usr/bin/env node
// Copies the one TextMate grammar, grammar/camp.tmLanguage.json at the
// repository root, into this extension's syntaxes/ folder, so that the
// extension (and the .vsix) carries it while grammar/ stays the only source.
'use strict';

const fs = require('fs');
const path = require('path');

const extensionRoot = path.resolve(__dirname, '..');
const source = path.resolve(extensionRoot, '..', '..', '..', 'grammar', 'camp.tmLanguage.json');
const target = path.join(extensionRoot, 'syntaxes', 'camp.tmLanguage.json');

function fail(message) {
  console.error(`copy-grammar: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(source)) {
  fail(`no grammar at ${source} (run this from the camp repository)`);
}
const text = fs.readFileSync(source, 'utf8');
let grammar;
try {
  grammar = JSON.parse(text);
} catch (error) {
  fail(`${source} is not valid JSON: ${error.message}`);
}
if (grammar.scopeName !== 'source.camp') {
  fail(`${source} has scopeName ${JSON.stringify(grammar.scopeName)}, expected "source.camp"`);
}

fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, text);
console.log(`copy-grammar: ${path.relative(extensionRoot, source)} -> ${path.relative(extensionRoot, target)}`);
