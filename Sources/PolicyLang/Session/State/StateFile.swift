// The state file (docs/state-format.md): framed like the program file, so that a damaged or
// foreign file is refused before anything is used.
//
//   magic (8 bytes) | version u16 | payload length u64 | payload | CRC-32 of all before it
//
// The payload: the watermark, the stamps, the shops, per stamp its open rate periods and its
// violations kept for escalation, then the conversation records. Writing goes to a temporary file
// beside the target, synced, then renamed over it: a crash leaves the old state whole.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangRuntime

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a state file could not be read or written.
public enum StateFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file could not be opened or read (`policyc` exits 66).
  case unreadable(path: String, reason: String)
  /// The file is not a state, is damaged, or was written by an unknown version (exit 65).
  case invalid(path: String, reason: String)
  /// The state was made with other policies than the run's (exit 65).
  case otherPolicies(path: String, state: [String], given: [String])
  /// The new state could not be written; the old one is untouched (exit 70).
  case unwritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "cannot read state \(path): \(reason)"
    case .invalid(let path, let reason): return "state \(path) is not usable: \(reason)"
    case .otherPolicies(let path, let state, let given):
      return
        "state \(path) was made with policies \(state.joined(separator: ", ")), not"
        + " \(given.joined(separator: ", ")); give the same policies, or another --state file"
    case .unwritable(let path, let reason):
      return "cannot write state \(path): \(reason); the old state is kept"
    }
  }
}

extension EvaluationState {
  /// The magic bytes: `\x89PLS` then CR LF ^Z LF, like the program file's (a text-mode transfer
  /// shows).
  package static let magic: [UInt8] = [0x89, 0x50, 0x4C, 0x53, 0x0D, 0x0A, 0x1A, 0x0A]
  /// The format version this build writes and reads.
  public static let formatVersion: UInt16 = 1

  /// The state in a file, or the empty state when the file does not exist.
  public static func load(path: String) throws(StateFileError) -> EvaluationState {
    if AtomicFile.isMissing(path) { return EvaluationState() }
    let bytes: [UInt8]
    do throws(FileError) {
      let file = try FileDescriptor.open(path, flags: O_RDONLY)
      defer { file.close() }
      let size = try file.size()
      var buffer = [UInt8](repeating: 0, count: size)
      var failure: FileError?
      buffer.withUnsafeMutableBytes { raw in
        do throws(FileError) { try file.read(exactly: raw, at: 0) } catch { failure = error }
      }
      if let failure { throw failure }
      bytes = buffer
    } catch {
      throw .unreadable(path: path, reason: error.reason)
    }
    do throws(ProgramLoadError) {
      return try decode(bytes)
    } catch {
      throw .invalid(path: path, reason: Self.reason(error))
    }
  }

  /// A state from its bytes (a state file's contents held in memory), `name` standing for the
  /// file in the error: damaged or foreign bytes are `.invalid`.
  package static func load(bytes: [UInt8], name: String) throws(StateFileError) -> EvaluationState {
    do throws(ProgramLoadError) {
      return try decode(bytes)
    } catch {
      throw .invalid(path: name, reason: Self.reason(error))
    }
  }

  /// Writes the state to `path` atomically: a temporary file beside it, synced, renamed over it.
  public func save(path: String) throws(StateFileError) {
    do throws(FileError) {
      try AtomicFile.write(encoded(), to: path)
    } catch {
      throw .unwritable(path: path, reason: error.reason)
    }
  }

  private static func reason(_ error: ProgramLoadError) -> String {
    switch error {
    case .notAProgram: return "not a PolicyLang state file (bad magic bytes)"
    case .unsupportedVersion(let found, let supported):
      return "state format version \(found) is not supported (this policyc reads version \(supported))"
    case .truncated(let offset): return "the file is truncated (data ends at byte \(offset))"
    case .checksumMismatch: return "the file is damaged (checksum mismatch)"
    case .corrupt(let offset, let reason): return "the file is damaged at byte \(offset): \(reason)"
    case .invalidProgram(let reason): return reason
    }
  }

