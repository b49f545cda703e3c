// What `policyc explain --conversation` shows: one conversation's events in evaluation order,
// each rule's verdicts beside the event they concern, and every obligation (met or not) with
// its opened, deadline and answered times, so an officer can see why a rule fired or did not.

import PolicyLangCompile
import PolicyLangCore

/// One obligation of a conversation, whatever its outcome.
public struct ObligationTrace: Sendable, Equatable {
  /// Index into the program's rules.
  public var rule: Int
  /// The event that opened it (index into `ConversationTrace.events`).
  public var event: Int
  /// When the opening event came.
  public var openedAt: Timestamp
  /// `nil` when the rule's hours never come round again.
  public var deadline: Timestamp?
  /// The first response after the opening event, even a late one.
  public var answeredAt: Timestamp?
  /// Answered by the deadline.
  public var met: Bool
}

/// A conversation as the evaluator saw it.
public struct ConversationTrace: Sendable, Equatable {
  /// The events sorted as the evaluator sorts them; verdicts' `event` indexes point here.
  public var events: [Event]
  /// Every verdict of the conversation, pending ones included.
  public var verdicts: [Verdict]
  /// Every obligation opened, met or not, in (opening event, rule) order.
  public var obligations: [ObligationTrace]
}

extension Evaluator {
  /// Evaluates one conversation and keeps everything an explanation needs: its events (given in
  /// line order) sorted, taken one at a time and finished by the online evaluator that `policyc
  /// eval` runs, with pending verdicts and every obligation's outcome as it was settled. `asOf`
  /// `nil` judges every obligation as due.
  public func trace(conversation input: [Event], asOf: Timestamp?) -> ConversationTrace {
    let events = Self.sorted(input)
    let shop = input.lazy.compactMap(\.shop).first ?? .empty
    var output = StepOutput(recordingOutcomes: true)
    let verdicts = judge(
      sorted: events, shop: shop, horizon: Horizon(asOf: asOf, includePending: true), into: &output)
    var obligations = output.outcomes ?? []
    obligations.sort { ($0.event, $0.rule) < ($1.event, $1.rule) }
    return ConversationTrace(events: events, verdicts: verdicts.map(\.verdict), obligations: obligations)
  }
}

extension OpenObligation {
  /// This obligation settled: `met` or not, and its first response (even a late one), if any.
  package func outcome(met: Bool, answeredAt: Timestamp?) -> ObligationTrace {
    ObligationTrace(
      rule: rule.index, event: event, openedAt: openedAt, deadline: deadline, answeredAt: answeredAt,
      met: met)
  }
}
