// Streaming runs: the bytes `EvaluationSession.stream` writes are exactly what writing a collecting
// run's verdicts gives, under every reading (grouped, jobs, spilled events, verdicts spooled to
// sorted temporary runs), with the same accounting.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Streaming session")
struct StreamingSessionTests {
  typealias Base = EvaluationSessionTests

  /// The bytes of a collecting run's verdicts, as `policyc eval` wrote them before streaming.
  static func written(_ outcome: SessionOutcome, _ session: EvaluationSession) -> [UInt8] {
    var writer = VerdictWriter()
    session.write(outcome.verdicts, to: &writer)
    return writer.bytes
  }

  static func stream(
    _ session: EvaluationSession, _ sources: [EventSource], _ options: EvaluationOptions
  ) -> (SessionOutcome, [UInt8], Int) {
    var out: [UInt8] = []
    var calls = 0
    let outcome = session.stream(sources, options: options) { bytes throws(OutputError) in
      out += bytes
      calls += 1
    }
    return (outcome, out, calls)
  }

  @Test func streamedBytesMatchCollectedVerdictsUnderEveryReading() throws {
    let session = EvaluationSession(evaluators: [
      try Base.evaluator("pinduoduo"), try Base.evaluator("aliexpress"),
    ])
    var random = SeededRandom(seed: 909)
    var escalated = false
    for round in 0..<5 {
      var lines: [(conversation: Int, line: String)] = []
      for tick in 0..<400 {
        let c = Int.random(in: 0..<40, using: &random)
        var line = Base.goodLine(c, &random, tick: tick * 89 % 36_000)
        if c % 7 == 0 { line = line.replacingOccurrences(of: "{", with: "{\"platform\":\"aliexpress\",") }
        lines.append((c, line))
      }
      let base = EvaluationOptions(asOf: Base.asOf, includePending: round % 2 == 1)
      let all = Base.bytes(lines.map(\.line))
      let reference = session.run([.bytes(name: "a", all)], options: base)
      let expected = Self.written(reference, session)
      #expect(!reference.verdicts.isEmpty)
      if String(decoding: expected, as: UTF8.self).contains("escalated_to") { escalated = true }
      let grouped = Base.bytes(
        lines.enumerated().sorted {
          ($0.element.conversation, $0.offset) < ($1.element.conversation, $1.offset)
        }.map(\.element.line))
      var variants: [(String, EventSource, EvaluationOptions)] = [
        ("interleaved", .bytes(name: "a", all), base)
      ]
      var o = base
      o.grouped = true
      variants.append(("grouped", .bytes(name: "g", grouped), o))
      o.jobs = 3
      variants.append(("grouped jobs 3", .bytes(name: "g", grouped), o))
      // A tiny memory limit spools verdicts to many sorted runs (and spills events).
      o.memoryLimit = 16 + round * 3000
      variants.append(("grouped spooled", .bytes(name: "g", grouped), o))
      o.grouped = false
      o.jobs = 1
      variants.append(("interleaved spilled and spooled", .bytes(name: "a", all), o))
      for (name, source, options) in variants {
        let (outcome, bytes, _) = Self.stream(session, [source], options)
        #expect(bytes == expected, "round \(round): \(name)")
        #expect(outcome.stats == reference.stats, "round \(round): \(name)")
        #expect(outcome.hasViolation == reference.hasViolation, "round \(round): \(name)")
        #expect(outcome.internalErrors.isEmpty && outcome.outputError == nil, "round \(round): \(name)")
        #expect(outcome.verdicts.isEmpty)
      }
    }
    #expect(escalated, "the corpus should exercise escalation")
  }

  /// More conversations than one batch holds: several batches in flight at once, kept in order.
  @Test func manyBatchesInFlightGiveTheSameBytes() throws {
    let session = EvaluationSession(evaluators: [try Base.evaluator("pinduoduo")])
    var random = SeededRandom(seed: 77)
    let conversations = 512 * 3 + 17
    var lines: [String] = []
    for c in 0..<conversations {
      for k in 0..<(1 + c % 2) { lines.append(Base.goodLine(c, &random, tick: (c * 2 + k) % 36_000)) }
    }
    let all = Base.bytes(lines)
    let base = EvaluationOptions(asOf: Base.asOf, grouped: true)
    let reference = session.run([.bytes(name: "g", all)], options: base)
    let expected = Self.written(reference, session)
    for jobs in [2, 3] {
      for grouped in [true, false] {
        var options = base
        options.jobs = jobs
        options.grouped = grouped
        let (outcome, bytes, _) = Self.stream(session, [.bytes(name: "g", all)], options)
        #expect(bytes == expected, "jobs \(jobs), grouped \(grouped)")
        #expect(outcome.stats == reference.stats, "jobs \(jobs), grouped \(grouped)")
        let collected = session.run([.bytes(name: "g", all)], options: options)
        #expect(collected.verdicts == reference.verdicts, "jobs \(jobs), grouped \(grouped)")
      }
    }
  }

