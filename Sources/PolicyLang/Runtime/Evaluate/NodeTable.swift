// The condition nodes as plain values for the evaluator's inner loop. Reading a `ConditionNode`
// copies its payload (an `and`'s operand array is retained and released on every visit), and
// reference counting was the largest single cost of evaluation (perf: a quarter of the time in
// swift_retain and swift_release). Here operators and the common leaves are fixed-size records
// with the operands in one flat array; the rarer leaves are decided from their `ConditionNode`.

/// One condition node as a fixed-size record.
struct FlatNode: Sendable {
  enum Kind: UInt8, Sendable {
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
  }

  var kind: Kind
  /// `constant`: its value; `length`: at most (true) or at least.
  var flag: Bool = false
  /// `from`: the role and reply kind.
  var role: SenderRole = .buyer
  var reply: ReplyKind = .any
  /// `and`/`or`: the first operand in `NodeTable.operands`; `not`: the operand; `length`: the
  /// bound; `terms`: the list slot.
  var a: Int = 0
  /// `and`/`or`: the operand count; `terms`: the minimum count.
  var b: Int = 0
}

/// Every node of a program as a `FlatNode`, with the operands of `and` and `or` back to back.
struct NodeTable: Sendable {
  let nodes: [FlatNode]
  let operands: [Int]

  init(_ conditions: [ConditionNode]) {
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
      case .hasAttachment, .proximity, .url, .detector, .pattern: nodes.append(FlatNode(kind: .leaf))
      }
    }
    self.nodes = nodes
    self.operands = operands
  }
}
