// The state a run leaves: the conversations it did not touch as they were read (their records
// copied byte for byte when the policies did not change), those it finished encoded anew, the
// rate periods it could not judge, and the violations inside the longest escalation window.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangRuntime

extension CarriedState {
  /// The state after a run judged through `asOf`.
  package func next(
    finished: [ConversationEntry], tallies: [RateTally], candidates: [[EscalationCandidate]],
    evaluators: [Evaluator], asOf: Timestamp
  ) -> EvaluationState {
    var shops = unchanged ? state.shops : []
    var shopIndex = ShopIndex(shops)
    var conversations = StoredConversations()
    let touched = Set(finished.map(\.id))
    let stored = state.conversations
    for k in 0..<stored.count where !touched.contains(stored.id(k)) {
      if unchanged {
        // Every record with an obligation open was touched (the run settles them all).
        _ = conversations.append(stored.encoded(k), id: stored.id(k), active: false)
      } else if let record = record(k) {
        let shop = record.shop.map { shopIndex.intern($0, into: &shops) }
        _ = conversations.append(
          StateCoding.encode(record, shop: shop)[...], id: record.id, active: record.hasObligations)
      }
    }
    for entry in finished.sorted(by: { $0.id < $1.id }) {
      var last: LastInstant?
      if let at = entry.lastAt, at >= asOf {
        last = LastInstant(at: at, digests: entry.lastDigests)
      } else if let judged = entry.judgedLast, judged.at >= asOf {
        last = judged
      }
      let record = ConversationRecord(
        id: entry.id, shop: entry.shop, buyer: entry.buyer, last: last, parts: Array(entry.states))
      let shop = entry.shop.map { shopIndex.intern($0, into: &shops) }
      _ = conversations.append(
        StateCoding.encode(record, shop: shop)[...], id: record.id, active: record.hasObligations)
    }
    var rates: [[CarriedPeriod]] = []
    var violations: [[CarriedViolation]] = []
    for (p, evaluator) in evaluators.enumerated() {
      let open =
        tallies.indices.contains(p)
        ? tallies[p].carriedPeriods { rule, period in
          evaluator.isNeeded(rule: rule, period: period, after: asOf)
        } : []
      for period in open { _ = shopIndex.intern(period.shop, into: &shops) }
      rates.append(open)
      violations.append(
        Self.kept(candidates.indices.contains(p) ? candidates[p] : [], by: evaluator, asOf: asOf))
      for v in violations[p] { _ = shopIndex.intern(v.shop, into: &shops) }
    }
    return EvaluationState(
      watermark: asOf, stamps: stamps, shops: shops, conversations: conversations, rates: rates,
      violations: violations)
  }

  /// The violations a later escalation may count: those inside the policy's longest escalation
  /// window before `asOf` (a later violation is at or after it), in escalation order.
  private static func kept(
    _ candidates: [EscalationCandidate], by evaluator: Evaluator, asOf: Timestamp
  ) -> [CarriedViolation] {
    let windows = evaluator.program.ir.escalations.map(\.windowSeconds)
    guard let longest = windows.max() else { return [] }
    let (limit, overflow) = longest.multipliedReportingOverflow(by: 1_000_000_000)
    var out: [CarriedViolation] = []
    for c in candidates where overflow || PolicyCalendar.nanos(from: c.at, to: asOf) <= limit {
      out.append(
        CarriedViolation(
          shop: c.shop, at: c.at, conversation: c.conversation, event: c.event,
          rule: c.rule >= 0 ? c.rule : nil,
          severity: c.severity))
    }
    out.sort { a, b in
      if a.shop != b.shop { return a.shop < b.shop }
      if a.at != b.at { return a.at < b.at }
      if a.conversation != b.conversation { return a.conversation < b.conversation }
      return (a.event, a.rule ?? -1) < (b.event, b.rule ?? -1)
    }
    return out
  }
}
