// Lowering: CheckedPolicy -> IR. Conditions are emitted in post-order (operands first), one node per
// condition atom, with no sharing yet (the CSE pass shares). Lists get text slots on first use.

import PolicyLangFrontend
import PolicyLangText

/// Why a checked policy cannot be compiled.
public enum CompileError: Error, Sendable, Equatable {
  /// A condition nests deeper than `Lowering.maximumDepth` (the parser allows 64).
  case conditionTooDeep(rule: String)
  /// A reference (list, hours, rule, severity, clause) is out of range: the checker let it through.
  case invalidReference(rule: String, what: String)
  /// The policy's zone is unknown to the system.
  case unknownZone(String)
  /// IR given to `RuleProgram(validating:)` breaks an invariant (a loaded file is corrupt).
  case invalidProgram(String)
}

/// Lowers a checked policy to IR.
public struct Lowering {
  /// Deeper conditions are refused rather than risking the stack.
  public static let maximumDepth = 256

  private let policy: CheckedPolicy
  private var nodes: [ConditionNode] = []
  private var lists: [TextList] = []
  private var listSlotOfPolicyList: [Int: Int] = [:]
  private var listSlotOfInlineTerm: [String: Int] = [:]
  private var proximities: [ProximitySlot] = []
  private var urlSlots: [Int?] = []
  private var patterns: [PatternSlot] = []
  private var histories: [IRHistory] = []
  private var ruleName = ""
  /// The index of the rule being lowered (a count ratio names itself as its rate's source).
  private var ruleIndex = 0

  private init(policy: CheckedPolicy) { self.policy = policy }

  /// The IR of `policy`, unoptimized.
  public static func lower(_ policy: CheckedPolicy) throws(CompileError) -> IR {
    var lowering = Lowering(policy: policy)
    return try lowering.run()
  }

  private mutating func run() throws(CompileError) -> IR {
    var rules: [IRRule] = []
    for rule in policy.rules {
      ruleName = rule.name
      guard policy.clauses.indices.contains(rule.clause) else {
        throw .invalidReference(rule: rule.name, what: "clause")
      }
      if let severity = rule.severity, !policy.severities.indices.contains(severity) {
        throw .invalidReference(rule: rule.name, what: "severity")
      }
      ruleIndex = rules.count
      let body = try lowerBody(rule.body)
      if case .manual = body {
      } else if rule.severity == nil {
        throw .invalidReference(rule: rule.name, what: "severity")
      }
      rules.append(
        IRRule(
          name: rule.name, clause: policy.clauses[rule.clause].id, severity: rule.severity,
          body: body))
    }
    for escalation in policy.escalations
    where !policy.severities.indices.contains(escalation.from)
      || !policy.severities.indices.contains(escalation.to)
    {
      throw .invalidReference(rule: "escalate", what: "severity")
    }
    return IR(
      policy: policy.name, zone: policy.zone, severities: policy.severities.map(\.name),
      escalations: policy.escalations, hours: policy.hours, domainLists: policy.domainLists,
      nodes: nodes, lists: lists, proximities: proximities, urlSlots: urlSlots, patterns: patterns,
      histories: histories, normalization: policy.normalization.map(\.rawValue).sorted(), rules: rules)
  }

  private func checkHours(_ index: Int?) throws(CompileError) {
    if let index, !policy.hours.indices.contains(index) {
      throw .invalidReference(rule: ruleName, what: "hours")
    }
  }

  private mutating func lowerBody(_ body: CheckedRuleBody) throws(CompileError) -> IRRuleBody {
    switch body {
    case .message(let condition):
      return .message(try lower(condition, depth: 0))
    case .obligation(let o):
      try checkHours(o.during)
      try checkHours(o.countingOnly)
      for limit in o.limits { try checkHours(limit.ifDuring) }
      let trigger: IRTrigger
      switch o.trigger {
      case .message(let condition): trigger = .message(try lower(condition, depth: 0))
      case .event(let names): trigger = .event(names)
      }
      let response: IRResponse
      switch o.response {
      case .reply(let kind): response = .reply(kind)
      case .event(let names): response = .event(names)
      case .replyOrEvent(let kind, let names): response = .replyOrEvent(kind, names)
      }
      return .obligation(
        IRObligation(
          trigger: trigger, during: o.during, response: response, limits: o.limits,
          countingOnly: o.countingOnly))
    case .burst(let burst):
      return .message(lowerBurst(burst))
    case .afterStop(let a):
      return .message(try lowerStopRequest(a))
    case .rate(let rate):
      try checkHours(rate.during)
      guard policy.rules.indices.contains(rate.of),
        case .obligation = policy.rules[rate.of].body
      else { throw .invalidReference(rule: ruleName, what: "rate of") }
      return .rate(rate)
    case .ratio(let ratio):
      try checkHours(ratio.rate.during)
      let count: IRRatioCount
      switch ratio.count {
      case .rule(let index):
        guard policy.rules.indices.contains(index) else {
          throw .invalidReference(rule: ruleName, what: "rate of")
        }
        count = .rule(index)
      case .happening(let h): count = .happening(try lower(h, depth: 0))
      }
      var rate = ratio.rate
      rate.of = ruleIndex
      return .ratio(IRRatio(count: count, per: try lower(ratio.per, depth: 0), rate: rate))
    case .manual:
      return .manual
    }
  }