  // MARK: Encoding

  /// The file's bytes.
  public func encoded() -> [UInt8] {
    var payload = ByteWriter()
    payload.optional(watermark) { $0.timestamp($1) }
    payload.array(stamps) { w, stamp in
      w.string(stamp.policy)
      w.array(stamp.rules) { w, rule in
        w.string(rule.name)
        w.u64(rule.fingerprint)
      }
      w.array(stamp.histories) { $0.u64($1) }
    }
    payload.array(shops) { $0.id($1) }
    let shopIndex = ShopIndex(shops)
    for k in stamps.indices {
      payload.array(rates.indices.contains(k) ? rates[k] : []) { w, p in
        w.uvarint(UInt64(p.rule))
        w.uvarint(UInt64(shopIndex.index(of: p.shop) ?? 0))
        w.timestamp(p.period.start)
        w.timestamp(p.period.end)
        w.uvarint(UInt64(p.passed))
        w.uvarint(UInt64(p.total))
        w.array(p.units) { w, u in
          w.varint(u.day)
          w.id(u.buyer)
          w.bool(u.passed)
        }
      }
      payload.array(violations.indices.contains(k) ? violations[k] : []) { w, v in
        w.uvarint(UInt64(shopIndex.index(of: v.shop) ?? 0))
        w.timestamp(v.at)
        w.id(v.conversation)
        w.uvarint(UInt64(v.event))
        w.uvarint(v.rule.map { UInt64($0) + 1 } ?? 0)
        w.string(v.severity)
      }
    }
    conversations.write(to: &payload)
    var w = ByteWriter()
    w.raw(Self.magic)
    w.u16(Self.formatVersion)
    w.u64(UInt64(payload.bytes.count))
    w.raw(payload.bytes)
    w.u32(w.bytes.withUnsafeBytes { CRC32.checksum($0) })
    return w.bytes
  }

  // MARK: Decoding

  /// Reads a state file's bytes: frame and checksum first, then every part.
  package static func decode(_ bytes: [UInt8]) throws(ProgramLoadError) -> EvaluationState {
    guard bytes.count >= magic.count else {
      throw bytes == Array(magic.prefix(bytes.count)) ? .truncated(offset: bytes.count) : .notAProgram
    }
    guard Array(bytes.prefix(magic.count)) == magic else { throw .notAProgram }
    var r = ByteReader(bytes, from: magic.count)
    let version = try r.u16()
    guard version == formatVersion else {
      throw .unsupportedVersion(found: version, supported: formatVersion)
    }
    let length = try r.u64()
    guard length <= UInt64(r.remaining), r.remaining - Int(length) == 4 else {
      throw length > UInt64(r.remaining)
        ? .truncated(offset: bytes.count)
        : .corrupt(
          offset: r.offset, reason: "the payload length does not match the file's size")
    }
    let payloadEnd = r.offset + Int(length)
    var tail = ByteReader(bytes, from: payloadEnd)
    let stored = try tail.u32()
    let computed = bytes.withUnsafeBytes {
      CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<payloadEnd]))
    }
    guard stored == computed else { throw .checksumMismatch(expected: stored, found: computed) }
    var p = ByteReader(bytes, from: r.offset, to: payloadEnd)
    let watermark = try p.optional { r throws(ProgramLoadError) in try r.timestamp() }
    let stamps = try p.array { r throws(ProgramLoadError) -> ProgramStamp in
      let policy = try r.string()
      let rules = try r.array { r throws(ProgramLoadError) -> ProgramStamp.Rule in
        ProgramStamp.Rule(name: try r.string(), fingerprint: try r.u64())
      }
      let histories = try r.array(minimumItemSize: 8) { r throws(ProgramLoadError) in try r.u64() }
      return ProgramStamp(policy: policy, rules: rules, histories: histories)
    }
    let shops = try p.array { r throws(ProgramLoadError) in try r.id() }
    var rates: [[CarriedPeriod]] = []
    var violations: [[CarriedViolation]] = []
    for stamp in stamps {
      rates.append(
        try p.array { r throws(ProgramLoadError) -> CarriedPeriod in
          let rule = try r.index(below: stamp.rules.count, what: "rule")
          let shop = shops[try r.index(below: shops.count, what: "shop")]
          let start = try r.timestamp()
          let end = try r.timestamp()
          let passed = try r.natural()
          let total = try r.natural()
          let units = try r.array(minimumItemSize: 3) { r throws(ProgramLoadError) -> CarriedPeriod.Unit in
            CarriedPeriod.Unit(day: try r.varint(), buyer: try r.id(), passed: try r.bool())
          }
          return CarriedPeriod(
            rule: rule, shop: shop, period: PeriodSpan(start: start, end: end), passed: passed, total: total,
            units: units)
        })
      violations.append(
        try p.array(minimumItemSize: 5) { r throws(ProgramLoadError) -> CarriedViolation in
          let shop = shops[try r.index(below: shops.count, what: "shop")]
          let at = try r.timestamp()
          let conversation = try r.id()
          let event = try r.natural()
          let rule = try r.index(below: stamp.rules.count + 1, what: "rule")
          return CarriedViolation(
            shop: shop, at: at, conversation: conversation, event: event, rule: rule == 0 ? nil : rule - 1,
            severity: try r.string())
        })
    }
    let conversations = try StoredConversations.read(&p, stamps: stamps, shops: shops.count)
    guard p.isAtEnd else {
      throw .corrupt(offset: p.offset, reason: "\(p.remaining) bytes after the records")
    }
    return EvaluationState(
      watermark: watermark, stamps: stamps, shops: shops, conversations: conversations, rates: rates,
      violations: violations)
  }
}

