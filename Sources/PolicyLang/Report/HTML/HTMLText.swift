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
    // Runs of characters that need nothing are copied at once.
    var pending = text.unicodeScalars.startIndex
    let scalars = text.unicodeScalars
    var index = scalars.startIndex
    while index < scalars.endIndex {
      let scalar = scalars[index]
      let replacement: String?
      switch scalar.value {
      case 0x26: replacement = "&amp;"
      case 0x3C: replacement = "&lt;"
      case 0x3E: replacement = "&gt;"
      case 0x22: replacement = "&quot;"
      case 0x27: replacement = "&#39;"
      case 0x09, 0x0A, 0x0D: replacement = nil
      case 0..<0x20, 0x7F, 0x80..<0xA0: replacement = "\u{FFFD}"
      default: replacement = nil
      }
      if let replacement {
        out.unicodeScalars.append(contentsOf: scalars[pending..<index])
        out += replacement
        pending = scalars.index(after: index)
      }
      index = scalars.index(after: index)
    }
    out.unicodeScalars.append(contentsOf: scalars[pending..<scalars.endIndex])
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
