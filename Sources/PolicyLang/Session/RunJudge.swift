// The judge of a run: it receives each conversation's events in sorted order (the ordering
// strategies see to that), admits them (`Intake`), advances every policy's online evaluator, and
// routes what they find: verdicts to the sink, settled obligations to the rate tallies, and what
// escalation needs of each verdict to a list decided at the end, over each shop's history in
// time order. A conversation's verdicts wait for its shop, and its settled obligations for its
// shop and buyer, since a later event may be the first to carry them.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangRuntime

/// A reusable evaluation workspace, one per policy, owned by the thread that judges.
package final class PolicyWorkspace {
  package let workspace: EvaluationWorkspace

  package init(for evaluator: Evaluator) { workspace = EvaluationWorkspace(for: evaluator) }
}

/// An error line found when its conversation reached it (reported at the end of the run, in
/// input order, since a conversation's first shop is known only in sorted order).
package struct DeferredRejection: Sendable {
  package var position: LinePosition
  package var error: EventLineError
}

/// Judges the conversations of a run.
package struct RunJudge<Sink: VerdictSink> {
  package let evaluators: [Evaluator]
  package let intake: Intake
  package let horizon: Horizon
  /// The state the run continues (`--state`), when it keeps one.
  package let carried: CarriedState?
  private let workspaces: [PolicyWorkspace]
  /// Per policy: whether its rates count units per buyer or per conversation (settled obligations
  /// then wait for the buyer).
  private let ratesNeedBuyer: [Bool]
  private var output = StepOutput()
  package private(set) var sink: Sink
  package private(set) var tallies: [RateTally]
  /// Per policy: the verdicts escalation may raise, and their ids in the sink.
  private var candidates: [[EscalationCandidate]]
  private var candidateIDs: [[Int]]
  /// Settled obligations counted into the rate tallies so far.
  package private(set) var ratesCounted = 0
  /// Events admitted and evaluated.
  package private(set) var evaluated = 0
  /// Lines refused when their conversation reached them.
  package private(set) var rejections: [DeferredRejection] = []
  /// In a run that keeps state: the conversations finished, for the next state.
  package private(set) var finished: [ConversationEntry] = []

  package init(evaluators: [Evaluator], horizon: Horizon, carried: CarriedState? = nil, sink: Sink) {
    self.evaluators = evaluators
    intake = Intake(evaluators: evaluators)
    self.horizon = horizon
    self.carried = carried
    workspaces = evaluators.map { PolicyWorkspace(for: $0) }
    ratesNeedBuyer = evaluators.map { evaluator in
      evaluator.program.ir.rules.contains { rule in
        guard case .rate(let rate) = rule.body else { return false }
        return rate.unit != .message
      }
    }
    self.sink = sink
    tallies = evaluators.map { RateTally(for: $0) }
    candidates = Array(repeating: [], count: evaluators.count)
    candidateIDs = Array(repeating: [], count: evaluators.count)
  }

  /// Live evaluation: the rate periods the state carried, counted from the start.
  package mutating func restoreRates(from carried: CarriedState) {
    for p in tallies.indices { tallies[p].restore(carried.periods(policy: p)) }
  }

  /// Conversation `id` as the run starts it: from the state the run continues, or new.
  package func start(_ id: ByteString) -> ConversationEntry {
    carried?.entry(for: id, policies: evaluators.count)
      ?? ConversationEntry(id: id, policies: evaluators.count)
  }

  /// Takes the next event of `entry`'s conversation in sorted order; returns the error of a line
  /// refused here (also kept in `rejections`).
  @discardableResult
  package mutating func take(
    _ event: Event, routes: RouteSet, position: LinePosition, entry: inout ConversationEntry
  ) -> EventLineError? {
    if let error = intake.admit(event, to: entry) {
      rejections.append(DeferredRejection(position: position, error: error))
      return error
    }
    evaluated += 1
    if carried != nil {
      let digest = EventDigest.of(event)
      if entry.lastAt == event.at { entry.lastDigests.append(digest) } else { entry.lastDigests = [digest] }
    }
    entry.lastAt = event.at
    var learned = false
    if entry.shop == nil, let shop = event.shop {
      entry.shop = shop
      learned = true
    }
    if entry.buyer == nil, let buyer = event.buyer {
      entry.buyer = buyer
      learned = true
    }
    if learned, entry.held != nil { release(&entry) }
    for p in evaluators.indices where routes.contains(p) {
      // Taken out of the entry while it changes, so that its arrays are not copied on write.
      var state = entry.states[p].take() ?? ConversationState(plan: evaluators[p].timeline)
      evaluators[p].take(
        event, conversation: entry.id, into: &state, horizon: horizon, workspace: workspaces[p].workspace,
        output: &output)
      entry.states[p] = state
      deliver(policy: p, &entry)
    }
    return nil
  }

  /// Settles what `entry`'s policies have due before `instant`, a time all of its events to come
  /// lie after.
  package mutating func expire(_ entry: inout ConversationEntry, before instant: Timestamp) {
    for p in evaluators.indices {
      guard entry.states[p]?.obligations.isEmpty == false, var state = entry.states[p].take() else {
        continue
      }
      evaluators[p].expire(&state, before: instant, horizon: horizon, output: &output)
      entry.states[p] = state
      deliver(policy: p, &entry)
    }
  }

  /// Live evaluation: the clock reached `asOf`, so the obligations of `entry` due before it are
  /// settled and reported (unanswered: no later event can answer them in time).
  package mutating func settleDue(_ entry: inout ConversationEntry, asOf: Timestamp) {
    let horizon = Horizon(asOf: asOf, continues: true)
    for p in evaluators.indices {
      guard entry.states[p]?.obligations.contains(where: { $0.deadline.map { $0 < asOf } ?? false }) == true,
        var state = entry.states[p].take()
      else { continue }
      evaluators[p].finish(&state, conversation: entry.id, horizon: horizon, output: &output)
      entry.states[p] = state
      deliver(policy: p, &entry)
    }
  }

  /// Changes the sink in place (live evaluation takes its verdicts out after each step).
  package mutating func withSink<R>(_ body: (inout Sink) -> R) -> R { body(&sink) }

  /// Live evaluation: forgets the lines refused so far (the caller reported them).
  package mutating func forgetRejections() { rejections.removeAll(keepingCapacity: true) }

  /// The conversation's input ended: every policy finishes it, and what waited for a shop or a
  /// buyer goes out with the defaults (shop `""`, the conversation as its own buyer).
  package mutating func finish(_ entry: inout ConversationEntry) {
    for p in evaluators.indices {
      guard var state = entry.states[p].take() else { continue }
      evaluators[p].finish(&state, conversation: entry.id, horizon: horizon, output: &output)
      entry.states[p] = state
      deliver(policy: p, &entry)
    }
    release(&entry, final: true)
    if carried != nil { finished.append(entry) }
  }

  /// Hands the policy's findings on, or holds them until the conversation's shop (and buyer) are
  /// known.
  private mutating func deliver(policy p: Int, _ entry: inout ConversationEntry) {
    guard !output.isEmpty else { return }
    if let shop = entry.shop ?? (Sink.isLive ? .empty : nil) {
      for var v in output.verdicts {
        v.verdict.shop = shop
        keep(v, policy: p)
      }
    } else {
      var held = entry.held ?? HeldOutput()
      for v in output.verdicts { held.verdicts.append((p, v)) }
      entry.held = held
    }
    if !output.settled.isEmpty {
      if let shop = entry.shop ?? (Sink.isLive ? .empty : nil),
        entry.buyer != nil || !ratesNeedBuyer[p] || Sink.isLive
      {
        count(output.settled, policy: p, shop: shop, entry: entry)
      } else {
        var held = entry.held ?? HeldOutput()
        for s in output.settled { held.settled.append((p, s)) }
        entry.held = held
      }
    }
    output.removeAll()
  }

  /// Gives out what the entry held now that its shop or buyer is known (or, when `final`, with
  /// the defaults).
  private mutating func release(_ entry: inout ConversationEntry, final: Bool = false) {
    guard var held = entry.held else { return }
    let shop = entry.shop ?? (final ? .empty : nil)
    if let shop {
      for (p, var v) in held.verdicts {
        v.verdict.shop = shop
        keep(v, policy: p)
      }
      held.verdicts = []
      var waiting: [(policy: Int, obligation: SettledObligation)] = []
      for (p, s) in held.settled {
        if final || entry.buyer != nil || !ratesNeedBuyer[p] {
          count([s], policy: p, shop: shop, entry: entry)
        } else {
          waiting.append((p, s))
        }
      }
      held.settled = waiting
    }
    entry.held = held.verdicts.isEmpty && held.settled.isEmpty ? nil : held
  }

  private mutating func keep(_ v: RankedVerdict, policy p: Int) {
    let id = sink.add(v, policy: p)
    if !Sink.isLive, let candidate = evaluators[p].escalationCandidate(v) {
      candidates[p].append(candidate)
      candidateIDs[p].append(id)
    }
  }

  private mutating func count(
    _ settled: [SettledObligation], policy p: Int, shop: ByteString, entry: ConversationEntry
  ) {
    guard !tallies[p].isEmpty else { return }
    ratesCounted += settled.count
    let buyer = entry.buyer ?? entry.id
    for s in settled {
      tallies[p].add(
        rule: s.rule.index, openedAt: s.openedAt, met: s.met, unit: s.unit, shop: shop, buyer: buyer,
        conversation: entry.id)
    }
  }

  /// What the judge found, for the end of the run.
  package func results() -> JudgeResults<Sink> {
    JudgeResults(
      sink: sink, tallies: tallies, candidates: candidates, candidateIDs: candidateIDs, finished: finished)
  }
}

