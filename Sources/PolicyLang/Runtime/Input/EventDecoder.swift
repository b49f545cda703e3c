import PolicyLangCore

/// Decodes one JSONL line into an `Event` with a hand-written byte-level scanner.
///
/// The scanner validates the whole line as JSON (strict UTF-8, escapes, numbers, literals), extracts
/// io.md's fields and skips every other value of any depth with an explicit stack, never recursion.
/// Strings without escapes are copied once from the line into the `Event`; strings with escapes are
/// decoded into a reused scratch buffer first. Duplicate keys are rejected at the top level (known
/// and unknown keys) and among an attachment's known keys (`type`, `url`, `qr`, `name`, `mime`); keys of unknown
/// nested objects are not checked. `null` for an optional field means the field is absent.
///
/// One decoder is used by one thread at a time (it owns reusable buffers).
public final class EventDecoder {
  // Only `decode` reads and writes these, never overlapping (one thread at a time): the run-time
  // exclusivity checks of class properties would cost more than the rest of `decode`'s setup.
  @exclusivity(unchecked) private var scratch: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) private var scratchCapacity: Int
  @exclusivity(unchecked) private var dayCache = RFC3339.DayCache()
  private let buffers = ScanBuffers()

  /// A decoder with empty buffers.
  public init() {
    scratchCapacity = 256
    scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    // Initialized throughout: ids are loaded from it a word at a time, past their last byte.
    scratch.initialize(repeating: 0, count: 256)
  }

  deinit { scratch.deallocate() }

  /// Decodes one line (without its line terminator).
  public func decode(_ line: UnsafeBufferPointer<UInt8>) throws(EventLineError) -> Event {
    guard let base = line.baseAddress else {
      throw EventLineError(.invalidJSON, "invalid JSON: the line is empty")
    }
    var scanner = LineScanner(
      p: base, n: line.count, scratch: scratch, scratchCapacity: scratchCapacity, buffers: buffers,
      dayCache: dayCache)
    defer {
      scratch = scanner.scratch
      scratchCapacity = scanner.scratchCapacity
      dayCache = scanner.dayCache
    }
    return try scanner.parseEvent()
  }

  /// Decodes one line given as bytes.
  public func decode(_ line: [UInt8]) throws(EventLineError) -> Event {
    let result: Result<Event, EventLineError> = line.withUnsafeBufferPointer { buffer in
      do throws(EventLineError) { return .success(try decode(buffer)) } catch { return .failure(error) }
    }
    return try result.get()
  }

  /// Decodes one line given as a string.
  public func decode(_ line: String) throws(EventLineError) -> Event {
    try decode(Array(line.utf8))
  }
}

/// The buffers only unusual lines need (nested values, unknown keys), shared by reference so a
/// line that needs none of them costs nothing to set up.
private final class ScanBuffers {
  /// The open containers while skipping a value (1 = object, 0 = array).
  @exclusivity(unchecked) package var stack: [UInt8] = []
  /// The unknown top-level keys of the line, for duplicates.
  @exclusivity(unchecked) package var unknownKeys: Set<ByteString> = []
}

/// A string found in the line: its bytes are `p[start..<end]`, or the scratch buffer when decoded.
private struct ScannedString {
  package var start: Int
  package var end: Int
  package var decoded: Bool
}

/// The top-level fields of io.md, as bits of a mask of fields seen.
private enum Field: UInt16 {
  case conversation = 1
  case shop = 2
  case at = 4
  case from = 8
  case text = 16
  case attachments = 32
  case auto = 64
  case agent = 128
  case buyer = 256
  case platform = 512
  case event = 1024
  case id = 2048
}

// ASCII bytes the scanner looks for.
private let quote: UInt8 = 0x22
private let backslash: UInt8 = 0x5C
private let comma: UInt8 = 0x2C
private let colon: UInt8 = 0x3A
private let openBrace: UInt8 = 0x7B
private let closeBrace: UInt8 = 0x7D
private let openBracket: UInt8 = 0x5B
private let closeBracket: UInt8 = 0x5D

