// The shipped policies compiled and evaluated: every test written inside them passes on the
// compiled program, and the hand-written quickstart transcript gives the verdicts its README lists.

import Foundation
import Testing

@testable import PolicyLang

@Suite("Shipped policies")
struct ShippedPolicyTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  static func load(_ name: String) throws -> CheckedPolicy {
    let result = PolicyChecker.check(
      path: "Policies/\(name).policy", provider: DiskSourceProvider(baseDirectory: root))
    return try #require(result.policy, "\(name) does not check")
  }

  static func attachmentKind(_ type: String) -> AttachmentKind {
    AttachmentKind.allCases.first { $0.name == type } ?? .file
  }

  /// The events of a policy test as the evaluator receives them.
  static func events(_ test: CheckedTest, zone: PolicyZone) -> [Event] {
    test.events.map { e in
      let at = zone.instant(of: e.at.date, secondsOfDay: Int64(e.at.secondsOfDay))
      switch e.kind {
      case .message(let role, let auto, let text, let attachments):
        let converted = attachments.map {
          PolicyLang.Attachment(
            kind: attachmentKind($0.type), url: $0.url.map { Array($0.utf8) }, qr: $0.qr)
        }
        let message =
          text.map { Message(role: role, auto: auto, text: $0, attachments: converted) }
          ?? Message(role: role, auto: auto, attachments: converted)
        return Event(conversation: "test", shop: "shop", at: at, kind: .message(message))
      case .event(let name):
        return Event(conversation: "test", shop: "shop", at: at, kind: .event(name: ByteString(name)))
      }
    }
  }

  /// Failures of one policy test, as text (empty when it passes).
  static func failures(_ test: CheckedTest, policy: CheckedPolicy, evaluator: Evaluator) -> [String] {
    let zone = evaluator.calendar.zone
    let asOf = test.asOf.map { zone.instant(of: $0.date, secondsOfDay: Int64($0.secondsOfDay)) }
    let verdicts = evaluator.evaluate(
      run: events(test, zone: zone), asOf: asOf, includePending: false)
    var out: [String] = []
    for expectation in test.expectations {
      let rule = policy.rules[expectation.rule].name
      let hits = verdicts.filter { v in
        v.rule == rule && (expectation.at.map { v.event == $0 } ?? true)
          && (expectation.matching.map { m in (v.evidence ?? []).contains { $0.match?.contains(m) ?? false } }
            ?? true)
      }
      if expectation.negated != hits.isEmpty {
        let found = verdicts.map { "\($0.rule)@\($0.event ?? -1)" }.joined(separator: " ")
        out.append(
          "\(test.name): expect \(expectation.negated ? "no " : "")\(rule) at \(expectation.at ?? -1)"
            + " matching \(expectation.matching ?? "-"); found [\(found)]")
      }
    }
    return out
  }

  @Test(arguments: ["pinduoduo", "aliexpress"])
  func policyTestsPassOnTheCompiledProgram(_ name: String) throws {
    let policy = try Self.load(name)
    let evaluator = try Evaluator(program: try RuleProgram(compiling: policy))
    #expect(!policy.tests.isEmpty)
    for test in policy.tests {
      for failure in Self.failures(test, policy: policy, evaluator: evaluator) {
        Issue.record(Comment(rawValue: failure))
      }
    }
  }
}

extension ShippedPolicyTests {
  static func transcript(_ name: String) throws -> [Event] {
    let text = try String(
      contentsOfFile: root + "/Examples/transcripts/\(name).jsonl", encoding: .utf8)
    let decoder = EventDecoder()
    return try text.split(separator: "\n").filter { !$0.isEmpty }.map { line in
      try decoder.decode(String(line))
    }
  }

  static func summary(_ v: Verdict) -> String {
    let evidence = (v.evidence ?? []).map { "\($0.kind):\($0.match ?? "")" }.joined(separator: ",")
    return "\(v.conversation?.string ?? "-") \(v.rule) \(v.clause) \(v.severity) @\(v.event ?? -1)"
      + (evidence.isEmpty ? "" : " [\(evidence)]")
      + (v.answeredAt.map { " answered \($0)" } ?? "")
      + (v.aggregate.map { " \($0.count)/\($0.total)" } ?? "")
  }

  @Test func quickstartGivesTheReadmesVerdicts() throws {
    let policy = try Self.load("pinduoduo")
    let evaluator = try Evaluator(program: try RuleProgram(compiling: policy))
    let asOf = try Timestamp(rfc3339: "2026-12-31T00:00:00+08:00")
    let verdicts = evaluator.evaluate(
      run: try Self.transcript("quickstart"), asOf: asOf, includePending: false)
    #expect(
      verdicts.map { "\($0.conversation?.string ?? "-") \($0.rule) \($0.event ?? -1)" } == [
        "q-1 third_party_info 2", "q-2 reply_within_hour 0", "q-3 contact_after_stop 2",
      ], "\(verdicts.map(Self.summary))")
    #expect(verdicts.dropFirst().first?.answeredAt == (try Timestamp(rfc3339: "2026-11-20T11:30:00+08:00")))
  }
}

extension ShippedPolicyTests {
  static func run(_ policy: String, _ file: String) throws -> [Verdict] {
    let evaluator = try Evaluator(program: try RuleProgram(compiling: try load(policy)))
    return evaluator.evaluate(
      run: try transcript(file), asOf: try Timestamp(rfc3339: "2026-12-31T00:00:00+08:00"),
      includePending: false)
  }

  /// Examples/transcripts/README.md's tables, in verdict order.
  @Test func exampleTranscriptsGiveTheReadmesVerdicts() throws {
    let pdd = try Self.run("pinduoduo", "pinduoduo")
    #expect(pdd.count == 20)
    #expect(pdd.allSatisfy { $0.conversation?.string.hasPrefix("pdd-v-") ?? false })
    #expect(pdd.filter { $0.rule == "contact_after_stop" }.map(\.event) == [2, 3])
    #expect(
      pdd.compactMap { $0.escalation.map { "\($0.escalatedTo) \($0.reason)" } } == [
        "major 3rd minor within 30d"
      ])
    let ae = try Self.run("aliexpress", "aliexpress")
    #expect(ae.count == 13)
    #expect(
      ae.filter { $0.conversation?.string == "ae-v-refund" }.map(\.rule) == [
        "reply_speed", "after_sales_reply",
      ])
    #expect(ae.filter { $0.escalation != nil }.map { $0.conversation?.string } == ["ae-v-repeat-3"])
    let busy = try Self.run("pinduoduo", "pinduoduo-busy-day")
    #expect(busy.filter { $0.rule == "reply_within_hour" }.count == 50)
    let aggregates = busy.compactMap(\.aggregate)
    #expect(aggregates.count == 1)
    #expect(
      aggregates.first.map { ($0.count, $0.total, $0.valueTenThousandths) } ?? (0, 0, 0) == (90, 120, 7500))
    #expect(busy.last?.shop == ByteString("s-busy"))
  }
}
