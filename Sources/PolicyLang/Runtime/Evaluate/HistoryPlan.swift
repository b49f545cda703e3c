// The program's history slots as the evaluator reads them at every event: per slot its kind and
// what makes an event its happening or its `without`, as plain values. The IR's happenings hold
// event names as strings, and reading one copies its arrays, for every slot at every event.

import PolicyLangCompile
import PolicyLangCore

/// What makes an event a history slot's happening, or its `without`.
enum HistoryProbe: Sendable {
  /// No event (a slot without `without`).
  case never
  /// A message for which condition node `node` holds.
  case message(node: Int)
  /// A non-message event named in `HistoryPlan.names[names]`.
  case event(names: Int)
  /// Every event (`after D idle`).
  case anyEvent
}

/// The history slots of one program, ready to be read at every event.
struct HistoryPlan: Sendable {
  /// One slot: its kind, `first`, and its two probes.
  struct Slot: Sendable {
    var kind: IRHistoryKind
    var first: Bool
    var happening: HistoryProbe
    var without: HistoryProbe
  }

  /// The slots, in the program's slot order.
  let slots: [Slot]
  /// The event names the probes of kind `event` name, as bytes.
  let names: [[ByteString]]

  init(_ histories: [IRHistory]) {
    var names: [[ByteString]] = []
    func probe(_ happening: IRHappening?) -> HistoryProbe {
      switch happening {
      case .message(let node)?: return .message(node: node)
      case .event(let list)?:
        names.append(list.map { ByteString($0) })
        return .event(names: names.count - 1)
      case .anyEvent?: return .anyEvent
      case nil: return .never
      }
    }
    slots = histories.map { h in
      Slot(kind: h.kind, first: h.first, happening: probe(h.happening), without: probe(h.without))
    }
    self.names = names
  }

  /// What `event` is to slot `slot` (a message's conditions decided through `context`).
  func step(_ slot: Slot, event: Event, context: inout MessageContext?) -> HistoryStep {
    HistoryStep(
      happened: matches(slot.happening, event: event, context: &context),
      without: matches(slot.without, event: event, context: &context))
  }

  private func matches(_ probe: HistoryProbe, event: Event, context: inout MessageContext?) -> Bool {
    switch probe {
    case .never: return false
    case .message(let node): return context?.value(node) ?? false
    case .event(let k):
      guard case .event(let name) = event.kind, names.indices.contains(k) else { return false }
      return names[k].contains(name)
    case .anyEvent: return true
    }
  }
}
