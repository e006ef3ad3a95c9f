#!/usr/bin/env node
// Loads out/extension.js from an unpacked .vsix (argument: the unpacked
// folder) with a stand-in for the `vscode` module, which only VS Code
// provides. It proves that the .vsix carries every runtime module the
// extension requires (vscode-languageclient and its dependencies): run it on
// a folder outside any node_modules tree, so nothing resolves from here.
'use strict';

const Module = require('module');
const path = require('path');

const unpacked = path.resolve(process.argv[2] || '.');
const main = path.join(unpacked, 'extension', 'out', 'extension.js');

// Any property, call or `new` on the stand-in gives another stand-in.
const handler = {
  get: (target, key) => {
    if (key === '__esModule') return false;
    if (!(key in target)) target[key] = new Proxy(function () {}, handler);
    return target[key];
  },
  apply: () => new Proxy(function () {}, handler),
  construct: () => new Proxy(function () {}, handler),
};
const vscode = new Proxy(function () {}, handler);
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const extension = require(main);
for (const name of ['activate', 'deactivate']) {
  if (typeof extension[name] !== 'function') {
    console.error(`smoke-vsix: ${main} exports no ${name}()`);
    process.exit(1);
  }
}
const client = require(require.resolve('vscode-languageclient/node', { paths: [path.dirname(main)] }));
if (typeof client.LanguageClient !== 'function') {
  console.error('smoke-vsix: vscode-languageclient/node has no LanguageClient');
  process.exit(1);
}
console.log(`smoke-vsix: ${main} loads with its bundled vscode-languageclient`);
