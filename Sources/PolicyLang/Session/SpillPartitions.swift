// Spilling for ungrouped input larger than --memory-limit: decoded events go to temporary
// partition files chosen by a hash of the conversation id, so each conversation lies in one
// partition in line order; partitions are then read back and judged one at a time.

import PolicyLangCore
import PolicyLangRuntime

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Temporary partition files of encoded events (unlinked at creation, closed when read back).
final class SpillPartitions {
  /// Partitions per run: memory while judging is about the input over this count.
  static let partitionCount = 32
  /// Bytes buffered per partition before a write.
  static let bufferLimit = 1 << 18

  private var descriptors: [Int32] = []
  private var buffers: [[UInt8]] = []
  /// Problems writing or reading the temporary files (the run is then incomplete).
  private(set) var errors: [String] = []

  /// Creates the partition files; nil when the system gives no temporary file.
  init?() {
    for _ in 0..<Self.partitionCount {
      guard let fd = SpillFile.unlinkedTemporary(named: "policyc-spill") else {
        for d in descriptors { close(d) }
        return nil
      }
      descriptors.append(fd)
      buffers.append([])
    }
  }

  deinit {
    for d in descriptors where d >= 0 { close(d) }
  }

  /// The number of partitions.
  var count: Int { descriptors.count }

  /// The partition of a conversation: FNV-1a of its bytes (stable across runs).
  static func partition(of id: ByteString, count: Int) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    id.withBytes { bytes in
      for b in bytes {
        hash ^= UInt64(b)
        hash = hash &* 0x100_0000_01b3
      }
    }
    return Int(hash % UInt64(max(1, count)))
  }

  /// Appends one event to its conversation's partition.
  func append(_ event: Event) {
    let p = Self.partition(of: event.conversation, count: count)
    guard buffers.indices.contains(p) else { return }
    SpillCodec.encode(event, into: &buffers[p])
    if buffers[p].count >= Self.bufferLimit { flush(p) }
  }

  private func flush(_ p: Int) {
    let ok = buffers[p].withUnsafeBytes { raw -> Bool in
      var offset = 0
      while offset < raw.count {
        guard let base = raw.baseAddress else { return true }
        let wrote = write(descriptors[p], base + offset, raw.count - offset)
        if wrote < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += wrote
      }
      return true
    }
    if !ok { errors.append("cannot write a temporary spill file: \(String(cString: strerror(errno)))") }
    buffers[p].removeAll(keepingCapacity: true)
  }

  /// Calls `body` with every event of partition `p` in the order appended, then frees the file.
  func forEachEvent(inPartition p: Int, _ body: (Event) -> Void) {
    guard descriptors.indices.contains(p), descriptors[p] >= 0 else { return }
    flush(p)
    buffers[p] = []
    let fd = descriptors[p]
    defer {
      close(fd)
      descriptors[p] = -1
    }
    let size = lseek(fd, 0, SEEK_END)
    guard size >= 0, lseek(fd, 0, SEEK_SET) == 0 else {
      errors.append("cannot read a temporary spill file: \(String(cString: strerror(errno)))")
      return
    }
    var bytes = [UInt8](repeating: 0, count: Int(size))
    let complete = bytes.withUnsafeMutableBytes { raw -> Bool in
      var offset = 0
      while offset < raw.count {
        guard let base = raw.baseAddress else { return true }
        let got = read(fd, base + offset, raw.count - offset)
        if got < 0 && errno == EINTR { continue }
        if got <= 0 { return false }
        offset += got
      }
      return true
    }
    guard complete else {
      errors.append("cannot read a temporary spill file: \(String(cString: strerror(errno)))")
      return
    }
    var reader = SpillFile.Reader(bytes: bytes)
    while !reader.atEnd {
      guard let event = reader.event() else {
        errors.append("a temporary spill file is corrupt")
        return
      }
      body(event)
    }
  }
}

