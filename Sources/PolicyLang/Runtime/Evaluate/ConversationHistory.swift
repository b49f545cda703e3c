// The state behind a program's history conditions for one conversation (Grammar.md 6.4,
// docs/conversation-history.md): one small record per history slot, updated by each event in the
// conversation's sorted order, from which every slot's value at the next event is read. A value
// type of plain fields: it holds no event and no reference, so an online evaluator can keep one
// per conversation between runs and compare or store it.

import PolicyLangCompile
import PolicyLangCore

/// What one event is to one history slot: its happening, and its `without`.
public struct HistoryStep: Sendable, Equatable {
  /// The event is the slot's happening.
  public var happened: Bool
  /// The event is the slot's `without` (it ends an `after`, resets a count).
  public var without: Bool

  /// A step.
  public init(happened: Bool = false, without: Bool = false) {
    self.happened = happened
    self.without = without
  }
}

/// One history slot's state: a few fields, whichever the slot's kind uses.
public struct HistorySlotState: Sendable, Equatable {
  /// `after`, `within`, `more than`: the time of the latest happening, if any; with `first`,
  /// of the first happening since the latest `without`.
  public var last: Timestamp?
  /// A `without` event came after `last`.
  public var broken = false
  /// A count without a window: the happenings since the latest `without`, at most the
  /// threshold (more would not change the answer).
  public var count = 0
  /// A count within a window: the times of the latest happenings since the latest `without`, at
  /// most the threshold, in a ring (`times[head]` is the oldest once the ring is full).
  public var times: [Timestamp] = []
  public var head = 0

  /// An empty state.
  public init() {}
}

/// The history slots' states of one conversation, fed its events in sorted order.
public struct ConversationHistory: Sendable, Equatable {
  /// One state per history slot of the program, in slot order.
  public private(set) var slots: [HistorySlotState]

  /// The state before any event, for a program with `slotCount` history slots.
  public init(slotCount: Int) {
    slots = Array(repeating: HistorySlotState(), count: max(0, slotCount))
  }

  /// The slots' states read back (from a state file).
  package init(slots: [HistorySlotState]) {
    self.slots = slots
  }

  /// Whether no slot remembers any event (the state before a conversation's first event).
  public var isEmpty: Bool {
    slots.allSatisfy { $0 == HistorySlotState() }
  }

  /// Whether slot `index` (of kind `spec`) holds at an event at `at`, after every earlier event
  /// was taken in. A count counts this event too: `current` says whether it is the slot's
  /// happening or `without`; the other kinds look only at earlier events.
  public func holds(_ index: Int, _ spec: IRHistory, at: Timestamp, current: HistoryStep) -> Bool {
    holds(index, spec.kind, at: at, current: current)
  }

  /// Takes one event in: `step` is what it is to slot `index`.
  public mutating func take(_ index: Int, _ spec: IRHistory, at: Timestamp, step: HistoryStep) {
    take(index, spec.kind, first: spec.first, at: at, step: step)
  }

  /// `holds(_:_:at:current:)` for a slot of `kind`. Reads the slot's fields in place: a copy of
  /// the slot would count a reference to its ring of times.
  func holds(_ index: Int, _ kind: IRHistoryKind, at: Timestamp, current: HistoryStep) -> Bool {
    guard slots.indices.contains(index) else { return false }
    switch kind {
    case .after:
      return slots[index].last != nil && !slots[index].broken
    case .within(let seconds):
      guard let last = slots[index].last, !slots[index].broken else { return false }
      return PolicyCalendar.nanos(from: last, to: at) <= nanoseconds(seconds)
    case .moreThan(let seconds):
      guard let last = slots[index].last, !slots[index].broken else { return false }
      return PolicyCalendar.nanos(from: last, to: at) > nanoseconds(seconds)
    case .count(let atLeast, let window):
      let now = current.happened ? 1 : 0
      if current.without { return now >= atLeast }
      guard let window else { return slots[index].count + now >= atLeast }
      let limit = nanoseconds(window)
      var within = 0
      for t in slots[index].times where PolicyCalendar.nanos(from: t, to: at) <= limit { within += 1 }
      return within + now >= atLeast
    }
  }

  /// `take(_:_:at:step:)` for a slot of `kind` (and `first`).
  mutating func take(_ index: Int, _ kind: IRHistoryKind, first: Bool, at: Timestamp, step: HistoryStep) {
    guard slots.indices.contains(index) else { return }
    switch kind {
    case .after, .within, .moreThan:
      // A `without` ends the latest happening; a happening at the same event starts anew. With
      // `first`, a happening while one holds keeps the earlier time.
      if step.without { slots[index].broken = true }
      if step.happened, !first || slots[index].last == nil || slots[index].broken {
        slots[index].last = at
        slots[index].broken = false
      }
    case .count(let atLeast, let window):
      if step.without {
        slots[index].count = 0
        slots[index].times.removeAll(keepingCapacity: true)
        slots[index].head = 0
      }
      guard step.happened else { return }
      guard window != nil else {
        slots[index].count = min(slots[index].count + 1, max(0, atLeast))
        return
      }
      let capacity = max(1, atLeast)
      if slots[index].times.count < capacity {
        slots[index].times.append(at)
      } else {
        // The ring is full: the oldest time gives way.
        let head = slots[index].head
        slots[index].times[head] = at
        slots[index].head = (head + 1) % capacity
      }
    }
  }
}
