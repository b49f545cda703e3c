import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Differential tests of the text path's faster forms against the straightforward ones they
/// replaced: the prefilter's one-table scan against the two-table scan (it must rule out exactly
/// the same texts), the digit-run walk and the Luhn check on scalars against arrays, and the
/// eight-bytes-at-a-time scalar count against a byte loop.
@Suite struct TextPathDifferentialTests {
  /// The policies whose text requests the prefilters are built from.
  static let policies = ["Policies/pinduoduo.policy", "Policies/aliexpress.policy"]

  /// Both prefilters for a shipped policy's text request, built from the same terms.
  static func prefilters(_ policy: String) throws -> (TextPrefilter, ReferencePrefilter) {
    let compiled = try CompiledPolicy(
      policyAt: policy, provider: DiskSourceProvider(baseDirectory: PrefilterTests.root))
    let request = compiled.program.textRequest
    var options = NormalizationOptions.none
    for name in request.normalization {
      if let option = NormalizationOptions(name: name) { options.formUnion(option) }
    }
    let normalizer = Normalizer(options: options)
    var terms: [[UInt32]] = []
    for list in request.lists {
      for spellings in list {
        for spelling in spellings {
          let scalars = normalizer.normalizeTerm(spelling)
          if !scalars.isEmpty { terms.append(scalars) }
        }
      }
    }
    let detectors = Set(request.detectors)
    let email = detectors.contains(DetectorKind.email.rawValue)
    let phone = detectors.contains(DetectorKind.phone.rawValue)
    let card = detectors.contains(DetectorKind.bankCard.rawValue)
    let urls = !request.urlAllowLists.isEmpty
    let address = detectors.contains(DetectorKind.address.rawValue)
    let fast = TextPrefilter(
      normalizer: normalizer, terms: terms, detectEmail: email, detectPhone: phone, detectBankCard: card,
      detectURLs: urls, detectAddress: address, hasPatterns: false)
    let reference = ReferencePrefilter(
      normalizer: normalizer, terms: terms, detectEmail: email, detectPhone: phone, detectBankCard: card,
      detectURLs: urls, detectAddress: address, hasPatterns: false)
    return (fast, reference)
  }

  /// Random texts: fragments of the shipped lists, plus scalars from the ranges the table treats
  /// differently (ASCII, Latin-1, combining marks, CJK, full-width forms, emoji, beyond the table).
  static func randomText(_ fragments: [String], _ random: inout SeededRandom) -> String {
    let ranges: [ClosedRange<UInt32>] = [
      0x20...0x7E, 0xA0...0xFF, 0x300...0x36F, 0x3000...0x303F, 0x4E00...0x9FFF, 0xFF01...0xFF5E,
      0x1F300...0x1F64F, 0x20000...0x2A6DF, 0x200B...0x200F,
    ]
    var text = ""
    for _ in 0..<Int.random(in: 1...8, using: &random) {
      if Bool.random(using: &random) {
        text += fragments.randomElement(using: &random) ?? ""
      } else if let range = ranges.randomElement(using: &random),
        let scalar = Unicode.Scalar(UInt32.random(in: range, using: &random))
      {
        text.unicodeScalars.append(scalar)
      }
    }
    return text
  }

  @Test func prefilterRulesOutTheSameTextsAsTheReference() throws {
    let fragments = try PrefilterTests.fragments()
    for policy in Self.policies {
      let (fast, reference) = try Self.prefilters(policy)
      var random = SeededRandom(seed: 0x7465_7874)
      var passed = 0
      for _ in 0..<4000 {
        let bytes = Array(Self.randomText(fragments, &random).utf8)
        let (a, b) = bytes.withUnsafeBufferPointer { (fast.mayMatch($0), reference.mayMatch($0)) }
        #expect(a == b, "\(String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value))")
        if a { passed += 1 }
      }
      #expect(passed > 0 && passed < 4000)
    }
  }

