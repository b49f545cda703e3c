import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Differential tests of the fused map-and-separator loop (`Normalizer.fusedPass`) against the
/// separate passes it replaces for most texts (`normalize(utf8:into:)`): every text it accepts
/// must give the same scalars, origins, gaps and original scalars.
@Suite struct FusedPassDifferentialTests {
  /// Pieces that exercise the separator decisions (single letters, digits, ideographs around
  /// visible, blank and invisible separators, long gaps), numeral runs, digit variants,
  /// Traditional script, full-width forms, emoji, and scalars the fused loop hands back.
  static let pieces = [
    "好的", "，", ",", " ", "~", "!", "  ", "- -", "...", "\u{200B}", "\u{3000}", "·", "a", "b", "ab", "vx",
    "V", "1", "23", "一", "三", "八", "零", "一三八零", "幺", "1一", "ｂ", "１", "Ａ", "電話", "微信",
    "😀", "⑴", "e\u{301}", "ﷺ", "𠀀", "\u{FE0F}", "@", ".", "。", "：", "/", "18", "订单",
  ]

  static func randomText(_ random: inout SeededRandom) -> [UInt8] {
    var bytes: [UInt8] = []
    for _ in 0..<Int.random(in: 0...12, using: &random) {
      switch Int.random(in: 0..<20, using: &random) {
      case 0:
        // Invalid UTF-8: a stray continuation byte, a truncated sequence, a lone lead byte.
        bytes += [[0x80], [0xE4, 0xB8], [0xFF], [0xED, 0xA0, 0x80]].randomElement(using: &random) ?? []
      default:
        bytes += Array((pieces.randomElement(using: &random) ?? "").utf8)
      }
    }
    return bytes
  }

  /// The fused loop's result for `bytes`, as a `NormalizedText`, or nil when it hands the text back.
  static func fused(_ normalizer: Normalizer, _ bytes: [UInt8]) -> NormalizedText? {
    let n = bytes.count
    var words = [UInt32](repeating: 0, count: 4 * n + 1)
    var gaps = [UInt8](repeating: 0, count: n + 1)
    let entries = ScalarMap.shared(for: normalizer.options).entries
    return bytes.withUnsafeBufferPointer { utf8 in
      words.withUnsafeMutableBufferPointer { words in
        gaps.withUnsafeMutableBufferPointer { gaps in
          entries.withUnsafeBufferPointer { entries -> NormalizedText? in
            guard let base = words.baseAddress, let gapBase = gaps.baseAddress else { return nil }
            let counted = Normalizer.scalarCount(utf8)
            guard
              let (originalCount, count) = normalizer.fusedPass(
                utf8, entries: entries, capacity: counted, original: base, scalars: base + counted,
                starts: base + 2 * counted, ends: base + 3 * counted, gaps: gapBase)
            else { return nil }
            var text = NormalizedText()
            text.original = Array(UnsafeBufferPointer(start: base, count: originalCount))
            text.scalars = Array(UnsafeBufferPointer(start: base + counted, count: count))
            text.originStart = Array(UnsafeBufferPointer(start: base + 2 * counted, count: count))
            text.originEnd = Array(UnsafeBufferPointer(start: base + 3 * counted, count: count))
            text.gapBefore = Array(UnsafeBufferPointer(start: gapBase, count: count))
            return text
          }
        }
      }
    }
  }

  @Test(arguments: [NormalizationOptions.all, [.separators, .casefold], [.digits], [.nfkc, .simplified]])
  func fusedLoopEqualsTheSeparatePasses(options: NormalizationOptions) {
    let normalizer = Normalizer(options: options)
    var random = SeededRandom(seed: 0x6675_7365 ^ UInt64(options.rawValue))
    var reference = NormalizedText()
    var accepted = 0
    var handedBack = 0
    for _ in 0..<4000 {
      let bytes = Self.randomText(&random)
      bytes.withUnsafeBufferPointer { normalizer.normalize(utf8: $0, into: &reference) }
      guard let fused = Self.fused(normalizer, bytes) else {
        handedBack += 1
        continue
      }
      accepted += 1
      let shown = String(decoding: bytes, as: UTF8.self).debugDescription
      #expect(!reference.sawInvalidUTF8, "\(shown)")
      #expect(fused.scalars == reference.scalars, "\(shown)")
      #expect(fused.original == reference.original, "\(shown)")
      #expect(fused.originStart == reference.originStart, "\(shown)")
      #expect(fused.originEnd == reference.originEnd, "\(shown)")
      #expect(fused.gapBefore == reference.gapBefore, "\(shown)")
    }
    // Most texts take the fused loop; the rest exercise the hand-back.
    #expect(accepted > 1000)
    #expect(handedBack > 100)
  }

  @Test func fusedLoopHandsBackWhatItCannotDecide() {
    let normalizer = Normalizer()
    // A numeral run that converts, a gap between single letters, a multi-scalar mapping,
    // composition, invalid UTF-8, a scalar beyond the table.
    for text in ["一三八零", "a b", "ﷺ", "e\u{301}", "𠀀"] {
      #expect(Self.fused(normalizer, Array(text.utf8)) == nil, "\(text.debugDescription)")
    }
    #expect(Self.fused(normalizer, [0x61, 0x80]) == nil)
    // Separators between ideographs, digits and words are decided in the loop.
    for text in ["好 的", "1 2", "vx：123", "好的~~", "加 v"] {
      #expect(Self.fused(normalizer, Array(text.utf8)) != nil, "\(text.debugDescription)")
    }
  }
}
