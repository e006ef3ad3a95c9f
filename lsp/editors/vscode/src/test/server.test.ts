import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { executableName, expandConfiguredPath, findOnPath, resolveServer } from '../server';

const unixOnly = { skip: process.platform === 'win32' ? 'execute bits are a Unix thing' : false };

let root: string;

function makeExecutable(file: string, mode = 0o755): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, mode);
  return file;
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'camp-vscode-'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('resolveServer', () => {
  it('prefers the camp.server.path setting', unixOnly, () => {
    const configured = makeExecutable(path.join(root, 'custom', 'camp-lsp'));
    makeExecutable(path.join(root, 'ext', 'server', 'camp-lsp'));
    const result = resolveServer({
      configuredPath: configured,
      extensionPath: path.join(root, 'ext'),
      env: { PATH: '' },
      platform: 'linux',
    });
    assert.deepEqual(result, { ok: true, location: { command: configured, source: 'setting' } });
  });

  it('reports a setting that names no executable instead of falling back', unixOnly, () => {
    makeExecutable(path.join(root, 'ext', 'server', 'camp-lsp'));
    const result = resolveServer({
      configuredPath: path.join(root, 'missing', 'camp-lsp'),
      extensionPath: path.join(root, 'ext'),
      env: { PATH: '' },
      platform: 'linux',
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.fromSetting);
    assert.match(!result.ok ? result.message : '', /camp\.server\.path/);
  });

  it('refuses a file without the execute bit', unixOnly, () => {
    const file = makeExecutable(path.join(root, 'camp-lsp'), 0o644);
    const result = resolveServer({ configuredPath: file, extensionPath: root, env: { PATH: '' }, platform: 'linux' });
    assert.equal(result.ok, false);
  });

  it('uses the bundled server/camp-lsp next', unixOnly, () => {
    const bundled = makeExecutable(path.join(root, 'ext', 'server', 'camp-lsp'));
    const onPath = makeExecutable(path.join(root, 'bin', 'camp-lsp'));
    const result = resolveServer({
      configuredPath: '  ',
      extensionPath: path.join(root, 'ext'),
      env: { PATH: path.dirname(onPath) },
      platform: 'linux',
    });
    assert.deepEqual(result, { ok: true, location: { command: bundled, source: 'bundled' } });
  });

  it('falls back to camp-lsp on PATH', unixOnly, () => {
    const onPath = makeExecutable(path.join(root, 'bin', 'camp-lsp'));
    const result = resolveServer({
      configuredPath: '',
      extensionPath: path.join(root, 'ext'),
      env: { PATH: [path.join(root, 'empty'), path.dirname(onPath)].join(':') },
      platform: 'linux',
    });
    assert.deepEqual(result, { ok: true, location: { command: onPath, source: 'path' } });
  });

  it('says how to get the server when there is none', () => {
    const result = resolveServer({
      configuredPath: '',
      extensionPath: path.join(root, 'ext'),
      env: { PATH: path.join(root, 'nothing-here') },
    });
    assert.equal(result.ok, false);
    const message = !result.ok ? result.message : '';
    assert.match(message, /camp-lsp/);
    assert.match(message, /camp\.server\.path/);
    assert.match(message, /cargo install/);
  });
});

describe('expandConfiguredPath', () => {
  it('expands ~ and ${userHome}', () => {
    assert.equal(expandConfiguredPath('~/bin/camp-lsp', undefined, '/home/a'), path.join('/home/a', 'bin/camp-lsp'));
    assert.equal(expandConfiguredPath('${userHome}/camp-lsp', undefined, '/home/a'), '/home/a/camp-lsp');
  });

  it('resolves relative paths and ${workspaceFolder} against the workspace folder', () => {
    assert.equal(
      expandConfiguredPath('target/debug/camp-lsp', '/work/camp', '/home/a'),
      path.resolve('/work/camp', 'target/debug/camp-lsp'),
    );
    assert.equal(
      expandConfiguredPath('${workspaceFolder}/target/release/camp-lsp', '/work/camp', '/home/a'),
      '/work/camp/target/release/camp-lsp',
    );
  });
});

describe('findOnPath', () => {
  it('skips folders without the binary', unixOnly, () => {
    const found = makeExecutable(path.join(root, 'b', 'camp-lsp'));
    fs.mkdirSync(path.join(root, 'a'));
    assert.equal(findOnPath('camp-lsp', { PATH: `${root}/a::${root}/b` }, 'linux'), found);
    assert.equal(findOnPath('camp-lsp', { PATH: `${root}/a` }, 'linux'), undefined);
  });

  it('tries PATHEXT on Windows', () => {
    const found = path.join(root, 'camp-lsp.EXE');
    fs.writeFileSync(found, '');
    assert.equal(findOnPath('camp-lsp', { Path: root, PATHEXT: '.COM;.EXE' }, 'win32'), found);
  });

  it('names the Windows binary camp-lsp.exe', () => {
    assert.equal(executableName('win32'), 'camp-lsp.exe');
    assert.equal(executableName('linux'), 'camp-lsp');
  });
});
