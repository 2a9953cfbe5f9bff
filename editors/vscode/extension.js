// Starts `stepcare lsp`, the language server of .sq files, which speaks LSP 3.17 over its
// standard input and output. Highlighting comes from the TextMate grammar alone.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;
let output;

async function start() {
    const command = vscode.workspace.getConfiguration('stepcare').get('path') || 'stepcare';
    // No `transport` option: with one, the client would add `--stdio` to the arguments.
    const server = { command, args: ['lsp'] };
    client = new LanguageClient('stepcare', 'Stepcare', server, {
        documentSelector: [
            { scheme: 'file', language: 'stepcare' },
            { scheme: 'untitled', language: 'stepcare' },
        ],
        outputChannel: output,
    });
    try {
        await client.start();
    } catch (error) {
        vscode.window.showErrorMessage(
            `Stepcare: could not start "${command} lsp" (${error.message}). ` +
                'Set stepcare.path to the stepcare program.');
    }
}

async function stop() {
    const running = client;
    client = undefined;
    // A client whose server never started has nothing to shut down.
    if (running && running.isRunning()) await running.dispose();
}

function activate(context) {
    // One output for every server started, so a restart does not add another.
    output = vscode.window.createOutputChannel('Stepcare');
    context.subscriptions.push(output);
    context.subscriptions.push(
        vscode.workspace.onDidChangeConfiguration(async (event) => {
            if (event.affectsConfiguration('stepcare.path')) {
                await stop();
                await start();
            }
        }));
    return start();
}

function deactivate() {
    return stop();
}

module.exports = { activate, deactivate };
