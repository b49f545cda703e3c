// The condition nodes as plain values for the evaluator's inner loop. Reading a `ConditionNode`
// copies its payload (an `and`'s operand array is retained and released on every visit), and
// reference counting was the largest single cost of evaluation (perf: a quarter of the time in
// swift_retain and swift_release). Here operators and the common leaves are fixed-size records
// with the operands in one flat array; the rarer leaves are decided from their `ConditionNode`.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangFrontend
import PolicyLangText

/// One condition node as a fixed-size record.
package struct FlatNode: Sendable {
  package enum Kind: UInt8, Sendable {
    /// Decided from the `ConditionNode` itself (attachments, proximity, URLs, detectors,
    /// patterns).
    case leaf
    case constant
    case and
    case or
    case not
    case from
    case length
    case terms
    /// A history slot's value at the message, decided before the message's rules are.
    case history
  }

  package var kind: Kind
  /// `constant`: its value; `length`: at most (true) or at least.
  package var flag: Bool = false
  /// `from`: the role and reply kind.
  package var role: SenderRole = .buyer
  package var reply: ReplyKind = .any
  /// `and`/`or`: the first operand in `NodeTable.operands`; `not`: the operand; `length`: the
  /// bound; `terms`: the list slot; `history`: the history slot.
  package var a: Int = 0
  /// `and`/`or`: the operand count; `terms`: the minimum count.
  package var b: Int = 0
}

/// Every node of a program as a `FlatNode`, with the operands of `and` and `or` back to back.
struct NodeTable: Sendable {
  package let nodes: [FlatNode]
  package let operands: [Int]

  package init(_ conditions: [ConditionNode]) {
    var nodes: [FlatNode] = []
    var operands: [Int] = []
    nodes.reserveCapacity(conditions.count)
    for condition in conditions {
      switch condition {
      case .constant(let value): nodes.append(FlatNode(kind: .constant, flag: value))
      case .and(let ids):
        nodes.append(FlatNode(kind: .and, a: operands.count, b: ids.count))
        operands.append(contentsOf: ids)
      case .or(let ids):
        nodes.append(FlatNode(kind: .or, a: operands.count, b: ids.count))
        operands.append(contentsOf: ids)
      case .not(let inner): nodes.append(FlatNode(kind: .not, a: inner))
      case .from(let role, let reply): nodes.append(FlatNode(kind: .from, role: role, reply: reply))
      case .length(let atMost, let n): nodes.append(FlatNode(kind: .length, flag: atMost, a: n))
      case .terms(let list, let atLeast): nodes.append(FlatNode(kind: .terms, a: list, b: atLeast))
      case .history(let slot): nodes.append(FlatNode(kind: .history, a: slot))
      case .hasAttachment, .attachmentType, .proximity, .nearWords, .phones, .url, .detector, .pattern:
        nodes.append(FlatNode(kind: .leaf))
      }
    }
    self.nodes = nodes
    self.operands = operands
  }
}

/// Which message rules hold for a message whose text the prefilter ruled out and that has no
/// attachment, per sender: most messages are such, and their answer is then known before any node
/// is visited.
///
/// Every text and attachment leaf is then false (a list count is 0), `from` is known from the
/// sender, and only `length` and history slots are unknown (the text was not normalized; the
/// history is the conversation's). Nodes are decided in three-valued logic in id order (operands
/// precede their user); a rule whose root stays unknown is decided node by node for such a
/// message, the others are known.
struct QuietMessageRules: Sendable {
  /// Per `SenderRole.allCases` index times 2 plus 1 for `auto`: per rule of the role's list
  /// (`rulesByRole`), whether it holds, or nil when it must be decided.
  private let answers: [[Bool?]]

  package init(nodes: [ConditionNode], listCount: Int, rulesByRole: [[Int]], roots: [Int]) {
    var answers: [[Bool?]] = []
    for (r, role) in SenderRole.allCases.enumerated() {
      for auto in [false, true] {
        let values = Self.values(nodes, listCount: listCount, role: role, auto: auto)
        var known: [Bool?] = []
        for rule in rulesByRole.indices.contains(r) ? rulesByRole[r] : [] {
          let root = roots.indices.contains(rule) ? roots[rule] : -1
          known.append(root >= 0 && values.indices.contains(root) ? values[root] : root < 0 ? false : nil)
        }
        answers.append(known)
      }
    }
    self.answers = answers
  }

  /// For a quiet message from `role`: per rule of the role's list, whether it holds (nil: decide
  /// it node by node).
  package func holding(role: SenderRole, auto: Bool) -> [Bool?] {
    let r = role.ordinal
    let index = r * 2 + (auto ? 1 : 0)
    return answers.indices.contains(index) ? answers[index] : []
  }

  /// Each node's value for a quiet message (nil: unknown).
  private static func values(
    _ nodes: [ConditionNode], listCount: Int, role: SenderRole, auto: Bool
  )
    -> [Bool?]
  {
    var values: [Bool?] = []
    values.reserveCapacity(nodes.count)
    func value(_ operand: Int, before id: Int) -> Bool? {
      // A later operand reads false, as in the evaluator.
      operand < id && values.indices.contains(operand) ? values[operand] : false
    }
    for (id, node) in nodes.enumerated() {
      let result: Bool?
      switch node {
      case .constant(let flag): result = flag
      case .and(let ids):
        let operands = ids.map { value($0, before: id) }
        result = operands.contains(false) ? false : operands.contains(nil) ? nil : true
      case .or(let ids):
        let operands = ids.map { value($0, before: id) }
        result = operands.contains(true) ? true : operands.contains(nil) ? nil : false
      case .not(let inner): result = value(inner, before: id).map { !$0 }
      case .from(let want, let kind): result = MessageContext.senderMatches(role, auto, want, kind)
      case .length, .history: result = nil
      case .terms(let list, let atLeast): result = list >= 0 && list < listCount && atLeast <= 0
      case .hasAttachment, .attachmentType, .proximity, .nearWords, .phones, .url, .detector, .pattern:
        result = false
      }
      values.append(result)
    }
    return values
  }
}
