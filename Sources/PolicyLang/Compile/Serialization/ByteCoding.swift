import PolicyLangCore

/// Why a compiled program could not be loaded. Every failure of the reader is one of these; the
/// reader never traps on malformed input.
public enum ProgramLoadError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file does not start with the program magic: not a compiled PolicyLang program, or
  /// damaged by a text-mode transfer (the magic holds CR LF and ^Z for that reason).
  case notAProgram
  /// The file was written by a newer (or unknown) format version.
  case unsupportedVersion(found: UInt16, supported: UInt16)
  /// The file ends before the data it announces.
  case truncated(offset: Int)
  /// The checksum over the payload does not match: the file was corrupted.
  case checksumMismatch(expected: UInt32, found: UInt32)
  /// A length, index or tag is out of range.
  case corrupt(offset: Int, reason: String)
  /// Every field reads well but the program breaks an invariant of `RuleProgram(validating:)`
  /// (an operand after its user, a pattern that does not compile, an unknown zone...).
  case invalidProgram(String)

  public var description: String {
    switch self {
    case .notAProgram: return "not a compiled PolicyLang program (bad magic bytes)"
    case .unsupportedVersion(let found, let supported):
      return
        "program format version \(found) is not supported (this policyc reads versions 1 to \(supported))"
    case .truncated(let offset): return "program file is truncated (data ends at byte \(offset))"
    case .checksumMismatch(let expected, let found):
      return "program file is corrupted (checksum \(hex(found)), expected \(hex(expected)))"
    case .corrupt(let offset, let reason): return "program file is corrupted at byte \(offset): \(reason)"
    case .invalidProgram(let reason): return "program file holds an invalid program: \(reason)"
    }
  }
}

private func hex(_ v: UInt32) -> String {
  let s = String(v, radix: 16)
  return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}

/// Appends little-endian integers, LEB128 lengths and UTF-8 strings to a byte buffer.
public struct ByteWriter: Sendable {
  public private(set) var bytes: [UInt8] = []
  public init() {}

  public mutating func u8(_ v: UInt8) { bytes.append(v) }
  public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

  public mutating func u16(_ v: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: v))
    bytes.append(UInt8(truncatingIfNeeded: v >> 8))
  }

  public mutating func u32(_ v: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> shift)) }
  }

  public mutating func u64(_ v: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> shift)) }
  }

  /// Unsigned LEB128.
  public mutating func uvarint(_ v: UInt64) {
    var v = v
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  /// Signed values zig-zag encoded, then LEB128.
  public mutating func varint(_ v: Int64) {
    uvarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
  }

  public mutating func int(_ v: Int) { varint(Int64(v)) }

  public mutating func string(_ s: String) {
    let utf8 = Array(s.utf8)
    uvarint(UInt64(utf8.count))
    bytes.append(contentsOf: utf8)
  }

  public mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

  public mutating func array<T>(_ items: [T], _ each: (inout ByteWriter, T) -> Void) {
    uvarint(UInt64(items.count))
    for item in items { each(&self, item) }
  }

  public mutating func optional<T>(_ item: T?, _ each: (inout ByteWriter, T) -> Void) {
    if let item {
      u8(1)
      each(&self, item)
    } else {
      u8(0)
    }
  }
}

/// Reads what `ByteWriter` wrote, checking every length against the bytes that remain, so that a
/// truncated or hostile file produces a `ProgramLoadError` and never a trap or a huge allocation.
public struct ByteReader: Sendable {
  public let bytes: [UInt8]
  public private(set) var offset: Int
  public let end: Int

