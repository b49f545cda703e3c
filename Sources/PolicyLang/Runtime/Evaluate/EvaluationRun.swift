// A whole run: events of many conversations in any order -> every verdict in io.md's order.
// Conversations are grouped (shop and buyer conflicts rejected in line order), judged one by one,
// then `finish` adds the rates (from a `RateTally` of the obligations) and applies escalation over
// each shop's history.

import PolicyLangCompile
import PolicyLangCore

extension Evaluator {
  /// Judges every event of a run, given in line order (files in order, then lines). An event whose
  /// shop or buyer conflicts with an earlier line of the same conversation is passed to
  /// `rejected` with its index in `events` and is not evaluated.
  public func evaluate(
    run events: [Event], asOf: Timestamp?, includePending: Bool,
    rejected: (Int, EventRejection) -> Void = { _, _ in }
  ) -> [Verdict] {
    var groups: [ByteString: [Event]] = [:]
    var shops: [ByteString: ByteString] = [:]
    var buyers: [ByteString: ByteString] = [:]
    for (index, event) in events.enumerated() {
      if let shop = event.shop, let earlier = shops[event.conversation], earlier != shop {
        rejected(index, .conflictingShop(earlier: earlier, found: shop))
        continue
      }
      if let buyer = event.buyer, let earlier = buyers[event.conversation], earlier != buyer {
        rejected(index, .conflictingBuyer(earlier: earlier, found: buyer))
        continue
      }
      if let shop = event.shop { shops[event.conversation] = shop }
      if let buyer = event.buyer { buyers[event.conversation] = buyer }
      groups[event.conversation, default: []].append(event)
    }
    let results = groups.keys.sorted().compactMap { key in
      groups[key].map { evaluate(conversation: $0, asOf: asOf, includePending: includePending) }
    }
    return finish(results, asOf: asOf)
  }

  /// Combines the results of every conversation of a run (in any order): rates, escalation, and
  /// the final order (conversation bytes, event, rule; then aggregates by shop, period, rule).
  public func finish(_ results: [ConversationResult], asOf: Timestamp?) -> [Verdict] {
    var tally = RateTally(for: self)
    if !tally.isEmpty {
      // Results that share a conversation id and shop are one conversation for its rate units.
      struct Owner: Hashable {
        package var shop: ByteString
        package var conversation: ByteString
      }
      var records: [Owner: [ObligationRecord]] = [:]
      for result in results where !result.obligations.isEmpty {
        records[Owner(shop: result.shop, conversation: result.conversation), default: []]
          .append(contentsOf: result.obligations)
      }
      for (owner, list) in records { tally.add(list, shop: owner.shop) }
    }
    return finish(verdicts: results.flatMap(\.verdicts), tally: tally, asOf: asOf)
  }

  /// Finishes a run from the verdicts of every conversation (in the order their results were
  /// judged) and a tally of their obligations: what `finish(_:asOf:)` gives for those results,
  /// without keeping every obligation record until the end.
  public func finish(verdicts: consuming [RankedVerdict], tally: RateTally, asOf: Timestamp?) -> [Verdict] {
    finish(verdicts, tally: tally, asOf: asOf) { $0 }
  }

  /// `finish(verdicts:tally:asOf:)`, each verdict made into the caller's element as the output is
  /// built. The verdicts are escalated in place and ordered through an index permutation, so
  /// the run's verdicts are held once and the output once, never more at the same time.
  package func finish<Output>(
    _ verdicts: consuming [RankedVerdict], tally: RateTally, asOf: Timestamp?,
    _ make: (Verdict) -> Output
  ) -> [Output] {
    var conversationVerdicts = consume verdicts
    escalate(&conversationVerdicts)
    var order = Array(conversationVerdicts.indices)
    order.sort { i, j in
      let a = conversationVerdicts[i]
      let b = conversationVerdicts[j]
      let ca = a.reference?.conversation ?? ByteString.empty
      let cb = b.reference?.conversation ?? ByteString.empty
      if ca != cb { return ca < cb }
      return (a.reference?.event ?? 0, a.rule) < (b.reference?.event ?? 0, b.rule)
    }
    let aggregates = sortedRates(tally, asOf: asOf)
    var out: [Output] = []
    out.reserveCapacity(order.count + aggregates.count)
    for i in order { out.append(make(conversationVerdicts[i].verdict)) }
    for v in aggregates { out.append(make(v.verdict)) }
    return out
  }

  /// The aggregate verdicts of a tally in output order: by shop, period start, period end, rule.
  package func sortedRates(_ tally: RateTally, asOf: Timestamp?) -> [RankedVerdict] {
    var aggregates = rates(tally, asOf: asOf)
    aggregates.sort { a, b in
      if a.verdict.shop != b.verdict.shop { return a.verdict.shop < b.verdict.shop }
      let pa = Self.period(a)
      let pb = Self.period(b)
      return (pa.start, pa.end, a.rule) < (pb.start, pb.end, b.rule)
    }
    return aggregates
  }

  package static func period(_ v: RankedVerdict) -> PeriodSpan {
    if case .aggregate(let a) = v.verdict.detail {
      return PeriodSpan(start: a.periodStart, end: a.periodEnd)
    }
    return PeriodSpan(start: .epoch, end: .epoch)
  }

