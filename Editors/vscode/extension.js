// Starts `policyc lsp` for .policy files; everything else (diagnostics, hover, definitions,
// completion, formatting, quick fixes, the "run tests" code lenses) comes from the server.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate() {
  const settings = vscode.workspace.getConfiguration('policylang');
  const server = { command: settings.get('path') || 'policyc', args: ['lsp'] };
  const initializationOptions = {};
  if (settings.get('lang')) initializationOptions.lang = settings.get('lang');
  if (settings.get('root')) initializationOptions.rootDirectory = settings.get('root');
  client = new LanguageClient('policylang', 'PolicyLang', server, {
    documentSelector: [{ scheme: 'file', language: 'policylang' }],
    initializationOptions,
  });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