  @Test func aFailingOutputIsReportedAndNotCalledAgain() throws {
    let session = EvaluationSession(evaluators: [try Base.evaluator("pinduoduo")])
    var random = SeededRandom(seed: 5)
    let lines = (0..<200).map { i in Base.goodLine(i % 20, &random, tick: i * 31) }
    var calls = 0
    let outcome = session.stream(
      [.bytes(name: "f", Base.bytes(lines))], options: EvaluationOptions(asOf: Base.asOf)
    ) { _ throws(OutputError) in
      calls += 1
      throw OutputError(reason: "Broken pipe")
    }
    #expect(outcome.outputError == OutputError(reason: "Broken pipe"))
    #expect(calls == 1)
    #expect(outcome.stats.verdictsWritten > 0)
  }

  @Test func strictStopWritesNothing() throws {
    let session = EvaluationSession(evaluators: [try Base.evaluator("pinduoduo")])
    var random = SeededRandom(seed: 8)
    let lines = (0..<5).map { _ in Base.goodLine(1, &random) } + ["[]"]
    let (outcome, bytes, calls) = Self.stream(
      session, [.bytes(name: "s", Base.bytes(lines))], EvaluationOptions(asOf: Base.asOf, strict: true))
    #expect(outcome.stoppedAtErrorLine && bytes.isEmpty && calls == 0)
    #expect(outcome.stats.verdictsWritten == 0 && !outcome.hasViolation)
  }

  @Test func spoolMergesRunsInConversationOrder() throws {
    // A budget below the minimum: runs of the minimum's size, here one run per 64 KiB.
    let spool = VerdictSpool(budget: 1)
    var expected: [(key: VerdictSpool.Key, id: Int, text: String)] = []
    var random = SeededRandom(seed: 3)
    // Enough bytes for more runs than one merge takes at once: the merge goes in two passes.
    let padding = String(repeating: "x", count: 2000)
    for id in 0..<(VerdictSpool.fanIn * 40) {
      let key = VerdictSpool.Key(
        conversation: ByteString("c-\(Int.random(in: 0...300, using: &random))"),
        event: Int.random(in: 0...5, using: &random),
        policy: Int.random(in: 0...1, using: &random),
        rule: Int.random(in: 0...3, using: &random))
      let text = "\(id) \(padding)"
      Array(text.utf8).withUnsafeBytes { _ = spool.add(key, bytes: $0) }
      expected.append((key, id, text))
    }
    expected.sort { $0.key != $1.key ? $0.key < $1.key : $0.id < $1.id }
    var got: [(id: Int, text: String)] = []
    var merge = try SpoolMerge(spool.sources())
    try merge.forEach { _, _, id, bytes in got.append((id, String(decoding: bytes, as: UTF8.self))) }
    #expect(got.map(\.id) == expected.map(\.id))
    #expect(got.map(\.text) == expected.map(\.text))
    #expect(spool.failure == nil)
  }

  @Test func aTinyBudgetStillWritesRunsOfTheMinimumSize() {
    // One run per verdict made the final merge quadratic: a budget of 1 byte must still give runs
    // of `minimumBudget` bytes, so the number of runs follows the bytes, not the verdicts.
    let spool = VerdictSpool(budget: 1)
    let text = Array(String(repeating: "v", count: 90).utf8)
    let verdicts = 20_000
    for id in 0..<verdicts {
      let key = VerdictSpool.Key(conversation: ByteString("c-\(id)"), event: 0, policy: 0, rule: 0)
      text.withUnsafeBytes { _ = spool.add(key, bytes: $0) }
    }
    #expect(spool.runCount >= 1)
    #expect(spool.runCount <= verdicts * text.count / VerdictSpool.minimumBudget + 1)
    #expect(spool.failure == nil)
  }
}