/// Shop ids by their index in a state's table.
package struct ShopIndex {
  private var indexes: [ByteString: Int] = [:]

  package init(_ shops: [ByteString]) {
    for (k, shop) in shops.enumerated() where indexes[shop] == nil { indexes[shop] = k }
  }

  package func index(of shop: ByteString) -> Int? { indexes[shop] }

  /// The index of `shop`, appended to `shops` when new.
  package mutating func intern(_ shop: ByteString, into shops: inout [ByteString]) -> Int {
    if let k = indexes[shop] { return k }
    indexes[shop] = shops.count
    shops.append(shop)
    return shops.count - 1
  }
}

/// The encoding of conversation records and the small values in them.
package enum StateCoding {
  private static let hasShop: UInt8 = 1
  private static let hasBuyer: UInt8 = 2
  private static let hasLast: UInt8 = 4

  /// Checks a record as `record` would read it, without building it: its id, and whether an
  /// obligation is open in it.
  package static func check(
    _ bytes: [UInt8], _ range: Range<Int>, stamps: [ProgramStamp], shops: Int
  ) throws(ProgramLoadError) -> (id: ByteString, open: Bool) {
    var r = ByteReader(bytes, from: range.lowerBound, to: range.upperBound)
    let id = try r.id()
    let flags = try r.u8()
    guard flags & ~(hasShop | hasBuyer | hasLast) == 0 else {
      throw .corrupt(offset: r.offset, reason: "unknown conversation flags \(flags)")
    }
    if flags & hasShop != 0 { _ = try r.index(below: shops, what: "shop") }
    if flags & hasBuyer != 0 { _ = try r.raw(try r.count()) }
    if flags & hasLast != 0 {
      _ = try r.timestamp()
      _ = try r.raw(try r.count(minimumItemSize: 8) * 8)
    }
    let count = try r.count()
    guard count == stamps.count else {
      throw .corrupt(
        offset: r.offset, reason: "a conversation has \(count) policies' states, not \(stamps.count)")
    }
    var open = false
    for stamp in stamps {
      let tag = try r.u8()
      switch tag {
      case 0: continue
      case 1: _ = try r.natural()
      case 2:
        _ = try r.natural()
        let obligations = try r.count(minimumItemSize: 5)
        open = open || obligations > 0
        for _ in 0..<obligations {
          _ = try r.index(below: stamp.rules.count, what: "rule")
          _ = try r.natural()
          _ = try r.timestamp()
          if try r.bool() { _ = try r.timestamp() }
          if try r.bool() { _ = try r.raw(try r.count()) }
          if try r.bool() { _ = try r.raw(try r.count()) }
          _ = try r.bool()
        }
        let slots = try r.count(minimumItemSize: 5)
        guard slots == stamp.histories.count else {
          throw .corrupt(
            offset: r.offset,
            reason: "a conversation has \(slots) history slots, not \(stamp.histories.count)")
        }
        for _ in 0..<slots {
          if try r.bool() { _ = try r.timestamp() }
          _ = try r.bool()
          _ = try r.natural()
          let times = try r.count(minimumItemSize: 2)
          for _ in 0..<times { _ = try r.timestamp() }
          let head = try r.natural()
          guard times == 0 ? head == 0 : head < times else {
            throw .corrupt(offset: r.offset, reason: "a history ring's head is out of range")
          }
        }
      default:
        throw .corrupt(offset: r.offset - 1, reason: "unknown conversation state tag \(tag)")
      }
    }
    guard r.isAtEnd else {
      throw .corrupt(offset: r.offset, reason: "\(r.remaining) bytes after a conversation")
    }
    return (id, open)
  }

  /// Encodes a record (policies' parts in stamp order; rules and slots by stamp index).
  package static func encode(_ record: ConversationRecord, shop: Int?) -> [UInt8] {
    var w = ByteWriter()
    w.id(record.id)
    var flags: UInt8 = 0
    if shop != nil { flags |= hasShop }
    if record.buyer != nil { flags |= hasBuyer }
    if record.last != nil { flags |= hasLast }
    w.u8(flags)
    if let shop { w.uvarint(UInt64(shop)) }
    if let buyer = record.buyer { w.id(buyer) }
    if let last = record.last {
      w.timestamp(last.at)
      w.array(last.digests) { $0.u64($1) }
    }
    w.uvarint(UInt64(record.parts.count))
    for part in record.parts {
      guard let state = part else {
        w.u8(0)
        continue
      }
      if state.isIdle {
        w.u8(1)
        w.uvarint(UInt64(state.nextIndex))
        continue
      }
      w.u8(2)
      w.uvarint(UInt64(state.nextIndex))
      w.array(state.obligations) { w, o in
        w.uvarint(UInt64(o.rule.index))
        w.uvarint(UInt64(o.event))
        w.timestamp(o.openedAt)
        w.optional(o.deadline) { $0.timestamp($1) }
        w.optional(o.agent) { $0.id($1) }
        w.optional(o.eventID) { $0.id($1) }
        w.bool(o.missed)
      }
      w.array(state.history.slots) { w, slot in
        w.optional(slot.last) { $0.timestamp($1) }
        w.bool(slot.broken)
        w.uvarint(UInt64(slot.count))
        w.array(slot.times) { $0.timestamp($1) }
        w.uvarint(UInt64(slot.head))
      }
    }
    return w.bytes
  }

  /// Decodes a record, checking every index against the stamps.
  package static func record(
    _ bytes: ArraySlice<UInt8>, stamps: [ProgramStamp], shops: [ByteString]
  ) throws(ProgramLoadError) -> ConversationRecord {
    var r = ByteReader(Array(bytes))
    let id = try r.id()
    let flags = try r.u8()
    guard flags & ~(hasShop | hasBuyer | hasLast) == 0 else {
      throw .corrupt(offset: r.offset, reason: "unknown conversation flags \(flags)")
    }
    let shop = flags & hasShop != 0 ? shops[try r.index(below: shops.count, what: "shop")] : nil
    let buyer = flags & hasBuyer != 0 ? try r.id() : nil
    var last: LastInstant?
    if flags & hasLast != 0 {
      let at = try r.timestamp()
      last = LastInstant(
        at: at, digests: try r.array(minimumItemSize: 8) { r throws(ProgramLoadError) in try r.u64() })
    }
    let count = try r.count()
    guard count == stamps.count else {
      throw .corrupt(
        offset: r.offset, reason: "a conversation has \(count) policies' states, not \(stamps.count)")
    }
    var parts: [ConversationState?] = []
    for stamp in stamps {
      let tag = try r.u8()
      switch tag {
      case 0:
        parts.append(nil)
      case 1:
        let next = try r.natural()
        parts.append(
          ConversationState(
            nextIndex: next, obligations: [], history: ConversationHistory(slotCount: stamp.histories.count)))
      case 2:
        let next = try r.natural()
        let obligations = try r.array(minimumItemSize: 5) { r throws(ProgramLoadError) -> OpenObligation in
          let rule = try r.index(below: stamp.rules.count, what: "rule")
          let event = try r.natural()
          let openedAt = try r.timestamp()
          let deadline = try r.optional { r throws(ProgramLoadError) in try r.timestamp() }
          let agent = try r.optional { r throws(ProgramLoadError) in try r.id() }
          let eventID = try r.optional { r throws(ProgramLoadError) in try r.id() }
          return OpenObligation(
            rule: RuleID(rule), event: event, openedAt: openedAt, deadline: deadline, agent: agent,
            eventID: eventID, missed: try r.bool())
        }
        let slots = try r.array(minimumItemSize: 5) { r throws(ProgramLoadError) -> HistorySlotState in
          var slot = HistorySlotState()
          slot.last = try r.optional { r throws(ProgramLoadError) in try r.timestamp() }
          slot.broken = try r.bool()
          slot.count = try r.natural()
          slot.times = try r.array(minimumItemSize: 2) { r throws(ProgramLoadError) in try r.timestamp() }
          slot.head = try r.natural()
          guard slot.times.isEmpty ? slot.head == 0 : slot.head < slot.times.count else {
            throw .corrupt(offset: r.offset, reason: "a history ring's head is out of range")
          }
          return slot
        }
        guard slots.count == stamp.histories.count else {
          throw .corrupt(
            offset: r.offset,
            reason: "a conversation has \(slots.count) history slots, not \(stamp.histories.count)")
        }
        parts.append(
          ConversationState(
            nextIndex: next, obligations: obligations, history: ConversationHistory(slots: slots)))
      default:
        throw .corrupt(offset: r.offset - 1, reason: "unknown conversation state tag \(tag)")
      }
    }
    guard r.isAtEnd else {
      throw .corrupt(offset: r.offset, reason: "\(r.remaining) bytes after a conversation")
    }
    return ConversationRecord(id: id, shop: shop, buyer: buyer, last: last, parts: parts)
  }
}

