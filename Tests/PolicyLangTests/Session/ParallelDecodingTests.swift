// Parallel decoding of grouped runs: workers split and decode batches of lines cut at changes of
// conversation; whatever the cuts, the verdicts, accounting and error lines (text and order) are
// those of a run that decodes every line on the reading thread.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Parallel decoding")
struct ParallelDecodingTests {
  typealias Base = EvaluationSessionTests

  /// Grouped input with every kind of trouble: error lines, blank and too-long lines, ids written
  /// with escapes (the same id to the decoder, not to the cutter), shop conflicts, conversations
  /// that come back after another began, and platforms that name no policy.
  static func messyGroupedLines(_ random: inout SeededRandom) -> [String] {
    var lines: [String] = []
    var tick = 0
    let conversations = Int.random(in: 5..<40, using: &random)
    for c in 0..<conversations {
      for _ in 0..<Int.random(in: 1..<7, using: &random) {
        tick += 1
        var line = Base.goodLine(c, &random, tick: tick * 131 % 36_000)
        switch Int.random(in: 0..<40, using: &random) {
        case 0: line = Base.badLines.randomElement(using: &random) ?? line
        case 1: line = ""
        case 2: line += String(repeating: " ", count: 600)
        case 3, 4:
          line = line.replacingOccurrences(of: "\"conversation\":\"c-", with: "\"conversation\":\"c\\u002d")
        case 5: line = line.replacingOccurrences(of: "\"at\":", with: "\"shop\":\"s-other\",\"at\":")
        case 6 where c > 0:
          // A line of an earlier conversation: not grouped.
          line = Base.goodLine(Int.random(in: 0..<c, using: &random), &random, tick: tick * 131 % 36_000)
        case 7: line = line.replacingOccurrences(of: "{", with: "{\"platform\":\"nowhere\",")
        case 8: line = line.replacingOccurrences(of: "{", with: "{\"platform\":\"aliexpress\",")
        case 9: line = "  " + line
        default: break
        }
        lines.append(line)
      }
    }
    return lines
  }

  struct Observed: Equatable {
    var verdicts: [SessionVerdict]
    var stats: EvalStats
    var problems: [String]
  }

  static func observe(
    _ session: EvaluationSession, _ sources: [EventSource], _ options: EvaluationOptions
  ) -> Observed {
    var problems: [String] = []
    let outcome = session.run(sources, options: options) { problems.append($0.rendered) }
    return Observed(verdicts: outcome.verdicts, stats: outcome.stats, problems: problems)
  }

  static func streamed(
    _ session: EvaluationSession, _ sources: [EventSource], _ options: EvaluationOptions
  ) -> [UInt8] {
    var bytes: [UInt8] = []
    _ = session.stream(sources, options: options) { bytes += $0 }
    return bytes
  }

  @Test func cutsAnywhereGiveTheSerialRun() throws {
    let session = EvaluationSession(evaluators: [
      try Base.evaluator("pinduoduo"), try Base.evaluator("aliexpress"),
    ])
    var random = SeededRandom(seed: 909)
    var checkedReplays = false
    for round in 0..<12 {
      let lines = Self.messyGroupedLines(&random)
      let split = Int.random(in: 0...lines.count, using: &random)
      let sources: [EventSource] =
        round % 3 == 0
        ? [.bytes(name: "all", Base.bytes(lines))]
        : [
          .bytes(name: "one", Base.bytes(Array(lines[..<split]))),
          .bytes(name: "two", Base.bytes(Array(lines[split...]))),
        ]
      var serial = EvaluationOptions(asOf: Base.asOf, includePending: round % 2 == 0, grouped: true)
      serial.maxLineLength = 500
      let reference = Self.observe(session, sources, serial)
      #expect(reference.stats.isBalanced)
      if reference.problems.contains(where: { $0.contains("continues after another began") }) {
        checkedReplays = true
      }
      for perBatch in [1, 2, 3, 5, 8, 4096] {
        var parallel = serial
        parallel.jobs = 2 + round % 2
        parallel.bytesPerDecodeBatch = perBatch
        // Chunks smaller than a line as well: lines and conversations split between chunks.
        parallel.decodeChunkBytes = [1 << 20, 100, 700][perBatch % 3]
        let observed = Self.observe(session, sources, parallel)
        #expect(observed == reference, "round \(round), \(perBatch) bytes per batch")
        #expect(
          Self.streamed(session, sources, parallel) == Self.streamed(session, sources, serial),
          "round \(round), \(perBatch) bytes per batch, streamed")
      }
    }
    #expect(checkedReplays)
  }

  @Test func plainIDsAreFoundOnlyWithoutEscapes() {
    func id(_ line: String) -> String? {
      let bytes = Array(line.utf8)
      return bytes.withUnsafeBufferPointer { buffer in
        SessionRun.plainID(buffer).map { String(decoding: bytes[$0], as: UTF8.self) }
      }
    }
    #expect(id(#"{"conversation":"c-1","at":"x"}"#) == "c-1")
    #expect(id(#"{"conversation":"","at":"x"}"#) == "")
    #expect(id(#"{"conversation":"c\u002d1","at":"x"}"#) == nil)
    #expect(id(#"{"at":"x","conversation":"c-1"}"#) == nil)
    #expect(id(#"{"conversation":"c-1"#) == nil)
    #expect(id(#" {"conversation":"c-1"}"#) == nil)
    #expect(id(#"{"conversation":'c-1","at":"x"}"#) == nil)
    #expect(id(#"{"Conversation":"c-1","at":"x"}"#) == nil)
    // The words compared are the prefix's bytes.
    let prefix = SessionRun.plainPrefix
    #expect(prefix.count == 17 && prefix[16] == 0x22)
    prefix.withUnsafeBytes { raw in
      #expect(UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) == SessionRun.plainPrefixHead)
      #expect(
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
          == SessionRun.plainPrefixTail)
    }
  }
}
