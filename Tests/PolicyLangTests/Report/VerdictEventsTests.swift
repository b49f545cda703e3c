import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangReport

/// Giving each verdict its event: the index counts the conversation's events (routed to the
/// verdict's policy) sorted by (`at`, line order), error lines excluded.
@Suite struct VerdictEventsTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  /// Writes `lines` to a temporary file and reads it as events.
  func library(_ lines: [String], keeping: Set<String> = ["c"]) throws -> (EventLibrary, [String]) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("report-events-\(UUID()).jsonl")
      .path
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    var problems: [String] = []
    let library = EventLibrary.read(paths: [path], keepingTextOf: keeping) {
      problems.append($0.replacingOccurrences(of: path, with: "F"))
    }
    return (library, problems)
  }

  func verdict(
    _ event: Int, at: String, policy: String = "p", evidence: [ReportEvidence] = [], line: Int = 1,
    eventID: String? = nil
  ) throws -> ReportVerdict {
    ReportVerdict(
      policy: policy, rule: "r", clause: "C", severity: "major", shop: "s", conversation: "c", agent: nil,
      at: try ReportTime(rfc3339: at), event: event, eventID: eventID, kind: .content(evidence),
      origin: ReportLineOrigin(file: 0, line: line))
  }

  func text(_ match: VerdictEventMatch?) -> String? {
    if case .found(let event) = match { return event.message?.text }
    return nil
  }

  func texts(
    _ library: EventLibrary, _ conversation: String, _ policy: String, _ routing: EventLibrary.Routing
  )
    -> [String?]
  {
    library.timeline(of: conversation, policy: policy, routing: routing).map { library.message(of: $0)?.text }
  }

  /// Lines out of time order, two at the same instant, an offset other than +08:00, an error line
  /// and a line whose shop conflicts: the sorted order is by instant, then line order.
  @Test func numbersEventsByTimeThenLineSkippingErrorLines() throws {
    let (library, problems) = try library([
      #"{"conversation":"c","shop":"s","at":"2026-11-20T10:05:00+08:00","from":"seller","text":"second 加微信"}"#,
      #"{"conversation":"c","at":"2026-11-20T10:00:00+08:00","from":"buyer","text":"first"}"#,
      #"{"conversation":"c","at":"2026-11-20T10:06:00+08:00","from":"seller","text":"#,
      #"{"conversation":"c","at":"2026-11-20T10:05:00+08:00","from":"seller","text":"third 😀微信"}"#,
      #"{"conversation":"c","shop":"other","at":"2026-11-20T09:00:00+08:00","from":"seller","text":"conflict"}"#,
      #"{"conversation":"c","at":"2026-11-20T02:01:00Z","from":"buyer","text":"between"}"#,
      #"{"conversation":"d","at":"2026-11-20T01:00:00Z","from":"buyer","text":"other conversation"}"#,
    ])
    #expect(problems.count == 2)
    #expect(problems.first?.hasPrefix("F:3: error: invalid JSON") == true)
    #expect(
      problems.last
        == "F:5: error: shop `other` conflicts with shop `s` of an earlier line of conversation `c`")
    #expect(library.skippedLines == 2 && library.eventCount == 5 && library.conversationCount == 2)
    #expect(texts(library, "c", "p", .every) == ["first", "between", "second 加微信", "third 😀微信"])

    let verdicts = [
      try verdict(
        2, at: "2026-11-20T10:05:00+08:00", evidence: [.init(kind: "term", start: 8, end: 10, match: "微信")]),
      try verdict(
        3, at: "2026-11-20T02:05:00Z", evidence: [.init(kind: "term", start: 7, end: 9, match: "微信")]),
      try verdict(1, at: "2026-11-20T10:01:00+08:00"),
      try verdict(0, at: "2026-11-20T10:00:00+08:00"),
      try verdict(
        3, at: "2026-11-20T10:05:00+08:00", evidence: [.init(kind: "term", start: 6, end: 8, match: "微信")]),
      try verdict(9, at: "2026-11-20T10:05:00+08:00"),
      try verdict(1, at: "2026-11-20T10:00:00+08:00"),
    ]
    let matches = VerdictEvents(verdicts: verdicts, library: library, preferred: .every).matches
    #expect(text(matches[0]) == "second 加微信")
    #expect(text(matches[1]) == "third 😀微信")
    #expect(text(matches[2]) == "between")
    #expect(text(matches[3]) == "first")
    // The characters at the offsets are not the match: a scalar off (the emoji is one scalar).
    #expect(matches[4] != nil && text(matches[4]) == nil)
    #expect(matches[5] == .missing)
    // The time is not the event's.
    if case .mismatched(let event) = matches[6] {
      #expect(event.message?.text == "between")
    } else {
      Issue.record("expected a mismatch, found \(String(describing: matches[6]))")
    }
  }

  /// With several policies each numbers the events routed to it: without `platform`, or naming it.
  @Test func routesByPlatformWhenSeveralPoliciesJudged() throws {
    let (library, _) = try library([
      #"{"conversation":"c","platform":"a","at":"2026-11-20T10:00:00Z","from":"buyer","text":"a0"}"#,
      #"{"conversation":"c","platform":"b","at":"2026-11-20T10:01:00Z","from":"buyer","text":"b0"}"#,
      #"{"conversation":"c","at":"2026-11-20T10:02:00Z","from":"buyer","text":"both"}"#,
      #"{"conversation":"c","platform":"b","at":"2026-11-20T10:03:00Z","from":"buyer","text":"b1"}"#,
      #"{"conversation":"c","platform":"a","at":"2026-11-20T10:04:00Z","from":"buyer","text":"a1"}"#,
    ])
    #expect(texts(library, "c", "a", .byPlatform) == ["a0", "both", "a1"])
    #expect(texts(library, "c", "b", .byPlatform) == ["b0", "both", "b1"])
    #expect(texts(library, "c", "a", .every) == ["a0", "b0", "both", "b1", "a1"])
    #expect(texts(library, "c", "nobody", .byPlatform) == ["both"])
    let verdicts = [
      try verdict(2, at: "2026-11-20T10:04:00Z", policy: "a"),
      try verdict(2, at: "2026-11-20T10:03:00Z", policy: "b"),
      // Numbered by one policy over every event: the preferred routing does not fit, the other does.
      try verdict(3, at: "2026-11-20T10:03:00Z", policy: "a"),
    ]
    let matches = VerdictEvents(verdicts: verdicts, library: library, preferred: .byPlatform).matches
    #expect(text(matches[0]) == "a1" && text(matches[1]) == "b1" && text(matches[2]) == "b1")
  }

  /// A verdict's `event_id` must be its event's `id` when both have one: at equal times it is
  /// what tells two events apart.
  @Test func eventIDsMustAgreeWhenBothHaveOne() throws {
    let (library, _) = try library([
      #"{"conversation":"c","id":"m-1","at":"2026-11-20T10:00:00Z","from":"seller","text":"one"}"#,
      #"{"conversation":"c","id":"m-2","at":"2026-11-20T10:00:00Z","from":"seller","text":"two"}"#,
      #"{"conversation":"c","at":"2026-11-20T10:00:00Z","from":"seller","text":"three"}"#,
    ])
    let at = "2026-11-20T10:00:00Z"
    let verdicts = [
      try verdict(0, at: at, eventID: "m-1"),
      try verdict(1, at: at, eventID: "m-2"),
      try verdict(1, at: at, eventID: "m-1"),
      try verdict(2, at: at, eventID: "m-3"),
      try verdict(1, at: at),
    ]
    let matches = VerdictEvents(verdicts: verdicts, library: library, preferred: .every).matches
    #expect(text(matches[0]) == "one" && text(matches[1]) == "two")
    #expect(
      matches[2]
        == .mismatched(
          MatchedEvent(
            at: try ReportTime(rfc3339: at).instant, role: .seller,
            eventName: nil, message: LibraryMessage(utf8: Array("two".utf8), attachments: []), id: "m-2")))
    // The event has no id, or the verdict none: times and characters decide alone.
    #expect(text(matches[3]) == "three" && text(matches[4]) == "two")
  }

  @Test func dropsTextsOfConversationsWithoutVerdicts() throws {
    let (library, _) = try library(
      [
        #"{"conversation":"c","at":"2026-11-20T10:00:00Z","from":"buyer","text":"kept"}"#,
        #"{"conversation":"d","at":"2026-11-20T10:00:00Z","from":"buyer","text":"dropped"}"#,
      ], keeping: ["c"])
    #expect(texts(library, "c", "p", .every) == ["kept"])
    #expect(texts(library, "d", "p", .every) == [nil])
    #expect(library.timeline(of: "d", policy: "p", routing: .every).first?.role == .buyer)
  }

  /// Every verdict the evaluator gives on the example transcripts (lines out of order, times in
  /// `Z`, two policies) finds its event, and its evidence is at its exact characters.
  @Test func everyExampleVerdictFindsItsEvent() throws {
    let asOf = try Timestamp(rfc3339: "2026-12-31T00:00:00+08:00")
    var lines: [String] = []
    var policies: [String] = []
    for (name, files) in [("pinduoduo", ["pinduoduo", "quickstart"]), ("aliexpress", ["aliexpress"])] {
      let compiled = try CompiledPolicy(
        policyAt: "Policies/\(name).policy", provider: DiskSourceProvider(baseDirectory: Self.root))
      policies.append(name)
      for file in files {
        let events = try ShippedPolicyTests.transcript(file)
        lines += compiled.evaluate(events: events, asOf: asOf).map { compiled.jsonLine($0) }
      }
    }
    let decoder = VerdictLineDecoder()
    let verdicts = try lines.enumerated().map { index, line in
      try decoder.decode(String(line.dropLast()), origin: ReportLineOrigin(file: 0, line: index + 1))
    }
    let conversations = Set(verdicts.compactMap(\.conversation))
    let paths = ["pinduoduo", "quickstart", "aliexpress"].map {
      "\(Self.root)/Examples/transcripts/\($0).jsonl"
    }
    let library = EventLibrary.read(paths: paths, keepingTextOf: conversations) { Issue.record("\($0)") }
    let matches = VerdictEvents(verdicts: verdicts, library: library, preferred: .byPlatform).matches
    #expect(verdicts.count > 30)
    for (index, verdict) in verdicts.enumerated() where verdict.conversation != nil {
      guard case .found(let event) = matches[index] else {
        Issue.record(
          "line \(index + 1) \(verdict.conversation ?? "") event \(verdict.event ?? -1): \(String(describing: matches[index]))"
        )
        continue
      }
      let text = Array(event.message?.text.unicodeScalars ?? "".unicodeScalars)
      for item in verdict.evidence where item.attachment == nil {
        guard let start = item.start, let end = item.end else { continue }
        #expect(String(String.UnicodeScalarView(text[start..<end])) == item.match)
      }
    }
  }
}