private struct LineScanner {
  package let p: UnsafePointer<UInt8>
  package let n: Int
  package var i = 0
  package var scratch: UnsafeMutablePointer<UInt8>
  package var scratchCapacity: Int
  package var scratchCount = 0
  package let buffers: ScanBuffers
  /// Whether `buffers.unknownKeys` holds this line's keys yet (it is emptied on first use).
  package var unknownKeysCleared = false
  package var dayCache: RFC3339.DayCache
  /// The first non-syntax problem; reported only when the line is well-formed JSON.
  package var pending: EventLineError?

  package init(
    p: UnsafePointer<UInt8>, n: Int, scratch: UnsafeMutablePointer<UInt8>, scratchCapacity: Int,
    buffers: ScanBuffers, dayCache: RFC3339.DayCache
  ) {
    self.p = p
    self.n = n
    self.scratch = scratch
    self.scratchCapacity = scratchCapacity
    self.buffers = buffers
    self.dayCache = dayCache
  }

  // MARK: Primitives

  @inline(__always)
  package func peek() -> UInt8 { i < n ? p[i] : 0 }

  @inline(__always)
  package mutating func skipWhitespace() {
    while i < n {
      let b = p[i]
      guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
      i += 1
    }
  }

  package func syntax(_ what: String, at position: Int? = nil) -> EventLineError {
    let at = position ?? i
    if at >= n { return EventLineError(.invalidJSON, "invalid JSON: unexpected end of line, \(what)") }
    return EventLineError(.invalidJSON, "invalid JSON at byte \(at + 1): \(what)")
  }

  package func found() -> String {
    switch peek() {
    case quote: return "a string"
    case openBrace: return "an object"
    case openBracket: return "an array"
    case 0x74, 0x66: return "a boolean"
    case 0x6E: return "null"
    default: return "a number"
    }
  }

  package mutating func expect(_ b: UInt8, _ what: String) throws(EventLineError) {
    guard peek() == b else { throw syntax(what) }
    i += 1
  }

  package mutating func postpone(_ error: EventLineError) {
    if pending == nil { pending = error }
  }

  package mutating func appendScratch(_ b: UInt8) {
    if scratchCount == scratchCapacity { growScratch(scratchCount + 1) }
    scratch[scratchCount] = b
    scratchCount += 1
  }

  package mutating func appendScratch(from start: Int, count: Int) {
    if scratchCount + count > scratchCapacity { growScratch(scratchCount + count) }
    (scratch + scratchCount).update(from: p + start, count: count)
    scratchCount += count
  }

  package mutating func growScratch(_ needed: Int) {
    let capacity = max(needed, scratchCapacity * 2)
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    bigger.initialize(repeating: 0, count: capacity)
    bigger.update(from: scratch, count: scratchCount)
    scratch.deallocate()
    scratch = bigger
    scratchCapacity = capacity
  }

  package func buffer(_ s: ScannedString) -> UnsafeBufferPointer<UInt8> {
    s.decoded
      ? UnsafeBufferPointer(start: scratch, count: scratchCount)
      : UnsafeBufferPointer(start: p + s.start, count: s.end - s.start)
  }

  // MARK: Strings

  /// Validates one UTF-8 sequence starting with a byte >= 0x80 at `k`, within `p[..<end]`;
  /// returns its length.
  package func utf8SequenceLength(at k: Int, end: Int) throws(EventLineError) -> Int {
    let b0 = p[k]
    func cont(_ j: Int) -> Bool { k + j < end && p[k + j] & 0xC0 == 0x80 }
    func inRange(_ j: Int, _ lo: UInt8, _ hi: UInt8) -> Bool {
      k + j < end && p[k + j] >= lo && p[k + j] <= hi
    }
    let ok: Bool
    let length: Int
    switch b0 {
    case 0xC2...0xDF:
      length = 2
      ok = cont(1)
    case 0xE0:
      length = 3
      ok = inRange(1, 0xA0, 0xBF) && cont(2)
    case 0xED:
      length = 3
      ok = inRange(1, 0x80, 0x9F) && cont(2)
    case 0xE1...0xEF:
      length = 3
      ok = cont(1) && cont(2)
    case 0xF0:
      length = 4
      ok = inRange(1, 0x90, 0xBF) && cont(2) && cont(3)
    case 0xF1...0xF3:
      length = 4
      ok = cont(1) && cont(2) && cont(3)
    case 0xF4:
      length = 4
      ok = inRange(1, 0x80, 0x8F) && cont(2) && cont(3)
    default:
      length = 1
      ok = false
    }
    guard ok else { throw EventLineError(.invalidUTF8, "invalid UTF-8 at byte \(k + 1)") }
    return length
  }

