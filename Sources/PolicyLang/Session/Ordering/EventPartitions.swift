// Events of input that is not in time order, kept on disk when they do not fit in memory: each
// event goes to one of `fanOut` unlinked temporary files chosen by a hash of its conversation, so
// a conversation lies whole in one partition. A partition larger than the memory budget is split
// again the same way (a different hash at each level) before it is read, so what is read at once
// stays near the budget; only a single conversation larger than the budget is read whole.

import PolicyLangCore
import PolicyLangRuntime

/// An event as the partitions keep it: the event, the line it came from.
package struct PlacedEvent: Sendable {
  package var event: Event
  package var position: LinePosition
}

/// Partition files of encoded events.
package final class EventPartitions {
  /// Partitions a file is split into.
  package static let fanOut = 32
  /// Bytes buffered per partition before a write.
  static let bufferLimit = 1 << 16
  /// Levels of splitting before a partition is read whole (32^4 partitions of the input).
  static let maximumLevel = 4

  /// One partition file and its unwritten bytes.
  private struct Partition {
    var file: FileDescriptor
    var size = 0
    var buffer: [UInt8] = []
  }

  private let level: Int
  private var partitions: [Partition] = []
  /// The first failure of a temporary file: events were lost, the run can give no verdict.
  package private(set) var failure: FileError?

  /// Makes `fanOut` partition files at hash level `level`.
  package init(level: Int = 0) throws(FileError) {
    self.level = level
    for _ in 0..<Self.fanOut {
      partitions.append(Partition(file: try TemporaryDirectory.temporaryFile(named: "policyc-events")))
    }
  }

  deinit {
    for p in partitions { p.file.close() }
  }

  /// The partition of a conversation at `level`: FNV-1a of its bytes, seeded by the level.
  static func partition(of id: ByteString, level: Int) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(level) &* 0x9E37_79B9_7F4A_7C15
    id.withBytes { bytes in
      for b in bytes {
        hash ^= UInt64(b)
        hash = hash &* 0x100_0000_01b3
      }
    }
    return Int(hash % UInt64(fanOut))
  }

  /// Appends an event to its conversation's partition.
  package func append(_ placed: PlacedEvent) {
    guard failure == nil else { return }
    let p = Self.partition(of: placed.event.conversation, level: level)
    EventCodec.encode(placed, into: &partitions[p].buffer)
    if partitions[p].buffer.count >= Self.bufferLimit { flush(p) }
  }

  private func flush(_ p: Int) {
    guard failure == nil, !partitions[p].buffer.isEmpty else { return }
    let file = partitions[p].file
    let at = partitions[p].size
    let result = partitions[p].buffer.withUnsafeBytes { raw -> Result<Void, FileError> in
      do throws(FileError) {
        try file.write(raw, at: at)
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    if case .failure(let error) = result {
      failure = error
      return
    }
    partitions[p].size += partitions[p].buffer.count
    partitions[p].buffer.removeAll(keepingCapacity: true)
  }

  /// Calls `body` with the events of each partition in turn (in the order appended), reading at
  /// once no more than about `budget` bytes of encoded events unless one conversation is larger.
  /// Throws on a failure of the files; `body` has then been called for some partitions only.
  package func forEachPartition(budget: Int, _ body: ([PlacedEvent]) -> Void) throws(FileError) {
    for p in partitions.indices { flush(p) }
    if let failure { throw failure }
    for p in partitions.indices {
      let size = partitions[p].size
      let file = partitions[p].file
      if size > budget && level < Self.maximumLevel {
        let split = try EventPartitions(level: level + 1)
        try Self.read(file, size: size) { split.append($0) }
        try split.forEachPartition(budget: budget, body)
      } else {
        var events: [PlacedEvent] = []
        try Self.read(file, size: size) { events.append($0) }
        body(events)
      }
    }
  }

  /// Decodes every event of a partition file, in chunks.
  private static func read(_ file: FileDescriptor, size: Int, _ body: (PlacedEvent) -> Void) throws(FileError)
  {
    let chunk = 1 << 20
    var bytes: [UInt8] = []
    var offset = 0
    var start = 0
    while offset < size || start < bytes.count {
      if offset < size {
        let take = min(chunk, size - offset)
        bytes.removeFirst(start)
        start = 0
        let old = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: take))
        let at = offset
        let result = bytes.withUnsafeMutableBytes { raw -> Result<Void, FileError> in
          do throws(FileError) {
            try file.read(exactly: UnsafeMutableRawBufferPointer(rebasing: raw[old..<old + take]), at: at)
            return .success(())
          } catch {
            return .failure(error)
          }
        }
        try result.get()
        offset += take
      }
      // Whole events only; the rest waits for the next chunk.
      while start < bytes.count {
        var reader = SpillFile.Reader(bytes: bytes, offset: start)
        guard let placed = EventCodec.decode(&reader) else { break }
        start = reader.offset
        body(placed)
      }
      if offset >= size && start < bytes.count {
        throw FileError("read", file: file.name, reason: "a temporary event file is corrupt")
      }
    }
  }
}

