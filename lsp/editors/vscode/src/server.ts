// Finding the `camp-lsp` binary. No `vscode` import here, so the unit tests
// run under plain Node.
//
// Order: the `camp.server.path` setting, then a binary bundled in the
// extension (`server/camp-lsp`, `server/camp-lsp.exe`), then `camp-lsp` on
// PATH. A setting that names no executable is an error, not a reason to fall
// back silently to some other binary.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const SERVER_NAME = 'camp-lsp';

export type ServerSource = 'setting' | 'bundled' | 'path';

export interface ServerLocation {
  command: string;
  source: ServerSource;
}

export type Resolution =
  | { ok: true; location: ServerLocation }
  | { ok: false; message: string; fromSetting: boolean };

export interface ResolveOptions {
  /** The `camp.server.path` setting ("" when unset). */
  configuredPath: string;
  /** The extension's install folder (holds `server/` when a binary is bundled). */
  extensionPath: string;
  /** The first workspace folder: relative setting paths are resolved against it. */
  workspaceFolder?: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

export function executableName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? `${SERVER_NAME}.exe` : SERVER_NAME;
}

/** A regular file we may run (on Windows any file: there is no execute bit). */
export function isExecutableFile(file: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The setting's path as an absolute path: `~` and `${userHome}` are the home
 * folder, `${workspaceFolder}` the first workspace folder, and a relative
 * path is relative to that folder.
 */
export function expandConfiguredPath(configured: string, workspaceFolder: string | undefined, homeDir: string): string {
  let value = configured.trim();
  value = value.replace(/\$\{userHome\}/g, homeDir);
  if (workspaceFolder !== undefined) {
    value = value.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  if (value === '~') {
    value = homeDir;
  } else if (value.startsWith('~/') || value.startsWith('~\\')) {
    value = path.join(homeDir, value.slice(2));
  }
  if (!path.isAbsolute(value)) {
    value = path.resolve(workspaceFolder ?? process.cwd(), value);
  }
  return value;
}

/** `name` in one of the PATH folders (with PATHEXT on Windows), or undefined. */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const pathValue = env.PATH ?? env.Path ?? env.path ?? '';
  const folders = pathValue.split(platform === 'win32' ? ';' : ':').filter((folder) => folder.length > 0);
  const extensions =
    platform === 'win32'
      ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((ext) => ext.length > 0)]
      : [''];
  for (const folder of folders) {
    for (const extension of extensions) {
      const candidate = path.join(folder, name + extension);
      if (isExecutableFile(candidate, platform)) {
        return candidate;
      }
    }
  }
  return undefined;
}

export function resolveServer(options: ResolveOptions): Resolution {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? os.homedir();

  const configured = options.configuredPath.trim();
  if (configured.length > 0) {
    const command = expandConfiguredPath(configured, options.workspaceFolder, homeDir);
    if (isExecutableFile(command, platform)) {
      return { ok: true, location: { command, source: 'setting' } };
    }
    return {
      ok: false,
      fromSetting: true,
      message: `The setting camp.server.path is "${configured}", but ${command} is not an executable file.`,
    };
  }

  const bundled = path.join(options.extensionPath, 'server', executableName(platform));
  if (isExecutableFile(bundled, platform)) {
    return { ok: true, location: { command: bundled, source: 'bundled' } };
  }

  const onPath = findOnPath(SERVER_NAME, env, platform);
  if (onPath !== undefined) {
    return { ok: true, location: { command: onPath, source: 'path' } };
  }

  return {
    ok: false,
    fromSetting: false,
    message:
      `Could not find the Camp language server (${SERVER_NAME}): it is not bundled with the extension ` +
      `and not on PATH. Install it with \`cargo install --path lsp\` from the camp repository, ` +
      `or set camp.server.path to the binary.`,
  };
}

export function describeSource(source: ServerSource): string {
  switch (source) {
    case 'setting':
      return 'from the camp.server.path setting';
    case 'bundled':
      return 'bundled with the extension';
    case 'path':
      return 'found on PATH';
  }
}