@Suite struct ReplyDelaysTests {
  @Test func measuresEachOpeningToTheFirstLaterAnswer() throws {
    let (library, _) = try VerdictEventsTests().library([
      #"{"conversation":"c","at":"2026-11-20T10:00:00Z","from":"buyer","text":"q1"}"#,
      #"{"conversation":"c","at":"2026-11-20T10:01:00Z","from":"buyer","text":"q2"}"#,
      #"{"conversation":"c","at":"2026-11-20T10:02:00Z","from":"seller","auto":true,"text":"auto"}"#,
      #"{"conversation":"c","at":"2026-11-20T10:10:00Z","from":"seller","text":"human"}"#,
      #"{"conversation":"c","at":"2026-11-20T11:00:00Z","event":"refund_requested"}"#,
      #"{"conversation":"c","at":"2026-11-20T12:00:00Z","from":"buyer","text":"q3"}"#,
      #"{"conversation":"c","at":"2026-11-20T12:30:00Z","event":"refund_agreed"}"#,
    ])
    let events = library.timeline(of: "c", policy: "p", routing: .every)
    func measured(_ obligation: PolicyCatalog.Obligation) -> [Int64?] {
      var out: [Int64?] = []
      ReplyDelays.measure(events, ReplyDelays.MeasuredShape(obligation, library: library)) { out.append($0) }
      return out
    }
    // Latest opening first.
    #expect(measured(PolicyCatalog.Obligation(limits: [])) == [nil, 540, 600])
    #expect(measured(PolicyCatalog.Obligation(reply: .any, limits: [])) == [nil, 60, 120])
    #expect(measured(PolicyCatalog.Obligation(openingEvents: ["refund_requested"], limits: [])) == [nil])
    #expect(
      measured(
        PolicyCatalog.Obligation(
          openingEvents: ["refund_requested"], answeringEvents: ["refund_agreed"], limits: []))
        == [5400])
    #expect(measured(PolicyCatalog.Obligation(openingEvents: ["never_seen"], limits: [])) == [])

