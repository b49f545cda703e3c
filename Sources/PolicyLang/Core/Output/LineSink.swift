/// Where `VerdictWriter` forms one line before appending it to its bytes at once.
///
/// An `Array` append costs a uniqueness and a capacity check and, for a run of bytes, ~165
/// instructions of generic code: a verdict line of ~30 pieces spent more there than on its text.
/// The sink writes through a pointer into a buffer on the caller's stack and moves to the heap
/// only when a line outgrows it (long evidence), so the checks are one comparison per piece.
package struct LineSink: ~Copyable {
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  /// Bytes written.
  package private(set) var count = 0
  /// Whether `base` was allocated here (after outgrowing the caller's buffer).
  private var ownsBase = false

  /// A sink writing into `buffer` first.
  package init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
    if let start = buffer.baseAddress, buffer.count > 0 {
      base = start
      capacity = buffer.count
    } else {
      base = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
      capacity = 256
      ownsBase = true
    }
  }

  deinit {
    if ownsBase { base.deallocate() }
  }

  /// The bytes written so far.
  package var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  /// Makes room for `extra` more bytes.
  @inline(__always)
  private mutating func reserve(_ extra: Int) {
    if count &+ extra > capacity { grow(count + extra) }
  }

  private mutating func grow(_ needed: Int) {
    let larger = max(needed, capacity * 2)
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
    bigger.update(from: base, count: count)
    if ownsBase { base.deallocate() }
    base = bigger
    capacity = larger
    ownsBase = true
  }

  package mutating func byte(_ b: UInt8) {
    reserve(1)
    base[count] = b
    count &+= 1
  }

  package mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
    guard let start = source.baseAddress, !source.isEmpty else { return }
    reserve(source.count)
    (base + count).update(from: start, count: source.count)
    count &+= source.count
  }

  package mutating func literal(_ word: StaticString) {
    bytes(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
  }

  /// `,"name":` (or `"name":` for the first member).
  package mutating func key(_ name: StaticString, first: Bool = false) {
    let length = name.utf8CodeUnitCount
    reserve(length + 4)
    if !first {
      base[count] = 0x2C
      count &+= 1
    }
    base[count] = 0x22
    (base + count + 1).update(from: name.utf8Start, count: length)
    count &+= length + 1
    base[count] = 0x22
    base[count + 1] = 0x3A
    count &+= 2
  }

  /// A JSON string of UTF-8 bytes: `"` and `\` escaped, control characters as `\n`, `\r`, `\t`,
  /// `\b`, `\f` or `\u00XX`; everything else (non-ASCII included) as is.
  package mutating func jsonString(_ s: UnsafeBufferPointer<UInt8>) {
    // At most six bytes per input byte (`\u00XX`) and the quotes.
    reserve(s.count * 6 + 2)
    base[count] = 0x22
    count &+= 1
    for k in 0..<s.count {
      let b = s[k]
      guard b < 0x20 || b == 0x22 || b == 0x5C else {
        base[count] = b
        count &+= 1
        continue
      }
      base[count] = 0x5C
      count &+= 1
      switch b {
      case 0x22, 0x5C: base[count] = b
      case 0x0A: base[count] = 0x6E
      case 0x0D: base[count] = 0x72
      case 0x09: base[count] = 0x74
      case 0x08: base[count] = 0x62
      case 0x0C: base[count] = 0x66
      default:
        base[count] = 0x75
        base[count + 1] = 0x30
        base[count + 2] = 0x30
        base[count + 3] = Self.hexDigit(b >> 4)
        base[count + 4] = Self.hexDigit(b & 0xF)
        count &+= 4
      }
      count &+= 1
    }
    base[count] = 0x22
    count &+= 1
  }

  package mutating func string(_ s: String) {
    var s = s
    s.withUTF8 { jsonString($0) }
  }

  package mutating func id(_ s: ByteString) {
    s.withBytes { jsonString($0) }
  }

  package mutating func integer(_ value: Int) {
    // Digits formed backwards in place: no String per number.
    reserve(21)
    var digits = 0
    var magnitude = value.magnitude
    repeat {
      digits += 1
      magnitude /= 10
    } while magnitude > 0
    if value < 0 {
      base[count] = 0x2D
      count &+= 1
    }
    magnitude = value.magnitude
    var position = count &+ digits
    count = position
    repeat {
      position &-= 1
      base[position] = 0x30 + UInt8(truncatingIfNeeded: magnitude % 10)
      magnitude /= 10
    } while magnitude > 0
  }

  /// An instant in RFC 3339, quoted, with the zone's offset at that instant; one outside years
  /// 0001-9999 in the zone is written as the nearest instant inside them, so every time written
  /// is RFC 3339.
  package mutating func time(_ t: Timestamp, _ zone: PolicyZone) {
    reserve(RFC3339.maximumFormattedLength + 2)
    base[count] = 0x22
    count &+= 1
    // Outside the supported years only for a verdict made by hand (see `PolicyZone.accepts`);
    // what `writable` gives always has a four-digit year, which `format` writes.
    let (t, offset) = zone.writable(t)
    count &+= RFC3339.format(
      t, offsetSeconds: offset, into: UnsafeMutableBufferPointer(start: base + count, count: capacity - count)
    )
    byte(0x22)
  }

  /// `units / 10^scale` as `JSONText.appendDecimal` writes it.
  package mutating func decimal(_ units: Int64, scale: Int) {
    var text: [UInt8] = []
    JSONText.appendDecimal(units, scale: scale, to: &text)
    text.withUnsafeBufferPointer { bytes($0) }
  }

  private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
}
