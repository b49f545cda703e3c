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
