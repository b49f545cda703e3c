// The JSON primitives of one verdict line: whitespace, punctuation, strings (escapes, surrogate
// pairs, UTF-8 validated), numbers and literals, and skipping a value of any depth with an explicit
// stack. `VerdictLineDecoder` reads io.md's fields with them; nothing here knows the fields.

/// Why a verdict line was not read: one line of English for `FILE:LINE: error: WHY`.
public struct VerdictLineError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What is wrong, without a trailing period, e.g. "missing `rule`".
  public var message: String

  /// An error with its explanation.
  public init(_ message: String) {
    self.message = message
  }

  /// The message.
  public var description: String { message }
}

/// A JSON number as written: its text, checked against JSON's grammar.
struct JSONNumberText {
  var text: String
  /// Whether it has neither a fraction nor an exponent.
  var isInteger: Bool
}

/// A cursor over one line's bytes that reads JSON values without recursion.
struct VerdictLineScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0
  /// The open containers while skipping a value (true = object).
  private var stack: [Bool] = []

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  var atEnd: Bool { position >= bytes.count }

  func peek() -> UInt8 { position < bytes.count ? bytes[position] : 0 }

  mutating func skipWhitespace() {
    while position < bytes.count {
      let b = bytes[position]
      guard b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A else { return }
      position += 1
    }
  }

  /// A syntax error at the current byte (counted from 1), or at the end of the line.
  func syntax(_ what: String) -> VerdictLineError {
    if atEnd { return VerdictLineError("invalid JSON: unexpected end of line, \(what)") }
    return VerdictLineError("invalid JSON at byte \(position + 1): \(what)")
  }

  /// What the next value is, for "must be a string, found a number" messages.
  func foundKind() -> String {
    switch peek() {
    case 0x22: return "a string"
    case 0x7B: return "an object"
    case 0x5B: return "an array"
    case 0x74, 0x66: return "a boolean"
    case 0x6E: return "null"
    default: return "a number"
    }
  }

  /// Consumes `byte` after optional whitespace, or fails with `what`.
  mutating func expect(_ byte: UInt8, _ what: String) throws(VerdictLineError) {
    skipWhitespace()
    guard peek() == byte, !atEnd else { throw syntax(what) }
    position += 1
  }

  /// Consumes `byte` after optional whitespace when it is next.
  mutating func consume(_ byte: UInt8) -> Bool {
    skipWhitespace()
    guard !atEnd, bytes[position] == byte else { return false }
    position += 1
    return true
  }

  /// Consumes `null` when it is next.
  mutating func consumeNull() throws(VerdictLineError) -> Bool {
    skipWhitespace()
    guard peek() == 0x6E else { return false }
    try literal("null")
    return true
  }

  mutating func literal(_ word: StaticString) throws(VerdictLineError) {
    let count = word.utf8CodeUnitCount
    let start = word.utf8Start
    for k in 0..<count {
      guard position + k < bytes.count, bytes[position + k] == start[k] else {
        throw syntax("expected `\(word)`")
      }
    }
    position += count
  }

  // MARK: Strings

  /// A string value: escapes decoded, surrogate pairs joined, the result valid UTF-8.
  mutating func string() throws(VerdictLineError) -> String {
    skipWhitespace()
    guard peek() == 0x22, !atEnd else { throw syntax("expected a string") }
    let open = position
    position += 1
    // Most strings have no escape: they are made straight from the line's bytes.
    var ascii = true
    var escaped = false
    var decoded: [UInt8] = []
    var runStart = position
    while true {
      guard position < bytes.count else {
        throw VerdictLineError("invalid JSON: unexpected end of line in the string at byte \(open + 1)")
      }
      let b = bytes[position]
      if b == 0x22 { break }
      if b < 0x20 {
        throw VerdictLineError("invalid JSON at byte \(position + 1): a control character inside a string")
      }
      if b == 0x5C {
        escaped = true
        decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
        try escape(into: &decoded)
        runStart = position
        continue
      }
      if b >= 0x80 { ascii = false }
      position += 1
    }
    let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
    position += 1
    if escaped {
      decoded.append(contentsOf: run)
      guard let text = String(validating: decoded, as: UTF8.self) else {
        throw VerdictLineError("invalid UTF-8 in the string at byte \(open + 1)")
      }
      return text
    }
    if ascii { return String(decoding: run, as: UTF8.self) }
    guard let text = String(validating: run, as: UTF8.self) else {
      throw VerdictLineError("invalid UTF-8 in the string at byte \(open + 1)")
    }
    return text
  }

  /// Decodes one escape at `position` (the backslash) and moves past it.
  private mutating func escape(into out: inout [UInt8]) throws(VerdictLineError) {
    let at = position
    position += 1
    guard position < bytes.count else { throw syntax("an escape at the end of the line") }
    let c = bytes[position]
    position += 1
    switch c {
    case 0x22, 0x5C, 0x2F: out.append(c)
    case 0x62: out.append(0x08)
    case 0x66: out.append(0x0C)
    case 0x6E: out.append(0x0A)
    case 0x72: out.append(0x0D)
    case 0x74: out.append(0x09)
    case 0x75:
      var value = try hex4(escapeAt: at)
      if value >= 0xD800 && value < 0xDC00 {
        guard position + 1 < bytes.count, bytes[position] == 0x5C, bytes[position + 1] == 0x75 else {
          throw VerdictLineError(
            "`\\u` escape at byte \(at + 1) leaves a lone surrogate U+\(hex(value))")
        }
        let lowAt = position
        position += 2
        let low = try hex4(escapeAt: lowAt)
        guard low >= 0xDC00 && low < 0xE000 else {
          throw VerdictLineError(
            "`\\u` escape at byte \(at + 1) leaves a lone surrogate U+\(hex(value))")
        }
        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
      } else if value >= 0xDC00 && value < 0xE000 {
        throw VerdictLineError("`\\u` escape at byte \(at + 1) leaves a lone surrogate U+\(hex(value))")
      }
      guard let scalar = Unicode.Scalar(value) else {
        throw VerdictLineError("invalid JSON at byte \(at + 1): not a Unicode scalar")
      }
      out.append(contentsOf: String(Character(scalar)).utf8)
    default:
      throw VerdictLineError("invalid JSON at byte \(at + 1): unknown escape")
    }
  }

  private mutating func hex4(escapeAt at: Int) throws(VerdictLineError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard position < bytes.count, let digit = hexDigit(bytes[position]) else {
        throw VerdictLineError("invalid JSON at byte \(at + 1): `\\u` needs four hex digits")
      }
      value = value << 4 | digit
      position += 1
    }
    return value
  }

  private func hexDigit(_ b: UInt8) -> UInt32? {
    switch b {
    case 0x30...0x39: return UInt32(b - 0x30)
    case 0x41...0x46: return UInt32(b - 0x41 + 10)
    case 0x61...0x66: return UInt32(b - 0x61 + 10)
    default: return nil
    }
  }

  private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  // MARK: Numbers and literals

  /// A number in JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  mutating func number() throws(VerdictLineError) -> JSONNumberText {
    skipWhitespace()
    let start = position
    var isInteger = true
    if peek() == 0x2D { position += 1 }
    if peek() == 0x30 {
      position += 1
    } else if isDigit(peek()) {
      while isDigit(peek()) { position += 1 }
    } else {
      throw syntax("expected a value")
    }
    if peek() == 0x2E {
      isInteger = false
      position += 1
      guard isDigit(peek()) else { throw syntax("expected a digit after `.`") }
      while isDigit(peek()) { position += 1 }
    }
    if peek() == 0x65 || peek() == 0x45 {
      isInteger = false
      position += 1
      if peek() == 0x2B || peek() == 0x2D { position += 1 }
      guard isDigit(peek()) else { throw syntax("expected a digit in the exponent") }
      while isDigit(peek()) { position += 1 }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    return JSONNumberText(text: text, isInteger: isInteger)
  }

  private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

  /// `true` or `false`.
  mutating func boolean() throws(VerdictLineError) -> Bool {
    skipWhitespace()
    if peek() == 0x74 {
      try literal("true")
      return true
    }
    try literal("false")
    return false
  }

  // MARK: Skipping

  /// Skips one value of any depth, checking its syntax, with an explicit stack of open containers.
  mutating func skipValue() throws(VerdictLineError) {
    stack.removeAll(keepingCapacity: true)
    while true {
      skipWhitespace()
      switch peek() {
      case 0x7B:
        position += 1
        if consume(0x7D) { break }
        stack.append(true)
        try keyAndColon()
        continue
      case 0x5B:
        position += 1
        if consume(0x5D) { break }
        stack.append(false)
        continue
      case 0x22: _ = try string()
      case 0x74, 0x66: _ = try boolean()
      case 0x6E: try literal("null")
      default: _ = try number()
      }
      // After a value: close containers, or move on to the next element.
      while let isObject = stack.last {
        if consume(0x2C) {
          if isObject { try keyAndColon() }
          break
        }
        if consume(isObject ? 0x7D : 0x5D) {
          stack.removeLast()
          continue
        }
        throw syntax(isObject ? "expected `,` or `}` in an object" : "expected `,` or `]` in an array")
      }
      if stack.isEmpty { return }
    }
  }

  /// A key and its colon; the key is returned.
  @discardableResult
  mutating func keyAndColon() throws(VerdictLineError) -> String {
    skipWhitespace()
    guard peek() == 0x22, !atEnd else { throw syntax("expected a string key") }
    let key = try string()
    try expect(0x3A, "expected `:` after a key")
    return key
  }
}
