// The compiled rule program: the optimized IR plus what the evaluator needs to examine each message
// once (rules grouped by sender role, which of them need text, one text request for all lists).
// Only integers, strings, booleans and enums of them: no closures and no class references, so a
// serializer can write and read it field by field.

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
      patterns: ir.patterns, normalization: ir.normalization,
      detectors: Set(
        ir.nodes.compactMap { node -> String? in
          guard case .detector(let kind) = node, kind != .qrCode else { return nil }
          return kind.rawValue
        }
      ).sorted())
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
      case .afterStop(let a):
        needsText.append(text(a.condition))
      case .rate(let rate):
        sources.insert(rate.of)
        needsText.append(false)
      default:
        needsText.append(false)
      }
    }
    messageRulesByRole = byRole
    ruleNeedsText = needsText
    rateSources = sources.sorted()
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
