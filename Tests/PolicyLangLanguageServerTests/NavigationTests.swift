import Foundation
import Testing

@testable import PolicyLangLanguageServer

/// Hover, go to definition, find references and the outline, over a policy and its library.
@Suite struct NavigationTests {
  /// A server with the fixture policy and its library open.
  private func start() throws -> (TestClient, Workspace) {
    let workspace = try Fixtures.workspace()
    let client = TestClient()
    client.initialize()
    #expect(client.open(workspace.uri("shop.policy"), Fixtures.policy).isEmpty)
    client.open(workspace.uri("lib/shared.policy"), Fixtures.library)
    return (client, workspace)
  }

  private func hover(
    _ client: TestClient, _ uri: String, _ text: String, _ needle: String, occurrence: Int = 0
  ) -> String {
    let (line, character) = position(of: needle, in: text, occurrence: occurrence, offset: 1)
    let result = client.result("textDocument/hover", .at(uri, line, character))
    return result["contents"]?["value"]?.stringValue ?? ""
  }

  @Test func hoverShowsWhatANameIs() throws {
    let (client, workspace) = try start()
    defer { workspace.remove() }
    let uri = workspace.uri("shop.policy")
    let text = Fixtures.policy
    // A clause cited in a rule: its title and kind.
    let clause = hover(client, uri, text, "S-1", occurrence: 1)
    #expect(clause.contains("不得发布第三方联系方式"))
    #expect(clause.contains("`content`: a clause about what a message says"))
    // A list: its size (3 from the library, 1 from `+=`) and first terms, and where it is declared.
    let list = hover(client, uri, text, "contact_apps", occurrence: 1)
    #expect(list.contains("term list, 4 entries: 联系方式"))
    #expect(list.contains("`微信`, `QQ号`, `𠮷信`, `钉钉`"))
    #expect(list.contains("1 added with `+=`"))
    #expect(list.contains("declared in `lib/shared.policy:2:7`"))
    // A constant's value and unit.
    #expect(hover(client, uri, text, "reply_limit").contains("a duration: 1 h"))
    #expect(hover(client, uri, text, "min_length").contains("a length: 12 characters"))
    // An hours window.
    let hours = hover(client, uri, text, "peak")
    #expect(hours.contains("mon-fri: 08:00-12:00, 13:00-24:00"))
    #expect(hours.contains("except the dates of `holidays`"))
    // A severity, a rule, a domain list.
    let severity = hover(client, uri, text, "major", occurrence: 2)
    #expect(severity.contains("sanction: 扣分") && severity.contains("severity 2 of 2"))
    let rule = hover(client, uri, text, "no_contact", occurrence: 1)
    #expect(rule.contains("不得发布联系方式") && rule.contains("message rule"))
    #expect(hover(client, uri, text, "allowed").contains("domain list, 1 domains"))
    // A keyword: its one-line meaning.
    #expect(hover(client, uri, text, "contains").hasPrefix("`contains` — `contains any LIST`"))
    // File strings: a library's declarations, a word list's entries.
    #expect(hover(client, uri, text, "lib/shared.policy") == "`lib/shared.policy` — library, 7 declarations")
    let library = workspace.uri("lib/shared.policy")
    #expect(hover(client, library, Fixtures.library, "stop.txt") == "`stop.txt` — word list, 2 entries")
    // Nothing under the cursor: null.
    let (line, _) = position(of: "policy shop", in: text)
    #expect(client.result("textDocument/hover", .at(uri, line + 4, 0)) == .null)
  }

  @Test func hoverOverADiagnosticExplainsItsCode() throws {
    let client = TestClient()
    client.initialize(["capabilities": [:], "locale": "zh"])
    let text = "policy p {\n  zone Asia/Shanghai\n}\nconst limit = 24\n"
    let uri = "file:///tmp/explain.policy"
    client.open(uri, text)
    let (line, character) = position(of: "limit", in: text, offset: 1)
    let value =
      client.result("textDocument/hover", .at(uri, line, character))["contents"]?["value"]?.stringValue ?? ""
    #expect(value.contains("**W0602** (警告)"), "\(value)")
    #expect(value.contains("示例"))
  }

