// The online evaluator (one event at a time, a small state between events) against the
// whole-conversation evaluator it replaces, on random policies and random conversations in any
// line order: the same verdicts, and the same obligations settled for the rates.

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Online evaluation vs whole-conversation evaluation")
struct OnlineDifferentialTests {
  @Test func randomConversationsAgree() throws {
    var compared = 0
    for seed in UInt64(1)...120 {
      var random = RandomPolicy(rng: SeededRandom(seed: seed))
      let policy = random.policy()
      let evaluator = try Fixture.evaluator(policy)
      for c in 0..<25 {
        var events = random.events(conversation: "c-\(c)")
        for k in events.indices where random.chance(40) { events[k].id = ByteString("m-\(k)") }
        if random.chance(50) { events.shuffle(using: &random.rng) }
        let asOf: Timestamp? = random.chance(30) ? nil : Fixture.at("2026-11-2\(random.int(0...3)) 12:00")
        let pending = random.chance(50)
        let batch = evaluator.evaluate(conversation: events, asOf: asOf, includePending: pending)
        let online = evaluator.judge(
          conversation: events, horizon: Horizon(asOf: asOf, includePending: pending))
        #expect(online.verdicts == batch.verdicts, "seed \(seed) conversation \(c)")
        let expected = batch.obligations.map { "\($0.rule) \($0.openedAt) \($0.met)" }.sorted()
        let settled = online.settled.map { "\($0.rule.index) \($0.openedAt) \($0.met)" }.sorted()
        #expect(settled == expected, "seed \(seed) conversation \(c)")
        compared += 1
      }
    }
    #expect(compared == 3000)
  }
}