/// The compact binary form of a decoded event in a spill file (private to one run).
package enum SpillCodec {
  static let hasShop: UInt8 = 1
  static let hasBuyer: UInt8 = 2
  static let hasAgent: UInt8 = 4
  static let hasPlatform: UInt8 = 8
  static let isEvent: UInt8 = 16
  static let isAuto: UInt8 = 32

  static func encode(_ event: Event, into out: inout [UInt8]) {
    SpillFile.appendBytes(event.conversation, &out)
    var flags: UInt8 = 0
    if event.shop != nil { flags |= hasShop }
    if event.buyer != nil { flags |= hasBuyer }
    if event.agent != nil { flags |= hasAgent }
    if event.platform != nil { flags |= hasPlatform }
    switch event.kind {
    case .event: flags |= isEvent
    case .message(let m): if m.auto { flags |= isAuto }
    }
    out.append(flags)
    for id in [event.shop, event.buyer, event.agent, event.platform] {
      if let id { SpillFile.appendBytes(id, &out) }
    }
    SpillFile.appendInteger(UInt64(bitPattern: event.at.seconds), &out)
    SpillFile.appendInteger(UInt64(UInt32(bitPattern: event.at.nanoseconds)), &out)
    switch event.kind {
    case .event(let name):
      SpillFile.appendBytes(name, &out)
    case .message(let m):
      out.append(UInt8(SenderRole.allCases.firstIndex(of: m.role) ?? 0))
      SpillFile.appendArray(m.text, &out)
      SpillFile.appendInteger(UInt64(m.attachments.count), &out)
      for a in m.attachments {
        out.append(a.kind.rawValue)
        out.append((a.url != nil ? 1 : 0) | (a.qr ? 2 : 0))
        if let url = a.url { SpillFile.appendArray(url, &out) }
      }
    }
  }
}

extension SpillFile.Reader {
  /// The next spilled event, or nil when the bytes end early or are malformed.
  mutating func event() -> Event? {
    guard let conversation = id(), let flags = byte() else { return nil }
    var ids: [ByteString?] = []
    for bit in [SpillCodec.hasShop, SpillCodec.hasBuyer, SpillCodec.hasAgent, SpillCodec.hasPlatform] {
      if flags & bit != 0 {
        guard let value = id() else { return nil }
        ids.append(value)
      } else {
        ids.append(nil)
      }
    }
    guard let seconds = integer(), let nanos = integer(), nanos < 1_000_000_000 else { return nil }
    let at = Timestamp(seconds: Int64(bitPattern: seconds), nanoseconds: Int32(nanos))
    let kind: EventKind
    if flags & SpillCodec.isEvent != 0 {
      guard let name = id() else { return nil }
      kind = .event(name: name)
    } else {
      guard let role = byte(), SenderRole.allCases.indices.contains(Int(role)), let text = array(),
        let count = integer(), count <= UInt64(bytes.count - offset)
      else { return nil }
      var attachments: [Attachment] = []
      for _ in 0..<Int(count) {
        guard let raw = byte(), let kind = AttachmentKind(rawValue: raw), let bits = byte() else {
          return nil
        }
        var url: [UInt8]?
        if bits & 1 != 0 {
          guard let u = array() else { return nil }
          url = u
        }
        attachments.append(Attachment(kind: kind, url: url, qr: bits & 2 != 0))
      }
      kind = .message(
        Message(
          role: SenderRole.allCases[Int(role)], auto: flags & SpillCodec.isAuto != 0, text: text,
          attachments: attachments))
    }
    return Event(
      conversation: conversation, shop: ids[0], buyer: ids[1], agent: ids[2], platform: ids[3], at: at,
      kind: kind)
  }
}

/// Splits bytes in memory into lines exactly as `LineReader` splits a file.
struct MemoryLineSplitter {
  let buffer: UnsafeBufferPointer<UInt8>
  let maxLineLength: Int
  /// Whether the first line is a file's first (a byte order mark there is dropped).
  let startsFile: Bool
  var start = 0
  var number = 0

  init(_ buffer: UnsafeBufferPointer<UInt8>, maxLineLength: Int, startsFile: Bool = true) {
    self.buffer = buffer
    self.maxLineLength = max(0, maxLineLength)
    self.startsFile = startsFile
  }

  mutating func next() -> InputLine? {
    guard start < buffer.count, let base = buffer.baseAddress else { return nil }
    let end =
      if let hit = memchr(base + start, 0x0A, buffer.count - start) {
        base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      } else {
        buffer.count
      }
    var s = start
    var e = end
    start = end + 1
    number += 1
    if e > s && base[e - 1] == 0x0D { e -= 1 }
    if number == 1 && startsFile && e - s >= 3 && base[s] == 0xEF && base[s + 1] == 0xBB
      && base[s + 2] == 0xBF
    {
      s += 3
    }
    if e - s > maxLineLength { return InputLine(number: number, content: .tooLong(byteCount: e - s)) }
    var k = s
    while k < e && (base[k] == 0x20 || base[k] == 0x09 || base[k] == 0x0D) { k += 1 }
    if k == e { return InputLine(number: number, content: .blank) }
    return InputLine(number: number, content: .text(UnsafeBufferPointer(start: base + s, count: e - s)))
  }
}
