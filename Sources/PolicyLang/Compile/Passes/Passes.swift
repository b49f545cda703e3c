// The optimization passes over the IR's condition arena, in the order `Passes.all` runs them.
// Every pass walks nodes in id order (operands first) and rebuilds the arena, then drops nodes no
// rule reaches, so each pass's output can be dumped and compared with a golden file.

/// One named pass.
public struct IRPass: Sendable {
  /// The name used in golden file names and `--dump` output.
  public var name: String
  /// The transformation.
  public var run: @Sendable (IR) -> IR
}

/// The optimization pipeline.
public enum Passes {
  /// Constant folding, sharing, cheap-first ordering, text-slot collection; in this order.
  public static let all: [IRPass] = [
    IRPass(name: "fold", run: { ConstantFolding.run($0) }),
    IRPass(name: "cse", run: { SharedConditions.run($0) }),
    IRPass(name: "order", run: { CheapFirst.run($0) }),
    IRPass(name: "text", run: { TextCollection.run($0) }),
  ]

  /// `ir` after every pass.
  public static func optimize(_ ir: IR) -> IR {
    all.reduce(ir) { $1.run($0) }
  }
}

/// Builds a new arena, optionally hash-consing identical nodes.
struct ArenaBuilder {
  var nodes: [ConditionNode] = []
  var index: [ConditionNode: Int] = [:]
  let sharing: Bool

  init(sharing: Bool) { self.sharing = sharing }

  mutating func emit(_ node: ConditionNode) -> Int {
    if sharing, let id = index[node] { return id }
    nodes.append(node)
    if sharing { index[node] = nodes.count - 1 }
    return nodes.count - 1
  }

  /// Keeps only nodes reachable from the IR's roots, renumbered in order.
  static func compact(_ ir: IR) -> IR {
    var reachable = [Bool](repeating: false, count: ir.nodes.count)
    for root in ir.roots where reachable.indices.contains(root) { reachable[root] = true }
    for id in stride(from: ir.nodes.count - 1, through: 0, by: -1) where reachable[id] {
      for operand in ir.nodes[id].operands where reachable.indices.contains(operand) {
        reachable[operand] = true
      }
    }
    var map = [Int](repeating: -1, count: ir.nodes.count)
    var nodes: [ConditionNode] = []
    for (id, node) in ir.nodes.enumerated() where reachable[id] {
      map[id] = nodes.count
      nodes.append(remap(node) { map[$0] })
    }
    var out = ir.remappingRoots { map.indices.contains($0) ? map[$0] : $0 }
    out.nodes = nodes
    return out
  }

  static func remap(_ node: ConditionNode, _ map: (Int) -> Int) -> ConditionNode {
    switch node {
    case .and(let ids): return .and(ids.map(map))
    case .or(let ids): return .or(ids.map(map))
    case .not(let id): return .not(map(id))
    default: return node
    }
  }

  /// Rebuilds `ir`'s arena through `transform`, which sees operands already rebuilt and returns
  /// the new node's id (it may return an operand's id to drop a node).
  static func rebuild(
    _ ir: IR, sharing: Bool, _ transform: (ConditionNode, inout ArenaBuilder) -> Int
  ) -> IR {
    var builder = ArenaBuilder(sharing: sharing)
    var map = [Int](repeating: 0, count: ir.nodes.count)
    for (id, node) in ir.nodes.enumerated() {
      let remapped = remap(node) { map.indices.contains($0) ? map[$0] : $0 }
      map[id] = transform(remapped, &builder)
    }
    var out = ir.remappingRoots { map.indices.contains($0) ? map[$0] : $0 }
    out.nodes = builder.nodes
    return compact(out)
  }
}
