// The shipped policies compiled and evaluated: every test written inside them passes on the
// compiled program, and the hand-written quickstart transcript gives the verdicts its README lists.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Shipped policies")
struct ShippedPolicyTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  static func load(_ name: String) throws -> CheckedPolicy {
    let result = PolicyChecker.check(
      path: "Policies/\(name).policy", provider: DiskSourceProvider(baseDirectory: root))
    return try #require(result.policy, "\(name) does not check")
  }

  @Test(arguments: ["pinduoduo", "aliexpress"])
  func policyTestsPassOnTheCompiledProgram(_ name: String) throws {
    let policy = try Self.load(name)
    let outcomes = try PolicyTestRunner.run(policy)
    #expect(!outcomes.isEmpty)
    for outcome in outcomes {
      for failure in outcome.failures {
        Issue.record(
          Comment(
            rawValue:
              "\(outcome.name): expected \(failure.expected); found [\(failure.actual.joined(separator: "; "))]"
          ))
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
