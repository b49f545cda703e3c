// The one order of a run's verdicts (io.md): every sort of verdicts in the session uses this key,
// whether the verdicts are values in memory or rendered lines in a temporary file.

import PolicyLangCore
import PolicyLangRuntime

/// Where a verdict stands in the output.
///
/// Conversation verdicts come first, by conversation id (bytes), event index, policy (in the order
/// given) and rule (in policy order); aggregate verdicts follow, by shop, period start, period
/// end, policy and rule.
package struct VerdictOrder: Comparable, Sendable {
  /// Conversation verdicts (false) before aggregate ones (true).
  package var aggregate: Bool
  /// The conversation id, or the shop of an aggregate verdict.
  package var key: ByteString
  /// The event index (0 for aggregates).
  package var event: Int
  /// The period of an aggregate verdict (the epoch for conversation verdicts).
  package var periodStart: Timestamp
  package var periodEnd: Timestamp
  /// The policy's position in the session and the rule's in its policy.
  package var policy: Int
  package var rule: Int

  /// The place of `verdict`, found by policy `policy`.
  package init(policy: Int, _ verdict: RankedVerdict) {
    self.policy = policy
    rule = verdict.rule
    switch verdict.verdict.detail {
    case .content(let e, _), .timing(let e, _, _, _):
      aggregate = false
      key = e.conversation
      event = e.event
      periodStart = .epoch
      periodEnd = .epoch
    case .aggregate(let a):
      aggregate = true
      key = verdict.verdict.shop
      event = 0
      periodStart = a.periodStart
      periodEnd = a.periodEnd
    }
  }

  package static func < (a: VerdictOrder, b: VerdictOrder) -> Bool {
    if a.aggregate != b.aggregate { return !a.aggregate }
    if a.key != b.key { return a.key < b.key }
    if a.event != b.event { return a.event < b.event }
    if a.periodStart != b.periodStart { return a.periodStart < b.periodStart }
    if a.periodEnd != b.periodEnd { return a.periodEnd < b.periodEnd }
    if a.policy != b.policy { return a.policy < b.policy }
    return a.rule < b.rule
  }

  package static func == (a: VerdictOrder, b: VerdictOrder) -> Bool {
    a.aggregate == b.aggregate && a.key == b.key && a.event == b.event && a.periodStart == b.periodStart
      && a.periodEnd == b.periodEnd && a.policy == b.policy && a.rule == b.rule
  }
}
