// A whole run: events of many conversations in any order -> every verdict in io.md's order.
// Conversations are grouped (shop and buyer conflicts rejected in line order), judged one by one,
// then `finish` adds the rates and applies escalation over each shop's history.

extension Evaluator {
  /// Judges every event of a run. Events whose shop or buyer conflicts with an earlier line of
  /// the same conversation are passed to `rejected` and not evaluated.
  public func evaluate(
    run events: [Event], asOf: Timestamp?, includePending: Bool,
    rejected: (Event, EventRejection) -> Void = { _, _ in }
  ) -> [Verdict] {
    var groups: [ByteString: [Event]] = [:]
    var shops: [ByteString: ByteString] = [:]
    var buyers: [ByteString: ByteString] = [:]
    for event in events.sorted(by: { $0.lineOrder < $1.lineOrder }) {
      if let shop = event.shop, let earlier = shops[event.conversation], earlier != shop {
        rejected(event, .conflictingShop(earlier: earlier, found: shop))
        continue
      }
      if let buyer = event.buyer, let earlier = buyers[event.conversation], earlier != buyer {
        rejected(event, .conflictingBuyer(earlier: earlier, found: buyer))
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
    var conversationVerdicts = results.flatMap(\.verdicts)
    escalate(&conversationVerdicts)
    conversationVerdicts.sort { a, b in
      let ca = a.conversation ?? ByteString(bytes: [])
      let cb = b.conversation ?? ByteString(bytes: [])
      if ca != cb { return ca < cb }
      return (a.event ?? 0, a.ruleIndex) < (b.event ?? 0, b.ruleIndex)
    }
    var aggregates = rates(results, asOf: asOf)
    aggregates.sort { a, b in
      if a.shop != b.shop { return a.shop < b.shop }
      let pa = a.period ?? VerdictPeriod(start: Timestamp(seconds: 0), end: Timestamp(seconds: 0))
      let pb = b.period ?? VerdictPeriod(start: Timestamp(seconds: 0), end: Timestamp(seconds: 0))
      return (pa.start, pa.end, a.ruleIndex) < (pb.start, pb.end, b.ruleIndex)
    }
    return conversationVerdicts + aggregates
  }

  /// Aggregate verdicts of every rate rule.
  func rates(_ results: [ConversationResult], asOf: Timestamp?) -> [Verdict] {
    var out: [Verdict] = []
    for (ruleIndex, rule) in program.ir.rules.enumerated() {
      guard case .rate(let rate) = rule.body, program.ir.rules.indices.contains(rate.of),
        case .obligation(let source) = program.ir.rules[rate.of].body
      else { continue }
      let longest = source.limits.map(\.seconds).max() ?? 0
      struct UnitKey: Hashable {
        var shop: ByteString
        var period: VerdictPeriod
        var unit: [ByteString]
        var day: Int64
        var serial: Int
      }
      var units: [UnitKey: Bool] = [:]
      var serial = 0
      for result in results {
        for record in result.obligations where record.rule == rate.of {
          if let during = rate.during, !calendar.contains(during, record.openedAt) { continue }
          let period = calendar.period(rate.period, during: rate.during, at: record.openedAt)
          var key = UnitKey(shop: result.shop, period: period, unit: [], day: 0, serial: 0)
          switch rate.unit {
          case .message:
            serial += 1
            key.serial = serial
          case .buyerDay:
            key.unit = [record.buyer]
            key.day = calendar.localDay(record.openedAt)
          case .conversation:
            key.unit = [record.conversation]
          }
          units[key] = (units[key] ?? true) && record.met
        }
      }
      struct PeriodKey: Hashable {
        var shop: ByteString
        var period: VerdictPeriod
      }
      var tallies: [PeriodKey: (count: Int, total: Int)] = [:]
      for (key, passed) in units {
        let p = PeriodKey(shop: key.shop, period: key.period)
        let t = tallies[p] ?? (0, 0)
        tallies[p] = (t.count + (passed ? 1 : 0), t.total + 1)
      }
      for (key, tally) in tallies {
        let judgedAt = key.period.end.adding(seconds: longest)
        if let asOf, judgedAt > asOf { continue }
        if let minimum = rate.minimum, tally.total <= minimum { continue }
        guard tally.total > 0 else { continue }
        let count = Int64(tally.count)
        let total = Int64(tally.total)
        let lhs = count.multipliedReportingOverflow(by: 1_000_000)
        let rhs = rate.thresholdMillionths.multipliedReportingOverflow(by: total)
        guard !lhs.overflow, !rhs.overflow, lhs.partialValue < rhs.partialValue else { continue }
        var v = baseVerdict(ruleIndex, conversation: nil, shop: key.shop)
        v.period = key.period
        v.count = tally.count
        v.total = tally.total
        v.thresholdMillionths = rate.thresholdMillionths
        // count/total rounded half up to 4 decimals, exactly.
        v.valueTenThousandths = (count * 20_000 + total) / (2 * total)
        out.append(v)
      }
    }
    return out
  }

  /// Applies the policy's escalations to the (non-pending) verdicts of each shop, in time order.
  func escalate(_ verdicts: inout [Verdict]) {
    let escalations = program.ir.escalations
    guard !escalations.isEmpty else { return }
    let severities = program.ir.severities
    var byShop: [ByteString: [Int]] = [:]
    for (i, v) in verdicts.enumerated() where !v.pending { byShop[v.shop, default: []].append(i) }
    for (_, indexes) in byShop {
      let ordered = indexes.sorted { a, b in
        let va = verdicts[a]
        let vb = verdicts[b]
        let ta = va.at ?? Timestamp(seconds: 0)
        let tb = vb.at ?? Timestamp(seconds: 0)
        if ta != tb { return ta < tb }
        let ca = va.conversation ?? ByteString(bytes: [])
        let cb = vb.conversation ?? ByteString(bytes: [])
        if ca != cb { return ca < cb }
        return (va.event ?? 0, va.ruleIndex) < (vb.event ?? 0, vb.ruleIndex)
      }
      for escalation in escalations {
        guard severities.indices.contains(escalation.from), severities.indices.contains(escalation.to)
        else { continue }
        let from = severities[escalation.from]
        let chain = ordered.filter { verdicts[$0].severity == from }
        let window = nanoseconds(escalation.windowSeconds)
        var lower = 0
        for (k, index) in chain.enumerated() {
          let at = verdicts[index].at ?? Timestamp(seconds: 0)
          while lower < k,
            PolicyCalendar.nanos(from: verdicts[chain[lower]].at ?? at, to: at) > window
          {
            lower += 1
          }
          let count = k - lower + 1
          guard count >= escalation.count else { continue }
          let to = severities[escalation.to]
          if let current = verdicts[index].escalatedTo,
            let currentRank = severities.firstIndex(of: current), currentRank >= escalation.to
          {
            continue
          }
          verdicts[index].escalatedTo = to
          verdicts[index].escalation =
            "\(Self.ordinal(count)) \(from) within \(IRDump.duration(escalation.windowSeconds))"
        }
      }
    }
  }

  /// `1st`, `2nd`, `3rd`, `4th`, ..., `11th`, `21st`.
  static func ordinal(_ n: Int) -> String {
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
