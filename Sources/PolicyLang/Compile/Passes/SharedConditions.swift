// Shared sub-conditions: identical nodes (same operation, same operands) become one node, so a
// sub-condition used by several rules is evaluated once per message.

/// The hash-consing pass.
enum SharedConditions {
  static func run(_ ir: IR) -> IR {
    ArenaBuilder.rebuild(ir, sharing: true) { node, builder in
      // Operands that became the same node are kept once.
      switch node {
      case .and(let ids), .or(let ids):
        var unique: [Int] = []
        for id in ids where !unique.contains(id) { unique.append(id) }
        if unique.count == 1, let only = unique.first { return only }
        if case .and = node { return builder.emit(.and(unique)) }
        return builder.emit(.or(unique))
      default:
        return builder.emit(node)
      }
    }
  }
}
