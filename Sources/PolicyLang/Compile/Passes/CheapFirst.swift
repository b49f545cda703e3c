// Cheap predicates first: the operands of `and`/`or` are ordered by what deciding them costs, so
// the sender and attachment checks short-circuit before the text is matched at all. Ties keep
// their id order, and the arena is re-shared afterwards (reordered duplicates merge).

/// The ordering pass.
enum CheapFirst {
  /// The cost of deciding a node: sender 1, attachments 2, text 10, patterns 20; compound nodes
  /// cost the sum of their operands (capped).
  static func cost(_ node: ConditionNode, _ costs: [Int]) -> Int {
    switch node {
    case .constant: return 0
    // A history slot's value is decided before the message's rules: reading it is a load.
    case .from, .history: return 1
    case .hasAttachment, .attachmentType: return 2
    case .detector(let kind): return kind == .qrCode ? 2 : 10
    case .length, .terms, .proximity, .nearWords, .phones, .url: return 10
    case .pattern: return 20
    case .and(let ids), .or(let ids):
      return min(1_000_000, ids.reduce(0) { $0 + (costs.indices.contains($1) ? costs[$1] : 0) })
    case .not(let id): return costs.indices.contains(id) ? costs[id] : 0
    }
  }

  static func run(_ ir: IR) -> IR {
    var costs: [Int] = []
    return ArenaBuilder.rebuild(ir, sharing: true) { node, builder in
      while costs.count < builder.nodes.count { costs.append(cost(builder.nodes[costs.count], costs)) }
      let ordered: ConditionNode
      func sorted(_ ids: [Int]) -> [Int] {
        ids.enumerated().sorted { a, b in
          let ca = costs.indices.contains(a.element) ? costs[a.element] : 0
          let cb = costs.indices.contains(b.element) ? costs[b.element] : 0
          return (ca, a.element) < (cb, b.element)
        }.map(\.element)
      }
      switch node {
      case .and(let ids): ordered = .and(sorted(ids))
      case .or(let ids): ordered = .or(sorted(ids))
      default: ordered = node
      }
      let id = builder.emit(ordered)
      while costs.count < builder.nodes.count { costs.append(cost(builder.nodes[costs.count], costs)) }
      return id
    }
  }
}
