// Live evaluation (`policyc monitor`, the C API's session): events taken one at a time, each
// verdict given out the moment it is certain. It is a run that never ends, made of the same parts
// as a whole run: the `Intake` decides acceptance, the `RunJudge` advances each conversation's
// online evaluator, and a clock stands for `--as-of`:
//
// - a content verdict leaves with its event;
// - an obligation is missed when the clock passes its deadline (`advance(to:)`: the deadline
//   queue finds the conversations with something due), and leaves then, unanswered;
// - a rate period leaves when the clock passes the instant every obligation in it is due;
// - each verdict is escalated as it leaves, over the violations that left before it.
//
// Its state can be taken at any moment (`state()`): a run with `--state` or a later live
// evaluation continues from it.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangRuntime

/// Collects the verdicts of one step of a live evaluation.
package struct LiveVerdicts: VerdictSink {
  package var found: [(policy: Int, verdict: RankedVerdict)] = []

  package static var isLive: Bool { true }
  package var diskUnavailable: FileError? { nil }

  package mutating func add(_ verdict: RankedVerdict, policy: Int) -> Int {
    found.append((policy, verdict))
    return found.count - 1
  }

  package static func finish(
    _ sinks: [LiveVerdicts], escalations: [SinkID: Escalation], aggregates: [SessionVerdict],
    output: ([UInt8]) throws(OutputError) -> Void
  ) -> SinkResult {
    SinkResult()
  }
}

/// An evaluation that takes events one at a time and gives each verdict as soon as it is certain.
///
/// Call ``advance(to:)`` to move the clock (the latest event time, or the real time), then
/// ``take(_:)`` for each event; ``state()`` is what a later run continues from. Verdicts are
/// those of a whole run over the same events, except that a missed obligation leaves when its
/// deadline passes, so its `answered_at` is always null, and violations at one instant are
/// escalated in the order they leave.
public struct IncrementalEvaluation {
  /// The session's policies.
  public let session: EvaluationSession
  private let carried: CarriedState
  private var judge: RunJudge<LiveVerdicts>
  private var table = ConversationTable()
  private var deadlines = DeadlineQueue()
  /// Per conversation slot: the earliest deadline it has in the queue.
  private var queued: [Timestamp?] = []
  private var escalation: LiveEscalation
  /// The instant the clock has reached: everything due before it has been given out.
  public private(set) var clock: Timestamp?
  /// The clock when rate periods were last looked at, and the earliest instant a period not yet
  /// given out completes.
  private var ratesThrough: Timestamp?
  private var nextRateCheck: Timestamp?
  /// Per policy and rate source: the tally's periods already folded into `nextRateCheck`.
  private var keysSeen: [[Int]] = []
  /// The judge's count of settled obligations when the periods were last looked at.
  private var ratesCounted = 0
  /// What the state's policies changed since it was made (see `EvaluationSession.stream`).
  public let warnings: [String]

  /// A live evaluation continuing `state` (empty: from nothing). Fails when the state was made with
  /// other policies.
  public init(
    session: EvaluationSession, state: EvaluationState = EvaluationState(), stateName: String = "<state>"
  ) throws(StateFileError) {
    self.session = session
    carried = try CarriedState(state, evaluators: session.evaluators, path: stateName)
    warnings = carried.warnings
    judge = RunJudge(
      evaluators: session.evaluators, horizon: Horizon(asOf: nil, continues: true), carried: carried,
      sink: LiveVerdicts())
    judge.restoreRates(from: carried)
    escalation = LiveEscalation(policies: session.evaluators.count)
    for p in session.evaluators.indices { escalation.restore(carried.candidates(policy: p), policy: p) }
    clock = state.watermark
    ratesThrough = state.watermark
    // Conversations with something open: their deadlines pass whether or not they hear again.
    for k in state.conversations.active {
      guard let record = carried.record(k) else { continue }
      queueDeadlines(of: slot(of: record.id))
    }
    scheduleRates()
  }

  /// The earliest deadline still open: when the clock must next move for a verdict to leave (a
  /// timer's wake-up), or nil.
  public var nextDeadline: Timestamp? {
    [deadlines.earliest, nextRateCheck].compactMap { $0 }.min()
  }

  /// Takes one event; its verdicts, or why it is refused (an error line). The clock does not
  /// move: advance it first to the event's time to settle what is due before the event.
  public mutating func take(_ event: Event) -> Result<[SessionVerdict], EventLineError> {
    let routes: RouteSet
    switch judge.intake.route(event) {
    case .success(let r): routes = r
    case .failure(let error): return .failure(error)
    }
    if let error = judge.intake.time(of: event, routes: routes) { return .failure(error) }
    let slot = slot(of: event.conversation)
    let refused = table.withEntry(slot) { entry in
      judge.take(event, routes: routes, position: LinePosition(source: 0, line: 0), entry: &entry)
    }
    judge.forgetRejections()
    if let refused { return .failure(refused) }
    queueDeadlines(of: slot)
    return .success(leave())
  }

  /// Moves the clock to `instant`: every obligation due before it that no event answered leaves,
  /// and every rate period complete before it. Nothing happens when the clock is already there.
  public mutating func advance(to instant: Timestamp) -> [SessionVerdict] {
    if let clock, instant <= clock { return [] }
    clock = instant
    while let slot = deadlines.pop(before: instant) {
      if queued.indices.contains(slot) { queued[slot] = nil }
      table.withEntry(slot) { judge.settleDue(&$0, asOf: instant) }
      queueDeadlines(of: slot)
    }
    var out = leave()
    if let check = nextRateCheck, check < instant {
      out += rates(through: instant)
    }
    return out
  }

