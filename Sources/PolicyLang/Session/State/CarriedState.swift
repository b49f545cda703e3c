// A state fitted to the run's policies. The stamps say which parts of the state still mean the
// same: rules and history slots are matched by name and fingerprint, so a policy edited between
// runs keeps the state of what it did not change. Open obligations and rate periods of rules
// removed or changed are dropped (with a warning naming them), as is what history slots no longer
// in the policy remembered; the violations escalation counts are kept whatever the edit.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangRuntime

/// The state a run starts from, fitted to its policies.
package struct CarriedState: Sendable {
  package let state: EvaluationState
  /// The stamps of the run's programs, in the session's order.
  package let stamps: [ProgramStamp]
  /// Per policy of the session: its stamp's index in `state` (nil when the state is empty).
  private let stampOfPolicy: [Int?]
  /// Per stamp of `state`: each old rule's id in the new program, nil when removed or changed.
  private let ruleMaps: [[RuleID?]]
  /// Per stamp of `state`: each old rule's index in the new program by name (for escalation).
  private let ruleByName: [[Int?]]
  /// Per stamp of `state`: each old history slot's index in the new program, nil when changed.
  private let historyMaps: [[Int?]]
  /// The state's stamps are the run's, in the same order: its records need no translation.
  package let unchanged: Bool
  /// History slot counts of the run's programs, in the session's order.
  private let historyCounts: [Int]
  /// What the run must say about an edited policy.
  package let warnings: [String]

  /// Fits `state` to the run's evaluators; fails when it was made with other policies.
  package init(_ state: EvaluationState, evaluators: [Evaluator], path: String) throws(StateFileError) {
    self.state = state
    let stamps = evaluators.map { ProgramStamp(program: $0.program) }
    self.stamps = stamps
    historyCounts = evaluators.map(\.program.ir.histories.count)
    let given = stamps.map(\.policy)
    guard !state.stamps.isEmpty else {
      stampOfPolicy = Array(repeating: nil, count: evaluators.count)
      ruleMaps = []
      ruleByName = []
      historyMaps = []
      unchanged = true
      warnings = []
      return
    }
    let old = state.stamps.map(\.policy)
    guard old.sorted() == given.sorted(), Set(given).count == given.count else {
      throw .otherPolicies(path: path, state: old, given: given)
    }
    stampOfPolicy = given.map { name in old.firstIndex(of: name) }
    var ruleMaps: [[RuleID?]] = []
    var ruleByName: [[Int?]] = []
    var historyMaps: [[Int?]] = []
    var warnings: [String] = []
    for oldStamp in state.stamps {
      guard let p = given.firstIndex(of: oldStamp.policy) else { continue }
      let new = stamps[p]
      let program = evaluators[p].program
      var map: [RuleID?] = []
      var byName: [Int?] = []
      var dropped: [String] = []
      for rule in oldStamp.rules {
        let index = new.rules.firstIndex { $0.name == rule.name }
        byName.append(index)
        if let index, new.rules[index].fingerprint == rule.fingerprint {
          map.append(RuleID(index))
        } else {
          map.append(nil)
          dropped.append(rule.name)
        }
      }
      // Fingerprints of the new slots, each used once: two equal slots keep their order.
      var free = Array(new.histories.enumerated())
      var slots: [Int?] = []
      for fingerprint in oldStamp.histories {
        if let k = free.firstIndex(where: { $0.element == fingerprint }) {
          slots.append(free[k].offset)
          free.remove(at: k)
        } else {
          slots.append(nil)
        }
      }
      ruleMaps.append(map)
      ruleByName.append(byName)
      historyMaps.append(slots)
      let carrying = dropped.filter { name in
        // Only obligations and rates carry state; a changed message rule has none to drop.
        guard let rule = program.ir.rules.first(where: { $0.name == name }) else { return true }
        switch rule.body {
        case .obligation, .rate, .ratio: return true
        case .message, .manual: return false
        }
      }
      if !carrying.isEmpty {
        let names = carrying.map { "`\($0)`" }.joined(separator: ", ")
        warnings.append(
          "policy `\(oldStamp.policy)` changed since state \(path) was made: the open obligations and rate"
            + " periods of \(names) (removed or changed) are dropped; violations kept for escalation stay")
      }
      let lostSlots = slots.filter { $0 == nil }.count
      if lostSlots > 0 {
        warnings.append(
          "policy `\(oldStamp.policy)` changed since state \(path) was made: what conversations remembered"
            + " for \(lostSlots) history condition\(lostSlots == 1 ? "" : "s") no longer in the policy is dropped"
        )
      }
    }
    self.ruleMaps = ruleMaps
    self.ruleByName = ruleByName
    self.historyMaps = historyMaps
    unchanged = state.stamps == stamps
    self.warnings = warnings
  }

  /// The instant the previous run judged through.
  package var watermark: Timestamp? { state.watermark }

  // MARK: Conversations

  /// Conversation `id` as the run starts it: from the state when kept there, else new.
  package func entry(for id: ByteString, policies: Int) -> ConversationEntry {
    var entry = ConversationEntry(id: id, policies: policies)
    entry.watermark = state.watermark
    guard let k = state.conversations.find(id), let record = record(k) else { return entry }
    entry.shop = record.shop
    entry.buyer = record.buyer
    entry.states = PolicyStates(record.parts)
    if let last = record.last, last.at >= (state.watermark ?? last.at) {
      entry.watermark = last.at
      entry.judgedLast = last
    }
    return entry
  }

  /// Stored record `k` in the run's terms: policies in the session's order, rules and history
  /// slots of the new programs. Records were checked when the state was read.
  package func record(_ k: Int) -> ConversationRecord? {
    guard
      var record = try? StateCoding.record(
        state.conversations.encoded(k), stamps: state.stamps, shops: state.shops)
    else { return nil }
    guard !unchanged else { return record }
    var parts: [ConversationState?] = []
    for (p, stamp) in stampOfPolicy.enumerated() {
      guard let stamp, record.parts.indices.contains(stamp), let old = record.parts[stamp] else {
        parts.append(nil)
        continue
      }
      var obligations: [OpenObligation] = []
      for var obligation in old.obligations {
        guard ruleMaps[stamp].indices.contains(obligation.rule.index),
          let rule = ruleMaps[stamp][obligation.rule.index]
        else { continue }
        obligation.rule = rule
        obligations.append(obligation)
      }
      var slots = ConversationHistory(slotCount: historyCounts[p]).slots
      for (k, slot) in old.history.slots.enumerated() {
        guard historyMaps[stamp].indices.contains(k), let to = historyMaps[stamp][k],
          slots.indices.contains(to)
        else { continue }
        slots[to] = slot
      }
      parts.append(
        ConversationState(
          nextIndex: old.nextIndex, obligations: obligations, history: ConversationHistory(slots: slots)))
    }
    record.parts = parts
    return record
  }

  // MARK: Rates and escalation

  /// The rate periods the state carries for policy `p`, with rules of the new program.
  package func periods(policy p: Int) -> [CarriedPeriod] {
    guard stampOfPolicy.indices.contains(p), let stamp = stampOfPolicy[p], state.rates.indices.contains(stamp)
    else { return [] }
    return state.rates[stamp].compactMap { period in
      guard ruleMaps[stamp].indices.contains(period.rule), let rule = ruleMaps[stamp][period.rule] else {
        return nil
      }
      var period = period
      period.rule = rule.index
      return period
    }
  }

  /// The violations the state keeps for policy `p`, as escalation candidates of the new program
  /// (a rule it no longer has sorts first among violations of the same event).
  package func candidates(policy p: Int) -> [EscalationCandidate] {
    guard stampOfPolicy.indices.contains(p), let stamp = stampOfPolicy[p],
      state.violations.indices.contains(stamp)
    else { return [] }
    return state.violations[stamp].map { v in
      let rule = v.rule.flatMap { ruleByName[stamp].indices.contains($0) ? ruleByName[stamp][$0] : nil }
      return EscalationCandidate(
        shop: v.shop, at: v.at, conversation: v.conversation, event: v.event, rule: rule ?? -1,
        severity: v.severity)
    }
  }
}
