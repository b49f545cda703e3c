@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

// The event decoder as it was before the performance work (the same logic), kept as the oracle of
// the differential tests: the fast decoder must return the same event or the same error (reason
// and message) for every line. File-private names do not clash with the decoder's.

/// The reference decoder: one JSONL line into an `Event` with a hand-written byte-level scanner.
///
/// The scanner validates the whole line as JSON (strict UTF-8, escapes, numbers, literals), extracts
/// io.md's fields and skips every other value of any depth with an explicit stack, never recursion.
/// Strings without escapes are copied once from the line into the `Event`; strings with escapes are
/// decoded into a reused scratch buffer first. Duplicate keys are rejected at the top level (known
/// and unknown keys) and among an attachment's known keys (`type`, `url`, `qr`, `name`, `mime`); keys of unknown
/// nested objects are not checked. `null` for an optional field means the field is absent.
///
/// One decoder is used by one thread at a time (it owns reusable buffers).
final class ReferenceEventDecoder {
  private var scratch: UnsafeMutablePointer<UInt8>
  private var scratchCapacity: Int
  private var stack: [UInt8] = []
  private var unknownKeys: Set<ByteString> = []

  /// A decoder with empty buffers.
  init() {
    scratchCapacity = 256
    scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
  }

  deinit { scratch.deallocate() }

  /// Decodes one line (without its line terminator).
  func decode(_ line: UnsafeBufferPointer<UInt8>) throws(EventLineError) -> Event {
    guard let base = line.baseAddress else {
      throw EventLineError(.invalidJSON, "invalid JSON: the line is empty")
    }
    var scanner = LineScanner(
      p: base, n: line.count, scratch: scratch, scratchCapacity: scratchCapacity, stack: stack,
      unknownKeys: unknownKeys)
    stack = []
    unknownKeys = []
    defer {
      scratch = scanner.scratch
      scratchCapacity = scanner.scratchCapacity
      stack = scanner.stack
      unknownKeys = scanner.unknownKeys
    }
    return try scanner.parseEvent()
  }

  /// Decodes one line given as bytes.
  func decode(_ line: [UInt8]) throws(EventLineError) -> Event {
    let result: Result<Event, EventLineError> = line.withUnsafeBufferPointer { buffer in
      do throws(EventLineError) { return .success(try decode(buffer)) } catch { return .failure(error) }
    }
    return try result.get()
  }

  /// Decodes one line given as a string.
  func decode(_ line: String) throws(EventLineError) -> Event {
    try decode(Array(line.utf8))
  }
}

/// A string found in the line: its bytes are `p[start..<end]`, or the scratch buffer when decoded.
private struct ScannedString {
  var start: Int
  var end: Int
  var decoded: Bool
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
  let p: UnsafePointer<UInt8>
  let n: Int
  var i = 0
  var scratch: UnsafeMutablePointer<UInt8>
  var scratchCapacity: Int
  var scratchCount = 0
  var stack: [UInt8]
  var unknownKeys: Set<ByteString>
  /// The first non-syntax problem; reported only when the line is well-formed JSON.
  var pending: EventLineError?

  init(
    p: UnsafePointer<UInt8>, n: Int, scratch: UnsafeMutablePointer<UInt8>, scratchCapacity: Int,
    stack: [UInt8], unknownKeys: Set<ByteString>
  ) {
    self.p = p
    self.n = n
    self.scratch = scratch
    self.scratchCapacity = scratchCapacity
    self.stack = stack
    self.unknownKeys = unknownKeys
  }

  // MARK: Primitives

  @inline(__always)
  func peek() -> UInt8 { i < n ? p[i] : 0 }

  @inline(__always)
  mutating func skipWhitespace() {
    while i < n {
      let b = p[i]
      guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
      i += 1
    }
  }

  func syntax(_ what: String, at position: Int? = nil) -> EventLineError {
    let at = position ?? i
    if at >= n { return EventLineError(.invalidJSON, "invalid JSON: unexpected end of line, \(what)") }
    return EventLineError(.invalidJSON, "invalid JSON at byte \(at + 1): \(what)")
  }

  func found() -> String {
    switch peek() {
    case quote: return "a string"
    case openBrace: return "an object"
    case openBracket: return "an array"
    case 0x74, 0x66: return "a boolean"
    case 0x6E: return "null"
    default: return "a number"
    }
  }