  /// Validates `p[from..<end]` as UTF-8 (a sequence cut by `end` is invalid); throws at the first
  /// bad byte. Three-byte sequences without E0's and ED's narrower second byte (most CJK) and
  /// ASCII take the short path.
  package func validateUTF8(from: Int, to end: Int) throws(EventLineError) {
    var k = from
    while k < end {
      let b = p[k]
      if b < 0x80 {
        k += 1
      } else if b >= 0xE1 && b != 0xED && b <= 0xEF && k + 2 < end && p[k + 1] & 0xC0 == 0x80
        && p[k + 2] & 0xC0 == 0x80
      {
        k += 3
      } else {
        k += try utf8SequenceLength(at: k, end: end)
      }
    }
  }

  /// Scans a string whose opening quote is at `i`; validates it and, when `decode` is set and it
  /// has escapes, decodes it into the scratch buffer. Leaves `i` after the closing quote.
  ///
  /// Each segment up to the next quote, backslash or control byte is found eight bytes at a time,
  /// then validated as UTF-8 (only when it has a byte >= 0x80) before that byte is looked at, so
  /// the first problem in the string is the one reported, as a byte-by-byte scan would.
  package mutating func scanString(decode: Bool) throws(EventLineError) -> ScannedString {
    i += 1
    let start = i
    var escaped = false
    scratchCount = 0
    // Start of the bytes not yet copied to scratch (decoding mode only).
    var pendingFrom = start
    while true {
      let segment = i
      var high: UInt64 = 0
      var found = false
      while i + 8 <= n {
        let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
        // Per byte, the high bit of each mask is set for a control byte, a quote, a backslash;
        // a byte can be flagged wrongly only above a true one, so the lowest flag is exact.
        let control = (w &- 0x2020_2020_2020_2020) & ~w
        let q = w ^ 0x2222_2222_2222_2222
        let s = w ^ 0x5C5C_5C5C_5C5C_5C5C
        let special =
          (control | (q &- 0x0101_0101_0101_0101) & ~q | (s &- 0x0101_0101_0101_0101) & ~s)
          & 0x8080_8080_8080_8080
        high |= w
        if special != 0 {
          i += special.trailingZeroBitCount >> 3
          found = true
          break
        }
        i += 8
      }
      if !found {
        while i < n {
          let b = p[i]
          if b == quote || b == backslash || b < 0x20 { break }
          high |= UInt64(b)
          i += 1
        }
      }
      if high & 0x8080_8080_8080_8080 != 0 { try validateUTF8(from: segment, to: i) }
      guard i < n else { throw syntax("unterminated string", at: start - 1) }
      let b = p[i]
      if b == quote {
        if escaped && decode {
          appendScratch(from: pendingFrom, count: i - pendingFrom)
        }
        let end = i
        i += 1
        return ScannedString(start: start, end: end, decoded: escaped && decode)
      } else if b == backslash {
        if decode { appendScratch(from: pendingFrom, count: i - pendingFrom) }
        escaped = true
        try scanEscape(decode: decode)
        pendingFrom = i
      } else {
        throw syntax("control character 0x\(String(b, radix: 16)) in a string (write it as an escape)")
      }
    }
  }

  package func hexValue(_ at: Int) -> Int? {
    guard at + 4 <= n else { return nil }
    var v = 0
    for k in 0..<4 {
      let c = p[at + k]
      let d: Int
      switch c {
      case 0x30...0x39: d = Int(c) - 0x30
      case 0x41...0x46: d = Int(c) - 0x41 + 10
      case 0x61...0x66: d = Int(c) - 0x61 + 10
      default: return nil
      }
      v = v << 4 | d
    }
    return v
  }

