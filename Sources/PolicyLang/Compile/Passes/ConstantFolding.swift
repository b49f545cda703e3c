// Constant folding: `and`/`or`/`not` with constant operands, nested `and`/`or` flattened,
// duplicate operands dropped, and contradictory sender atoms (`from buyer and from seller`,
// `from human seller and from auto seller`) folded to false. Folding never changes a verdict's
// evidence: an `or` made true by a constant keeps its operands that can carry evidence.

/// The constant-folding pass.
enum ConstantFolding {
  static func run(_ ir: IR) -> IR {
    var bearing: [Bool] = []
    return ArenaBuilder.rebuild(ir, sharing: false) { node, builder in
      let id = fold(node, &builder, bearing)
      while bearing.count < builder.nodes.count {
        let n = builder.nodes[bearing.count]
        bearing.append(
          carriesEvidence(n)
            || n.operands.contains { bearing.indices.contains($0) && bearing[$0] && !isNot(n) })
      }
      return id
    }
  }

  /// Atoms that report evidence when they hold.
  static func carriesEvidence(_ node: ConditionNode) -> Bool {
    switch node {
    case .terms, .proximity, .nearWords, .phones, .attachmentType, .url, .detector, .pattern: return true
    default: return false
    }
  }

  static func isNot(_ node: ConditionNode) -> Bool {
    if case .not = node { return true }
    return false
  }

  static func constant(_ id: Int, _ builder: ArenaBuilder) -> Bool? {
    guard builder.nodes.indices.contains(id), case .constant(let value) = builder.nodes[id] else {
      return nil
    }
    return value
  }

  /// Two sender atoms that no message satisfies together.
  static func contradict(_ a: ConditionNode, _ b: ConditionNode) -> Bool {
    guard case .from(let roleA, let kindA) = a, case .from(let roleB, let kindB) = b else {
      return false
    }
    if roleA != roleB { return true }
    return (kindA == .human && kindB == .auto) || (kindA == .auto && kindB == .human)
  }

  static func fold(_ node: ConditionNode, _ builder: inout ArenaBuilder, _ bearing: [Bool]) -> Int {
    switch node {
    case .and(let ids), .or(let ids):
      let isAnd: Bool
      if case .and = node { isAnd = true } else { isAnd = false }
      var operands: [Int] = []
      var work = ids
      var cursor = 0
      var constantTrueOr = false
      // Flatten nested operands of the same kind (already folded, so one level suffices).
      while cursor < work.count {
        let id = work[cursor]
        cursor += 1
        if builder.nodes.indices.contains(id) {
          switch builder.nodes[id] {
          case .and(let inner) where isAnd:
            work.append(contentsOf: inner)
            continue
          case .or(let inner) where !isAnd:
            work.append(contentsOf: inner)
            continue
          default: break
          }
        }
        if let value = constant(id, builder) {
          if value != isAnd {
            if isAnd { return builder.emit(.constant(false)) }
            constantTrueOr = true
          }
          continue
        }
        if !operands.contains(id) { operands.append(id) }
      }
      if isAnd {
        let senders = operands.compactMap { id -> ConditionNode? in
          guard builder.nodes.indices.contains(id), case .from = builder.nodes[id] else { return nil }
          return builder.nodes[id]
        }
        for (i, a) in senders.enumerated() {
          for b in senders[(i + 1)...] where contradict(a, b) { return builder.emit(.constant(false)) }
        }
      }
      if constantTrueOr {
        // True whatever the rest says; keep only what can still report evidence.
        let kept = operands.filter { bearing.indices.contains($0) && bearing[$0] }
        let truth = builder.emit(.constant(true))
        return kept.isEmpty ? truth : builder.emit(.or([truth] + kept))
      }
      if operands.isEmpty { return builder.emit(.constant(isAnd)) }
      if operands.count == 1, let only = operands.first { return only }
      return builder.emit(isAnd ? .and(operands) : .or(operands))
    case .not(let id):
      if let value = constant(id, builder) { return builder.emit(.constant(!value)) }
      if builder.nodes.indices.contains(id), case .not(let inner) = builder.nodes[id] { return inner }
      return builder.emit(node)
    case .length(let atMost, let count) where count < 0:
      return builder.emit(.constant(!atMost))
    case .length(false, 0):
      return builder.emit(.constant(true))
    default:
      return builder.emit(node)
    }
  }
}