  /// The state to continue from: judged through the clock.
  public func state() -> EvaluationState {
    let asOf = clock ?? carried.watermark ?? Timestamp(seconds: 0)
    var kept = escalation
    kept.trim(before: asOf, evaluators: session.evaluators)
    return carried.next(
      finished: table.entries, tallies: judge.tallies, candidates: kept.candidates,
      evaluators: session.evaluators, asOf: asOf)
  }

  /// Forgets escalation history no later violation can count (call now and then: a checkpoint).
  public mutating func compact() {
    guard let clock else { return }
    escalation.trim(before: clock, evaluators: session.evaluators)
  }

  // MARK: Steps

  /// The verdicts the judge found since the last step, in time order, escalated as they leave.
  private mutating func leave() -> [SessionVerdict] {
    if judge.ratesCounted != ratesCounted { scheduleRatesIfNew() }
    guard !judge.sink.found.isEmpty else { return [] }
    var found = judge.withSink { sink in
      defer { sink.found = [] }
      return sink.found
    }
    found.sort { a, b in
      let ka = (a.verdict.reference?.at ?? .epoch, a.verdict.reference?.conversation ?? .empty)
      let kb = (b.verdict.reference?.at ?? .epoch, b.verdict.reference?.conversation ?? .empty)
      if ka != kb { return ka < kb }
      return (a.verdict.reference?.event ?? 0, a.policy, a.verdict.rule)
        < (b.verdict.reference?.event ?? 0, b.policy, b.verdict.rule)
    }
    var out: [SessionVerdict] = []
    out.reserveCapacity(found.count)
    for (p, ranked) in found {
      var verdict = ranked.verdict
      let evaluator = session.evaluators[p]
      if let candidate = evaluator.escalationCandidate(ranked) {
        verdict.escalation = escalation.escalate(candidate, policy: p, by: evaluator)
      }
      out.append(SessionVerdict(policy: p, verdict: verdict))
    }
    return out
  }

  /// The table's slot of conversation `id`, started (from the state, or new) when first seen.
  private mutating func slot(of id: ByteString) -> Int {
    if let known = table.existingSlot(of: id) { return known }
    let entry = judge.start(id)
    return table.slot(of: id, start: { _ in entry })
  }

  /// Queues the earliest deadline of a conversation's open obligations.
  private mutating func queueDeadlines(of slot: Int) {
    let earliest = table.withEntry(slot) { entry -> Timestamp? in
      var earliest: Timestamp?
      for state in entry.states {
        for deadline in state?.obligations.compactMap(\.deadline) ?? []
        where earliest.map({ deadline < $0 }) ?? true {
          earliest = deadline
        }
      }
      return earliest
    }
    guard let earliest else { return }
    while queued.count <= slot { queued.append(nil) }
    // Queued once per conversation and deadline: an earlier one queued already comes first.
    if let known = queued[slot], known <= earliest { return }
    queued[slot] = earliest
    deadlines.push(earliest, slot: slot)
  }

  /// The rate periods complete before `instant` and not given out yet.
  private mutating func rates(through instant: Timestamp) -> [SessionVerdict] {
    var out: [(order: VerdictOrder, verdict: SessionVerdict)] = []
    for (p, evaluator) in session.evaluators.enumerated() {
      let due = evaluator.sortedRates(
        judge.tallies[p], asOf: instant, continues: true, judgedBefore: ratesThrough)
      for v in due { out.append((VerdictOrder(policy: p, v), SessionVerdict(policy: p, verdict: v.verdict))) }
    }
    ratesThrough = instant
    scheduleRates()
    return out.sorted { $0.order < $1.order }.map(\.verdict)
  }

  /// When new periods appeared since the rates were last scheduled, schedules them again.
  private mutating func scheduleRatesIfNew() {
    ratesCounted = judge.ratesCounted
    scheduleRates(onlyNew: true)
  }

  /// The earliest completion among the periods not given out yet (`onlyNew`: folds in the periods
  /// counted since the last call; after a check every period is looked at again).
  private mutating func scheduleRates(onlyNew: Bool = false) {
    var next = onlyNew ? nextRateCheck : nil
    for (p, evaluator) in session.evaluators.enumerated() {
      let tally = judge.tallies[p]
      while keysSeen.count <= p { keysSeen.append([]) }
      while keysSeen[p].count < tally.sources.count { keysSeen[p].append(0) }
      for (s, source) in tally.sources.enumerated() {
        let keys = tally.slotKeys[s]
        let from = onlyNew ? min(keysSeen[p][s], keys.count) : 0
        keysSeen[p][s] = keys.count
        guard from < keys.count else { continue }
        // The periods judged from the counted ones: themselves, or the sliding windows over them.
        // Keys only: counting a period's units is for when it is judged.
        var judged = Array(keys[from...])
        if case .last(let length) = source.rate.period {
          let counted = Dictionary(judged.map { ($0, RateTally.Counts()) }, uniquingKeysWith: { a, _ in a })
          judged = Array(evaluator.slidingWindows(counted, days: length).keys)
        }
        for key in judged {
          guard let done = evaluator.completion(rule: source.rule, period: key.period) else { continue }
          if let through = ratesThrough, done < through { continue }
          if next.map({ done < $0 }) ?? true { next = done }
        }
      }
    }
    nextRateCheck = next
  }
}