  @Test func prefilterPassesInvalidAndTruncatedUTF8() throws {
    let (fast, reference) = try Self.prefilters("Policies/pinduoduo.policy")
    var random = SeededRandom(seed: 11)
    let pieces: [[UInt8]] = [
      [0xE5], [0xE5, 0xA5], [0x80], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
      [0xF4, 0x90, 0x80, 0x80],
      [0xFF], Array("好的".utf8), Array("东西".utf8), Array("ab".utf8),
    ]
    for _ in 0..<2000 {
      var bytes: [UInt8] = []
      for _ in 0..<Int.random(in: 1...6, using: &random) {
        bytes += pieces.randomElement(using: &random) ?? []
      }
      let (a, b) = bytes.withUnsafeBufferPointer { (fast.mayMatch($0), reference.mayMatch($0)) }
      #expect(a == b, "\(bytes)")
      if String(validating: bytes, as: UTF8.self) == nil { #expect(a, "\(bytes)") }
    }
    let empty: [UInt8] = []
    #expect(empty.withUnsafeBufferPointer { fast.mayMatch($0) } == false)
  }

  @Test func digitRunsMatchTheArrayWalk() {
    var random = SeededRandom(seed: 23)
    let pieces = ["1", "23", "4567", " ", "-", "·", "好", "a", "\u{200B}", "，", "８", "订单", "  ", "."]
    for _ in 0..<2000 {
      var text = ""
      for _ in 0..<Int.random(in: 1...24, using: &random) {
        text += pieces.randomElement(using: &random) ?? ""
      }
      let normalized = Normalizer().normalize(text)
      #expect(DigitRuns.runs(in: normalized) == Self.referenceRuns(normalized), "\(text)")
      for run in DigitRuns.runs(in: normalized) {
        let digits = DigitRuns.digits(of: run, in: normalized, limit: Int.max) ?? []
        #expect(
          BankCardDetector.luhn(run, in: normalized.scalars) == BankCardDetector.luhn(digits), "\(text)")
      }
    }
  }

  @Test func luhnOnScalarsAgreesOnCardNumbers() {
    var random = SeededRandom(seed: 29)
    for _ in 0..<2000 {
      let count = Int.random(in: 13...19, using: &random)
      let digits = (0..<count).map { _ in UInt8.random(in: 0...9, using: &random) }
      let text = digits.map(String.init).joined(separator: Bool.random(using: &random) ? "" : " ")
      let normalized = Normalizer().normalize(text)
      guard let run = DigitRuns.run(from: 0, in: normalized) else {
        Issue.record("no run in \(text)")
        continue
      }
      #expect(BankCardDetector.luhn(run, in: normalized.scalars) == BankCardDetector.luhn(digits), "\(text)")
    }
  }