  /// Scans one escape at `i` (the backslash); appends its bytes to scratch when decoding.
  package mutating func scanEscape(decode: Bool) throws(EventLineError) {
    let at = i
    guard i + 1 < n else { throw syntax("unterminated string") }
    let c = p[i + 1]
    var simple: UInt8 = 0
    switch c {
    case quote, backslash, 0x2F: simple = c
    case 0x62: simple = 0x08
    case 0x66: simple = 0x0C
    case 0x6E: simple = 0x0A
    case 0x72: simple = 0x0D
    case 0x74: simple = 0x09
    case 0x75:
      guard let u = hexValue(i + 2) else { throw syntax("`\\u` must be followed by four hex digits", at: at) }
      i += 6
      var scalar = u
      if u >= 0xD800 && u <= 0xDBFF {
        guard i + 1 < n, p[i] == backslash, p[i + 1] == 0x75, let low = hexValue(i + 2), low >= 0xDC00,
          low <= 0xDFFF
        else {
          throw EventLineError(
            .loneSurrogate, "`\\u` escape at byte \(at + 1) leaves a lone surrogate \(hex4(u))")
        }
        i += 6
        scalar = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
      } else if u >= 0xDC00 && u <= 0xDFFF {
        throw EventLineError(
          .loneSurrogate, "`\\u` escape at byte \(at + 1) leaves a lone surrogate \(hex4(u))")
      }
      if decode { appendScalar(UInt32(scalar)) }
      return
    default:
      throw syntax("invalid escape in a string", at: at)
    }
    i += 2
    if decode { appendScratch(simple) }
  }