/// What a judge found: its sink, its rate tallies and the verdicts escalation may raise.
package struct JudgeResults<Sink: VerdictSink> {
  package var sink: Sink
  package var tallies: [RateTally]
  package var candidates: [[EscalationCandidate]]
  package var candidateIDs: [[Int]]
  /// The conversations finished, in a run that keeps state.
  package var finished: [ConversationEntry]
}

/// The end of a run, over what each part of it found (one part, or one per worker): escalation
/// over each shop's verdicts in time order, the rates of the merged tallies, and the sinks'
/// output.
package enum RunEnd {
  package static func finish<Sink: VerdictSink>(
    _ parts: [JudgeResults<Sink>], evaluators: [Evaluator], horizon: Horizon, carried: CarriedState? = nil,
    output: ([UInt8]) throws(OutputError) -> Void
  ) -> (result: SinkResult, next: EvaluationState?) {
    var tallies = parts.first?.tallies ?? evaluators.map { RateTally(for: $0) }
    for part in parts.dropFirst() {
      for p in tallies.indices { tallies[p].merge(part.tallies[p]) }
    }
    if let carried {
      for p in tallies.indices { tallies[p].restore(carried.periods(policy: p)) }
    }
    // A rate store that lost units writes nothing: its counts are no longer exact.
    if let failure = tallies.lazy.compactMap({ $0.units.failure }).first {
      var result = SinkResult()
      result.storageFailure = failure
      return (result, nil)
    }
    // Violations an earlier run kept come first: they count, but are not written again.
    var raised: [SinkID: Escalation] = [:]
    var kept: [[EscalationCandidate]] = []
    for p in evaluators.indices {
      var candidates = carried?.candidates(policy: p) ?? []
      let earlier = candidates.count
      var ids: [SinkID] = []
      for (k, part) in parts.enumerated() {
        candidates += part.candidates[p]
        ids += part.candidateIDs[p].map { SinkID(part: k, id: $0) }
      }
      kept.append(candidates)
      guard candidates.count > earlier else { continue }
      for (k, escalation) in evaluators[p].escalations(of: candidates) where k >= earlier {
        raised[ids[k - earlier]] = escalation
      }
    }
    var aggregates: [(order: VerdictOrder, verdict: SessionVerdict)] = []
    for p in evaluators.indices {
      let rates = evaluators[p].sortedRates(
        tallies[p], asOf: horizon.asOf, continues: horizon.continues, judgedBefore: carried?.watermark)
      for v in rates {
        aggregates.append((VerdictOrder(policy: p, v), SessionVerdict(policy: p, verdict: v.verdict)))
      }
    }
    aggregates.sort { $0.order < $1.order }
    let result = Sink.finish(
      parts.map(\.sink), escalations: raised, aggregates: aggregates.map(\.verdict), output: output)
    guard let carried, let asOf = horizon.asOf else { return (result, nil) }
    let next = carried.next(
      finished: parts.flatMap(\.finished), tallies: tallies, candidates: kept, evaluators: evaluators,
      asOf: asOf)
    return (result, next)
  }
}
