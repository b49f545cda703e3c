// Shared sub-conditions: identical nodes (same operation, same operands) become one node, so a
// sub-condition used by several rules is evaluated once per message.

/// The hash-consing pass.
enum SharedConditions {
  static func run(_ ir: IR) -> IR {
    ArenaBuilder.rebuild(ir, sharing: true) { node, builder in builder.emit(node) }
  }
}