  @Test func scalarCountMatchesAByteLoop() {
    var random = SeededRandom(seed: 31)
    for _ in 0..<3000 {
      let bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in
        UInt8.random(in: 0...255, using: &random)
      }
      let expected = bytes.filter { $0 & 0xC0 != 0x80 }.count
      #expect(bytes.withUnsafeBufferPointer { Normalizer.scalarCount($0) } == expected, "\(bytes)")
    }
  }

  /// The normalizer reuses one `NormalizedText` across messages of every length (its passes run
  /// in temporary buffers and copy the result in): the result must not depend on what the
  /// buffers held before, for long and short texts, expansions, compositions and invalid bytes.
  @Test func reusedOutputEqualsAFreshOne() throws {
    let fragments = try PrefilterTests.fragments() + ["ﷺ", "e\u{301}\u{323}", "一三八零零", "ｗｗｗ．", "  ,  "]
    let normalizer = Normalizer()
    var reused = NormalizedText()
    var random = SeededRandom(seed: 37)
    for round in 0..<3000 {
      var bytes = Array(Self.randomText(fragments, &random).utf8)
      if round % 7 == 0 { bytes.insert(0xFF, at: Int.random(in: 0...bytes.count, using: &random)) }
      if round % 11 == 0 {
        bytes = Array(repeating: bytes, count: Int.random(in: 2...12, using: &random)).flatMap { $0 }
      }
      bytes.withUnsafeBufferPointer { normalizer.normalize(utf8: $0, into: &reused) }
      var fresh = NormalizedText()
      bytes.withUnsafeBufferPointer { normalizer.normalize(utf8: $0, into: &fresh) }
      let text = String(decoding: bytes, as: UTF8.self)
      #expect(reused.scalars == fresh.scalars, "\(text)")
      #expect(reused.originStart == fresh.originStart, "\(text)")
      #expect(reused.originEnd == fresh.originEnd, "\(text)")
      #expect(reused.gapBefore == fresh.gapBefore, "\(text)")
      #expect(reused.original == fresh.original, "\(text)")
      #expect(reused.sawInvalidUTF8 == fresh.sawInvalidUTF8, "\(text)")
      #expect(fresh.gapBefore.count == fresh.count && fresh.originStart.count == fresh.count)
    }
  }

  /// Texts longer than `Normalizer.temporaryBufferLimit` run in the output's kept working space:
  /// long and short texts alternating on one output give what the appending path gives.
  @Test func longTextsInTheWorkingSpaceEqualTheAppendingPath() throws {
    let fragments = try PrefilterTests.fragments() + ["ﷺ", "e\u{301}\u{323}", "一三八零零", "ｗｗｗ．", "  ,  "]
    let normalizer = Normalizer()
    var reused = NormalizedText()
    var random = SeededRandom(seed: 43)
    for round in 0..<24 {
      var bytes: [UInt8] = []
      let target = round % 2 == 0 ? Normalizer.temporaryBufferLimit * 6 : 40
      while bytes.count < target { bytes += Array(Self.randomText(fragments, &random).utf8) }
      var viaArrays = NormalizedText()
      bytes.withUnsafeBufferPointer {
        normalizer.normalize(utf8: $0, into: &reused)
        normalizer.normalizeByAppending($0, into: &viaArrays)
      }
      #expect(reused.scalars == viaArrays.scalars, "round \(round)")
      #expect(reused.originStart == viaArrays.originStart, "round \(round)")
      #expect(reused.originEnd == viaArrays.originEnd, "round \(round)")
      #expect(reused.gapBefore == viaArrays.gapBefore, "round \(round)")
      #expect(reused.original == viaArrays.original, "round \(round)")
    }
  }

  /// The buffer path (one table load per scalar, passes in temporary buffers) against the general
  /// path (every scalar through the mapping tables, appended to the arrays), for every set of
  /// options the tables are built for.
  @Test func bufferPathEqualsTheAppendingPath() throws {
    let fragments = try PrefilterTests.fragments() + ["ﷺ", "e\u{301}\u{323}", "一三八零零", "ｗｗｗ．", "  ,  "]
    var random = SeededRandom(seed: 41)
    for raw in [31, 24, 3, 8] as [UInt8] {
      let normalizer = Normalizer(options: NormalizationOptions(rawValue: raw))
      var viaBuffers = NormalizedText()
      var viaArrays = NormalizedText()
      for _ in 0..<600 {
        let bytes = Array(Self.randomText(fragments, &random).utf8)
        bytes.withUnsafeBufferPointer {
          normalizer.normalize(utf8: $0, into: &viaBuffers)
          normalizer.normalizeByAppending($0, into: &viaArrays)
        }
        let text = "\(raw): \(String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value))"
        #expect(viaBuffers.scalars == viaArrays.scalars, "\(text)")
        #expect(viaBuffers.originStart == viaArrays.originStart, "\(text)")
        #expect(viaBuffers.originEnd == viaArrays.originEnd, "\(text)")
        #expect(viaBuffers.gapBefore == viaArrays.gapBefore, "\(text)")
        #expect(viaBuffers.original == viaArrays.original, "\(text)")
      }
    }
  }

  /// The digit-run walk as it was written before `DigitRuns.run(from:in:)`.
  static func referenceRuns(_ text: NormalizedText) -> [DigitRun] {
    let s = text.scalars
    var out: [DigitRun] = []
    var i = 0
    while i < s.count {
      guard TextClass.isASCIIDigit(s[i]) else {
        i += 1
        continue
      }
      let start = i
      var last = i
      var count = 1
      while true {
        let p = last + 1
        if p < s.count, TextClass.isASCIIDigit(s[p]), text.gap(before: p) <= 1 {
          last = p
        } else if p + 1 < s.count, DigitRuns.isSeparator(s[p]), text.gap(before: p) == 0,
          TextClass.isASCIIDigit(s[p + 1]), text.gap(before: p + 1) == 0
        {
          last = p + 1
        } else {
          break
        }
        count += 1
      }
      out.append(DigitRun(start: start, end: last + 1, digitCount: count))
      i = last + 1
    }
    return out
  }
}

/// The prefilter as it was before its one-table scan (two table loads per scalar and separate
/// flags for a dot, a colon and a watched first scalar): the reference the scan must agree with.
struct ReferencePrefilter {
  private let table: TextPrefilter.BaseTable
  private let watch: [UInt8]
  private let pairs: PairSet
  private let fullMask: UInt32
  private let minimumDigits: Int
  private let watchesURLs: Bool
  let isEnabled: Bool

  typealias Bit = TextPrefilter.Bit

  enum Watch {
    static let first: UInt8 = 1
    static let second: UInt8 = 2
    static let single: UInt8 = 4
  }

