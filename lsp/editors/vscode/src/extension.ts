// The Camp extension: starts `camp-lsp` over stdio for `.camp` files.
// Syntax highlighting is the TextMate grammar in syntaxes/ (copied from the
// repository's grammar/camp.tmLanguage.json at build time).

import * as vscode from 'vscode';
import {
  Executable,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { foldingRanges } from './folding';
import { describeSource, resolveServer } from './server';

const CLIENT_ID = 'camp';
const CLIENT_NAME = 'Camp Language Server';
const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', language: 'camp' }];

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
/** Disposed when the server stops: its file watchers and the fallback folding provider. */
let sessionDisposables: vscode.Disposable[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('camp.restartServer', () => restart(context)),
    vscode.commands.registerCommand('camp.showServerOutput', () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('camp.server')) {
        void restart(context);
      }
    }),
    { dispose: () => void stop() },
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  await start(context);
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const log = output!;
  const config = vscode.workspace.getConfiguration('camp');
  const configuredPath = config.get<string>('server.path', '') ?? '';
  const extraArgs = (config.get<unknown[]>('server.extraArgs', []) ?? []).filter(
    (arg): arg is string => typeof arg === 'string',
  );
  const workspaceFolder = vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri
    .fsPath;

  const resolution = resolveServer({
    configuredPath,
    extensionPath: context.extensionPath,
    workspaceFolder,
  });
  if (!resolution.ok) {
    log.appendLine(resolution.message);
    useFallbackFolding();
    void showServerError(resolution.message);
    return;
  }

  const { command, source } = resolution.location;
  const shownArgs = extraArgs.map((arg) => ` ${arg}`).join('');
  log.appendLine(`Starting ${command}${shownArgs} (${describeSource(source)})`);

  const executable: Executable = { command, args: extraArgs, transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const watchers = [
    vscode.workspace.createFileSystemWatcher('**/*.camp'),
    vscode.workspace.createFileSystemWatcher('**/camp.toml'),
  ];
  sessionDisposables.push(...watchers);
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR as LanguageClientOptions['documentSelector'],
    synchronize: { fileEvents: watchers },
    outputChannel: log,
  };

  const candidate = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  try {
    await candidate.start();
  } catch (error) {
    const message = `Could not start ${command}: ${error instanceof Error ? error.message : String(error)}`;
    log.appendLine(message);
    useFallbackFolding();
    void showServerError(message);
    try {
      await candidate.dispose();
    } catch {
      // Already stopped.
    }
    return;
  }
  client = candidate;
  if (!client.initializeResult?.capabilities.foldingRangeProvider) {
    useFallbackFolding();
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  for (const disposable of sessionDisposables) {
    disposable.dispose();
  }
  sessionDisposables = [];
  if (running !== undefined) {
    try {
      await running.stop();
    } catch (error) {
      output?.appendLine(`Stopping the server: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Brace and comment folding, for as long as the server gives none. */
function useFallbackFolding(): void {
  sessionDisposables.push(
    vscode.languages.registerFoldingRangeProvider(SELECTOR, {
      provideFoldingRanges(document) {
        return foldingRanges(document.getText()).map(
          (fold) =>
            new vscode.FoldingRange(
              fold.start,
              fold.end,
              fold.kind === 'comment' ? vscode.FoldingRangeKind.Comment : undefined,
            ),
        );
      },
    }),
  );
}

async function showServerError(message: string): Promise<void> {
  const openSettings = 'Open Settings';
  const showOutput = 'Show Output';
  const choice = await vscode.window.showErrorMessage(`Camp: ${message}`, openSettings, showOutput);
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'camp.server');
  } else if (choice === showOutput) {
    output?.show(true);
  }
}
