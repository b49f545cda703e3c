import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Differential tests of the matcher's buffer path (normalization left in the normalizer's
/// buffers, term evidence taken from them, the `NormalizedText` built only for detectors) against
/// the `NormalizedText` path it skips, and of the detector gate against the detectors it skips.
@Suite struct BufferPathDifferentialTests {
  /// Pieces that make the detectors and proximities fire, besides the shipped lists' fragments.
  static let detectorPieces = [
    "taobao.com", "t.cn/abc", "http://", "https://a.b", "www.", "x。com", "ａ．ｃｎ", "a@b.com", "@",
    "13800138000", "6222020200112233445", "123456789012345678", "订单号", "加我", "vx", "qq", ":/",
    "。", ".", "-", "a-b", "1.2.3.4", "(010)", "+86",
  ]

  /// A random text of fragments, detector pieces and scalars from the ranges normalization treats
  /// differently.
  static func randomText(_ fragments: [String], _ random: inout SeededRandom) -> String {
    var text = ""
    for _ in 0..<Int.random(in: 1...10, using: &random) {
      switch Int.random(in: 0..<3, using: &random) {
      case 0: text += detectorPieces.randomElement(using: &random) ?? ""
      case 1: text += TextPathDifferentialTests.randomText(fragments, &random)
      default: text += fragments.randomElement(using: &random) ?? ""
      }
    }
    return text
  }

  @Test func bufferPathGivesTheNormalizedTextPathsMatches() throws {
    let fragments = try PrefilterTests.fragments()
    for policy in TextPathDifferentialTests.policies {
      let compiled = try CompiledPolicy(
        policyAt: policy, provider: DiskSourceProvider(baseDirectory: PrefilterTests.root))
      let matcher = AutomatonTextMatcher(request: compiled.program.textRequest)
      var random = SeededRandom(seed: 0x6275_6666)
      var scratch = TextMatchScratch()
      var reference = TextMatchScratch()
      var found = 0
      for _ in 0..<3000 {
        let bytes = Array(Self.randomText(fragments, &random).utf8)
        let (fast, slow) = bytes.withUnsafeBufferPointer {
          (
            matcher.matchPassed(utf8: $0, scratch: &scratch),
            matcher.matchByText(utf8: $0, scratch: &reference)
          )
        }
        // `matchPassed` never quotes; the text path quotes when something matched.
        var quoted = fast
        quoted.original = slow.original
        #expect(quoted == slow, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        #expect(fast.original.isEmpty)
        let measured = bytes.withUnsafeBufferPointer { matcher.match(utf8: $0, scratch: &scratch) }
        if measured.lengthMeasured, !slow.original.isEmpty {
          #expect(measured == slow, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
          found += 1
        }
      }
      #expect(found > 100)
    }
  }

  @Test func buffersHoldWhatNormalizeGives() {
    var random = SeededRandom(seed: 0x6e6f_726d)
    let normalizer = Normalizer()
    var text = NormalizedText()
    var copied = NormalizedText()
    let fragments = ["好的", "，", " ", "\u{200B}", "一三八零", "ｂ", "e\u{301}", "ﷺ", "電話", "1", "a"]
    var inBuffers = 0
    for _ in 0..<3000 {
      let string = TextPathDifferentialTests.randomText(fragments, &random)
      let bytes = Array(string.utf8)
      normalizer.normalize(string, into: &text)
      let done = bytes.withUnsafeBufferPointer { utf8 in
        normalizer.withNormalizedBuffers(utf8: utf8) { $0.copy(into: &copied) }
      }
      guard done != nil else { continue }
      inBuffers += 1
      #expect(copied.scalars == text.scalars, "\(string.debugDescription)")
      #expect(copied.originStart == text.originStart && copied.originEnd == text.originEnd)
      #expect(copied.gapBefore == text.gapBefore && copied.original == text.original)
    }
    #expect(inBuffers > 1000)
  }

  @Test func detectorGateOpensForEveryDetection() throws {
    let fragments = try PrefilterTests.fragments()
    var random = SeededRandom(seed: 0x6761_7465)
    let normalizer = Normalizer()
    var urls = 0
    var addresses = 0
    for _ in 0..<4000 {
      let text = normalizer.normalize(Self.randomText(fragments, &random))
      let gate = DetectorGate(text.scalars)
      if !URLDetector.find(in: text).isEmpty {
        urls += 1
        #expect(gate.mayHoldURL, "\(text.scalars)")
      }
      if !EmailDetector.find(in: text).isEmpty { #expect(gate.mayHoldEmail, "\(text.scalars)") }
      if !PhoneDetector.find(in: text).isEmpty { #expect(gate.digits >= 10, "\(text.scalars)") }
      if !BankCardDetector.find(in: text).isEmpty { #expect(gate.digits >= 13, "\(text.scalars)") }
      if !AddressDetector.find(in: text).isEmpty {
        addresses += 1
        #expect(gate.mayHoldAddress, "\(text.scalars)")
      }
    }
    #expect(urls > 100)
    #expect(addresses > 20)
  }
}
