import PolicyLangCore

/// The canonical spelling of a string literal, the inverse of the lexer's string rule.
package enum StringLiteralSpelling {
  /// A string literal as PolicyLang writes it (the formatter and the tree and IR dumps): `"` and `\` escaped, `\n` and `\t` for line
  /// feed and tab, `\u{XXXX}` for every other character a reader could not see or tell apart
  /// (controls, format characters such as U+200B, line and paragraph separators, spaces other
  /// than U+0020); everything else as itself.
  package static func quoted(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default:
        if needsEscape(scalar) {
          out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0x20 || scalar.value == 0x7F { return true }
    if scalar.value < 0x80 { return false }
    switch scalar.properties.generalCategory {
    case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate,
      .privateUse, .unassigned:
      return true
    default:
      return false
    }
  }
}

/// Where each scalar of a string literal's value was written: the inverse of the lexer's
/// string rule over one literal, so a diagnostic about characters of the value (a pattern's
/// offending construct) marks exactly those characters in the source.
package enum StringLiteralSource {
  /// The byte ranges in `bytes` (the file) of each scalar of the value of the literal spanning
  /// `span` (quotes included). `nil` when the bytes are not a well-formed literal (the lexer has
  /// reported it).
  package static func scalarRanges(of span: SourceSpan, in bytes: [UInt8]) -> [Range<Int>]? {
    let start = Int(span.start)
    let end = Int(span.end)
    guard start < end, end <= bytes.count, bytes[start] == UInt8(ascii: "\""),
      bytes[end - 1] == UInt8(ascii: "\"")
    else { return nil }
    var out: [Range<Int>] = []
    var i = start + 1
    let close = end - 1
    while i < close {
      let b = bytes[i]
      if b == UInt8(ascii: "\\") {
        guard i + 1 < close else { return nil }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "t"):
          out.append(i..<(i + 2))
          i += 2
        case UInt8(ascii: "u"):
          var j = i + 2
          while j < close, bytes[j] != UInt8(ascii: "}") { j += 1 }
          guard j < close else { return nil }
          out.append(i..<(j + 1))
          i = j + 1
        default:
          return nil
        }
        continue
      }
      let length: Int
      switch b {
      case 0..<0x80: length = 1
      case 0xC0..<0xE0: length = 2
      case 0xE0..<0xF0: length = 3
      case 0xF0..<0xF8: length = 4
      default: return nil
      }
      guard i + length <= close else { return nil }
      out.append(i..<(i + length))
      i += length
    }
    return out
  }

  /// The span of the value's scalars `from..<to` (clamped; the closing quote when `from` is at the
  /// end), or the whole literal when its bytes cannot be mapped.
  package static func span(
    ofScalars from: Int, _ to: Int, in literal: SourceSpan, bytes: [UInt8]?
  ) -> SourceSpan {
    guard let bytes, let ranges = scalarRanges(of: literal, in: bytes) else { return literal }
    let file = literal.file
    guard from < ranges.count, from >= 0 else {
      let close = Int(literal.end) - 1
      return SourceSpan(file: file, start: close, end: close + 1)
    }
    let last = max(from, min(to, ranges.count) - 1)
    return SourceSpan(file: file, start: ranges[from].lowerBound, end: ranges[last].upperBound)
  }
}
