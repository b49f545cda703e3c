// What `policyc explain --conversation` shows: one conversation's events in evaluation order,
// each rule's verdicts beside the event they concern, and every obligation (met or not) with
// its opened, deadline and answered times, so an officer can see why a rule fired or did not.

import PolicyLangCore

/// One obligation of a conversation, whatever its outcome.
public struct ObligationTrace: Sendable, Equatable {
  /// Index into the program's rules.
  public var rule: Int
  /// The event that opened it (index into `ConversationTrace.events`).
  public var event: Int
  public var openedAt: Timestamp
  /// `nil` when the rule's hours never come round again.
  public var deadline: Timestamp?
  /// The first response after the opening event, even a late one.
  public var answeredAt: Timestamp?
  /// Answered by the deadline.
  public var met: Bool
}

/// A conversation as the evaluator saw it.
public struct ConversationTrace: Sendable {
  /// The events sorted as the evaluator sorts them; verdicts' `event` indexes point here.
  public var events: [Event]
  /// Every verdict of the conversation, pending ones included.
  public var verdicts: [Verdict]
  public var obligations: [ObligationTrace]
}

extension Evaluator {
  /// Evaluates one conversation and keeps everything an explanation needs.
  public func trace(conversation input: [Event], asOf: Timestamp?) -> ConversationTrace {
    let events = Self.sorted(input)
    let verdicts = evaluate(conversation: input, asOf: asOf, includePending: true).verdicts.map(\.verdict)
    var contexts: [MessageContext?] = events.map { event in
      event.message.map { MessageContext($0, program: program, matcher: matcher) }
    }
    var traces: [ObligationTrace] = []
    for (ruleIndex, rule) in program.ir.rules.enumerated() {
      guard case .obligation(let o) = rule.body else { continue }
      let outcomes = obligations(
        o, ruleIndex: ruleIndex, events: events, contexts: &contexts, asOf: asOf, includePending: true)
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
