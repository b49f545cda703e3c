// What one policy keeps of one conversation between two of its events. The evaluator takes a
// conversation's events one at a time (in io.md's sorted order) and carries this value from each
// to the next instead of the events themselves, so a conversation costs the same whether it has
// ten events or ten thousand, and the value can be written to a state file and read back.

import PolicyLangCompile
import PolicyLangCore

/// One conversation as one policy knows it between two of its events.
///
/// It holds the index the next event gets and what the timeline needs of the past: the
/// obligations not yet settled, and the history slots' state (`ConversationHistory`: the program's
/// history conditions, among them the stop requests and bursts, Grammar.md 6.5). No event is kept.
public struct ConversationState: Sendable, Equatable {
  /// The index the next event taken in gets (the events routed to this policy, sorted).
  public package(set) var nextIndex = 0
  /// Obligations not yet settled, in opening order.
  package var obligations: [OpenObligation] = []
  /// The history slots' state, fed every event in order.
  package var history: ConversationHistory

  /// The state before a conversation's first event.
  package init(plan: TimelinePlan) {
    history = ConversationHistory(slotCount: plan.historySlotCount)
  }

  /// A state read back (from a state file).
  package init(nextIndex: Int, obligations: [OpenObligation], history: ConversationHistory) {
    self.nextIndex = nextIndex
    self.obligations = obligations
    self.history = history
  }

  /// Whether nothing is waiting: no open obligation and no history slot that remembers an event.
  /// Such a conversation needs only its next index.
  public var isIdle: Bool {
    obligations.isEmpty && history.isEmpty
  }
}

/// An obligation opened and not yet settled.
package struct OpenObligation: Sendable, Equatable {
  /// The obligation rule.
  package var rule: RuleID
  /// The index of the event that opened it.
  package var event: Int
  package var openedAt: Timestamp
  /// Nil when the rule's hours never hold the limit's time (never due).
  package var deadline: Timestamp?
  /// The agent and `id` of the opening event, for the verdict.
  package var agent: ByteString?
  package var eventID: ByteString?
  /// The deadline passed with no response: counted as not met, and its verdict waits for the
  /// first response (its `answered_at`) or the end of the input.
  package var missed = false

  package init(
    rule: RuleID, event: Int, openedAt: Timestamp, deadline: Timestamp?, agent: ByteString?,
    eventID: ByteString?, missed: Bool = false
  ) {
    self.rule = rule
    self.event = event
    self.openedAt = openedAt
    self.deadline = deadline
    self.agent = agent
    self.eventID = eventID
    self.missed = missed
  }
}

/// An obligation settled: met or not, for the rates that count its rule. For a count ratio (its
/// `rule`), an event it counts: `met` when the event is one it counts, `unit` when one it divides
/// by.
package struct SettledObligation: Sendable, Equatable {
  package var rule: RuleID
  package var openedAt: Timestamp
  package var met: Bool
  /// Counted in the total (always, for an obligation).
  package var unit = true
}

/// What taking events in found: verdicts (their shop left empty: the caller knows the
/// conversation's shop) and settled obligations of the rules rates count.
package struct StepOutput: Sendable {
  package var verdicts: [RankedVerdict] = []
  package var settled: [SettledObligation] = []
  /// Every obligation of every rule with its outcome, recorded as it is settled (by its response
  /// or at the end of the input), for `Evaluator.trace`. Nil, recording nothing, unless the
  /// caller asks for it: a run that only writes verdicts pays one nil check per obligation.
  package var outcomes: [ObligationTrace]?

  /// An empty output; `recordingOutcomes` starts `outcomes` empty instead of nil.
  package init(recordingOutcomes: Bool = false) {
    outcomes = recordingOutcomes ? [] : nil
  }

  package var isEmpty: Bool { verdicts.isEmpty && settled.isEmpty && (outcomes?.isEmpty ?? true) }

  package mutating func removeAll() {
    verdicts.removeAll(keepingCapacity: true)
    settled.removeAll(keepingCapacity: true)
    outcomes?.removeAll(keepingCapacity: true)
  }
}

/// Up to when obligations are judged: `--as-of`, whether pending ones are written, and whether
/// the run is one of a chain (`--state`), whose as-of instant belongs to the next run.
public struct Horizon: Sendable, Equatable {
  /// The moment of evaluation; nil judges every obligation as due (policy tests).
  public var asOf: Timestamp?
  /// Obligations not yet due are written as pending verdicts.
  public var includePending: Bool
  /// A run whose state the next run continues: an obligation due exactly at `asOf` is left to
  /// the next run, which reads the events at that instant and may find its response there.
  public var continues: Bool

  /// A horizon.
  public init(asOf: Timestamp?, includePending: Bool = false, continues: Bool = false) {
    self.asOf = asOf
    self.includePending = includePending
    self.continues = continues
  }

  /// Whether an obligation due at `deadline` is judged now.
  package func isDue(_ deadline: Timestamp) -> Bool {
    guard let asOf else { return true }
    return continues ? deadline < asOf : deadline <= asOf
  }

  /// A response's time as `answered_at` writes it: nil when it lies after `asOf`.
  package func answered(_ response: Timestamp) -> Timestamp? {
    guard let asOf else { return response }
    return response <= asOf ? response : nil
  }
}