/// The compact binary form of an event and its line in a partition file (private to one run).
package enum EventCodec {
  static let hasShop: UInt8 = 1
  static let hasBuyer: UInt8 = 2
  static let hasAgent: UInt8 = 4
  static let hasPlatform: UInt8 = 8
  static let hasID: UInt8 = 16
  static let isEvent: UInt8 = 32
  static let isAuto: UInt8 = 64

  package static func encode(_ placed: PlacedEvent, into out: inout [UInt8]) {
    let event = placed.event
    SpillFile.appendInteger(UInt64(placed.position.source), &out)
    SpillFile.appendInteger(UInt64(placed.position.line), &out)
    SpillFile.appendBytes(event.conversation, &out)
    var flags: UInt8 = 0
    if event.shop != nil { flags |= hasShop }
    if event.buyer != nil { flags |= hasBuyer }
    if event.agent != nil { flags |= hasAgent }
    if event.platform != nil { flags |= hasPlatform }
    if event.id != nil { flags |= hasID }
    switch event.kind {
    case .event: flags |= isEvent
    case .message(let m): if m.auto { flags |= isAuto }
    }
    out.append(flags)
    for id in [event.shop, event.buyer, event.agent, event.platform, event.id] {
      if let id { SpillFile.appendBytes(id, &out) }
    }
    SpillFile.appendInteger(UInt64(bitPattern: event.at.seconds), &out)
    SpillFile.appendInteger(UInt64(UInt32(bitPattern: event.at.nanoseconds)), &out)
    switch event.kind {
    case .event(let name):
      SpillFile.appendBytes(name, &out)
    case .message(let m):
      out.append(UInt8(m.role.ordinal))
      SpillFile.appendArray(m.text, &out)
      SpillFile.appendInteger(UInt64(m.attachments.count), &out)
      for a in m.attachments {
        out.append(a.kind.rawValue)
        out.append(
          (a.url != nil ? 1 : 0) | (a.qr ? 2 : 0) | (a.name != nil ? 4 : 0) | (a.mime != nil ? 8 : 0))
        if let url = a.url { SpillFile.appendArray(url, &out) }
        if let name = a.name { SpillFile.appendArray(name, &out) }
        if let mime = a.mime { SpillFile.appendArray(mime, &out) }
      }
    }
  }

  /// The next event of `reader`, or nil when its bytes end early or are malformed.
  package static func decode(_ reader: inout SpillFile.Reader) -> PlacedEvent? {
    guard let source = reader.integer(), let line = reader.integer(), let conversation = reader.id(),
      let flags = reader.byte()
    else { return nil }
    var ids: [ByteString?] = []
    for bit in [hasShop, hasBuyer, hasAgent, hasPlatform, hasID] {
      if flags & bit != 0 {
        guard let value = reader.id() else { return nil }
        ids.append(value)
      } else {
        ids.append(nil)
      }
    }
    guard let seconds = reader.integer(), let nanos = reader.integer(), nanos < 1_000_000_000 else {
      return nil
    }
    let at = Timestamp(seconds: Int64(bitPattern: seconds), nanoseconds: Int32(nanos))
    let kind: EventKind
    if flags & isEvent != 0 {
      guard let name = reader.id() else { return nil }
      kind = .event(name: name)
    } else {
      guard let role = reader.byte(), SenderRole.allCases.indices.contains(Int(role)),
        let text = reader.array(),
        let count = reader.integer(), count <= UInt64(reader.bytes.count - reader.offset)
      else { return nil }
      var attachments: [Attachment] = []
      for _ in 0..<Int(count) {
        guard let raw = reader.byte(), let kind = AttachmentKind(rawValue: raw), let bits = reader.byte()
        else {
          return nil
        }
        guard bits & ~15 == 0 else { return nil }
        var fields: [[UInt8]?] = [nil, nil, nil]
        for (k, bit) in [(0, UInt8(1)), (1, 4), (2, 8)] where bits & bit != 0 {
          guard let bytes = reader.array() else { return nil }
          fields[k] = bytes
        }
        attachments.append(
          Attachment(kind: kind, url: fields[0], qr: bits & 2 != 0, name: fields[1], mime: fields[2]))
      }
      kind = .message(
        Message(
          role: SenderRole.allCases[Int(role)], auto: flags & isAuto != 0, text: text,
          attachments: attachments))
    }
    let event = Event(
      conversation: conversation, shop: ids[0], buyer: ids[1], agent: ids[2], platform: ids[3], id: ids[4],
      at: at, kind: kind)
    return PlacedEvent(event: event, position: LinePosition(source: Int(source), line: Int(line)))
  }
}
