// Text collection: every list, proximity, URL and pattern slot still used after folding, and only
// those, renumbered in first-use order, so the matcher receives one request with every term of
// every rule and searches each message once.

import PolicyLangText

/// The text-slot collection pass.
enum TextCollection {
  static func run(_ ir: IR) -> IR {
    var listMap: [Int: Int] = [:]
    var lists: [TextList] = []
    func list(_ old: Int) -> Int {
      if let new = listMap[old] { return new }
      guard ir.lists.indices.contains(old) else { return old }
      lists.append(ir.lists[old])
      listMap[old] = lists.count - 1
      return lists.count - 1
    }
    var proximityMap: [Int: Int] = [:]
    var proximities: [ProximitySlot] = []
    var urlMap: [Int: Int] = [:]
    var urlSlots: [Int?] = []
    var patternMap: [Int: Int] = [:]
    var patterns: [PatternSlot] = []
    var nodes: [ConditionNode] = []
    for node in ir.nodes {
      switch node {
      case .terms(let slot, let atLeast):
        nodes.append(.terms(list: list(slot), atLeast: atLeast))
      case .nearWords(let first, let second, let distance):
        nodes.append(.nearWords(list: list(first), other: list(second), distance: distance))
      case .proximity(let slot):
        if proximityMap[slot] == nil, ir.proximities.indices.contains(slot) {
          var p = ir.proximities[slot]
          p.list = list(p.list)
          proximities.append(p)
          proximityMap[slot] = proximities.count - 1
        }
        nodes.append(.proximity(slot: proximityMap[slot] ?? slot))
      case .url(let slot):
        if urlMap[slot] == nil, ir.urlSlots.indices.contains(slot) {
          urlSlots.append(ir.urlSlots[slot])
          urlMap[slot] = urlSlots.count - 1
        }
        nodes.append(.url(slot: urlMap[slot] ?? slot))
      case .pattern(let slot):
        if patternMap[slot] == nil, ir.patterns.indices.contains(slot) {
          patterns.append(ir.patterns[slot])
          patternMap[slot] = patterns.count - 1
        }
        nodes.append(.pattern(slot: patternMap[slot] ?? slot))
      default:
        nodes.append(node)
      }
    }
    var out = ir
    out.nodes = nodes
    out.lists = lists
    out.proximities = proximities
    out.urlSlots = urlSlots
    out.patterns = patterns
    return out
  }
}
