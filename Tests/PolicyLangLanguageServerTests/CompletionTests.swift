import Foundation
import PolicyLang
import Testing

@testable import PolicyLangLanguageServer

/// Completion at the places the grammar gives a choice: keywords valid at the cursor, names in
/// scope by kind, clause ids and detectors.
@Suite struct CompletionTests {
  /// The labels offered when `insertion` is typed at the end of the line holding `anchor`
  /// (inserted after the anchor's text), in the fixture policy with its library on disk.
  private func labels(
    typing insertion: String, after anchor: String, newLine: Bool = false
  ) throws -> [String] {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    client.initialize()
    let uri = workspace.uri("shop.policy")
    let (line, character) = position(of: anchor, in: Fixtures.policy, offset: anchor.utf16.count)
    let prefix = newLine ? "\n" : ""
    let text = applying(
      [
        [
          "range": ["start": .position(line, character), "end": .position(line, character)],
          "newText": .string(prefix + insertion),
        ]
      ],
      to: Fixtures.policy)
    client.open(uri, text)
    let cursorLine = newLine ? line + 1 : line
    let cursorCharacter = newLine ? insertion.utf16.count : character + insertion.utf16.count
    let result = client.result("textDocument/completion", .at(uri, cursorLine, cursorCharacter))
    return (result["items"]?.arrayValue ?? []).compactMap { $0["label"]?.stringValue }
  }

  @Test func namesOfTheKindTheGrammarExpects() throws {
    #expect(
      try labels(typing: " or contains any ", after: "contains url outside allowed") == [
        "contact_apps", "stop_words",
      ])
    #expect(
      try labels(typing: " or contains url outside ", after: "contains url outside allowed") == ["allowed"])
    #expect(
      try labels(typing: ", within 2h if during ", after: "within reply_limit if during peak") == ["peak"])
    #expect(try labels(typing: " except ", after: "terms contact_apps += [\"钉钉\"]") == ["holidays"])
    // After `within`, constants that are durations; after `up to`, lengths.
    #expect(
      try labels(typing: " counting only during peak within ", after: "if during peak") == ["reply_limit"])
    #expect(try labels(typing: " up to ", after: "allow reply within 10m") == ["min_length"])
  }

  @Test func clauseIDsSeveritiesAndRules() throws {
    #expect(
      try labels(typing: "  clause ", after: "rule stop \"停止联系\" {", newLine: true) == ["S-1", "S-2", "S-3"])
    #expect(
      try labels(typing: "  severity ", after: "rule stop \"停止联系\" {", newLine: true) == ["minor", "major"])
    #expect(
      try labels(
        typing: "  expect violation of ", after: "expect violation of no_contact at 0", newLine: true)
        == ["no_contact", "reply_fast", "stop"])
    // A clause written at the start of a top-level line declares a new one: nothing to offer.
    #expect(try labels(typing: "clause ", after: "clause S-3 \"处罚\" sanction", newLine: true) == [])
  }

  @Test func keywordsValidAtTheCursor() throws {
    let detectors = try labels(typing: " or contains ", after: "contains url outside allowed")
    #expect(detectors == ["any", "at", "url", "email", "phone", "bank_card", "qr_code", "address"])
    let afterIn = try labels(typing: " or contains phone in ", after: "contains url outside allowed")
    #expect(afterIn == ["cn", "us", "sg", "my", "ph", "tw", "intl"])
    let afterPhone = try labels(typing: " or contains phone ", after: "contains url outside allowed")
    #expect(afterPhone.first == "in" && afterPhone.contains("and"))
    let nearWhat = try labels(
      typing: " or contains any contact_apps near ", after: "contains url outside allowed")
    #expect(nearWhat == ["account", "any"])
    let senders = try labels(typing: " and from ", after: "contains url outside allowed")
    #expect(senders == ["human", "auto", "buyer", "seller", "platform", "system"])
    let topLevel = try labels(typing: "", after: "clause S-3 \"处罚\" sanction", newLine: true)
    #expect(topLevel == Keyword.reserved.map(\.spelling))
    let ruleItems = try labels(typing: "  ", after: "rule stop \"停止联系\" {", newLine: true)
    #expect(ruleItems.starts(with: ["clause", "severity", "when", "every", "rate", "manual", "test"]))
    let testItems = try labels(typing: "    ", after: "seller 10:00 \"加我薇信\"", newLine: true)
    #expect(testItems == ["buyer", "seller", "platform", "system", "event", "expect", "as"])
    let clauseKinds = try labels(
      typing: "clause S-4 \"新条款\" ", after: "clause S-3 \"处罚\" sanction", newLine: true)
    #expect(
      clauseKinds == [
        "content", "timeline", "aggregate", "sanction", "manual", "definition", "informational",
      ])
  }

  @Test func nothingInsideStringsAndComments() throws {
    #expect(try labels(typing: " # contains any ", after: "terms contact_apps += [\"钉钉\"]") == [])
    #expect(try labels(typing: "", after: "buyer  10:00 \"在") == [])
  }

  @Test func aPartlyTypedNameIsReplacedWhole() throws {
    let workspace = try Fixtures.workspace()
    defer { workspace.remove() }
    let client = TestClient()
    client.initialize()
    let uri = workspace.uri("shop.policy")
    let text = Fixtures.policy.replacingOccurrences(
      of: "containing any contact_apps", with: "containing any cont")
    client.open(uri, text)
    let (line, character) = position(of: "containing any cont", in: text, offset: 19)
    let items = client.result("textDocument/completion", .at(uri, line, character))["items"]?.arrayValue ?? []
    let item = try #require(items.first { $0["label"] == "contact_apps" })
    #expect(item["textEdit"]?["range"] == range(of: "cont\n", in: text).replacingEnd(by: -1))
    #expect((item["documentation"]?["value"]?.stringValue ?? "").contains("term list, 4 entries"))
  }
}
