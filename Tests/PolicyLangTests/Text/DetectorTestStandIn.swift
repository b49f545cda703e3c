@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// TEST STAND-IN for the real normalizer: a near-identity normalization, so the automaton and
/// pattern tests control exactly which scalars the matcher sees (the detector tables use the real
/// `Normalizer`). Full-width ASCII to ASCII, the ideographic space to a space, ASCII
/// upper case to lower case, Chinese numerals to digits, and zero-width characters removed (counted
/// in `gapBefore`). Everything else is kept as written.
enum StandInNormalizer {
  static func normalize(_ text: String) -> NormalizedText {
    var out = NormalizedText()
    var gap = 0
    let values = text.unicodeScalars.map(\.value)
    // A Chinese numeral counts as a digit only next to another numeral or digit (a digit run).
    func numeralOrDigit(_ i: Int) -> Bool {
      guard i >= 0, i < values.count else { return false }
      let v = values[i]
      return chineseDigits[v] != nil || (v >= 0x30 && v <= 0x39) || (v >= 0xFF10 && v <= 0xFF19)
    }
    for (i, scalar) in text.unicodeScalars.enumerated() {
      let v = scalar.value
      out.original.append(v)
      if [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF].contains(v) {
        gap += 1
        continue
      }
      var n = v
      if v >= 0xFF01 && v <= 0xFF5E { n = v - 0xFEE0 }
      if v == 0x3000 { n = 0x20 }
      if n >= 0x41 && n <= 0x5A { n += 0x20 }
      if let digit = chineseDigits[v], numeralOrDigit(i - 1) || numeralOrDigit(i + 1) {
        n = 0x30 + digit
      }
      out.scalars.append(n)
      out.originStart.append(UInt32(i))
      out.originEnd.append(UInt32(i + 1))
      out.gapBefore.append(UInt8(min(gap, 255)))
      gap = 0
    }
    return out
  }

  static let chineseDigits: [UInt32: UInt32] = [
    0x96F6: 0, 0x3007: 0, 0x4E00: 1, 0x4E8C: 2, 0x4E09: 3, 0x56DB: 4, 0x4E94: 5, 0x516D: 6,
    0x4E03: 7, 0x516B: 8, 0x4E5D: 9, 0x5E7A: 1,
  ]

  /// The scalars of an already-normal ASCII or CJK string, for building terms.
  static func scalars(_ s: String) -> [UInt32] { normalize(s).scalars }
}
