// The conversations of a state as encoded records, found by id. A record holds, in the stamps'
// terms (rules and history slots by their index in the program that wrote it):
//
//   id, flags (shop, buyer, last instant), shop (index into the state's shops), buyer,
//   last instant and the digests of the events at it, then per policy: nothing, its next event
//   index alone (nothing open), or its whole `ConversationState`.
//
// A conversation with nothing open costs its id, its shop's index, its buyer and a few bytes.

import PolicyLangCompile
@_spi(Storage) import PolicyLangCore
import PolicyLangRuntime

/// A conversation as a state keeps it.
package struct ConversationRecord: Sendable, Equatable {
  package var id: ByteString
  package var shop: ByteString?
  package var buyer: ByteString?
  /// The time of the conversation's latest event, kept when it is at or after the state's
  /// watermark (later events may not be earlier), with the digests of the events at that instant
  /// (the same event given again is refused).
  package var last: LastInstant?
  /// Per stamp: the policy's state of the conversation, if an event was ever routed to it.
  package var parts: [ConversationState?]

  /// Whether some policy has an obligation open in it: its deadline passes whether or not the
  /// conversation hears again, so every run settles it.
  package var hasObligations: Bool { parts.contains { !($0?.obligations.isEmpty ?? true) } }
}

/// A conversation's latest instant and the digests of its events at that instant.
package struct LastInstant: Sendable, Equatable {
  package var at: Timestamp
  package var digests: [UInt64]
}

/// Encoded conversation records, indexed by id.
package struct StoredConversations: Sendable {
  /// The records, each a length then its bytes.
  package private(set) var bytes: [UInt8] = []
  /// Where each record's bytes start (after its length), and end; its id.
  private var ranges: [Range<Int>] = []
  private var ids: [ByteString] = []
  private var index = SeededTable<ByteString, Int>(capacity: 1024, placeholder: 0)
  /// The records with an obligation open: a run settles them even when no event of theirs comes,
  /// since their deadlines pass all the same.
  package private(set) var active: [Int] = []

  package init() {}

  package var count: Int { ranges.count }

  /// The record number of conversation `id`.
  package func find(_ id: ByteString) -> Int? { index.value(of: id) }

  /// The id of record `k`.
  package func id(_ k: Int) -> ByteString { ids[k] }

  /// The encoded bytes of record `k` (without its length).
  package func encoded(_ k: Int) -> ArraySlice<UInt8> { bytes[ranges[k]] }

  /// Appends an encoded record of conversation `id`; false when `id` is already stored.
  package mutating func append(_ record: ArraySlice<UInt8>, id: ByteString, active isActive: Bool) -> Bool {
    guard index.update(id, initial: ranges.count, { _ in }) else { return false }
    if isActive { active.append(ranges.count) }
    var w = ByteWriter()
    w.uvarint(UInt64(record.count))
    bytes += w.bytes
    let start = bytes.count
    bytes += record
    ranges.append(start..<bytes.count)
    ids.append(id)
    return true
  }

  /// Reads `count` records from the reader's position, each checked against the stamps and the
  /// shops without building it (`StateCoding.check`), and indexes them.
  package static func read(
    _ r: inout ByteReader, stamps: [ProgramStamp], shops: Int
  ) throws(ProgramLoadError) -> StoredConversations {
    var stored = StoredConversations()
    let n = try r.count(minimumItemSize: 2)
    let first = r.offset
    stored.ranges.reserveCapacity(n)
    stored.ids.reserveCapacity(n)
    stored.index = SeededTable(capacity: max(1024, n + n / 2), placeholder: 0)
    var spans: [Range<Int>] = []
    spans.reserveCapacity(n)
    for _ in 0..<n {
      let length = try r.count()
      let start = r.offset
      _ = try r.raw(length)
      spans.append(start..<start + length)
    }
    // The records are kept as the file has them (lengths and all): one copy of the section.
    stored.bytes = Array(r.bytes[first..<r.offset])
    for span in spans {
      let local = (span.lowerBound - first)..<(span.upperBound - first)
      let (id, open) = try StateCoding.check(stored.bytes, local, stamps: stamps, shops: shops)
      let k = stored.ranges.count
      if !stored.index.update(id, initial: k, { _ in }) {
        throw .corrupt(offset: span.lowerBound, reason: "conversation \(id) is stored twice")
      }
      if open { stored.active.append(k) }
      stored.ranges.append(local)
      stored.ids.append(id)
    }
    return stored
  }

  /// Writes the records: their count, then each with its length.
  package func write(to w: inout ByteWriter) {
    w.uvarint(UInt64(ranges.count))
    w.raw(bytes)
  }
}
