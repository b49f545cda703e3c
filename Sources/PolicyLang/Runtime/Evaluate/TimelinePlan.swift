// The timeline rules of a program as the online evaluator runs them: one step per rule, in rule
// order, each with what it needs decided once (event names as bytes, the state slot it owns).

import PolicyLangCompile
import PolicyLangCore
import PolicyLangFrontend

/// The timeline rules of a program, prepared for taking events one at a time.
package struct TimelinePlan: Sendable {
  /// One timeline rule.
  package enum Step: Sendable {
    /// An obligation rule; `counted` when a rate counts its obligations.
    case obligation(ObligationStep)
    /// A burst rule owning `ConversationState.bursts[slot]`.
    case burst(rule: RuleID, burst: CheckedBurst, slot: Int)
    /// A stop rule owning `ConversationState.stops[slot]`.
    case stop(rule: RuleID, stop: IRAfterStop, slot: Int)
  }

  /// An obligation rule with its event names as bytes.
  package struct ObligationStep: Sendable {
    package var rule: RuleID
    package var obligation: IRObligation
    package var triggerEvents: [ByteString]
    package var responseEvents: [ByteString]
    package var counted: Bool
  }

  /// The timeline rules in rule order.
  package let steps: [Step]
  package let burstCount: Int
  package let stopCount: Int

  package init(program: RuleProgram) {
    let counted = Set(program.rateSources)
    var steps: [Step] = []
    var bursts = 0
    var stops = 0
    for (index, rule) in program.ir.rules.enumerated() {
      let id = RuleID(index)
      switch rule.body {
      case .obligation(let o):
        var triggers: [ByteString] = []
        var responses: [ByteString] = []
        if case .event(let names) = o.trigger { triggers = names.map { ByteString($0) } }
        if case .event(let names) = o.response { responses = names.map { ByteString($0) } }
        steps.append(
          .obligation(
            ObligationStep(
              rule: id, obligation: o, triggerEvents: triggers, responseEvents: responses,
              counted: counted.contains(index))))
      case .burst(let burst):
        steps.append(.burst(rule: id, burst: burst, slot: bursts))
        bursts += 1
      case .afterStop(let stop):
        steps.append(.stop(rule: id, stop: stop, slot: stops))
        stops += 1
      case .message, .rate, .manual:
        break
      }
    }
    self.steps = steps
    burstCount = bursts
    stopCount = stops
  }
}
