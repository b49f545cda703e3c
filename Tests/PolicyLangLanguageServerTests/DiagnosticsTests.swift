import Foundation
import Testing

@testable import PolicyLangLanguageServer

/// Diagnostics as an editor receives them: on open, after each edit, across imports, in the
/// user's language, with ranges in UTF-16 units.
@Suite struct DiagnosticsTests {
  @Test func cleanPolicyHasNoDiagnosticsAndCapabilitiesAreAnnounced() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    let result = client.initialize()
    let capabilities = result["capabilities"]
    #expect(capabilities?["positionEncoding"] == "utf-16")
    #expect(capabilities?["textDocumentSync"]?["change"] == 2)
    for provider in [
      "hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider",
      "documentFormattingProvider",
    ] {
      #expect(capabilities?[provider] == true, "\(provider)")
    }
    #expect(capabilities?["executeCommandProvider"]?["commands"] == ["policylang.runTests"])
    #expect(client.open(workspace.uri("shop.policy"), Fixtures.policy).isEmpty)
  }

  @Test func mistakeAfterChineseAndEmojiHasItsRangeInUTF16Units() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    client.initialize()
    let text = Fixtures.policy.replacingOccurrences(
      of: "contains any contact_apps or", with: "contains any contact_app or")
    let diagnostics = client.open(workspace.uri("shop.policy"), text)
    try #require(diagnostics.count == 1)
    let diagnostic = diagnostics[0]
    #expect(diagnostic["code"] == "E0301")
    #expect(diagnostic["severity"] == 1)
    #expect(diagnostic["source"] == "policyc")
    // `(contains "加😀微" or contains any ` precedes the name: 😀 is two UTF-16 units.
    #expect(diagnostic["range"] == range(of: "contact_app ", in: text).replacingEnd(by: -1))
    let message = diagnostic["message"]?.stringValue ?? ""
    #expect(message.contains("unknown term list `contact_app`"))
    #expect(message.contains("help: did you mean `contact_apps`?"))
  }

  @Test func editsThatBreakAndFixTheFileRepublishDiagnosticsForEachVersion() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    client.initialize()
    let uri = workspace.uri("shop.policy")
    #expect(client.open(uri, Fixtures.policy).isEmpty)
    var text = Fixtures.policy

    // Version 2: delete the `}` that closes the header (a syntax error), as an incremental edit.
    let brace = position(of: "}", in: text)
    let deletion: JSONValue = [
      "range": ["start": .position(brace.0, brace.1), "end": .position(brace.0, brace.1 + 1)], "text": "",
    ]
    change(client, uri, version: 2, [deletion])
    text = applying([["range": deletion["range"] ?? .null, "newText": ""]], to: text)
    let broken = client.diagnostics(for: uri, version: 2)
    #expect(!broken.isEmpty)
    #expect(broken.allSatisfy { $0["severity"] == 1 })
    #expect(broken.contains { ($0["code"]?.stringValue ?? "").hasPrefix("E02") })

    // Version 3: a typo in a name after a CJK string on the same line.
    let name = range(of: "contact_apps or", in: text)
    let typo: JSONValue = ["range": name.replacingEnd(by: -3), "text": "contact_aps"]
    change(client, uri, version: 3, [typo])
    text = applying([["range": typo["range"] ?? .null, "newText": "contact_aps"]], to: text)

    // Version 4: the brace back, in the same message as a second change.
    let restore: JSONValue = [
      "range": ["start": .position(brace.0, brace.1), "end": .position(brace.0, brace.1)], "text": "}",
    ]
    change(client, uri, version: 4, [restore])
    text = applying([["range": restore["range"] ?? .null, "newText": "}"]], to: text)
    let typoOnly = client.diagnostics(for: uri, version: 4)
    #expect(typoOnly.map { $0["code"] } == ["E0301"])
    #expect(typoOnly.first?["range"] == range(of: "contact_aps", in: text))

    // Version 5: fixed; the whole text replaced at once.
    change(client, uri, version: 5, [["text": .string(Fixtures.policy)]])
    #expect(client.diagnostics(for: uri, version: 5).isEmpty)
  }

  @Test func halfTypedPolicyGetsDiagnosticsAfterEveryKeystroke() throws {
    let client = TestClient()
    client.initialize()
    let uri = "file:///nowhere/typed.policy"
    client.open(uri, "")
    let typed =
      "policy p \"标题\" {\n  zone Asia/Shanghai\n}\nclause A-1 \"测试\" content\nrule r \"规则\" {\n  clause A-1\n}\n"
    var line = 0
    var character = 0
    var version = 1
    for scalar in typed.unicodeScalars {
      version += 1
      let at: JSONValue = .position(line, character)
      change(
        client, uri, version: version,
        [["range": ["start": at, "end": at], "text": .string(String(scalar))]])
      let diagnostics = client.diagnostics(for: uri, version: version)
      // Until the header is complete the file is at least missing something.
      if version < 10 { #expect(!diagnostics.isEmpty) }
      if scalar == "\n" {
        line += 1
        character = 0
      } else {
        character += String(scalar).utf16.count
      }
    }
    // The finished policy: its rule has no body.
    change(client, uri, version: version + 1, [])
    let final = client.diagnostics(for: uri, version: version + 1).compactMap { $0["code"]?.stringValue }
    #expect(final == ["E0502"])
  }

  @Test func problemsInImportsAreShownOnTheImportLine() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    client.initialize()
    let uri = workspace.uri("shop.policy")
    #expect(client.open(uri, Fixtures.policy).isEmpty)
    // The library opened with an unsaved mistake: the policy reads the editor's text.
    let libraryURI = workspace.uri("lib/shared.policy")
    let broken = Fixtures.library.replacingOccurrences(
      of: "const reply_limit = 1h", with: "const reply_limit = 1x")
    let libraryDiagnostics = client.open(libraryURI, broken)
    #expect(libraryDiagnostics.contains { $0["code"] == "E0106" })
    #expect(!libraryDiagnostics.contains { $0["code"] == "E0305" && $0["severity"] != 4 })
    let policyDiagnostics = client.diagnostics(for: uri)
    let unknownUnit = try #require(policyDiagnostics.first { $0["code"] == "E0106" })
    #expect(unknownUnit["range"] == range(of: "\"lib/shared.policy\"", in: Fixtures.policy))
    #expect((unknownUnit["message"]?.stringValue ?? "").hasPrefix("in imported file lib/shared.policy:5:"))
    let related = unknownUnit["relatedInformation"]?.arrayValue?.first
    #expect(related?["location"]?["uri"]?.stringValue == libraryURI)
    #expect(related?["location"]?["range"] == range(of: "1x", in: broken).replacingStart(by: 1))

    // Closing the library: the policy reads it from disk again and is clean.
    client.notify("textDocument/didClose", ["textDocument": ["uri": .string(libraryURI)]])
    #expect(client.diagnostics(for: libraryURI).isEmpty)
    #expect(client.diagnostics(for: uri).isEmpty)
  }

  @Test func wordListProblemsPointAtTheFileString() throws {
    let workspace = try Workspace([
      "shop.policy": Fixtures.policy, "lib/shared.policy": Fixtures.library, "lib/stop.txt": "好的\n别 | | 烦\n",
    ])
    defer { workspace.remove() }
    let client = TestClient()
    client.initialize()
    let diagnostics = client.open(workspace.uri("shop.policy"), Fixtures.policy)
    let problem = try #require(diagnostics.first { $0["code"] == "E0310" })
    #expect(problem["range"] == range(of: "\"lib/shared.policy\"", in: Fixtures.policy))
    // Opened itself, the word list gets the diagnostic on its own line.
    let own = client.open(workspace.uri("lib/stop.txt"), "好的\n别 | | 烦\n", language: "plaintext")
    #expect(own.map { $0["code"] } == ["E0310"])
    #expect(own.first?["range"]?.rangeNumbers.first == 1)
  }

  @Test func filesChangedOnDiskAreCheckedAgainWhenTheEditorSaysSo() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    client.result(
      "initialize", ["capabilities": ["workspace": ["didChangeWatchedFiles": ["dynamicRegistration": true]]]])
    client.notify("initialized", [:])
    let registration = client.waitFor { $0["method"]?.stringValue == "client/registerCapability" }
    let watchers = registration?["params"]?["registrations"]?.arrayValue?.first?["registerOptions"]?[
      "watchers"]
    #expect(watchers == [["globPattern": "**/*.policy"], ["globPattern": "**/*.txt"]])
    let uri = workspace.uri("shop.policy")
    #expect(client.open(uri, Fixtures.policy).isEmpty)
    // The word list (not open in the editor) gets a malformed line on disk.
    try Data("别再发了\n| 别烦我\n".utf8).write(to: workspace.root.appendingPathComponent("lib/stop.txt"))
    client.notify(
      "workspace/didChangeWatchedFiles",
      ["changes": [["uri": .string(workspace.uri("lib/stop.txt")), "type": 2]]])
    #expect(client.diagnostics(for: uri).map { $0["code"] } == ["E0310"])
  }

  @Test func chineseFromTheLocaleOrTheInitializationOption() throws {
    let text = """
      policy p {
        zone Asia/Shanghai
      }
      clause A-1 "条款" content
      rule r "规则" {
        clause   A-1
        severity minr
        when message from seller
      }

      """
    for params: JSONValue in [
      ["capabilities": [:], "locale": "zh-cn"],
      ["capabilities": [:], "locale": "en", "initializationOptions": ["lang": "zh"]],
      ["capabilities": [:], "initializationOptions": ["policylang": ["lang": "zh-CN"]]],
    ] {
      let client = TestClient()
      client.initialize(params)
      let messages = client.open("file:///tmp/zh.policy", text).compactMap { $0["message"]?.stringValue }
      #expect(messages.contains { $0.contains("未知的处罚等级 `minr`") }, "\(params): \(messages)")
    }
    let english = TestClient()
    english.initialize(["capabilities": [:], "locale": "en-US"])
    let messages = english.open("file:///tmp/en.policy", text).compactMap { $0["message"]?.stringValue }
    #expect(messages.contains { $0.contains("unknown severity `minr`") })
  }

  @Test func rootDirectoryConfinesImports() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    client.initialize([
      "capabilities": [:], "initializationOptions": ["rootDirectory": .string(workspace.path("elsewhere"))],
    ])
    let diagnostics = client.open(workspace.uri("shop.policy"), Fixtures.policy)
    let outside = try #require(diagnostics.first { $0["code"] == "E0002" })
    #expect((outside["message"]?.stringValue ?? "").contains("it is not under the root"))
    // A workspace folder around the policy lets it import its library.
    let inside = TestClient()
    inside.initialize([
      "capabilities": [:], "workspaceFolders": [["uri": .string(workspace.uri("")), "name": "w"]],
    ])
    #expect(inside.open(workspace.uri("shop.policy"), Fixtures.policy).isEmpty)
  }

  @Test func importsLeavingTheWorkspaceAreRefusedAndNeverShown() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let secret = "TOKEN=never-shown-\(UUID().uuidString)"
    let outsideDirectory = workspace.root.deletingLastPathComponent()
      .appendingPathComponent("lsp-outside-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: outsideDirectory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: outsideDirectory) }
    try Data("\(secret)\n".utf8).write(to: outsideDirectory.appendingPathComponent("secret.policy"))
    try FileManager.default.createSymbolicLink(
      atPath: workspace.path("lib/link.policy"),
      withDestinationPath: outsideDirectory.appendingPathComponent("secret.policy").path)
    let client = TestClient()
    client.initialize([
      "capabilities": [:], "workspaceFolders": [["uri": .string(workspace.uri("")), "name": "w"]],
    ])
    let escapes = [
      "import \"\(outsideDirectory.appendingPathComponent("secret.policy").path)\"",
      "import \"../\(outsideDirectory.lastPathComponent)/secret.policy\"",
      "import \"lib/link.policy\"",
    ]
    for (k, line) in escapes.enumerated() {
      let text = Fixtures.policy.replacingOccurrences(
        of: "import \"lib/shared.policy\"", with: "import \"lib/shared.policy\"\n" + line)
      let diagnostics = client.open(workspace.uri("escape-\(k).policy"), text)
      #expect(diagnostics.map { $0["code"] }.contains("E0002"), "\(line): \(diagnostics)")
      for diagnostic in diagnostics {
        #expect(!"\(diagnostic)".contains("never-shown"), "\(line)")
      }
    }
  }

  private func change(_ client: TestClient, _ uri: String, version: Int, _ changes: [JSONValue]) {
    client.notify(
      "textDocument/didChange",
      [
        "textDocument": ["uri": .string(uri), "version": JSONValue(version)],
        "contentChanges": .array(changes),
      ])
  }
}

extension JSONValue {
  /// An LSP range with its end character moved by `delta`.
  func replacingEnd(by delta: Int) -> JSONValue {
    let n = rangeNumbers
    return ["start": .position(n[0], n[1]), "end": .position(n[2], n[3] + delta)]
  }

  /// An LSP range with its start character moved by `delta`.
  func replacingStart(by delta: Int) -> JSONValue {
    let n = rangeNumbers
    return ["start": .position(n[0], n[1] + delta), "end": .position(n[2], n[3])]
  }
}
