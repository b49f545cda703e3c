// The reference for `Evaluator.trace(conversation:asOf:)`: the explanation as the whole-
// conversation evaluator gives it (its verdicts, and its obligation pass's outcomes), which
// `policyc explain --conversation` showed before the online evaluator gave it.

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

extension Evaluator {
  /// One conversation explained by the whole-conversation evaluator: `evaluate(conversation:)`'s
  /// verdicts (pending ones included) and, per obligation rule, `obligations(...)`'s outcomes.
  func referenceTrace(conversation input: [Event], asOf: Timestamp?) -> ConversationTrace {
    let events = Self.sorted(input)
    let verdicts = evaluate(conversation: input, asOf: asOf, includePending: true).verdicts.map(\.verdict)
    // Each message's context with its history slots' values, as `evaluate` decides them. (The
    // trace `explain` showed before read every slot false here, and so left out the obligations
    // of a trigger that reads one.)
    let slots = program.ir.histories.count
    let scratch = EvaluationScratch(nodeCount: program.ir.nodes.count)
    let firstRow = scratch.reserveRows(events.count)
    let firstHistoryRow = scratch.reserveHistoryRows(events.count, slots: slots)
    var contexts: [MessageContext?] = events.indices.map { i in
      events[i].message.map { message in
        MessageContext(
          message, shared: shared, scratch: scratch, memoBase: firstRow + i * program.ir.nodes.count,
          historyBase: slots > 0 ? firstHistoryRow + i * slots : -1, owners: (shared, scratch))
      }
    }
    var history = ConversationHistory(slotCount: slots)
    for i in events.indices { advance(&history, over: events[i], context: &contexts[i]) }
    let senders: [Sender?] = events.map { event in event.message.map { Sender(role: $0.role, auto: $0.auto) }
    }
    var traces: [ObligationTrace] = []
    for (ruleIndex, rule) in program.ir.rules.enumerated() {
      guard case .obligation(let o) = rule.body else { continue }
      let outcomes = obligations(
        o, ruleIndex: ruleIndex, events: events, senders: senders, contexts: &contexts, asOf: asOf,
        includePending: true)
      for outcome in outcomes {
        traces.append(
          ObligationTrace(
            rule: ruleIndex, event: outcome.index, openedAt: events[outcome.index].at,
            deadline: outcome.deadline, answeredAt: outcome.response, met: outcome.met))
      }
    }
    traces.sort { ($0.event, $0.rule) < ($1.event, $1.rule) }
    return ConversationTrace(events: events, verdicts: verdicts, obligations: traces)
  }
}
