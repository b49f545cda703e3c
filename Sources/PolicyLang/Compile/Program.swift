// The compiled rule program: the optimized IR plus what the evaluator needs to examine each message
// once (rules grouped by sender role, which of them need text, one text request for all lists).
// Only integers, strings, booleans and enums of them: no closures and no class references, so a
// serializer can write and read it field by field.

import PolicyLangCore
import PolicyLangFrontend
import PolicyLangText

/// A compiled, immutable rule program.
public struct RuleProgram: Sendable, Equatable {
  /// The optimized IR: arena, text slots, rules in policy order.
  public var ir: IR
  /// Every list, proximity, URL and pattern the rules use: one matcher request.
  public var textRequest: TextRequest
  /// For each sender role (`SenderRole.allCases` order): the message rules whose condition can
  /// hold for a message of that role, in rule order.
  public var messageRulesByRole: [[Int]]
  /// Per rule: whether its condition (message rule, message trigger or stop condition) needs text.
  public var ruleNeedsText: [Bool]
  /// Obligation rules whose obligations some rate counts, in rule order.
  public var rateSources: [Int]
  /// The version of the program's layout; a serializer writes it.
  public static let layoutVersion = 1

  /// Compiles a checked policy: lowering, then every pass of `Passes.all`.
  public init(compiling policy: CheckedPolicy) throws(CompileError) {
    guard PolicyZone(identifier: policy.zone) != nil else { throw .unknownZone(policy.zone) }
    self.init(ir: Passes.optimize(try Lowering.lower(policy)))
  }

  /// A program over already optimized IR (a loader rebuilds programs this way).
  public init(ir: IR) {
    self.ir = ir
    textRequest = TextRequest(
      lists: ir.lists.map(\.entries), proximities: ir.proximities,
      urlAllowLists: ir.urlSlots.map { slot in
        slot.flatMap { ir.domainLists.indices.contains($0) ? ir.domainLists[$0].domains : nil }
      },
      patterns: ir.patterns.map(\.source), normalization: ir.normalization,
      detectors: Set(
        ir.nodes.compactMap { node -> String? in
          guard case .detector(let kind) = node, kind != .qrCode else { return nil }
          return kind.rawValue
        }
      ).sorted())
    var regions = Set<PhoneRegion>()
    for case .phones(let plans) in ir.nodes { regions.formUnion(plans) }
    textRequest.phoneRegions = regions.sorted()
    var byRole: [[Int]] = SenderRole.allCases.map { _ in [] }
    var needsText: [Bool] = []
    var sources: Set<Int> = []
    let textNodes = Self.needsText(ir.nodes)
    func text(_ id: Int) -> Bool { textNodes.indices.contains(id) && textNodes[id] }
    for (index, rule) in ir.rules.enumerated() {
      switch rule.body {
      case .message(let root):
        for (r, role) in SenderRole.allCases.enumerated()
        where Self.mayHold(root, role: role, nodes: ir.nodes) {
          byRole[r].append(index)
        }
        needsText.append(text(root))
      case .obligation(let o):
        if case .message(let root) = o.trigger {
          needsText.append(text(root))
        } else {
          needsText.append(false)
        }
      case .rate(let rate):
        sources.insert(rate.of)
        needsText.append(false)
      case .ratio(let ratio):
        needsText.append(ratio.nodes.contains { text($0) })
      default:
        needsText.append(false)
      }
    }
    messageRulesByRole = byRole
    ruleNeedsText = needsText
    rateSources = sources.sorted()
  }

  /// A program over IR read from outside (a compiled file): every index, slot and reference is
  /// checked first, operands must precede their users and nesting is bounded, so evaluation can
  /// neither read out of bounds nor recurse without end.
  public init(validating ir: IR) throws(CompileError) {
    if let problem = Self.problem(in: ir) { throw .invalidProgram(problem) }
    self.init(ir: ir)
  }

