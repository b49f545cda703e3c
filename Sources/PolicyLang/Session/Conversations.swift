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
  package var states: PolicyStates
  /// Verdicts waiting for the shop, and settled obligations waiting for the shop and buyer.
  package var held: HeldOutput?

  package init(id: ByteString, policies: Int) {
    self.id = id
    states = PolicyStates(count: policies)
  }
}

/// Per policy of a session, one conversation's state (nil until an event is routed to it). The
/// first policy's state is stored inline: most sessions judge with one policy, and an array
/// would be one more allocation per conversation and one more place in memory read per event.
package struct PolicyStates: Sendable, RandomAccessCollection, MutableCollection {
  private var first: ConversationState?
  private var rest: [ConversationState?]
  package let count: Int

  /// `count` policies, none with a state yet.
  package init(count: Int) {
    self.count = Swift.max(0, count)
    rest = count > 1 ? Array(repeating: nil, count: count - 1) : []
  }

  /// The states of a state file's record, one per policy.
  package init(_ states: [ConversationState?]) {
    count = states.count
    first = states.first ?? nil
    rest = Array(states.dropFirst())
  }

  package var startIndex: Int { 0 }
  package var endIndex: Int { count }

  /// Policy `p`'s state; changed in place (a state taken out with `take()` leaves nil behind
  /// without copying its arrays).
  package subscript(p: Int) -> ConversationState? {
    get { p == 0 ? first : rest[p - 1] }
    _modify {
      if p == 0 {
        yield &first
      } else {
        yield &rest[p - 1]
      }
    }
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