  /// Aggregate verdicts of every rate rule, from a tally of the run's obligations.
  package func rates(_ tally: RateTally, asOf: Timestamp?) -> [RankedVerdict] {
    var out: [RankedVerdict] = []
    for (index, source) in tally.sources.enumerated() {
      let rate = source.rate
      guard program.ir.rules.indices.contains(rate.of),
        case .obligation(let obligation) = program.ir.rules[rate.of].body
      else { continue }
      let longest = obligation.limits.map(\.seconds).max() ?? 0
      for (key, counts) in tally.periods(of: index) {
        if let asOf, key.period.end + longest > asOf { continue }
        if let minimum = rate.minimum, counts.total <= minimum { continue }
        guard counts.total > 0 else { continue }
        // count < threshold × total, exactly: count × 10^6 < thresholdMillionths × total.
        let lhs = Int64(counts.passed).multipliedReportingOverflow(by: 1_000_000)
        let rhs = rate.thresholdMillionths.multipliedReportingOverflow(by: Int64(counts.total))
        guard !lhs.overflow, !rhs.overflow, lhs.partialValue < rhs.partialValue else { continue }
        out.append(
          verdict(
            source.rule, shop: key.shop,
            .aggregate(
              AggregateResult(
                periodStart: key.period.start, periodEnd: key.period.end, count: counts.passed,
                total: counts.total, thresholdMillionths: rate.thresholdMillionths))))
      }
    }
    return out
  }

  /// Applies the policy's escalations to the (non-pending) verdicts of each shop, in time order
  /// (then conversation, event, rule).
  package func escalate(_ verdicts: inout [RankedVerdict]) {
    guard !program.ir.escalations.isEmpty else { return }
    var candidates: [EscalationCandidate] = []
    var positions: [Int] = []
    for (i, v) in verdicts.enumerated() {
      guard let candidate = escalationCandidate(v) else { continue }
      candidates.append(candidate)
      positions.append(i)
    }
    for (k, escalation) in escalations(of: candidates) where positions.indices.contains(k) {
      verdicts[positions[k]].verdict.escalation = escalation
    }
  }

  /// What escalation needs of a verdict, or nil when no escalation can raise it (pending, an
  /// aggregate, or a severity no escalation counts).
  package func escalationCandidate(_ v: RankedVerdict) -> EscalationCandidate? {
    guard !v.verdict.pending, let reference = v.reference else { return nil }
    let severities = program.ir.severities
    let counted = program.ir.escalations.contains { e in
      severities.indices.contains(e.from) && severities[e.from] == v.verdict.severity
    }
    guard counted else { return nil }
    return EscalationCandidate(
      shop: v.verdict.shop, at: reference.at, conversation: reference.conversation, event: reference.event,
      rule: v.rule, severity: v.verdict.severity)
  }

  /// The escalation of each candidate the policy raises, by its index in `candidates`: per shop in
  /// time order (then conversation, event, rule), the highest escalation whose count is reached.
  package func escalations(of candidates: [EscalationCandidate]) -> [Int: Escalation] {
    let escalations = program.ir.escalations
    guard !escalations.isEmpty else { return [:] }
    let severities = program.ir.severities
    var byShop: [ByteString: [Int]] = [:]
    for (i, c) in candidates.enumerated() { byShop[c.shop, default: []].append(i) }
    var ranks: [Int: Int] = [:]
    var raised: [Int: Escalation] = [:]
    for (_, indexes) in byShop.sorted(by: { $0.key < $1.key }) {
      let ordered = indexes.sorted { a, b in
        let ca = candidates[a]
        let cb = candidates[b]
        if ca.at != cb.at { return ca.at < cb.at }
        if ca.conversation != cb.conversation { return ca.conversation < cb.conversation }
        return (ca.event, ca.rule) < (cb.event, cb.rule)
      }
      for escalation in escalations {
        guard severities.indices.contains(escalation.from), severities.indices.contains(escalation.to)
        else { continue }
        let from = severities[escalation.from]
        let chain = ordered.filter { candidates[$0].severity == from }
        let window = nanoseconds(escalation.windowSeconds)
        var lower = 0
        for (k, index) in chain.enumerated() {
          while lower < k,
            PolicyCalendar.nanos(from: candidates[chain[lower]].at, to: candidates[index].at) > window
          {
            lower += 1
          }
          let count = k - lower + 1
          guard count >= escalation.count else { continue }
          if let rank = ranks[index], rank >= escalation.to { continue }
          ranks[index] = escalation.to
          raised[index] = Escalation(
            escalatedTo: severities[escalation.to],
            reason: "\(Self.ordinal(count)) \(from) within \(IRDump.duration(escalation.windowSeconds))")
        }
      }
    }
    return raised
  }

  /// `1st`, `2nd`, `3rd`, `4th`, ..., `11th`, `21st`.
  package static func ordinal(_ n: Int) -> String {
    let tens = n % 100
    if tens >= 11 && tens <= 13 { return "\(n)th" }
    switch n % 10 {
    case 1: return "\(n)st"
    case 2: return "\(n)nd"
    case 3: return "\(n)rd"
    default: return "\(n)th"
    }
  }
}

/// A verdict as escalation sees it: its shop, time, place in the order, and declared severity.
package struct EscalationCandidate: Sendable {
  package var shop: ByteString
  package var at: Timestamp
  package var conversation: ByteString
  package var event: Int
  package var rule: Int
  package var severity: String
}