  mutating func expect(_ b: UInt8, _ what: String) throws(EventLineError) {
    guard peek() == b else { throw syntax(what) }
    i += 1
  }

  mutating func postpone(_ error: EventLineError) {
    if pending == nil { pending = error }
  }

  mutating func appendScratch(_ b: UInt8) {
    if scratchCount == scratchCapacity { growScratch(scratchCount + 1) }
    scratch[scratchCount] = b
    scratchCount += 1
  }

  mutating func appendScratch(from start: Int, count: Int) {
    if scratchCount + count > scratchCapacity { growScratch(scratchCount + count) }
    (scratch + scratchCount).update(from: p + start, count: count)
    scratchCount += count
  }

  mutating func growScratch(_ needed: Int) {
    let capacity = max(needed, scratchCapacity * 2)
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    bigger.update(from: scratch, count: scratchCount)
    scratch.deallocate()
    scratch = bigger
    scratchCapacity = capacity
  }

  func buffer(_ s: ScannedString) -> UnsafeBufferPointer<UInt8> {
    s.decoded
      ? UnsafeBufferPointer(start: scratch, count: scratchCount)
      : UnsafeBufferPointer(start: p + s.start, count: s.end - s.start)
  }

  // MARK: Strings

  /// Validates one UTF-8 sequence starting with a byte >= 0x80 at `i`; returns its length.
  @inline(__always)
  func utf8SequenceLength() throws(EventLineError) -> Int {
    let b0 = p[i]
    func cont(_ k: Int) -> Bool { i + k < n && p[i + k] & 0xC0 == 0x80 }
    func inRange(_ k: Int, _ lo: UInt8, _ hi: UInt8) -> Bool { i + k < n && p[i + k] >= lo && p[i + k] <= hi }
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
    guard ok else { throw EventLineError(.invalidUTF8, "invalid UTF-8 at byte \(i + 1)") }
    return length
  }