    let catalog = PolicyCatalog(
      name: "p", hasTitles: false,
      rules: [
        .init(name: "a", clause: "C", kind: "obligation", obligation: .init(limits: [.init(seconds: 300)])),
        .init(name: "b", clause: "C", kind: "obligation", obligation: .init(limits: [.init(seconds: 600)])),
      ])
    let result = ReplyDelays.fromEvents(library, catalogs: [catalog], routing: .every)
    #expect(result.map(\.rule) == ["a", "b"])
    #expect(result.allSatisfy { $0.delays == [540, 600] && $0.unanswered == 1 && $0.source == .events })
    #expect(result.map { $0.limits.first?.seconds } == [300, 600])
  }

  @Test func distributionsFromVerdictsLeaveOutPending() throws {
    let opened = try ReportTime(rfc3339: "2026-11-20T10:00:00Z")
    let answered = try ReportTime(rfc3339: "2026-11-20T11:30:00Z")
    func timing(_ answer: ReportTime?, pending: Bool = false) -> ReportVerdict {
      ReportVerdict(
        policy: "p", rule: "reply", clause: "C", severity: "minor", shop: "s", conversation: "c", agent: nil,
        at: opened, event: 0,
        kind: .timing(ReportObligation(openedAt: opened, deadline: opened, answeredAt: answer)),
        pending: pending, origin: ReportLineOrigin(file: 0, line: 1))
    }
    let limits = [PolicyCatalog.Limit(seconds: 3600)]
    let catalog = PolicyCatalog(
      name: "p", hasTitles: true,
      rules: [.init(name: "reply", clause: "C", kind: "obligation", obligation: .init(limits: limits))])
    let result = ReplyDelays.fromVerdicts(
      [timing(answered), timing(nil), timing(nil, pending: true)], catalogs: ["p": catalog])
    #expect(result.count == 1)
    #expect(result.first?.delays == [5400] && result.first?.unanswered == 1 && result.first?.limits == limits)
  }
}
