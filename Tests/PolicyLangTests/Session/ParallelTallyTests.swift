// Rate tallies under several jobs: the workers count the obligations in whatever order batches
// finish, and the aggregate verdicts (and every other output) are those of a run with one job.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Parallel rate tallies")
struct ParallelTallyTests {
  typealias Base = ParallelDecodingTests

  /// Grouped lines of conversations over four shops, a few buyers and three days, each opened
  /// by a buyer and answered in time, late, or never; a buyer often has several conversations a
  /// day (one buyer-day unit), and some lines name no shop or buyer.
  static func rateLines(_ random: inout SeededRandom, conversations: Int) -> [String] {
    var lines: [String] = []
    for c in 0..<conversations {
      let shop = Int.random(in: 0..<5, using: &random)
      let shopField = shop == 4 ? "" : ",\"shop\":\"s-\(shop)\""
      let buyer = Int.random(in: 0..<4, using: &random) == 0 ? "" : ",\"buyer\":\"b-\(c % 7)\""
      var minute = Int.random(in: 0..<(3 * 1440), using: &random)
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let at = String(
          format: "2026-11-%02dT%02d:%02d:00+08:00", 20 + minute / 1440, minute % 1440 / 60, minute % 60)
        lines.append(
          "{\"conversation\":\"c-\(c)\"\(shopField)\(buyer),\"at\":\"\(at)\",\"from\":\"buyer\",\"text\":\"在吗\"}"
        )
        minute += Int.random(in: 1..<200, using: &random)
        if Int.random(in: 0..<4, using: &random) == 0 { continue }
        let reply = String(
          format: "2026-11-%02dT%02d:%02d:00+08:00", 20 + minute / 1440, minute % 1440 / 60, minute % 60)
        lines.append(
          "{\"conversation\":\"c-\(c)\",\"at\":\"\(reply)\",\"from\":\"seller\",\"agent\":\"k-1\","
            + "\"text\":\"在的\"}")
        minute = min(minute + Int.random(in: 1..<300, using: &random), 3 * 1440 - 1)
      }
    }
    return lines
  }

  @Test func aggregatesOfSeveralJobsAreThoseOfOne() throws {
    let session = EvaluationSession(evaluators: [try Fixture.evaluator(RunTests.tallyPolicy)])
    var random = SeededRandom(seed: 2718)
    var aggregates = 0
    for round in 0..<6 {
      let lines = Self.rateLines(&random, conversations: 40 + 60 * round)
      let sources: [EventSource] = [.bytes(name: "rates", EvaluationSessionTests.bytes(lines))]
      for grouped in [true, false] {
        let serial = EvaluationOptions(asOf: nil, includePending: round % 2 == 0, grouped: grouped)
        let reference = Base.observe(session, sources, serial)
        aggregates += reference.verdicts.filter { $0.verdict.aggregate != nil }.count
        for perBatch in [1, 7, 64] {
          var parallel = serial
          parallel.jobs = 2 + round % 2
          parallel.bytesPerDecodeBatch = perBatch
          #expect(Base.observe(session, sources, parallel) == reference, "round \(round), grouped \(grouped)")
          #expect(
            Base.streamed(session, sources, parallel) == Base.streamed(session, sources, serial),
            "round \(round), grouped \(grouped), \(perBatch) bytes per batch, streamed")
        }
      }
    }
    #expect(aggregates > 20)
  }
}