  @Test func definitionGoesToEveryKindOfDeclaration() throws {
    let (client, workspace) = try start()
    defer { workspace.remove() }
    let uri = workspace.uri("shop.policy")
    let library = workspace.uri("lib/shared.policy")
    let text = Fixtures.policy
    let cases:
      [(needle: String, occurrence: Int, uri: String, text: String, target: String, targetOccurrence: Int)] =
        [
          ("contact_apps", 1, library, Fixtures.library, "contact_apps", 0),
          ("allowed", 0, library, Fixtures.library, "allowed", 0),
          ("reply_limit", 0, library, Fixtures.library, "reply_limit", 0),
          ("peak", 0, library, Fixtures.library, "peak", 0),
          ("stop_words", 0, library, Fixtures.library, "stop_words", 0),
          ("S-2", 1, uri, text, "S-2", 0),
          ("minor", 2, uri, text, "minor", 0),
          ("major", 1, uri, text, "major", 0),
          ("no_contact", 1, uri, text, "no_contact", 0),
        ]
    for c in cases {
      let (line, character) = position(of: c.needle, in: text, occurrence: c.occurrence, offset: 1)
      let location = client.result("textDocument/definition", .at(uri, line, character))
      #expect(location["uri"]?.stringValue == c.uri, "\(c.needle)")
      #expect(
        location["range"] == range(of: c.target, in: c.text, occurrence: c.targetOccurrence), "\(c.needle)")
    }
    // `holidays` is used in the library: from there to its declaration.
    let (line, character) = position(of: "holidays", in: Fixtures.library, offset: 2)
    let holidays = client.result("textDocument/definition", .at(library, line, character))
    #expect(holidays["range"] == range(of: "holidays", in: Fixtures.library, occurrence: 1))
    // Files: the import string opens the library, a word-list string the list.
    let (importLine, importCharacter) = position(of: "lib/shared", in: text)
    let imported = client.result("textDocument/definition", .at(uri, importLine, importCharacter))
    #expect(imported["uri"]?.stringValue == library)
    #expect(imported["range"]?.rangeNumbers == [0, 0, 0, 0])
    let (listLine, listCharacter) = position(of: "stop.txt", in: Fixtures.library)
    let list = client.result("textDocument/definition", .at(library, listLine, listCharacter))
    #expect(list["uri"]?.stringValue == workspace.uri("lib/stop.txt"))
  }

  @Test func referencesFindEveryUseAcrossFiles() throws {
    let (client, workspace) = try start()
    defer { workspace.remove() }
    let uri = workspace.uri("shop.policy")
    let library = workspace.uri("lib/shared.policy")
    let text = Fixtures.policy
    let (line, character) = position(of: "contact_apps", in: text, occurrence: 1, offset: 3)
    let params: JSONValue = [
      "textDocument": ["uri": .string(uri)], "position": .position(line, character),
      "context": ["includeDeclaration": true],
    ]
    let locations = client.result("textDocument/references", params).arrayValue ?? []
    let expected: [JSONValue] = [
      ["uri": .string(library), "range": range(of: "contact_apps", in: Fixtures.library)],
      ["uri": .string(uri), "range": range(of: "contact_apps", in: text, occurrence: 0)],
      ["uri": .string(uri), "range": range(of: "contact_apps", in: text, occurrence: 1)],
      ["uri": .string(uri), "range": range(of: "contact_apps", in: text, occurrence: 2)],
    ]
    #expect(Set(locations) == Set(expected))
    #expect(locations.count == expected.count)
    // Without declarations: the `+=` and the two uses.
    let withoutDeclaration: JSONValue = [
      "textDocument": ["uri": .string(uri)], "position": .position(line, character),
      "context": ["includeDeclaration": false],
    ]
    let uses = client.result("textDocument/references", withoutDeclaration).arrayValue ?? []
    #expect(uses.count == 2)
    // A severity: its declaration, the rule that uses it and the escalation.
    let (sLine, sCharacter) = position(of: "minor", in: text, offset: 1)
    let minor = client.result("textDocument/references", .at(uri, sLine, sCharacter)).arrayValue ?? []
    #expect(minor.count == 3)
  }

  @Test func outlineListsDeclarationsWithTestsUnderTheirRules() throws {
    let (client, workspace) = try start()
    defer { workspace.remove() }
    let symbols =
      client.result(
        "textDocument/documentSymbol", ["textDocument": ["uri": .string(workspace.uri("shop.policy"))]]
      )
      .arrayValue ?? []
    let names = symbols.compactMap { $0["name"]?.stringValue }
    #expect(
      names == [
        "shop", "S-1", "S-2", "S-3", "minor", "major", "escalate 3 minor within 30d to major clause S-3",
        "contact_apps", "no_contact", "reply_fast", "stop", "test \"顶层测试 😀\"",
      ])
    let rule = try #require(symbols.first { $0["name"] == "no_contact" })
    #expect(rule["kind"] == 12)
    #expect(rule["children"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["test \"微信\""])
    #expect(rule["selectionRange"] == range(of: "no_contact", in: Fixtures.policy))
    let header = try #require(symbols.first)
    // The header's range ends after `}` on line 3.
    #expect(header["range"]?.rangeNumbers == [0, 0, 3, 1])
  }
}
