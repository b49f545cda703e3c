// Escalation decided as each verdict leaves, for live evaluation: per policy and shop, the
// violations of each severity an escalation counts, in time order, inside the longest window. A
// verdict's escalation is the one a whole run would give it when verdicts leave in time order
// (the live order); violations at the same instant count in the order they left.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangRuntime

/// The violations escalation counts, per policy, shop and severity.
struct LiveEscalation {
  private struct Key: Hashable {
    var shop: ByteString
    var severity: String
  }

  private var kept: [[Key: [EscalationCandidate]]]

  init(policies: Int) { kept = Array(repeating: [:], count: policies) }

  /// Counts violations an earlier run kept (`--state`).
  mutating func restore(_ candidates: [EscalationCandidate], policy p: Int) {
    for c in candidates { insert(c, policy: p) }
  }

  /// The escalation of a verdict now leaving, and counts it.
  mutating func escalate(
    _ candidate: EscalationCandidate, policy p: Int, by evaluator: Evaluator
  ) -> Escalation? {
    insert(candidate, policy: p)
    let severities = evaluator.program.ir.severities
    var rank: Int?
    var raised: Escalation?
    for escalation in evaluator.program.ir.escalations {
      guard severities.indices.contains(escalation.from), severities.indices.contains(escalation.to),
        severities[escalation.from] == candidate.severity
      else { continue }
      let chain = kept[p][Key(shop: candidate.shop, severity: candidate.severity)] ?? []
      let (limit, overflow) = escalation.windowSeconds.multipliedReportingOverflow(by: 1_000_000_000)
      var count = 0
      for c in chain.reversed() where c.at <= candidate.at {
        guard overflow || PolicyCalendar.nanos(from: c.at, to: candidate.at) <= limit else { break }
        count += 1
      }
      guard count >= escalation.count else { continue }
      if let rank, rank >= escalation.to { continue }
      rank = escalation.to
      raised = evaluator.raising(escalation, count: count)
    }
    return raised
  }

  private mutating func insert(_ candidate: EscalationCandidate, policy p: Int) {
    guard kept.indices.contains(p) else { return }
    let key = Key(shop: candidate.shop, severity: candidate.severity)
    var chain = kept[p][key] ?? []
    // Nearly always the latest: found from the end.
    var at = chain.count
    while at > 0 && chain[at - 1].at > candidate.at { at -= 1 }
    chain.insert(candidate, at: at)
    kept[p][key] = chain
  }

  /// Forgets what no violation at or after `instant` can count (older than the longest window).
  mutating func trim(before instant: Timestamp, evaluators: [Evaluator]) {
    for p in kept.indices where evaluators.indices.contains(p) {
      guard let longest = evaluators[p].program.ir.escalations.map(\.windowSeconds).max() else {
        kept[p] = [:]
        continue
      }
      let (limit, overflow) = longest.multipliedReportingOverflow(by: 1_000_000_000)
      guard !overflow else { continue }
      for key in Array(kept[p].keys) {
        kept[p][key]?.removeAll { PolicyCalendar.nanos(from: $0.at, to: instant) > limit }
        if kept[p][key]?.isEmpty == true { kept[p][key] = nil }
      }
    }
  }

  /// Every violation kept, per policy.
  var candidates: [[EscalationCandidate]] { kept.map { $0.values.flatMap { $0 } } }
}
