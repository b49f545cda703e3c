// What a state file remembers of the program that made it, so that a later run, perhaps with an
// edited policy, can tell which parts of the state still mean the same: the policy's name, and a
// fingerprint of every rule and history slot. A fingerprint covers what the state of that part
// depends on (conditions with their word lists, limits, hours, the zone) and not where the part
// sits in the program, so adding a rule leaves the others' fingerprints alone.

import PolicyLangCore
import PolicyLangFrontend

/// The identity of a program's parts, as a state file records it.
public struct ProgramStamp: Sendable, Equatable {
  /// A rule: its name, its kind and the fingerprint of what its state depends on.
  public struct Rule: Sendable, Equatable {
    /// The rule's name.
    public var name: String
    /// The fingerprint (equal fingerprints: the rule's carried state means the same).
    public var fingerprint: UInt64

    /// A rule's stamp.
    public init(name: String, fingerprint: UInt64) {
      self.name = name
      self.fingerprint = fingerprint
    }
  }

  /// The policy's name.
  public var policy: String
  /// The rules, in program order.
  public var rules: [Rule]
  /// One fingerprint per history slot, in slot order.
  public var histories: [UInt64]

  /// A stamp from its parts (what a state file holds).
  public init(policy: String, rules: [Rule], histories: [UInt64]) {
    self.policy = policy
    self.rules = rules
    self.histories = histories
  }

  /// The stamp of a program.
  public init(program: RuleProgram) {
    let prints = Fingerprints(program.ir)
    policy = program.ir.policy
    histories = prints.histories
    rules = program.ir.rules.indices.map {
      Rule(name: program.ir.rules[$0].name, fingerprint: prints.rule($0))
    }
  }
}

/// FNV-1a, 64 bits: a stable hash (the standard library's `Hasher` is seeded per process).
package struct StableHash {
  package private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  package init() {}

  package mutating func add(_ bytes: UnsafeRawBufferPointer) {
    for b in bytes { add(byte: b) }
  }

  package mutating func add(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { add($0) }
  }

  package mutating func add(byte: UInt8) {
    value ^= UInt64(byte)
    value = value &* 0x0000_0100_0000_01b3
  }

  package mutating func add(_ text: String) {
    var text = text
    text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    add(byte: 0)
  }

  package mutating func add(_ n: UInt64) {
    withUnsafeBytes(of: n.littleEndian) { add($0) }
  }
}

/// The fingerprints of one IR's condition nodes, history slots and rules.
private struct Fingerprints {
  let ir: IR
  /// Per node, in node order (operands come before their users).
  var nodes: [UInt64] = []
  var histories: [UInt64] = []

  init(_ ir: IR) {
    self.ir = ir
    for node in ir.nodes { nodes.append(fingerprint(node)) }
    for history in ir.histories {
      var h = StableHash()
      h.add(Self.kind(history.kind))
      h.add(happening(history.happening))
      if let without = history.without { h.add(happening(without)) }
      histories.append(h.value)
    }
  }

  static func kind(_ kind: IRHistoryKind) -> String {
    switch kind {
    case .after: return "after"
    case .within(let seconds): return "within \(seconds)"
    case .moreThan(let seconds): return "more than \(seconds)"
    case .count(let atLeast, let window): return "count \(atLeast) within \(window.map(String.init) ?? "-")"
    }
  }

  func node(_ id: Int) -> UInt64 { nodes.indices.contains(id) ? nodes[id] : 0 }

  func fingerprint(_ node: ConditionNode) -> UInt64 {
    var h = StableHash()
    switch node {
    case .and(let ids), .or(let ids):
      h.add(IRDump.node(node).prefix(3).description)
      for id in ids { h.add(self.node(id)) }
    case .not(let id):
      h.add("not")
      h.add(self.node(id))
    case .terms(let list, let atLeast):
      h.add("terms \(atLeast)")
      h.add(listText(list))
    case .proximity(let slot):
      h.add("proximity")
      if ir.proximities.indices.contains(slot) {
        h.add("\(ir.proximities[slot].distance)")
        h.add(listText(ir.proximities[slot].list))
      }
    case .url(let slot):
      h.add("url")
      if ir.urlSlots.indices.contains(slot), let list = ir.urlSlots[slot],
        ir.domainLists.indices.contains(list)
      {
        h.add(ir.domainLists[list].domains.joined(separator: ","))
      }
    case .pattern(let slot):
      h.add("pattern")
      if ir.patterns.indices.contains(slot) { h.add(ir.patterns[slot].source) }
    case .history(let slot):
      // The slot's own fingerprint says whether its state carries over; here only its place in
      // the condition matters.
      h.add("history")
      if ir.histories.indices.contains(slot) { h.add(Self.kind(ir.histories[slot].kind)) }
    default:
      h.add(IRDump.node(node))
    }
    return h.value
  }

  func listText(_ list: Int) -> String {
    guard ir.lists.indices.contains(list) else { return "?" }
    return ir.lists[list].entries.map { $0.joined(separator: "|") }.joined(separator: ",")
  }

  func happening(_ h: IRHappening) -> String {
    switch h {
    case .message(let id): return "message \(node(id))"
    case .event(let names): return "event " + names.joined(separator: "|")
    case .anyEvent: return "any event"
    }
  }

  func hours(_ index: Int?) -> String {
    guard let index else { return "-" }
    guard ir.hours.indices.contains(index) else { return "?" }
    let h = ir.hours[index]
    let days = h.windowsByWeekday.map { $0.map { "\($0.start)-\($0.end)" }.joined(separator: ",") }
    return days.joined(separator: "|") + " except "
      + h.excludedDates.map(\.description).joined(separator: ",")
  }

  /// A rule's fingerprint: its body with every condition, list and hours spelled out, and the zone
  /// (deadlines and periods are read in it). A rate also covers the obligation it counts.
  func rule(_ index: Int) -> UInt64 {
    var h = StableHash()
    h.add(ir.zone)
    guard ir.rules.indices.contains(index) else { return h.value }
    switch ir.rules[index].body {
    case .message(let root):
      h.add("message")
      h.add(node(root))
    case .obligation(let o):
      obligation(o, into: &h)
    case .rate(let r):
      h.add(IRDump.body(.rate(r), ir))
      h.add(hours(r.during))
      if ir.rules.indices.contains(r.of), case .obligation(let o) = ir.rules[r.of].body {
        obligation(o, into: &h)
      }
    case .ratio(let ratio):
      h.add(IRDump.body(.ratio(ratio), ir))
      h.add(hours(ratio.rate.during))
    case .manual:
      h.add("manual")
    }
    return h.value
  }

  func obligation(_ o: IRObligation, into h: inout StableHash) {
    h.add("obligation")
    switch o.trigger {
    case .message(let root): h.add(node(root))
    case .event(let names): h.add("event " + names.joined(separator: "|"))
    }
    h.add(hours(o.during))
    switch o.response {
    case .reply(let kind): h.add("reply \(kind.rawValue)")
    case .replyOrEvent(let kind, let names):
      h.add("reply \(kind.rawValue) or " + names.joined(separator: "|"))
    case .event(let names): h.add("event " + names.joined(separator: "|"))
    }
    for limit in o.limits {
      h.add("within \(limit.seconds)")
      h.add(hours(limit.ifDuring))
    }
    h.add(hours(o.countingOnly))
  }
}
