import Testing

@testable import PolicyLangText

/// Long texts (past `Normalizer.temporaryBufferLimit` scalars) are normalized in the output's
/// own arrays, and evidence quotes them from their UTF-8 bytes (`OriginalText`): both against
/// the paths they replace.
@Suite struct LongTextNormalizationTests {
  /// Pieces that take the passes' branches: separators and invisible characters, numeral runs,
  /// full-width forms, Traditional characters, and plain Chinese and ASCII.
  static let pieces = [
    "好的亲", "这件衣服的颜色是浅蓝色", "，", " ", "\u{200B}", "一三八零零一三八", "１３８", "電話", "ＡＢＣ", "abc",
    "去淘寶", "\u{3000}", "-", "..", "vx", "😀",
  ]
  /// A mark that composes with the letter before it (the composition branch).
  static let composing = "e\u{301}"
  /// A mapping longer than its slots (the appending path takes the text over).
  static let outgrowing = "ﷺ"

  static func longText(_ random: inout SeededRandom, scalars: Int, extra: [String] = []) -> String {
    var text = ""
    var count = 0
    let pieces = Self.pieces + extra
    while count < scalars {
      let piece = pieces.randomElement(using: &random) ?? ""
      text += piece
      count += piece.unicodeScalars.count
    }
    return text
  }

  @Test func inOutputPathGivesTheAppendingPathsResult() {
    var random = SeededRandom(seed: 0x6c6f_6e67)
    let normalizer = Normalizer()
    // One output for every text, longer and shorter ones in turn: its arrays keep their capacity
    // and earlier contents, which must never show through.
    var reused = NormalizedText()
    for round in 0..<24 {
      let size = Normalizer.temporaryBufferLimit + Int.random(in: 1...20_000, using: &random)
      let extra = [[], [], [Self.composing], [Self.outgrowing]][round % 4]
      var bytes = Array(Self.longText(&random, scalars: size, extra: extra).utf8)
      if round % 3 == 2 {
        // Invalid UTF-8 in the middle: it reads as U+FFFD, on both paths.
        bytes.insert(contentsOf: [0xFF, 0xC3], at: bytes.count / 2)
      }
      var reference = NormalizedText()
      bytes.withUnsafeBufferPointer {
        normalizer.normalize(utf8: $0, into: &reused)
        normalizer.normalizeByAppending($0, into: &reference)
      }
      #expect(reused.count > Normalizer.temporaryBufferLimit / 2, "round \(round)")
      #expect(reused.scalars == reference.scalars, "round \(round)")
      #expect(reused.originStart == reference.originStart, "round \(round)")
      #expect(reused.originEnd == reference.originEnd, "round \(round)")
      #expect(reused.gapBefore == reference.gapBefore, "round \(round)")
      #expect(reused.original == reference.original, "round \(round)")
      #expect(reused.sawInvalidUTF8 == reference.sawInvalidUTF8, "round \(round)")
    }
  }

  @Test func originalTextQuotesWhatTheScalarsSay() {
    var random = SeededRandom(seed: 0x7175_6f74)
    for round in 0..<40 {
      // Short texts are scanned, long ones read through their checkpoints.
      let size =
        round % 2 == 0 ? Int.random(in: 0...300, using: &random) : Int.random(in: 300...5000, using: &random)
      let text = Self.longText(&random, scalars: size)
      let scalars = Array(text.unicodeScalars)
      let original = OriginalText(utf8: Array(text.utf8))
      #expect(original.count == scalars.count)
      #expect(original == OriginalText(text) && original == OriginalText(scalars: scalars))
      for _ in 0..<50 {
        let a = Int.random(in: 0...scalars.count, using: &random)
        let b = Int.random(in: 0...scalars.count, using: &random)
        let range = min(a, b)..<max(a, b)
        var expected = String.UnicodeScalarView()
        expected.append(contentsOf: scalars[range])
        #expect(original.text(range) == String(expected), "round \(round), \(range)")
      }
      // Out of range: clamped, as evidence offsets never are.
      #expect(original.text(scalars.count..<(scalars.count + 5)) == "")
      #expect(original.text(-3..<0) == "")
    }
  }

  @Test func originalTextRepairsInvalidUTF8AsStringDoes() {
    let cases: [[UInt8]] = [
      [0x61, 0xFF, 0x62], [0xE4, 0xB8], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF],
      Array(repeating: 0x61, count: 2000) + [0x80] + Array("去淘宝".utf8),
    ]
    for bytes in cases {
      let repaired = String(decoding: bytes, as: UTF8.self)
      let original = OriginalText(utf8: bytes)
      #expect(original.utf8 == Array(repaired.utf8))
      #expect(original.count == repaired.unicodeScalars.count)
      #expect(original.text(0..<original.count) == repaired)
    }
  }
}
