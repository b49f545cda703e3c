// What a run adds over its conversations' verdicts: the aggregate verdicts of its rate rules and
// the escalation of each shop's violations in time order. The session's run end calls them over
// every worker's results; the order of the output is `VerdictOrder`'s.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangFrontend

extension Evaluator {
  /// The aggregate verdicts of a tally in output order: by shop, period start, period end, rule.
  /// `judgedBefore` is the as-of instant of the run a state came from (`--state`): the periods it
  /// judged are not judged again.
  package func sortedRates(
    _ tally: RateTally, asOf: Timestamp?, continues: Bool = false, judgedBefore: Timestamp? = nil
  ) -> [RankedVerdict] {
    var aggregates = rates(tally, asOf: asOf, continues: continues, judgedBefore: judgedBefore)
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

  /// Whether a period of rate rule `rule` is judged at `asOf`: every obligation opened in it is
  /// due, that is the deadline of one opened at its end with the counted rule's longest limit
  /// (its end plus that limit, unless the limit counts only some hours) is at or before `asOf`
  /// (before it, in a run that continues: what is due at that instant is the next run's, as with
  /// obligations).
  package func isJudged(rule: Int, period: PeriodSpan, asOf: Timestamp?, continues: Bool) -> Bool {
    guard let asOf else { return true }
    guard let due = completion(rule: rule, period: period) else { return false }
    return continues ? due < asOf : due <= asOf
  }

  /// The instant a period of rate rule `rule` is complete: for a pass rate, when every obligation
  /// opened in it is due (the deadline of one opened at the period's end with the counted rule's
  /// longest limit); for a count ratio, its end (its events are final when they happen).
  package func completion(rule: Int, period: PeriodSpan) -> Timestamp? {
    guard program.ir.rules.indices.contains(rule) else { return nil }
    switch program.ir.rules[rule].body {
    case .ratio: return period.end
    case .rate(let rate):
      guard program.ir.rules.indices.contains(rate.of),
        case .obligation(let obligation) = program.ir.rules[rate.of].body
      else { return nil }
      let longest = obligation.limits.map(\.seconds).max() ?? 0
      return calendar.deadline(opened: period.end, seconds: longest, countingOnly: obligation.countingOnly)
        ?? period.end + longest
    default: return nil
    }
  }

  /// The days after a counted period during which periods judged from it end: a sliding window
  /// `over last D` sums each local day into the windows of the D days ending then.
  package func reach(ofRule rule: Int) -> Int64 {
    guard program.ir.rules.indices.contains(rule) else { return 0 }
    let period: CheckedPeriod?
    switch program.ir.rules[rule].body {
    case .rate(let rate): period = rate.period
    case .ratio(let ratio): period = ratio.rate.period
    default: period = nil
    }
    if case .last(let days)? = period { return Int64(max(0, days - 1)) }
    return 0
  }

  /// Whether a counted period must be kept after a run judged through `asOf`: some period judged
  /// from it (itself, or a sliding window holding it) is not judged yet.
  package func isNeeded(rule: Int, period: PeriodSpan, after asOf: Timestamp) -> Bool {
    // A local day is at most 25 hours: the last window holding the period ends by then.
    let reach = reach(ofRule: rule) * 90_000
    let last = PeriodSpan(start: period.start, end: period.end + reach)
    return !isJudged(rule: rule, period: last, asOf: asOf, continues: true)
  }

  /// Aggregate verdicts of every rate rule, from a tally of the run's obligations.
  package func rates(
    _ tally: RateTally, asOf: Timestamp?, continues: Bool = false, judgedBefore: Timestamp? = nil
  ) -> [RankedVerdict] {
    var out: [RankedVerdict] = []
    for (index, source) in tally.sources.enumerated() {
      let rate = source.rate
      var periods = tally.periods(of: index)
      if case .last(let days) = rate.period { periods = slidingWindows(periods, days: days) }
      for (key, counts) in periods {
        guard isJudged(rule: source.rule, period: key.period, asOf: asOf, continues: continues) else {
          continue
        }
        if let judgedBefore,
          isJudged(rule: source.rule, period: key.period, asOf: judgedBefore, continues: true)
        {
          continue
        }
        // A period reaching outside years 0001-9999 in the zone never completes.
        guard calendar.zone.accepts(key.period.start), calendar.zone.accepts(key.period.end) else { continue }
        if let minimum = rate.minimum, counts.total <= minimum { continue }
        guard counts.total > 0,
          Self.fallsShort(
            rate.comparison, rate.thresholdMillionths, count: counts.passed, total: counts.total)
        else { continue }
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

  /// Whether `count/total` misses the threshold, compared exactly on integers: `at least P` falls
  /// short when `count × 10^6 < P × total` (P in millionths), `at most` when `>`, `more than`
  /// when `<=`, `less than` when `>=`. False when a product overflows (no such period exists).
  package static func fallsShort(
    _ comparison: RateComparison, _ thresholdMillionths: Int64, count: Int, total: Int
  ) -> Bool {
    let lhs = Int64(count).multipliedReportingOverflow(by: 1_000_000)
    let rhs = thresholdMillionths.multipliedReportingOverflow(by: Int64(total))
    guard !lhs.overflow, !rhs.overflow else { return false }
    switch comparison {
    case .atLeast: return lhs.partialValue < rhs.partialValue
    case .atMost: return lhs.partialValue > rhs.partialValue
    case .moreThan: return lhs.partialValue <= rhs.partialValue
    case .lessThan: return lhs.partialValue >= rhs.partialValue
    }
  }

  /// The windows of `over last D` from the counts of each (shop, local day): for every day d within
  /// D-1 days after a counted day, the window `[d-D+1 00:00, d+1 00:00)` with the sum of its days.
  package func slidingWindows(
    _ daily: [RateTally.PeriodKey: RateTally.Counts], days: Int
  )
    -> [RateTally.PeriodKey: RateTally.Counts]
  {
    let length = Int64(max(1, days))
    var byEnd: [RateTally.PeriodKey: RateTally.Counts] = [:]
    for (key, counts) in daily {
      let first = calendar.localDay(key.period.start)
      for end in first..<(first + length) {
        let window = PeriodSpan(start: calendar.midnight(end - length + 1), end: calendar.midnight(end + 1))
        byEnd[RateTally.PeriodKey(shop: key.shop, period: window), default: RateTally.Counts()].add(counts)
      }
    }
    return byEnd
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
          raised[index] = raising(escalation, count: count)
        }
      }
    }
    return raised
  }

  /// What `escalation` makes of the `count`-th violation it counts: its new severity and the
  /// reason (`3rd minor within 30d`). The escalation's severities are those of the program.
  package func raising(_ escalation: CheckedEscalation, count: Int) -> Escalation {
    let severities = program.ir.severities
    let from = severities.indices.contains(escalation.from) ? severities[escalation.from] : "?"
    let to = severities.indices.contains(escalation.to) ? severities[escalation.to] : "?"
    return Escalation(
      escalatedTo: to,
      reason: "\(Self.ordinal(count)) \(from) within \(IRDump.duration(escalation.windowSeconds))")
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

  package init(
    shop: ByteString, at: Timestamp, conversation: ByteString, event: Int, rule: Int, severity: String
  ) {
    self.shop = shop
    self.at = at
    self.conversation = conversation
    self.event = event
    self.rule = rule
    self.severity = severity
  }
}
