// The conversations of a run as the session keeps them between their events: each one's shop and
// buyer, the time it has reached, and per policy its `ConversationState`; found by id in a
// seeded hash table.

@_spi(Storage) import PolicyLangCore
import PolicyLangRuntime

/// A conversation of the run between two of its events.
package struct ConversationEntry: Sendable {
  package let id: ByteString
  /// The shop and buyer: the first ones its events carry, in sorted order.
  package var shop: ByteString?
  package var buyer: ByteString?
  /// The time of the last event taken: the conversation's own clock.
  package var lastAt: Timestamp?
  /// The instant an earlier run judged the conversation through (`--state`): no earlier event
  /// may join it.
  package var watermark: Timestamp?
  /// The earlier run's last instant of the conversation, when it is the watermark: the digests
  /// of the events taken at it tell the same event given again.
  package var judgedLast: LastInstant?
  /// In a run that keeps state: the digests of the events taken at `lastAt`.
  package var lastDigests: [UInt64] = []
  /// Per policy of the session, its state once an event was routed to it.
  package var states: [ConversationState?]
  /// Verdicts waiting for the shop, and settled obligations waiting for the shop and buyer.
  package var held: HeldOutput?

  package init(id: ByteString, policies: Int) {
    self.id = id
    states = Array(repeating: nil, count: policies)
  }
}

/// What a conversation found before its shop (or, for rates per buyer, its buyer) was known.
package struct HeldOutput: Sendable {
  package var verdicts: [(policy: Int, verdict: RankedVerdict)] = []
  package var settled: [(policy: Int, obligation: SettledObligation)] = []
}

/// The conversations of a run by id.
package struct ConversationTable: Sendable {
  private var slots = SeededTable<ByteString, Int>(capacity: 1024, placeholder: 0)
  package private(set) var entries: [ConversationEntry] = []

  package init() {}

  package var count: Int { entries.count }

  /// The position of conversation `id` in `entries`, made by `start` when new.
  package mutating func slot(of id: ByteString, start: (ByteString) -> ConversationEntry) -> Int {
    var slot = entries.count
    if slots.update(id, initial: slot, { slot = $0 }) {
      entries.append(start(id))
    }
    return slot
  }

  /// The position of conversation `id`, when known.
  package func existingSlot(of id: ByteString) -> Int? { slots.value(of: id) }

  /// Calls `body` with the entry at `slot`, to change it in place.
  package mutating func withEntry<R>(_ slot: Int, _ body: (inout ConversationEntry) -> R) -> R {
    body(&entries[slot])
  }
}
