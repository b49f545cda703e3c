// A strict JSON reader (RFC 8259) for messages from the editor, which the server does not
// trust: it reads bytes, never recurses (containers are kept on an explicit stack with a depth
// limit), rejects invalid UTF-8, lone surrogates, control characters in strings, duplicate keys
// and trailing bytes, and reports the byte offset of the first problem.

/// Why a message is not valid JSON, and where.
public struct JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong.
  public var reason: String
  /// The byte offset of the problem in the message.
  public var offset: Int

  /// `REASON at byte OFFSET`.
  public var description: String { "\(reason) at byte \(offset)" }
}

/// Parses JSON text into a `JSONValue`.
public struct JSONReader {
  /// Containers nested deeper than this are refused: LSP messages nest a handful of levels.
  public static let maximumDepth = 128

  private let bytes: [UInt8]
  private var index = 0

  private init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// The value the bytes hold, or why they hold none.
  public static func parse(_ bytes: [UInt8]) throws(JSONReadError) -> JSONValue {
    var reader = JSONReader(bytes)
    return try reader.document()
  }

  /// What an open container is; its elements are kept in `Containers`.
  private enum Frame {
    case array
    /// An object waiting for the value of `key` (written at `keyOffset`).
    case object(key: String, keyOffset: Int)
  }

  /// The open containers, innermost last. Elements live in their own stacks so that appending
  /// to the innermost container never copies it.
  private struct Containers {
    var frames: [Frame] = []
    var arrays: [[JSONValue]] = []
    var objects: [[String: JSONValue]] = []
  }

  private mutating func document() throws(JSONReadError) -> JSONValue {
    var open = Containers()
    skipWhitespace()
    while true {
      // Read one value: a scalar, an empty container, or the start of a container whose first
      // element is read on the next turn of the loop.
      var value: JSONValue
      guard let byte = peek() else { throw fail("unexpected end of input, expected a value") }
      switch byte {
      case UInt8(ascii: "["):
        try checkDepth(open)
        index += 1
        skipWhitespace()
        if take(UInt8(ascii: "]")) {
          value = .array([])
        } else {
          open.frames.append(.array)
          open.arrays.append([])
          continue
        }
      case UInt8(ascii: "{"):
        try checkDepth(open)
        index += 1
        skipWhitespace()
        if take(UInt8(ascii: "}")) {
          value = .object([:])
        } else {
          let (key, offset) = try memberKey()
          open.frames.append(.object(key: key, keyOffset: offset))
          open.objects.append([:])
          continue
        }
      default:
        value = try scalar()
      }
      // Hand the value to the containers it completes, innermost first; stop at the first
      // container that goes on with another element.
      completing: while true {
        skipWhitespace()
        guard let frame = open.frames.popLast() else {
          guard index == bytes.count else { throw fail("unexpected bytes after the value") }
          return value
        }
        switch frame {
        case .array:
          let top = open.arrays.count - 1
          open.arrays[top].append(value)
          if take(UInt8(ascii: ",")) {
            skipWhitespace()
            open.frames.append(.array)
            break completing
          }
          guard take(UInt8(ascii: "]")) else { throw fail("expected `,` or `]` in an array") }
          value = .array(open.arrays.removeLast())
        case .object(let key, let keyOffset):
          let top = open.objects.count - 1
          guard open.objects[top].updateValue(value, forKey: key) == nil else {
            throw JSONReadError(reason: "duplicate key `\(key)`", offset: keyOffset)
          }
          if take(UInt8(ascii: ",")) {
            skipWhitespace()
            let (next, offset) = try memberKey()
            open.frames.append(.object(key: next, keyOffset: offset))
            break completing
          }
          guard take(UInt8(ascii: "}")) else { throw fail("expected `,` or `}` in an object") }
          value = .object(open.objects.removeLast())
        }
      }
    }
  }

  /// Refuses a container that would be nested deeper than `maximumDepth`.
  private func checkDepth(_ open: Containers) throws(JSONReadError) {
    guard open.frames.count < Self.maximumDepth else {
      throw fail("arrays and objects nested more than \(Self.maximumDepth) deep")
    }
  }

  /// `"key" :` with the white space after it; returns the key and its offset.
  private mutating func memberKey() throws(JSONReadError) -> (String, Int) {
    let offset = index
    guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key in an object") }
    let key = try string()
    skipWhitespace()
    guard take(UInt8(ascii: ":")) else { throw fail("expected `:` after an object key") }
    skipWhitespace()
    return (key, offset)
  }

