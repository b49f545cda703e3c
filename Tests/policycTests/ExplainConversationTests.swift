import Foundation
import Testing

@Suite struct ExplainConversationTests {
  static let testdata = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("testdata")

  /// Golden timelines of the quickstart conversations in both languages.
  @Test(arguments: [("q-1", "en"), ("q-2", "en"), ("q-3", "zh")])
  func timelineMatchesGolden(conversation: String, lang: String) throws {
    let result = try PolicycBinary.run(
      [
        "explain", "--policy", "Policies/pinduoduo.policy", "Examples/transcripts/quickstart.jsonl",
        "--conversation", conversation, "--as-of", "2026-12-01T00:00:00+08:00", "--lang", lang,
      ], cwd: repositoryRoot)
    #expect(result.status == 0, "\(result.stderr)")
    let golden = Self.testdata.appendingPathComponent("explain-\(conversation)-\(lang).txt")
    if ProcessInfo.processInfo.environment["POLICYLANG_RECORD"] == "1" {
      try Data(result.stdout.utf8).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    #expect(result.stdout == (try String(contentsOf: golden, encoding: .utf8)))
  }

  /// An obligation whose trigger reads a history condition (`not within 30m after message`): the
  /// timeline lists the obligations `eval` judges, no more and no fewer. The buyer's second
  /// message, 5 minutes after the first, opens none.
  @Test func obligationsOfAHistoryTriggerAreThoseEvalJudges() throws {
    let lines = [
      #"{"conversation":"u-1","shop":"s-1","at":"2026-11-20T10:00:00-05:00","from":"buyer","text":"Is this in stock?"}"#,
      #"{"conversation":"u-1","shop":"s-1","at":"2026-11-20T10:05:00-05:00","from":"buyer","text":"Hello?"}"#,
      #"{"conversation":"u-1","shop":"s-1","at":"2026-11-20T12:00:00-05:00","from":"buyer","text":"Anyone there?"}"#,
      #"{"conversation":"u-1","shop":"s-1","at":"2026-11-20T13:30:00-05:00","from":"seller","text":"In stock."}"#,
    ]
    let result = try PolicycBinary.run(
      [
        "explain", "--policy", "Policies/examples/us-marketplace.policy", "-", "--conversation", "u-1",
        "--as-of", "2026-12-01T00:00:00-05:00", "--lang", "en",
      ], stdin: Data(lines.joined(separator: "\n").utf8), cwd: repositoryRoot)
    #expect(result.status == 0, "\(result.stderr)")
    let golden = Self.testdata.appendingPathComponent("explain-u-1-history-en.txt")
    if ProcessInfo.processInfo.environment["POLICYLANG_RECORD"] == "1" {
      try Data(result.stdout.utf8).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    #expect(result.stdout == (try String(contentsOf: golden, encoding: .utf8)))
  }

  /// An event `eval` refuses (its shop differs from the conversation's, which the earlier event
  /// set) is left out of the timeline, as `eval` leaves it out, and the note says so.
  @Test func eventsEvalRefusesAreLeftOut() throws {
    let lines = [
      #"{"conversation":"u-2","shop":"s-1","at":"2026-11-20T10:00:00-05:00","from":"buyer","text":"Is this in stock?"}"#,
      #"{"conversation":"u-2","shop":"s-2","at":"2026-11-20T10:01:00-05:00","from":"seller","text":"Yes."}"#,
    ]
    let result = try PolicycBinary.run(
      [
        "explain", "--policy", "Policies/examples/us-marketplace.policy", "-", "--conversation", "u-2",
        "--as-of", "2026-12-01T00:00:00-05:00", "--lang", "en",
      ], stdin: Data(lines.joined(separator: "\n").utf8), cwd: repositoryRoot)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("note: 1 events were refused and are not shown"))
    #expect(result.stdout.contains("Is this in stock?"))
    #expect(!result.stdout.contains("Yes."))
    // The buyer's question stays unanswered: the refused reply answers nothing.
    #expect(result.stdout.contains("first_reply"))
  }

  @Test func unknownConversationFails() throws {
    let result = try PolicycBinary.run(
      [
        "explain", "--policy", "Policies/pinduoduo.policy", "Examples/transcripts/quickstart.jsonl",
        "--conversation", "nope",
      ], cwd: repositoryRoot)
    #expect(result.status == 1)
    #expect(result.stderr.contains("no events of conversation `nope`"))
  }

  @Test func aVerdictWithSeveralMatchesIsListedOnce() throws {
    // Two recruiting-ad phrases in one message: a caret line for each, the rule's line once.
    let result = try PolicycBinary.run(
      [
        "explain", "--policy", "Policies/pinduoduo.policy", "Examples/transcripts/pinduoduo.jsonl",
        "--conversation", "pdd-v-ads", "--as-of", "2026-12-01T00:00:00+08:00", "--lang", "en",
      ], cwd: repositoryRoot)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.filter { $0.contains("^") && $0.contains("term") }.count == 2, "\(result.stdout)")
    #expect(lines.filter { $0.contains("unrelated_ads (PDD-2.5") }.count == 1, "\(result.stdout)")
  }
}