  public init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
    self.bytes = bytes
    self.offset = start
    self.end = min(end ?? bytes.count, bytes.count)
  }

  public var remaining: Int { end - offset }
  public var isAtEnd: Bool { offset >= end }

  public mutating func u8() throws(ProgramLoadError) -> UInt8 {
    guard offset < end else { throw .truncated(offset: offset) }
    defer { offset += 1 }
    return bytes[offset]
  }

  public mutating func bool() throws(ProgramLoadError) -> Bool {
    let at = offset
    switch try u8() {
    case 0: return false
    case 1: return true
    default: throw .corrupt(offset: at, reason: "a boolean is neither 0 nor 1")
    }
  }

  public mutating func u16() throws(ProgramLoadError) -> UInt16 {
    guard remaining >= 2 else { throw .truncated(offset: end) }
    defer { offset += 2 }
    return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }

  public mutating func u32() throws(ProgramLoadError) -> UInt32 {
    guard remaining >= 4 else { throw .truncated(offset: end) }
    var v: UInt32 = 0
    for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
    offset += 4
    return v
  }

  public mutating func u64() throws(ProgramLoadError) -> UInt64 {
    guard remaining >= 8 else { throw .truncated(offset: end) }
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
    offset += 8
    return v
  }

  public mutating func uvarint() throws(ProgramLoadError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    let start = offset
    while true {
      let b = try u8()
      if shift == 63 && b > 1 { throw .corrupt(offset: start, reason: "integer overflows 64 bits") }
      result |= UInt64(b & 0x7F) << shift
      if b & 0x80 == 0 { return result }
      shift += 7
      if shift > 63 { throw .corrupt(offset: start, reason: "integer overflows 64 bits") }
    }
  }

  public mutating func varint() throws(ProgramLoadError) -> Int64 {
    let u = try uvarint()
    return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
  }

  public mutating func int() throws(ProgramLoadError) -> Int {
    let at = offset
    let v = try varint()
    guard let i = Int(exactly: v) else { throw .corrupt(offset: at, reason: "integer out of range") }
    return i
  }

  /// A non-negative integer no larger than `limit`, e.g. an index into an array of `limit + 1`.
  public mutating func index(below count: Int, what: String) throws(ProgramLoadError) -> Int {
    let at = offset
    let v = try uvarint()
    guard v < UInt64(max(0, count)) else {
      throw .corrupt(offset: at, reason: "\(what) index \(v) out of range (count \(count))")
    }
    return Int(v)
  }

  /// A count of items each at least `minimumItemSize` bytes long, checked against what remains.
  public mutating func count(minimumItemSize: Int = 1) throws(ProgramLoadError) -> Int {
    let at = offset
    let v = try uvarint()
    guard v <= UInt64(remaining / max(1, minimumItemSize)) else {
      throw .corrupt(offset: at, reason: "count \(v) exceeds the remaining \(remaining) bytes")
    }
    return Int(v)
  }

  public mutating func string() throws(ProgramLoadError) -> String {
    let at = offset
    let n = try count()
    guard let s = String(validating: bytes[offset..<offset + n], as: UTF8.self) else {
      throw .corrupt(offset: at, reason: "string is not valid UTF-8")
    }
    offset += n
    return s
  }

  public mutating func raw(_ n: Int) throws(ProgramLoadError) -> ArraySlice<UInt8> {
    guard n >= 0, remaining >= n else { throw .truncated(offset: end) }
    defer { offset += n }
    return bytes[offset..<offset + n]
  }

  public mutating func array<T>(
    minimumItemSize: Int = 1, _ each: (inout ByteReader) throws(ProgramLoadError) -> T
  ) throws(ProgramLoadError) -> [T] {
    let n = try count(minimumItemSize: minimumItemSize)
    var items: [T] = []
    items.reserveCapacity(n)
    for _ in 0..<n { items.append(try each(&self)) }
    return items
  }

  public mutating func optional<T>(
    _ each: (inout ByteReader) throws(ProgramLoadError) -> T
  ) throws(ProgramLoadError) -> T? {
    try bool() ? try each(&self) : nil
  }
}

/// CRC-32 (IEEE 802.3), the checksum of the compiled format.
public enum CRC32 {
  private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// The checksum of bytes in memory (what large files use: no generic iteration).
  public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    table.withUnsafeBufferPointer { table in
      for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    }
    return crc ^ 0xFFFF_FFFF
  }

  public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }
}