  /// The old prefilter for terms (normalized scalars) and detectors; `hasPatterns` disables it.
  init(
    normalizer: Normalizer, terms: [[UInt32]], detectEmail: Bool, detectPhone: Bool,
    detectBankCard: Bool, detectURLs: Bool, detectAddress: Bool, hasPatterns: Bool
  ) {
    let options = normalizer.options
    let tables = TextTables.shared
    let skips = options.contains(.separators)
    func isSkipped(_ scalar: UInt32) -> Bool {
      guard skips else { return false }
      let kind = tables.scalarClass(scalar)
      return kind == .separator || kind == .invisible
    }
    var watch = [UInt8](repeating: 0, count: Int(TextPrefilter.tableLimit))
    var chosen: [UInt64] = []
    var digitTerms = false
    let isASCIIDigit = { (v: UInt32) in v >= 0x30 && v <= 0x39 }
    for term in terms where !term.isEmpty {
      var best: (score: Int, first: UInt32, second: UInt32)?
      for k in 0..<(term.count - 1) where !isSkipped(term[k]) && !isSkipped(term[k + 1]) {
        let score = TextPrefilter.commonness(term[k]) + TextPrefilter.commonness(term[k + 1])
        if best.map({ score < $0.score }) ?? true { best = (score, term[k], term[k + 1]) }
      }
      if let best {
        chosen.append(UInt64(best.first) << 21 | UInt64(best.second))
        // Scalars beyond the table never reach the pair check: such texts go the full path.
        if best.first < TextPrefilter.tableLimit { watch[Int(best.first)] |= Watch.first }
        if best.second < TextPrefilter.tableLimit { watch[Int(best.second)] |= Watch.second }
        if isASCIIDigit(best.first) || isASCIIDigit(best.second) { digitTerms = true }
      } else {
        if term[0] < TextPrefilter.tableLimit { watch[Int(term[0])] |= Watch.single }
        if isASCIIDigit(term[0]) { digitTerms = true }
      }
    }
    if detectAddress {
      for (first, second) in AddressDetector.watchedPairs {
        guard first < TextPrefilter.tableLimit, second < TextPrefilter.tableLimit else { continue }
        chosen.append(UInt64(first) << 21 | UInt64(second))
        watch[Int(first)] |= Watch.first
        watch[Int(second)] |= Watch.second
      }
    }
    table = TextPrefilter.BaseTable.shared(for: options)
    self.watch = watch
    pairs = PairSet(chosen)
    // A term digit may come from a Chinese numeral: numerals then go the full path.
    fullMask =
      Bit.full | (detectEmail ? Bit.at : 0)
      | (options.contains(.digits) && digitTerms ? Bit.numeral : 0)
    minimumDigits = detectPhone ? 10 : detectBankCard ? 13 : Int.max
    watchesURLs = detectURLs
    isEnabled = !hasPatterns
  }

  /// Whether something may match in `bytes` (always true when disabled or for invalid UTF-8).
  func mayMatch(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard isEnabled else { return true }
    let minimumDigits = self.minimumDigits
    let watchesURLs = self.watchesURLs
    let fullMask = self.fullMask
    return table.entries.withUnsafeBufferPointer { table in
      watch.withUnsafeBufferPointer { watch in
        var position = 0
        var digits = 0
        var previous: UInt32 = 0
        var previousIsFirst = false
        var afterDot = false
        var afterColon = false
        let count = bytes.count
        while position < count {
          let lead = bytes[position]
          let scalar: UInt32
          if lead < 0x80 {
            scalar = UInt32(lead)
            position += 1
          } else {
            let (decoded, length) = Normalizer.decode(bytes, at: position)
            // An invalid byte reads as U+FFFD of length 1; the full path repairs it.
            if length == 1 { return true }
            scalar = decoded
            position += length
          }
          guard Int(scalar) < table.count else { return true }
          let entry = table[Int(scalar)]
          if entry & fullMask != 0 { return true }
          if entry & Bit.digit != 0 {
            digits += 1
            if digits >= minimumDigits { return true }
          }
          if watchesURLs {
            // A host's dot is followed by a label's letter or digit, a scheme's `:` by `/`,
            // with only removed scalars between.
            if afterDot, entry & Bit.alphanumeric != 0 { return true }
            if afterColon, entry & Bit.slash != 0 { return true }
            if entry & Bit.skip == 0 {
              afterDot = false
              afterColon = false
            }
            if entry & Bit.dot != 0 { afterDot = true }
            if entry & Bit.colon != 0 { afterColon = true }
          }
          let symbol = entry & Bit.symbol
          // The table keeps only mappings below its limit, so `symbol` indexes `watch`.
          let watched = Int(symbol) < watch.count ? watch[Int(symbol)] : 0
          if watched & Watch.single != 0 { return true }
          if entry & Bit.skip != 0 { continue }
          if previousIsFirst, watched & Watch.second != 0,
            pairs.contains(UInt64(previous) << 21 | UInt64(symbol))
          {
            return true
          }
          previous = symbol
          previousIsFirst = watched & Watch.first != 0
        }
        return false
      }
    }
  }
}
