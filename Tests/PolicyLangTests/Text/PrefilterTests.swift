import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// The prefilter must never rule out a text in which something matches: the matcher's result
/// with the prefilter equals the full path's on every text (table cases, then random texts built
/// from the shipped policies' terms, separators, numerals, digits and look-alikes).
@Suite struct PrefilterTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  static func matcher(_ policy: String) throws -> AutomatonTextMatcher {
    let compiled = try CompiledPolicy(
      policyAt: policy, provider: DiskSourceProvider(baseDirectory: root))
    return AutomatonTextMatcher(request: compiled.program.textRequest)
  }

  /// The prefilter's result, without the original scalars (only the full path quotes them when
  /// nothing matched).
  static func viaPrefilter(_ matcher: AutomatonTextMatcher, _ text: String) -> TextMatches {
    var scratch = TextMatchScratch()
    let bytes = Array(text.utf8)
    var result = bytes.withUnsafeBufferPointer { matcher.match(utf8: $0, scratch: &scratch) }
    result.original = OriginalText()
    return result
  }

  static func viaFullPath(_ matcher: AutomatonTextMatcher, _ text: String) -> TextMatches {
    var result = matcher.match(text)
    result.original = OriginalText()
    return result
  }

  static func passes(_ matcher: AutomatonTextMatcher, _ text: String) -> Bool {
    var scratch = TextMatchScratch()
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer {
      matcher.match(utf8: $0, scratch: &scratch, measuringLength: false).lengthMeasured
    }
  }

  @Test(arguments: [
    // Ruled out: ordinary chat text.
    ("东西坏了怎么办", false),
    ("怎么还没到啊", false),
    ("亲,这款有货的,今天下单明天发", false),
    ("东西坏了。", false),  // a dot, but no label after it
    ("质量不错 12345", false),  // too few digits for a phone number
    ("好的。", true),  // an acknowledgement (a list of the policy)
    ("订单 12345", true),  // an order label
    ("readme.md 看一下", true),  // a dot then a letter: a URL may start here
    // Passed: each may match something.
    ("加我微信", true),
    ("加我微 信", true),  // a separator inside a term
    ("加我薇信", true),  // a variant
    ("打我電話", true),  // Traditional form folds to the same term
    ("ＶＸ：abc123", true),  // full-width letters fold to ASCII
    ("电话 13800138000", true),  // ten digits: a phone number may be here
    ("一三八零零一三八零零零", true),  // Chinese numerals count as digits
    ("a@b.cn", true),
    ("见 http://x", true),
    ("见 www。taobao。com", true),
    ("门店在机场路88号", true),  // a road suffix, then a digit
    ("门店在机场路 ８８ 號", true),  // across a removed separator, full-width and Traditional
    ("人民路一二三四号", true),  // a numeral after a road suffix (a run of four becomes digits)
    ("马路边上", false),
  ])
  func prefilterCases(text: String, passes: Bool) throws {
    let matcher = try Self.matcher("Policies/pinduoduo.policy")
    #expect(Self.passes(matcher, text) == passes, "\(text)")
    #expect(Self.viaPrefilter(matcher, text) == Self.viaFullPath(matcher, text), "\(text)")
  }

  /// Fragments random texts are built from: terms of the shipped lists (whole and cut), common
  /// chat words, separators and invisible characters, digits and numerals, look-alikes.
  static func fragments() throws -> [String] {
    var out: [String] = [
      "亲", "您好", "的", "了", "好的", "谢谢", "，", "。", "！", "?", " ", "  ", "\u{200B}", "\u{3000}",
      "-", ".", "·", "1", "38", "0013", "８", "一", "三八", "零", "@", ":", "/", "http", "www", "com",
      "cn", "Ａ", "ｂ", "V", "x", "e\u{301}", "ﬁ", "①", "⑴", "👍", "🌹", "微", "信", "號", "電話",
      // Street addresses: suffixes, house numbers and places, whole and in pieces.
      "路", "街", "大道", "段", "号", "弄", "栋", "88", "机场路", "广州市", "白云區", "实体店", "人民路12号",
    ]
    let common = URL(fileURLWithPath: root).appendingPathComponent("Policies/common")
    for name in ["contact_apps", "payment_accounts", "contentless_replies", "insults", "stop_requests"] {
      let text = try String(contentsOf: common.appendingPathComponent("\(name).txt"), encoding: .utf8)
      for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        for term in line.split(separator: "|").prefix(3) {
          let term = term.trimmingCharacters(in: .whitespaces)
          guard !term.isEmpty else { continue }
          out.append(term)
          if term.count > 2 { out.append(String(term.prefix(term.count / 2))) }
        }
      }
    }
    return out
  }

  @Test func randomTextsGiveTheFullPathsResult() throws {
    let fragments = try Self.fragments()
    for policy in ["Policies/pinduoduo.policy", "Policies/aliexpress.policy"] {
      let matcher = try Self.matcher(policy)
      var random = SeededRandom(seed: 0x5052_4546)
      var passed = 0
      for _ in 0..<3000 {
        var text = ""
        for _ in 0..<Int.random(in: 1...8, using: &random) {
          text += fragments.randomElement(using: &random) ?? ""
        }
        if Self.passes(matcher, text) { passed += 1 }
        #expect(Self.viaPrefilter(matcher, text) == Self.viaFullPath(matcher, text), "\(text)")
      }
      // Most random texts hold a term or a fragment of one, so most pass; some are ruled out.
      #expect(passed > 0 && passed < 3000)
    }
  }

  @Test func lengthIsMeasuredOnlyWhenAsked() throws {
    let matcher = try Self.matcher("Policies/pinduoduo.policy")
    var scratch = TextMatchScratch()
    let bytes = Array("东西坏了, 怎么办".utf8)
    let skipped = bytes.withUnsafeBufferPointer {
      matcher.match(utf8: $0, scratch: &scratch, measuringLength: false)
    }
    #expect(!skipped.lengthMeasured)
    let length = bytes.withUnsafeBufferPointer { matcher.normalizedLength(utf8: $0, scratch: &scratch) }
    #expect(length == Self.viaFullPath(matcher, "东西坏了, 怎么办").normalizedLength)
  }

  @Test func pairSetFindsEveryKeyAndNoOther() {
    var random = SeededRandom(seed: 7)
    let keys = (0..<500).map { _ in UInt64.random(in: 0..<(1 << 42), using: &random) }
    let set = PairSet(keys)
    for key in keys { #expect(set.contains(key)) }
    let present = Set(keys)
    for _ in 0..<2000 {
      let other = UInt64.random(in: 0..<(1 << 42), using: &random)
      #expect(set.contains(other) == present.contains(other))
    }
  }
}