  /// The first broken invariant of `ir`, or `nil`.
  public static func problem(in ir: IR) -> String? {
    var depth: [Int] = []
    for (id, node) in ir.nodes.enumerated() {
      var deepest = 0
      for operand in node.operands {
        guard operand >= 0 && operand < id else { return "node \(id) uses node \(operand)" }
        deepest = max(deepest, depth[operand])
      }
      if !node.operands.isEmpty { deepest += 1 }
      guard deepest < Lowering.maximumDepth else { return "node \(id) nests too deep" }
      depth.append(deepest)
      switch node {
      case .terms(let list, _) where !ir.lists.indices.contains(list): return "node \(id): no list \(list)"
      case .nearWords(let list, let other, _)
      where !ir.lists.indices.contains(list) || !ir.lists.indices.contains(other):
        return "node \(id): no list \(list) or \(other)"
      case .proximity(let slot) where !ir.proximities.indices.contains(slot):
        return "node \(id): no proximity \(slot)"
      case .phones(let regions) where regions.isEmpty || regions != Set(regions).sorted():
        return "node \(id): phone plans not sorted and distinct"
      case .url(let slot) where !ir.urlSlots.indices.contains(slot): return "node \(id): no url slot \(slot)"
      case .pattern(let slot) where !ir.patterns.indices.contains(slot):
        return "node \(id): no pattern \(slot)"
      case .history(let slot) where !ir.histories.indices.contains(slot):
        return "node \(id): no history slot \(slot)"
      default: break
      }
    }
    if let problem = historyProblem(in: ir) { return problem }
    for p in ir.proximities where !ir.lists.indices.contains(p.list) { return "proximity list \(p.list)" }
    for case .some(let d) in ir.urlSlots where !ir.domainLists.indices.contains(d) {
      return "url domains \(d)"
    }
    for e in ir.escalations
    where !ir.severities.indices.contains(e.from) || !ir.severities.indices.contains(e.to) {
      return "escalation severity"
    }
    func hours(_ h: Int?) -> Bool { h.map { ir.hours.indices.contains($0) } ?? true }
    func node(_ n: Int) -> Bool { ir.nodes.indices.contains(n) }
    for h in ir.hours where h.windowsByWeekday.count != 7 { return "hours \(h.name): not 7 days" }
    for (i, rule) in ir.rules.enumerated() {
      if let s = rule.severity, !ir.severities.indices.contains(s) { return "rule \(i): severity" }
      switch rule.body {
      case .message(let root): if !node(root) { return "rule \(i): node \(root)" }
      case .obligation(let o):
        if case .message(let root) = o.trigger, !node(root) { return "rule \(i): node \(root)" }
        if !hours(o.during) || !hours(o.countingOnly) || !o.limits.allSatisfy({ hours($0.ifDuring) }) {
          return "rule \(i): hours"
        }
      case .rate(let r):
        guard ir.rules.indices.contains(r.of), case .obligation = ir.rules[r.of].body, hours(r.during)
        else { return "rule \(i): rate reference" }
      case .ratio(let r):
        if case .rule(let counted) = r.count {
          guard ir.rules.indices.contains(counted), case .message = ir.rules[counted].body else {
            return "rule \(i): ratio of a rule that is not a message rule"
          }
        }
        if !r.nodes.allSatisfy(node) { return "rule \(i): ratio node" }
        if r.rate.of != i || r.rate.unit != .message || !hours(r.rate.during) { return "rule \(i): ratio" }
      case .manual: break
      }
    }
    // Values (durations, windows, dates, patterns, zone): Serialization/ProgramValidation.swift.
    return valueProblem(in: ir)
  }

  /// The first broken invariant of the history slots: their happenings name existing nodes,
  /// which read only history slots before their own (so one pass in slot order decides every
  /// slot at an event, and no slot depends on itself).
  static func historyProblem(in ir: IR) -> String? {
    // Per node: the highest history slot it reads, directly or through its operands (-1: none).
    var highest: [Int] = []
    for node in ir.nodes {
      var h = -1
      if case .history(let slot) = node { h = slot }
      for operand in node.operands where highest.indices.contains(operand) { h = max(h, highest[operand]) }
      highest.append(h)
    }
    for (slot, history) in ir.histories.enumerated() {
      for id in history.nodes {
        guard highest.indices.contains(id) else { return "history \(slot): node \(id)" }
        guard highest[id] < slot else { return "history \(slot) reads history \(highest[id])" }
      }
      if case .event(let names) = history.happening, names.isEmpty { return "history \(slot): no event" }
      if case .event(let names)? = history.without, names.isEmpty { return "history \(slot): no event" }
    }
    return nil
  }

  /// Per node: whether deciding it may need the text matched.
  static func needsText(_ nodes: [ConditionNode]) -> [Bool] {
    var out: [Bool] = []
    for node in nodes {
      out.append(node.needsText || node.operands.contains { out.indices.contains($0) && out[$0] })
    }
    return out
  }

  /// Whether node `root` can be true for some message from `role` (sender atoms decided, every
  /// other atom unknown). Bottom-up over the arena: operands precede their users.
  static func mayHold(_ root: Int, role: SenderRole, nodes: [ConditionNode]) -> Bool {
    // Per node: (can be true, can be false).
    var possible: [(Bool, Bool)] = []
    for node in nodes {
      func at(_ id: Int) -> (Bool, Bool) { possible.indices.contains(id) ? possible[id] : (true, true) }
      switch node {
      case .constant(let value): possible.append((value, !value))
      case .from(let r, let kind):
        if r != role {
          possible.append((false, true))
        } else {
          possible.append((true, kind != .any))
        }
      case .and(let ids):
        possible.append((ids.allSatisfy { at($0).0 }, ids.contains { at($0).1 }))
      case .or(let ids):
        possible.append((ids.contains { at($0).0 }, ids.allSatisfy { at($0).1 }))
      case .not(let id):
        let p = at(id)
        possible.append((p.1, p.0))
      default: possible.append((true, true))
      }
    }
    return possible.indices.contains(root) ? possible[root].0 : false
  }
}