  private mutating func scalar() throws(JSONReadError) -> JSONValue {
    guard let byte = peek() else { throw fail("unexpected end of input, expected a value") }
    switch byte {
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try word("true", .bool(true))
    case UInt8(ascii: "f"): return try word("false", .bool(false))
    case UInt8(ascii: "n"): return try word("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw fail("unexpected character, expected a value")
    }
  }

  private mutating func word(_ spelling: StaticString, _ value: JSONValue) throws(JSONReadError) -> JSONValue
  {
    let expected = spelling.withUTF8Buffer { Array($0) }
    guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected
    else { throw fail("unexpected word, expected `\(spelling)`") }
    index += expected.count
    return value
  }

  private mutating func number() throws(JSONReadError) -> JSONValue {
    let start = index
    var isInteger = true
    _ = take(UInt8(ascii: "-"))
    if take(UInt8(ascii: "0")) {
      if let next = peek(), isDigit(next) { throw fail("a number may not start with `0` followed by digits") }
    } else {
      guard digits() > 0 else { throw fail("expected digits in a number") }
    }
    if take(UInt8(ascii: ".")) {
      isInteger = false
      guard digits() > 0 else { throw fail("expected digits after `.` in a number") }
    }
    if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
      isInteger = false
      if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
      guard digits() > 0 else { throw fail("expected digits in a number's exponent") }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    if isInteger, let integer = Int64(text) { return .integer(integer) }
    guard let double = Double(text), double.isFinite else {
      throw JSONReadError(reason: "number out of range", offset: start)
    }
    return .double(double)
  }

  private mutating func digits() -> Int {
    let start = index
    while let byte = peek(), isDigit(byte) { index += 1 }
    return index - start
  }

  private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  /// A string starting at the opening quote; escapes resolved, UTF-8 validated.
  private mutating func string() throws(JSONReadError) -> String {
    let start = index
    index += 1
    var text: [UInt8] = []
    var runStart = index
    while true {
      guard let byte = peek() else {
        throw JSONReadError(reason: "unterminated string", offset: start)
      }
      if byte == UInt8(ascii: "\"") {
        text.append(contentsOf: bytes[runStart..<index])
        index += 1
        break
      }
      if byte < 0x20 { throw fail("control character in a string (write it as an escape)") }
      if byte != UInt8(ascii: "\\") {
        index += 1
        continue
      }
      text.append(contentsOf: bytes[runStart..<index])
      try escape(into: &text)
      runStart = index
    }
    guard let decoded = String(validating: text, as: UTF8.self) else {
      throw JSONReadError(reason: "invalid UTF-8 in a string", offset: start)
    }
    return decoded
  }

  /// One escape after a backslash, appended to `text` as UTF-8.
  private mutating func escape(into text: inout [UInt8]) throws(JSONReadError) {
    let at = index
    index += 1
    guard let letter = peek() else { throw fail("unterminated escape in a string") }
    index += 1
    switch letter {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(letter)
    case UInt8(ascii: "b"): text.append(0x08)
    case UInt8(ascii: "f"): text.append(0x0C)
    case UInt8(ascii: "n"): text.append(0x0A)
    case UInt8(ascii: "r"): text.append(0x0D)
    case UInt8(ascii: "t"): text.append(0x09)
    case UInt8(ascii: "u"):
      var value = try hex4()
      if (0xD800...0xDBFF).contains(value) {
        // A high surrogate must be followed by `\u` and a low one.
        guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")) else {
          throw JSONReadError(reason: "lone surrogate in a `\\u` escape", offset: at)
        }
        let low = try hex4()
        guard (0xDC00...0xDFFF).contains(low) else {
          throw JSONReadError(reason: "lone surrogate in a `\\u` escape", offset: at)
        }
        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(value) {
        throw JSONReadError(reason: "lone surrogate in a `\\u` escape", offset: at)
      }
      guard let scalar = Unicode.Scalar(value) else {
        throw JSONReadError(reason: "invalid `\\u` escape", offset: at)
      }
      text.append(contentsOf: Array(String(Character(scalar)).utf8))
    default:
      throw JSONReadError(reason: "invalid escape in a string", offset: at)
    }
  }

  private mutating func hex4() throws(JSONReadError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let byte = peek() else { throw fail("unterminated `\\u` escape") }
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw fail("expected four hex digits after `\\u`")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

  private mutating func take(_ byte: UInt8) -> Bool {
    guard peek() == byte else { return false }
    index += 1
    return true
  }

  private mutating func skipWhitespace() {
    while let byte = peek(),
      byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
        || byte == UInt8(ascii: "\r")
    {
      index += 1
    }
  }

  private func fail(_ reason: String) -> JSONReadError {
    JSONReadError(reason: reason, offset: index)
  }
}
