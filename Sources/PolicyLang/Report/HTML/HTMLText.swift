/// Text made safe for HTML and SVG: every piece of input goes through here before it reaches the
/// page, so no verdict, id or message can add markup, close an element or start a script.
public enum HTMLText {
  /// `text` with `&`, `<`, `>`, `"` and `'` as character references (safe in content and in
  /// quoted attribute values alike). Control characters other than tab and line ends, which HTML
  /// does not allow, become U+FFFD.
  public static func escape(_ text: some StringProtocol) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    append(text, to: &out)
    return out
  }

  /// Appends `text` escaped (see `escape`).
  public static func append(_ text: some StringProtocol, to out: inout String) {
    // Most texts need nothing: one pass over the UTF-8 finds out, and they are appended whole.
    let clean = text.utf8.allSatisfy { b in
      b >= 0x20
        ? b != 0x26 && b != 0x3C && b != 0x3E && b != 0x22 && b != 0x27 && b != 0x7F && b != 0xC2
        : b == 0x09 || b == 0x0A || b == 0x0D
    }
    if clean {
      out += text
      return
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count + 32)
    var afterC2 = false
    for b in text.utf8 {
      if afterC2 {
        // U+0080-U+009F (C1 controls) are C2 80-C2 9F.
        afterC2 = false
        if b < 0xA0 {
          bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
        } else {
          bytes.append(0xC2)
          bytes.append(b)
        }
        continue
      }
      switch b {
      case 0x26: bytes.append(contentsOf: "&amp;".utf8)
      case 0x3C: bytes.append(contentsOf: "&lt;".utf8)
      case 0x3E: bytes.append(contentsOf: "&gt;".utf8)
      case 0x22: bytes.append(contentsOf: "&quot;".utf8)
      case 0x27: bytes.append(contentsOf: "&#39;".utf8)
      case 0x09, 0x0A, 0x0D: bytes.append(b)
      case 0..<0x20, 0x7F: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
      case 0xC2: afterC2 = true
      default: bytes.append(b)
      }
    }
    out += String(decoding: bytes, as: UTF8.self)
  }

  /// The width of `text` in terminal-like cells: 2 for East Asian wide and full-width characters
  /// and emoji, 1 otherwise, a character (an emoji sequence, a flag) counted by its first scalar.
  /// Charts use it to lay out labels without measuring fonts.
  public static func cells(_ text: some StringProtocol) -> Int {
    text.reduce(0) { $0 + ($1.unicodeScalars.first.map(cellWidth) ?? 0) }
  }

  static func cellWidth(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x1100 { return 1 }
    if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
      || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
      || (0xFFE0...0xFFE6).contains(v) || (0x1F1E6...0x1F1FF).contains(v) || (0x1F300...0x1FAFF).contains(v)
      || (0x20000...0x3FFFD).contains(v)
    {
      return 2
    }
    return 1
  }

  /// `text` cut to at most `cells` cells, whole characters only, with `…` when something was cut.
  public static func truncate(_ text: String, cells limit: Int) -> String {
    guard cells(text) > limit else { return text }
    var out = ""
    var used = 0
    for character in text {
      let w = character.unicodeScalars.first.map(cellWidth) ?? 1
      if used + w > limit - 1 { break }
      out.append(character)
      used += w
    }
    return out + "…"
  }
}