  mutating func listSlot(_ policyList: Int) throws(CompileError) -> Int {
    if let slot = listSlotOfPolicyList[policyList] { return slot }
    guard policy.termLists.indices.contains(policyList) else {
      throw .invalidReference(rule: ruleName, what: "terms")
    }
    let list = policy.termLists[policyList]
    lists.append(
      TextList(name: list.name, entries: list.terms.map { [$0.term] + $0.variants }, sources: list.files))
    listSlotOfPolicyList[policyList] = lists.count - 1
    return lists.count - 1
  }

  private mutating func inlineSlot(_ term: String) -> Int {
    if let slot = listSlotOfInlineTerm[term] { return slot }
    lists.append(TextList(name: nil, entries: [[term]]))
    listSlotOfInlineTerm[term] = lists.count - 1
    return lists.count - 1
  }

  mutating func emit(_ node: ConditionNode) -> Int {
    nodes.append(node)
    return nodes.count - 1
  }

  mutating func lower(_ condition: CheckedCondition, depth: Int) throws(CompileError) -> Int {
    guard depth < Self.maximumDepth else { throw .conditionTooDeep(rule: ruleName) }
    switch condition {
    case .and(let parts):
      var ids: [Int] = []
      for part in parts { ids.append(try lower(part, depth: depth + 1)) }
      return emit(.and(ids))
    case .or(let parts):
      var ids: [Int] = []
      for part in parts { ids.append(try lower(part, depth: depth + 1)) }
      return emit(.or(ids))
    case .not(let inner):
      return emit(.not(try lower(inner, depth: depth + 1)))
    case .constant(let value):
      return emit(.constant(value))
    case .from(let role, let kind):
      return emit(.from(role, kind))
    case .containsAny(let list):
      return emit(.terms(list: try listSlot(list), atLeast: 1))
    case .containsTerm(let term):
      return emit(.terms(list: inlineSlot(term), atLeast: 1))
    case .containsAtLeast(let count, let list):
      return emit(.terms(list: try listSlot(list), atLeast: count))
    case .detector(let kind, let allowed):
      if kind == .url {
        if let allowed, !policy.domainLists.indices.contains(allowed) {
          throw .invalidReference(rule: ruleName, what: "domains")
        }
        let slot = urlSlots.firstIndex(of: allowed) ?? urlSlots.count
        if slot == urlSlots.count { urlSlots.append(allowed) }
        return emit(.url(slot: slot))
      }
      return emit(.detector(kind))
    case .near(let list, let distance):
      let proximity = ProximitySlot(list: try listSlot(list), distance: distance)
      let slot = proximities.firstIndex(of: proximity) ?? proximities.count
      if slot == proximities.count { proximities.append(proximity) }
      return emit(.proximity(slot: slot))
    case .phones(let regions):
      // `phone in [cn]` is `phone`: one node, and programs that do not name a plan stay as before.
      return emit(regions == [.cn] ? .detector(.phone) : .phones(regions: regions))
    case .nearWords(let list, let other, let distance):
      return emit(.nearWords(list: try listSlot(list), other: try listSlot(other), distance: distance))
    case .matches(let source, let name):
      let pattern = PatternSlot(source: source, name: name)
      let slot = patterns.firstIndex(of: pattern) ?? patterns.count
      if slot == patterns.count { patterns.append(pattern) }
      return emit(.pattern(slot: slot))
    case .length(let atMost, let count):
      return emit(.length(atMost: atMost, count))
    case .hasAttachment(let type):
      return emit(.hasAttachment(type))
    case .attachmentOfType(let type, let negated, let fileTypes):
      return emit(.attachmentType(kind: type, negated: negated, fileTypes: fileTypes))
    case .history(let h):
      return try lower(h, depth: depth)
    }
  }

  /// A history condition: its happenings first (so a nested history condition gets the smaller
  /// slot), then its slot (shared with an identical one), then the node reading it. `at most N`
  /// is `not` of `at least N+1`.
  private mutating func lower(_ h: CheckedHistory, depth: Int) throws(CompileError) -> Int {
    let happening = try lower(h.happening, depth: depth + 1)
    let without = try h.without.map { (w) throws(CompileError) in try lower(w, depth: depth + 1) }
    let kind: IRHistoryKind
    var negated = false
    switch h.kind {
    case .after: kind = .after
    case .within(let seconds): kind = .within(seconds: seconds)
    case .moreThan(let seconds): kind = .moreThan(seconds: seconds)
    case .count(let comparison, let n, let window):
      switch comparison {
      case .moreThan: kind = .count(atLeast: n + 1, withinSeconds: window)
      case .atLeast: kind = .count(atLeast: n, withinSeconds: window)
      case .atMost:
        kind = .count(atLeast: n + 1, withinSeconds: window)
        negated = true
      }
    }
    // `after first H` is `after H`: only the time differs.
    let first = h.first && kind != .after
    let slot = historySlot(IRHistory(kind: kind, first: first, happening: happening, without: without))
    let id = emit(.history(slot: slot))
    return negated ? emit(.not(id)) : id
  }

  mutating func historySlot(_ history: IRHistory) -> Int {
    if let slot = histories.firstIndex(of: history) { return slot }
    histories.append(history)
    return histories.count - 1
  }

  private mutating func lower(_ h: CheckedHappening, depth: Int) throws(CompileError) -> IRHappening {
    switch h {
    case .message(let condition): return .message(try lower(condition, depth: depth))
    case .event(let names): return .event(names)
    case .anyEvent: return .anyEvent
    }
  }
}
