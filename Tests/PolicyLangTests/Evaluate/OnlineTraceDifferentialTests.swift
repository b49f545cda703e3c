// What `policyc explain --conversation` shows, from the online evaluator (`Evaluator.trace`),
// against the same explanation from the whole-conversation evaluator (`referenceTrace`): on
// random policies and random conversations in any line order, the same events, verdicts and
// obligations with their outcomes.

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Online trace vs reference trace")
struct OnlineTraceDifferentialTests {
  @Test func randomConversationsAgree() throws {
    var compared = 0
    // What the comparison covered: obligations met, missed and answered late, not yet due, never
    // due, and opened by a trigger that reads a history condition.
    var met = 0
    var late = 0
    var unanswered = 0
    var notYetDue = 0
    var historyTriggered = 0
    for seed in UInt64(1)...120 {
      var random = RandomPolicy(rng: SeededRandom(seed: seed))
      let policy = random.policy()
      let evaluator = try Fixture.evaluator(policy)
      let readsHistory = Self.triggerReadsHistory(evaluator.program)
      for c in 0..<25 {
        var events = random.events(conversation: "c-\(c)")
        for k in events.indices where random.chance(40) { events[k].id = ByteString("m-\(k)") }
        if random.chance(50) { events.shuffle(using: &random.rng) }
        let asOf: Timestamp? = random.chance(30) ? nil : Fixture.at("2026-11-2\(random.int(0...3)) 12:00")
        let online = evaluator.trace(conversation: events, asOf: asOf)
        let reference = evaluator.referenceTrace(conversation: events, asOf: asOf)
        #expect(online.events == reference.events, "seed \(seed) conversation \(c)")
        #expect(online.verdicts == reference.verdicts, "seed \(seed) conversation \(c)")
        #expect(online.obligations == reference.obligations, "seed \(seed) conversation \(c)")
        for o in online.obligations {
          if o.met {
            met += 1
          } else if o.answeredAt != nil {
            late += 1
          } else {
            unanswered += 1
          }
          if let asOf, let deadline = o.deadline, deadline > asOf { notYetDue += 1 }
          if readsHistory && evaluator.program.ir.rules[o.rule].name == "reply" { historyTriggered += 1 }
        }
        compared += 1
      }
    }
    #expect(compared == 3000)
    #expect(
      met >= 100 && late >= 100 && unanswered >= 100 && notYetDue >= 20,
      "\(met) \(late) \(unanswered) \(notYetDue)")
    #expect(historyTriggered >= 20, "\(historyTriggered)")
  }

  /// Whether the `reply` rule's trigger reads a history slot.
  static func triggerReadsHistory(_ program: RuleProgram) -> Bool {
    guard let rule = program.ir.rules.first(where: { $0.name == "reply" }),
      case .obligation(let o) = rule.body, case .message(let root) = o.trigger
    else { return false }
    return Self.reads(root, nodes: program.ir.nodes)
  }

  static func reads(_ root: Int, nodes: [ConditionNode]) -> Bool {
    var stack = [root]
    var seen = Set<Int>()
    while let n = stack.popLast() {
      guard nodes.indices.contains(n), seen.insert(n).inserted else { continue }
      if case .history = nodes[n] { return true }
      stack += nodes[n].operands
    }
    return false
  }
}
