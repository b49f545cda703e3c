import Foundation
import PolicyLang
import Testing

@testable import PolicyLangLanguageServer

/// Formatting, quick fixes and inline tests, applied as an editor applies them.
@Suite struct EditingTests {
  @Test func formattingGivesThePolicycFmtLayout() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    client.initialize()
    let uri = workspace.uri("shop.policy")
    let messy = Fixtures.policy
      .replacingOccurrences(
        of: "severity minor \"轻微\" sanction \"警告\" clause S-3",
        with: "severity   minor \"轻微\"  sanction \"警告\" clause S-3"
      )
      .replacingOccurrences(of: "  clause   S-2\n", with: "clause S-2\n")
      .replacingOccurrences(
        of: "terms contact_apps += [\"钉钉\"]", with: "terms contact_apps+=[ \"钉钉\" ,]  # 追加")
    client.open(uri, messy)
    let edits =
      client.result(
        "textDocument/formatting",
        ["textDocument": ["uri": .string(uri)], "options": ["tabSize": 2, "insertSpaces": true]]
      )
      .arrayValue ?? []
    #expect(edits.count == 1)
    let formatted = applying(edits, to: messy)
    let expected = Fixtures.policy.replacingOccurrences(
      of: "terms contact_apps += [\"钉钉\"]", with: "terms contact_apps += [\"钉钉\"] # 追加")
    #expect(formatted == expected)
    // The edit covers only what changed: it starts on the severity line.
    #expect(edits.first?["range"]?.rangeNumbers.first == position(of: "severity   minor", in: messy).0)
    // Formatted text formats to nothing.
    client.notify(
      "textDocument/didChange",
      [
        "textDocument": ["uri": .string(uri), "version": 2], "contentChanges": [["text": .string(formatted)]],
      ])
    let again = client.result(
      "textDocument/formatting", ["textDocument": ["uri": .string(uri)], "options": [:]])
    #expect(again == [])
  }

  @Test func aDocumentWithSyntaxErrorsIsNotFormatted() throws {
    let client = TestClient()
    client.initialize()
    let uri = "file:///tmp/broken.policy"
    client.open(uri, "policy p {\n  zone   Asia/Shanghai\n\nrule r \"x\" {\n")
    let edits = client.result(
      "textDocument/formatting", ["textDocument": ["uri": .string(uri)], "options": [:]])
    #expect(edits == [])
    let message = client.waitFor { $0["method"]?.stringValue == "window/showMessage" }
    #expect(
      (message?["params"]?["message"]?.stringValue ?? "").contains(
        "not formatted: the document has syntax errors"))
  }

  @Test func everyDidYouMeanIsAQuickFix() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    client.initialize()
    let uri = workspace.uri("shop.policy")
    // Misspell a list, a constant, hours, a severity, a clause, a rule, a `+=` and the zone.
    let misspelt = Fixtures.policy
      .replacingOccurrences(of: "contains any contact_apps or", with: "contains any contact_aps or")
      .replacingOccurrences(of: "within reply_limit if", with: "within reply_limt if")
      .replacingOccurrences(of: "if during peak", with: "if during peek")
      .replacingOccurrences(of: "  severity minor\n", with: "  severity minr\n")
      .replacingOccurrences(of: "  clause   S-2\n", with: "  clause   S-22\n")
      .replacingOccurrences(of: "violation of no_contact", with: "violation of no_contct")
      .replacingOccurrences(of: "terms contact_apps +=", with: "terms contact_app +=")
      .replacingOccurrences(of: "zone      Asia/Shanghai", with: "zone      Asia/Shanghia")
    let diagnostics = client.open(uri, misspelt)
    #expect(
      diagnostics.filter { $0["severity"] == 1 }.count == 8, "\(diagnostics.map { $0["message"] ?? .null })")
    let whole: JSONValue = [
      "start": .position(0, 0), "end": .position(misspelt.components(separatedBy: "\n").count, 0),
    ]
    let actions =
      client.result(
        "textDocument/codeAction",
        [
          "textDocument": ["uri": .string(uri)], "range": whole,
          "context": ["diagnostics": .array(diagnostics)],
        ]
      ).arrayValue ?? []
    #expect(actions.count == 8)
    #expect(actions.allSatisfy { $0["kind"] == "quickfix" && $0["isPreferred"] == true })
    #expect(actions.contains { $0["title"] == "Replace `contact_aps` with `contact_apps`" })
    let edits = actions.flatMap { $0["edit"]?["changes"]?[uri]?.arrayValue ?? [] }
    let fixed = applying(edits, to: misspelt)
    #expect(fixed == Fixtures.policy)
    // The fixed document is clean.
    client.notify(
      "textDocument/didChange",
      ["textDocument": ["uri": .string(uri), "version": 2], "contentChanges": [["text": .string(fixed)]]])
    #expect(client.diagnostics(for: uri, version: 2).isEmpty)
    // A range elsewhere offers nothing.
    let (line, _) = position(of: "clause S-1", in: fixed)
    let none = client.result(
      "textDocument/codeAction",
      [
        "textDocument": ["uri": .string(uri)],
        "range": ["start": .position(line, 0), "end": .position(line, 3)],
        "context": ["diagnostics": []],
      ])
    #expect(none == [])
  }

  @Test func codeLensesRunARulesTestsAndShowTheResult() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    client.initialize(["capabilities": ["workspace": ["codeLens": ["refreshSupport": true]]]])
    let uri = workspace.uri("shop.policy")
    // The reply test expects the wrong event: it fails.
    let text = Fixtures.policy.replacingOccurrences(
      of: "    expect violation at 0\n", with: "    expect violation at 1\n")
    #expect(client.open(uri, text).isEmpty)
    let lenses =
      client.result("textDocument/codeLens", ["textDocument": ["uri": .string(uri)]]).arrayValue ?? []
    let titles = lenses.compactMap { $0["command"]?["title"]?.stringValue }
    #expect(titles == ["▶ run all 3 tests", "▶ run 1 test", "▶ run 1 test"])
    let replyLens = try #require(
      lenses.first { $0["command"]?["arguments"]?.arrayValue?.last == "reply_fast" })
    #expect(replyLens["range"] == range(of: "reply_fast", in: text))

    let result = client.result(
      "workspace/executeCommand",
      ["command": "policylang.runTests", "arguments": replyLens["command"]?["arguments"] ?? .null])
    #expect(result["passed"] == 0 && result["failed"] == 1)
    let failure = result["tests"]?.arrayValue?.first?["failures"]?.arrayValue?.first
    #expect(failure?["expected"] == "violation of reply_fast at 1")
    let shown = client.waitFor { $0["method"]?.stringValue == "window/showMessage" }
    let summary = shown?["params"]?["message"]?.stringValue ?? ""
    #expect(summary.hasPrefix("rule reply_fast: 0 passed, 1 failed"))
    #expect(summary.contains("shop.policy:37:3: FAIL test \"回复过晚\""))
    #expect(client.waitFor { $0["method"]?.stringValue == "workspace/codeLens/refresh" } != nil)
    // The failure is a diagnostic on its `expect` line until the document changes.
    let diagnostics = client.diagnostics(for: uri)
    #expect(diagnostics.map { $0["code"] } == ["test"])
    #expect(
      diagnostics.first?["range"]?.rangeNumbers.first
        == position(of: "expect violation at 1", in: text, occurrence: 1).0)
    let after =
      client.result("textDocument/codeLens", ["textDocument": ["uri": .string(uri)]]).arrayValue ?? []
    let afterTitles = after.compactMap { $0["command"]?["title"]?.stringValue }
    #expect(afterTitles.contains("✗ 1 of 1 failed — run again"))

    // Every test of the document: one failure of three.
    let all = client.result(
      "workspace/executeCommand", ["command": "policylang.runTests", "arguments": [.string(uri)]])
    #expect(all["passed"] == 2 && all["failed"] == 1)
  }

  @Test func testsDoNotRunOnAPolicyWithErrors() throws {
    let client = TestClient()
    client.initialize()
    let uri = "file:///tmp/errors.policy"
    client.open(
      uri,
      "policy p {\n  zone Asia/Shanghai\n}\nrule r \"x\" {\n  test \"t\" {\n    expect violation\n  }\n}\n")
    let result = client.result(
      "workspace/executeCommand", ["command": "policylang.runTests", "arguments": [.string(uri), "r"]])
    #expect((result["error"]?.stringValue ?? "").hasPrefix("cannot run the tests: the policy has"))
    let unknown = client.request(
      "workspace/executeCommand", ["command": "policylang.nothing", "arguments": []])
    #expect(unknown["error"]?["code"] == -32602)
  }
}