extension ByteWriter {
  fileprivate mutating func timestamp(_ t: Timestamp) {
    varint(t.seconds)
    uvarint(UInt64(UInt32(bitPattern: t.nanoseconds)))
  }

  fileprivate mutating func id(_ id: ByteString) {
    uvarint(UInt64(id.count))
    id.withBytes { bytes in
      for b in bytes { u8(b) }
    }
  }
}

extension ByteReader {
  fileprivate mutating func timestamp() throws(ProgramLoadError) -> Timestamp {
    let seconds = try varint()
    let at = offset
    let nanos = try uvarint()
    guard nanos < 1_000_000_000 else { throw .corrupt(offset: at, reason: "nanoseconds out of range") }
    return Timestamp(seconds: seconds, nanoseconds: Int32(nanos))
  }

  /// A non-negative integer (an index, a count of things not stored here).
  fileprivate mutating func natural() throws(ProgramLoadError) -> Int {
    let at = offset
    let v = try uvarint()
    guard v <= UInt64(Int.max) else { throw .corrupt(offset: at, reason: "integer out of range") }
    return Int(v)
  }

  fileprivate mutating func id() throws(ProgramLoadError) -> ByteString {
    let n = try count()
    // Through a buffer: the generic collection initializer walks a slice byte by byte.
    return try raw(n).withUnsafeBufferPointer { ByteString($0) }
  }
}
