import Foundation
import Testing

@testable import PolicyLangLanguageServer

/// The editor snippets in Editors/ agree with the server and the grammar: language id, file
/// extension, scope and the `policyc lsp` command.
@Suite struct EditorConfigTests {
  private func read(_ path: String) throws -> String {
    try String(contentsOf: Fixtures.repository.appendingPathComponent(path), encoding: .utf8)
  }

  @Test func vsCodeExtensionUsesTheGrammarAndStartsTheServer() throws {
    let manifest = try JSONReader.parse(Array(try read("Editors/vscode/package.json").utf8))
    let language = manifest["contributes"]?["languages"]?.arrayValue?.first
    #expect(language?["id"] == "policylang")
    #expect(language?["extensions"] == [".policy"])
    let grammar = manifest["contributes"]?["grammars"]?.arrayValue?.first
    let textMate = try JSONReader.parse(Array(try read("Editors/policylang.tmLanguage.json").utf8))
    #expect(grammar?["scopeName"] == textMate["scopeName"])
    // The grammar the manifest names is the committed one (a symlink in the extension folder).
    let named = try read("Editors/vscode/" + (grammar?["path"]?.stringValue ?? ""))
    #expect(named == (try read("Editors/policylang.tmLanguage.json")))
    #expect(manifest["activationEvents"] == ["onLanguage:policylang"])
    #expect(try read("Editors/vscode/extension.js").contains("args: ['lsp']"))
    _ = try JSONReader.parse(Array(try read("Editors/vscode/language-configuration.json").utf8))
  }

  @Test func otherEditorsRunPolicycLsp() throws {
    #expect(try read("Editors/helix/languages.toml").contains("command = \"policyc\"\nargs = [\"lsp\"]"))
    #expect(try read("Editors/emacs/policylang.el").contains("(policylang-mode . (\"policyc\" \"lsp\"))"))
    #expect(try read("Editors/nvim/policylang.lua").contains("cmd = { vim.g.policyc or 'policyc', 'lsp' }"))
    #expect(try read("Editors/nvim/policylang.lua").contains("*.policy"))
  }
}