  /// Scans a string whose opening quote is at `i`; validates it and, when `decode` is set and it
  /// has escapes, decodes it into the scratch buffer. Leaves `i` after the closing quote.
  mutating func scanString(decode: Bool) throws(EventLineError) -> ScannedString {
    i += 1
    let start = i
    var escaped = false
    scratchCount = 0
    // Start of the bytes not yet copied to scratch (decoding mode only).
    var pendingFrom = start
    while true {
      // Fast path: eight plain ASCII bytes at a time.
      while i + 8 <= n {
        let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
        let high = w & 0x8080_8080_8080_8080
        let control = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
        let q = w ^ 0x2222_2222_2222_2222
        let hasQuote = (q &- 0x0101_0101_0101_0101) & ~q & 0x8080_8080_8080_8080
        let s = w ^ 0x5C5C_5C5C_5C5C_5C5C
        let hasSlash = (s &- 0x0101_0101_0101_0101) & ~s & 0x8080_8080_8080_8080
        if high | control | hasQuote | hasSlash != 0 { break }
        i += 8
      }
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
      } else if b < 0x20 {
        throw syntax("control character 0x\(String(b, radix: 16)) in a string (write it as an escape)")
      } else if b >= 0x80 {
        i += try utf8SequenceLength()
      } else {
        i += 1
      }
    }
  }

  func hexValue(_ at: Int) -> Int? {
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
  mutating func scanEscape(decode: Bool) throws(EventLineError) {
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

  func hex4(_ v: Int) -> String {
    let digits = String(v, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  mutating func appendScalar(_ v: UInt32) {
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

  mutating func skipNumber() throws(EventLineError) {
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

  mutating func skipLiteral(_ word: StaticString) throws(EventLineError) {
    let count = word.utf8CodeUnitCount
    let w = word.utf8Start
    guard i + count <= n else { throw syntax("expected a value") }
    for k in 0..<count where p[i + k] != w[k] { throw syntax("expected a value") }
    i += count
  }

  /// Skips one scalar value (string, number, literal) or fails when none starts at `i`.
  mutating func skipScalar() throws(EventLineError) {
    switch peek() {
    case quote: _ = try scanString(decode: false)
    case 0x74: try skipLiteral("true")
    case 0x66: try skipLiteral("false")
    case 0x6E: try skipLiteral("null")
    default: try skipNumber()
    }
  }

  /// Skips one value of any depth with an explicit stack (1 = object, 0 = array).
  mutating func skipValue() throws(EventLineError) {
    stack.removeAll(keepingCapacity: true)
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
          stack.append(1)
          try skipKeyAndColon()
          continue
        }
      } else if c == openBracket {
        i += 1
        skipWhitespace()
        if peek() == closeBracket {
          i += 1
        } else {
          stack.append(0)
          continue
        }
      } else {
        try skipScalar()
      }
      // After a value: close containers or move to the next element.
      while let top = stack.last {
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
          stack.removeLast()
        } else {
          throw syntax(top == 1 ? "expected `,` or `}` in an object" : "expected `,` or `]` in an array")
        }
      }
      if stack.isEmpty { return }
    }
  }

  mutating func skipKeyAndColon() throws(EventLineError) {
    guard peek() == quote else { throw syntax("expected a string key") }
    _ = try scanString(decode: false)
    skipWhitespace()
    try expect(colon, "expected `:` after a key")
  }

  // MARK: Typed values of known fields

  /// A string value, or nil for `null`; any other type is recorded as a wrong type and skipped.
  mutating func stringValue(
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
  mutating func boolValue(_ field: StaticString) throws(EventLineError) -> Bool? {
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

  mutating func idValue(_ field: StaticString, nullable: Bool = true) throws(EventLineError) -> ByteString? {
    guard let s = try stringValue(field, nullable: nullable) else { return nil }
    return ByteString(buffer(s))
  }

  mutating func bytesValue(_ field: StaticString) throws(EventLineError) -> [UInt8]? {
    guard let s = try stringValue(field) else { return nil }
    return Array(buffer(s))
  }

  func key(_ s: ScannedString) -> Field? {
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

  func role(_ s: ScannedString) -> SenderRole? {
    let b = buffer(s)
    for role in SenderRole.allCases where b.elementsEqual(role.rawValue.utf8) { return role }
    return nil
  }

  func attachmentKind(_ s: ScannedString) -> AttachmentKind {
    let b = buffer(s)
    for kind in AttachmentKind.allCases where b.elementsEqual(kind.name.utf8) { return kind }
    return .file
  }

  /// The value quoted for a message: at most 40 scalars, control characters shown as `?`.
  func quoted(_ s: ScannedString) -> String {
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

  mutating func attachments() throws(EventLineError) -> [Attachment] {
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

  mutating func attachment(index: Int) throws(EventLineError) -> Attachment {
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
              ? 4
              : b.elementsEqual("name".utf8) ? 8 : b.elementsEqual("mime".utf8) ? 16 : 0
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

  mutating func parseEvent() throws(EventLineError) -> Event {
    skipWhitespace()
    guard peek() == openBrace else {
      throw i >= n ? syntax("expected an object") : syntax("expected an object, found \(found())")
    }
    i += 1
    unknownKeys.removeAll(keepingCapacity: true)
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
        let k = try scanString(decode: true)
        let field = key(k)
        if let field {
          if seen & field.rawValue != 0 {
            postpone(EventLineError(.duplicateKey, "duplicate key \(quoted(k))"))
          }
          seen |= field.rawValue
        } else {
          let name = ByteString(buffer(k))
          if !unknownKeys.insert(name).inserted {
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
          if let s = try stringValue("at", nullable: false) {
            do throws(TimestampError) {
              at = try RFC3339.parse(buffer(s)).instant
            } catch {
              let reason: EventLineReason = error.kind == .leapSecond ? .leapSecond : .badTime
              postpone(EventLineError(reason, "bad `at` \(quoted(s)): \(error.message)"))
            }
          }
        case .from:
          if let s = try stringValue("from") {
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
    let kind: EventKind
    if let from {
      kind = .message(Message(role: from, auto: auto, text: text, attachments: attachments))
    } else if let eventName {
      kind = .event(name: eventName)
    } else {
      throw EventLineError(
        .noFromOrEvent, "line has neither `from` (a message) nor `event` (a non-message event)")
    }
    return Event(
      conversation: conversation, shop: shop, buyer: buyer, agent: agent, platform: platform, id: id, at: at,
      kind: kind)
  }
}