  package func hex4(_ v: Int) -> String {
    let digits = String(v, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  package mutating func appendScalar(_ v: UInt32) {
    switch v {
    case 0..<0x80:
      appendScratch(UInt8(v))
    case 0x80..<0x800:
      appendScratch(UInt8(0xC0 | v >> 6))
      appendScratch(UInt8(0x80 | v & 0x3F))
    case 0x800..<0x10000:
      appendScratch(UInt8(0xE0 | v >> 12))
      appendScratch(UInt8(0x80 | v >> 6 & 0x3F))
      appendScratch(UInt8(0x80 | v & 0x3F))
    default:
      appendScratch(UInt8(0xF0 | v >> 18))
      appendScratch(UInt8(0x80 | v >> 12 & 0x3F))
      appendScratch(UInt8(0x80 | v >> 6 & 0x3F))
      appendScratch(UInt8(0x80 | v & 0x3F))
    }
  }

  // MARK: Skipping values

  package mutating func skipNumber() throws(EventLineError) {
    let start = i
    if peek() == 0x2D { i += 1 }
    func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    if peek() == 0x30 {
      i += 1
    } else if digit(peek()) {
      while digit(peek()) { i += 1 }
    } else {
      throw syntax("expected a value", at: start)
    }
    if peek() == 0x2E {
      i += 1
      guard digit(peek()) else { throw syntax("expected a digit after the decimal point") }
      while digit(peek()) { i += 1 }
    }
    if peek() == 0x65 || peek() == 0x45 {
      i += 1
      if peek() == 0x2B || peek() == 0x2D { i += 1 }
      guard digit(peek()) else { throw syntax("expected a digit in the exponent") }
      while digit(peek()) { i += 1 }
    }
  }

  package mutating func skipLiteral(_ word: StaticString) throws(EventLineError) {
    let count = word.utf8CodeUnitCount
    let w = word.utf8Start
    guard i + count <= n else { throw syntax("expected a value") }
    for k in 0..<count where p[i + k] != w[k] { throw syntax("expected a value") }
    i += count
  }

  /// Skips one scalar value (string, number, literal) or fails when none starts at `i`.
  package mutating func skipScalar() throws(EventLineError) {
    switch peek() {
    case quote: _ = try scanString(decode: false)
    case 0x74: try skipLiteral("true")
    case 0x66: try skipLiteral("false")
    case 0x6E: try skipLiteral("null")
    default: try skipNumber()
    }
  }

  /// Skips one value of any depth with an explicit stack (1 = object, 0 = array).
  package mutating func skipValue() throws(EventLineError) {
    buffers.stack.removeAll(keepingCapacity: true)
    while true {
      // Here a value is expected.
      skipWhitespace()
      let c = peek()
      if c == openBrace {
        i += 1
        skipWhitespace()
        if peek() == closeBrace {
          i += 1
        } else {
          buffers.stack.append(1)
          try skipKeyAndColon()
          continue
        }
      } else if c == openBracket {
        i += 1
        skipWhitespace()
        if peek() == closeBracket {
          i += 1
        } else {
          buffers.stack.append(0)
          continue
        }
      } else {
        try skipScalar()
      }
      // After a value: close containers or move to the next element.
      while let top = buffers.stack.last {
        skipWhitespace()
        let d = peek()
        if d == comma {
          i += 1
          if top == 1 {
            skipWhitespace()
            try skipKeyAndColon()
          }
          break
        } else if top == 1 && d == closeBrace || top == 0 && d == closeBracket {
          i += 1
          buffers.stack.removeLast()
        } else {
          throw syntax(top == 1 ? "expected `,` or `}` in an object" : "expected `,` or `]` in an array")
        }
      }
      if buffers.stack.isEmpty { return }
    }
  }

  package mutating func skipKeyAndColon() throws(EventLineError) {
    guard peek() == quote else { throw syntax("expected a string key") }
    _ = try scanString(decode: false)
    skipWhitespace()
    try expect(colon, "expected `:` after a key")
  }

  // MARK: Typed values of known fields

  /// A string value, or nil for `null`; any other type is recorded as a wrong type and skipped.
  package mutating func stringValue(
    _ field: StaticString, nullable: Bool = true
  ) throws(EventLineError)
    -> ScannedString?
  {
    let c = peek()
    if c == quote { return try scanString(decode: true) }
    if c == 0x6E && nullable {
      try skipLiteral("null")
      return nil
    }
    postpone(EventLineError(.wrongType, "field `\(field)` must be a string, found \(found())"))
    try skipValue()
    return nil
  }

  /// A boolean value (nil for `null`); any other type is recorded as a wrong type and skipped.
  package mutating func boolValue(_ field: StaticString) throws(EventLineError) -> Bool? {
    switch peek() {
    case 0x74:
      try skipLiteral("true")
      return true
    case 0x66:
      try skipLiteral("false")
      return false
    case 0x6E:
      try skipLiteral("null")
      return nil
    default:
      postpone(EventLineError(.wrongType, "field `\(field)` must be true or false, found \(found())"))
      try skipValue()
      return nil
    }
  }

  /// An id of at most 15 plain ASCII bytes (no escape, no control byte) whose opening quote is at
  /// `i`, the common case, read from two word loads; moves `i` past the closing quote. Nil, with
  /// `i` unchanged, for any other string, which `scanString` then reads (and validates).
  @inline(__always)
  package mutating func plainShortID() -> ByteString? {
    guard i + 17 <= n else { return nil }
    let raw = UnsafeRawPointer(p + i + 1)
    let a = raw.loadUnaligned(as: UInt64.self)
    let b = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    // Per word, the high bit of each byte that is a quote, a backslash, a control byte or >= 0x80;
    // the lowest one is exact (see `scanString`). The first such byte must be the closing quote.
    func flagged(_ w: UInt64) -> UInt64 {
      let q = w ^ 0x2222_2222_2222_2222
      let s = w ^ 0x5C5C_5C5C_5C5C_5C5C
      return
        (w | (w &- 0x2020_2020_2020_2020) & ~w | (q &- 0x0101_0101_0101_0101) & ~q
        | (s &- 0x0101_0101_0101_0101) & ~s) & 0x8080_8080_8080_8080
    }
    let fa = flagged(a)
    let length: Int
    if fa != 0 {
      length = fa.trailingZeroBitCount >> 3
    } else {
      let fb = flagged(b)
      guard fb != 0 else { return nil }
      length = 8 + fb.trailingZeroBitCount >> 3
    }
    guard p[i + 1 + length] == quote else { return nil }
    i += length + 2
    return ByteString(
      inlineWords: a.bigEndian & ByteString.highBytes(length), b.bigEndian & ByteString.highBytes(length - 8),
      count: UInt8(length))
  }

  /// The `from` value: a plain short string by `plainShortID`, anything else by `stringValue`.
  package mutating func roleText() throws(EventLineError) -> ScannedString? {
    let start = i + 1
    if peek() == quote, plainShortID() != nil {
      return ScannedString(start: start, end: i - 1, decoded: false)
    }
    return try stringValue("from")
  }

  package mutating func idValue(
    _ field: StaticString, nullable: Bool = true
  ) throws(EventLineError) -> ByteString? {
    if peek() == quote, let id = plainShortID() { return id }
    guard let s = try stringValue(field, nullable: nullable) else { return nil }
    // Both the line and the scratch buffer are initialized memory up to their end.
    return s.decoded
      ? ByteString(scratch, count: scratchCount, readable: scratchCapacity)
      : ByteString(p + s.start, count: s.end - s.start, readable: n - s.start)
  }

  package mutating func bytesValue(_ field: StaticString) throws(EventLineError) -> [UInt8]? {
    guard let s = try stringValue(field) else { return nil }
    return Array(buffer(s))
  }

  package func key(_ s: ScannedString) -> Field? {
    let b = buffer(s)
    func equals(_ word: StaticString) -> Bool {
      guard b.count == word.utf8CodeUnitCount else { return false }
      let w = word.utf8Start
      for k in 0..<b.count where b[k] != w[k] { return false }
      return true
    }
    switch b.count {
    case 2: return equals("at") ? .at : equals("id") ? .id : nil
    case 4:
      if equals("shop") { return .shop }
      if equals("from") { return .from }
      if equals("text") { return .text }
      if equals("auto") { return .auto }
      return nil
    case 5:
      if equals("agent") { return .agent }
      if equals("buyer") { return .buyer }
      if equals("event") { return .event }
      return nil
    case 8: return equals("platform") ? .platform : nil
    case 11: return equals("attachments") ? .attachments : nil
    case 12: return equals("conversation") ? .conversation : nil
    default: return nil
    }
  }

  package func role(_ s: ScannedString) -> SenderRole? {
    let b = buffer(s)
    func equals(_ word: StaticString) -> Bool {
      let w = word.utf8Start
      for k in 0..<b.count where b[k] != w[k] { return false }
      return true
    }
    switch b.count {
    case 5: return equals("buyer") ? .buyer : nil
    case 6: return equals("seller") ? .seller : equals("system") ? .system : nil
    case 8: return equals("platform") ? .platform : nil
    default: return nil
    }
  }

  /// The known key whose opening quote is at `i` when it is written plainly, as nearly every line
  /// writes it; moves `i` past its closing quote. Nil, with `i` unchanged, for anything else
  /// (unknown, escaped, near the end of the line), which `scanString` and `key` then decide.
  @inline(__always)
  package mutating func plainKnownKey() -> Field? {
    guard i + 17 <= n else { return nil }
    // The key's first 8 and next 8 bytes, little-endian: the constants are the ASCII of each key
    // and its closing quote, byte-reversed.
    let raw = UnsafeRawPointer(p + i + 1)
    let w = raw.loadUnaligned(as: UInt64.self)
    let v = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    let field: Field
    let length: Int
    switch w & 0xFF {
    case 0x61:
      if w & 0xFF_FFFF == 0x22_7461 {
        (field, length) = (.at, 3)
      } else if w & 0xFF_FFFF_FFFF == 0x22_6F74_7561 {
        (field, length) = (.auto, 5)
      } else if w & 0xFFFF_FFFF_FFFF == 0x2274_6E65_6761 {
        (field, length) = (.agent, 6)
      } else if w == 0x656D_6863_6174_7461 && v & 0xFFFF_FFFF == 0x2273_746E {
        (field, length) = (.attachments, 12)
      } else {
        return nil
      }
    case 0x69:
      guard w & 0xFF_FFFF == 0x22_6469 else { return nil }
      (field, length) = (.id, 3)
    case 0x62:
      guard w & 0xFFFF_FFFF_FFFF == 0x2272_6579_7562 else { return nil }
      (field, length) = (.buyer, 6)
    case 0x63:
      guard w == 0x6173_7265_766E_6F63 && v & 0xFF_FFFF_FFFF == 0x22_6E6F_6974 else { return nil }
      (field, length) = (.conversation, 13)
    case 0x65:
      guard w & 0xFFFF_FFFF_FFFF == 0x2274_6E65_7665 else { return nil }
      (field, length) = (.event, 6)
    case 0x66:
      guard w & 0xFF_FFFF_FFFF == 0x22_6D6F_7266 else { return nil }
      (field, length) = (.from, 5)
    case 0x70:
      guard w == 0x6D72_6F66_7461_6C70 && v & 0xFF == 0x22 else { return nil }
      (field, length) = (.platform, 9)
    case 0x73:
      guard w & 0xFF_FFFF_FFFF == 0x22_706F_6873 else { return nil }
      (field, length) = (.shop, 5)
    case 0x74:
      guard w & 0xFF_FFFF_FFFF == 0x22_7478_6574 else { return nil }
      (field, length) = (.text, 5)
    default:
      return nil
    }
    i += 1 + length
    return field
  }

  package func attachmentKind(_ s: ScannedString) -> AttachmentKind {
    let b = buffer(s)
    for kind in AttachmentKind.allCases where b.elementsEqual(kind.name.utf8) { return kind }
    return .file
  }

  /// The value quoted for a message: at most 40 scalars, control characters shown as `?`.
  package func quoted(_ s: ScannedString) -> String {
    var out = ""
    var count = 0
    for scalar in String(decoding: buffer(s), as: UTF8.self).unicodeScalars {
      if count == 40 {
        out += "…"
        break
      }
      out.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? "?" : scalar)
      count += 1
    }
    return "`" + out + "`"
  }

  // MARK: The event object

  /// The instant of an `at` value, or nil with the error postponed. The common shape is read at
  /// fixed offsets; everything else goes through the general parser, which explains what is wrong.
  package mutating func time(_ s: ScannedString) -> Timestamp? {
    let b = buffer(s)
    if let base = b.baseAddress, let instant = RFC3339.parseCommon(base, count: b.count, cache: &dayCache) {
      return instant
    }
    do throws(TimestampError) {
      return try RFC3339.parse(b).instant
    } catch {
      let reason: EventLineReason = error.kind == .leapSecond ? .leapSecond : .badTime
      postpone(EventLineError(reason, "bad `at` \(quoted(s)): \(error.message)"))
      return nil
    }
  }

  package mutating func attachments() throws(EventLineError) -> [Attachment] {
    guard peek() == openBracket else {
      if peek() == 0x6E {
        try skipLiteral("null")
        return []
      }
      postpone(EventLineError(.wrongType, "field `attachments` must be an array, found \(found())"))
      try skipValue()
      return []
    }
    i += 1
    var result: [Attachment] = []
    skipWhitespace()
    if peek() == closeBracket {
      i += 1
      return result
    }
    while true {
      skipWhitespace()
      if peek() == openBrace {
        result.append(try attachment(index: result.count))
      } else {
        postpone(EventLineError(.wrongType, "attachment \(result.count) must be an object, found \(found())"))
        try skipValue()
        result.append(Attachment(kind: .file))
      }
      skipWhitespace()
      if peek() == comma {
        i += 1
        continue
      }
      try expect(closeBracket, "expected `,` or `]` in an array")
      return result
    }
  }

  package mutating func attachment(index: Int) throws(EventLineError) -> Attachment {
    i += 1
    var kind: AttachmentKind?
    var url: [UInt8]?
    var qr = false
    var name: [UInt8]?
    var mime: [UInt8]?
    var seen = 0
    skipWhitespace()
    if peek() == closeBrace {
      i += 1
    } else {
      while true {
        skipWhitespace()
        guard peek() == quote else { throw syntax("expected a string key") }
        let k = try scanString(decode: true)
        let b = buffer(k)
        let bit: Int =
          b.elementsEqual("type".utf8)
          ? 1
          : b.elementsEqual("url".utf8)
            ? 2
            : b.elementsEqual("qr".utf8)
              ? 4 : b.elementsEqual("name".utf8) ? 8 : b.elementsEqual("mime".utf8) ? 16 : 0
        if bit != 0 && seen & bit != 0 {
          postpone(EventLineError(.duplicateKey, "duplicate key \(quoted(k)) in attachment \(index)"))
        }
        seen |= bit
        skipWhitespace()
        try expect(colon, "expected `:` after a key")
        skipWhitespace()
        switch bit {
        case 1:
          if let s = try stringValue("type", nullable: false) { kind = attachmentKind(s) }
        case 2: url = try bytesValue("url")
        case 4: qr = try boolValue("qr") ?? false
        case 8: name = try bytesValue("name")
        case 16: mime = try bytesValue("mime")
        default: try skipValue()
        }
        skipWhitespace()
        if peek() == comma {
          i += 1
          continue
        }
        try expect(closeBrace, "expected `,` or `}` in an object")
        break
      }
    }
    guard let kind else {
      if seen & 1 == 0 { postpone(EventLineError(.badAttachment, "attachment \(index) has no `type`")) }
      return Attachment(kind: .file, url: url, qr: qr, name: name, mime: mime)
    }
    return Attachment(kind: kind, url: url, qr: qr, name: name, mime: mime)
  }

  package mutating func parseEvent() throws(EventLineError) -> Event {
    skipWhitespace()
    guard peek() == openBrace else {
      throw i >= n ? syntax("expected an object") : syntax("expected an object, found \(found())")
    }
    i += 1
    var seen: UInt16 = 0
    var conversation: ByteString?
    var shop: ByteString?
    var buyer: ByteString?
    var agent: ByteString?
    var platform: ByteString?
    var id: ByteString?
    var at: Timestamp?
    var from: SenderRole?
    var fromPresent = false
    var eventName: ByteString?
    var text: [UInt8] = []
    var auto = false
    var attachments: [Attachment] = []

    skipWhitespace()
    if peek() == closeBrace {
      i += 1
    } else {
      while true {
        skipWhitespace()
        guard peek() == quote else { throw syntax("expected a string key") }
        let k: ScannedString
        let field: Field?
        let keyStart = i + 1
        if let plain = plainKnownKey() {
          k = ScannedString(start: keyStart, end: i - 1, decoded: false)
          field = plain
        } else {
          k = try scanString(decode: true)
          field = key(k)
        }
        if let field {
          if seen & field.rawValue != 0 {
            postpone(EventLineError(.duplicateKey, "duplicate key \(quoted(k))"))
          }
          seen |= field.rawValue
        } else {
          let name = ByteString(buffer(k))
          if !unknownKeysCleared {
            buffers.unknownKeys.removeAll(keepingCapacity: true)
            unknownKeysCleared = true
          }
          if !buffers.unknownKeys.insert(name).inserted {
            postpone(EventLineError(.duplicateKey, "duplicate key \(quoted(k))"))
          }
        }
        skipWhitespace()
        try expect(colon, "expected `:` after a key")
        skipWhitespace()
        switch field {
        case .conversation: conversation = try idValue("conversation", nullable: false)
        case .shop: shop = try idValue("shop")
        case .buyer: buyer = try idValue("buyer")
        case .agent: agent = try idValue("agent")
        case .platform: platform = try idValue("platform")
        case .id: id = try idValue("id")
        case .event: eventName = try idValue("event")
        case .text: text = try bytesValue("text") ?? []
        case .auto: auto = try boolValue("auto") ?? false
        case .attachments: attachments = try self.attachments()
        case .at:
          if let s = try stringValue("at", nullable: false) { at = time(s) }
        case .from:
          if let s = try roleText() {
            fromPresent = true
            from = role(s)
            if from == nil {
              postpone(
                EventLineError(
                  .badFrom, "unknown `from` \(quoted(s)) (expected buyer, seller, platform or system)"))
            }
          }
        case nil:
          try skipValue()
        }
        skipWhitespace()
        if peek() == comma {
          i += 1
          continue
        }
        try expect(closeBrace, "expected `,` or `}` after a field")
        break
      }
    }
    skipWhitespace()
    guard i == n else { throw syntax("unexpected text after the object") }
    if let pending { throw pending }
    guard let conversation else {
      throw EventLineError(.missingConversation, "missing `conversation`")
    }
    guard let at else {
      throw EventLineError(.missingAt, "missing `at`")
    }
    if fromPresent && eventName != nil {
      throw EventLineError(.fromAndEvent, "line has both `from` and `event`: a line is a message or an event")
    }
    // One `return Event(...)` per kind, without an `EventKind` variable: measured a little cheaper.
    if let from {
      return Event(
        conversation: conversation, shop: shop, buyer: buyer, agent: agent, platform: platform, id: id,
        at: at,
        kind: .message(Message(role: from, auto: auto, text: text, attachments: attachments)))
    }
    guard let eventName else {
      throw EventLineError(
        .noFromOrEvent, "line has neither `from` (a message) nor `event` (a non-message event)")
    }
    return Event(
      conversation: conversation, shop: shop, buyer: buyer, agent: agent, platform: platform, id: id, at: at,
      kind: .event(name: eventName))
  }
}
