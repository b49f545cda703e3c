// Writes `JSONValue`s as compact JSON: object keys sorted (deterministic output), strings as
// UTF-8 with only `"`, `\` and control characters escaped. Containers are written from an
// explicit work list, so no value can overflow the stack.

/// Encodes `JSONValue`s as UTF-8 JSON text.
public enum JSONWriter {
  /// The compact JSON text of `value`.
  public static func encode(_ value: JSONValue) -> [UInt8] {
    var out: [UInt8] = []
    // What is left to write, last first: values and the punctuation between them.
    enum Work {
      case value(JSONValue)
      case byte(UInt8)
      case key(String)
    }
    var work: [Work] = [.value(value)]
    while let item = work.popLast() {
      switch item {
      case .byte(let byte):
        out.append(byte)
      case .key(let key):
        appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
      case .value(let value):
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .integer(let n): out.append(contentsOf: Array(String(n).utf8))
        case .double(let d): out.append(contentsOf: Array(number(d).utf8))
        case .string(let s): appendString(s, to: &out)
        case .array(let items):
          out.append(UInt8(ascii: "["))
          work.append(.byte(UInt8(ascii: "]")))
          for (i, element) in items.enumerated().reversed() {
            work.append(.value(element))
            if i > 0 { work.append(.byte(UInt8(ascii: ","))) }
          }
        case .object(let members):
          out.append(UInt8(ascii: "{"))
          work.append(.byte(UInt8(ascii: "}")))
          let keys = members.keys.sorted()
          for (i, key) in keys.enumerated().reversed() {
            work.append(.value(members[key] ?? .null))
            work.append(.key(key))
            if i > 0 { work.append(.byte(UInt8(ascii: ","))) }
          }
        }
      }
    }
    return out
  }

  /// The JSON text of `value` as a `String`.
  public static func string(_ value: JSONValue) -> String {
    String(decoding: encode(value), as: UTF8.self)
  }

  /// A finite double as JSON; infinities and NaN (which JSON cannot hold) as `null`.
  private static func number(_ d: Double) -> String {
    guard d.isFinite else { return "null" }
    if let integer = Int64(exactly: d) { return String(integer) }
    return String(d)
  }

  private static func appendString(_ text: String, to out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    out.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0..<0x20:
        out.append(contentsOf: Array("\\u00".utf8))
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0xF)])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
