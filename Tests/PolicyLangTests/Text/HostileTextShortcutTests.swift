import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Tests of the shortcuts that keep hostile texts (long repetitions of contact words, digits,
/// separators and address shapes) fast: each must give what the full path gives.
@Suite struct HostileTextShortcutTests {
  static let digitPieces = [
    "1", "23", "456", "7890", " ", "-", ".", "/", "_", "·", "a", "vx", "好", ",", "\u{200B}", "—", "+86", "(",
    ")", "１", "一",
  ]

  /// `DigitRuns.longestStretch` bounds every run's digit count (and stops at `enough`), so the
  /// phone and bank card detectors it rules out would find nothing; `DetectorGate` measures the
  /// same bound in its own pass.
  @Test func longestStretchBoundsEveryDigitRun() {
    let normalizer = Normalizer()
    var random = SeededRandom(seed: 0x6469_6769_7473)
    for _ in 0..<3000 {
      var text = ""
      for _ in 0..<Int.random(in: 0...24, using: &random) {
        text += Self.digitPieces.randomElement(using: &random) ?? ""
      }
      let normalized = normalizer.normalize(text)
      let longest = normalized.scalars.withUnsafeBufferPointer {
        DigitRuns.longestStretch($0, enough: Int.max)
      }
      let runs = DigitRuns.runs(in: normalized)
      #expect(runs.allSatisfy { $0.digitCount <= longest }, "\(text.debugDescription)")
      // The gate's pass (long texts) measures the same stretch.
      let gate = DetectorGate(normalized.scalars, measuringStretches: true)
      #expect(gate.longestDigitStretch == longest, "\(text.debugDescription)")
      #expect(DetectorGate(normalized.scalars).longestDigitStretch == nil)
      let capped = normalized.scalars.withUnsafeBufferPointer { DigitRuns.longestStretch($0, enough: 7) }
      #expect(capped == min(longest, 7), "\(text.debugDescription)")
      if longest < 7 { #expect(PhoneDetector.find(in: normalized).isEmpty, "\(text.debugDescription)") }
      if longest < 13 { #expect(BankCardDetector.find(in: normalized).isEmpty, "\(text.debugDescription)") }
    }
  }
}
