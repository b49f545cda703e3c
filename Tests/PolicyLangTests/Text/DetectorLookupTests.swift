import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// The detectors' fast paths against the straightforward code they replace: the top-level domain
/// looked up by scalars against the `String` set, and the detectors' scans against references
/// that build the `String`s and try every position.
@Suite struct DetectorLookupTests {
  /// The top-level domains of the packed list (the text before `=` or `:` on each line).
  static let topLevelDomains: [String] = publicSuffixPacked.split(separator: "\n").compactMap { line in
    line.firstIndex { $0 == "=" || $0 == ":" }.map { String(line[line.startIndex..<$0]) }
  }

  /// The scalar lookup of `label` placed inside other text, so that the range matters.
  static func scalarLookup(_ label: String, psl: PublicSuffixList = .shared) -> Bool {
    let values = Array("x.".unicodeScalars.map(\.value)) + label.unicodeScalars.map(\.value) + [0x2F, 0x61]
    return psl.isTopLevelDomain(values, 2..<(2 + label.unicodeScalars.count))
  }

  /// What the detectors asked before: the lower-cased label's `String` in the set.
  static func stringLookup(_ label: String, psl: PublicSuffixList = .shared) -> Bool {
    var lowered = String.UnicodeScalarView()
    for u in label.unicodeScalars {
      if let l = Unicode.Scalar(Scan.lowerASCII(u.value)) { lowered.append(l) }
    }
    return psl.isTopLevelDomain(String(lowered))
  }

  /// The packed list decoded the way it was before it was read as bytes: by `Character`.
  static func referenceDecode(_ packed: String) -> PublicSuffixList {
    var rules = Set<String>(), wildcards = Set<String>(), exceptions = Set<String>(), topLevel = Set<String>()
    for line in packed.split(separator: "\n") {
      guard let mark = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
      let tld = String(line[line.startIndex..<mark])
      topLevel.insert(tld)
      if line[mark] == "=" { rules.insert(tld) }
      for sub in line[line.index(after: mark)...].split(separator: " ") {
        if sub.hasPrefix("!") {
          exceptions.insert(sub.dropFirst() + "." + tld)
        } else if sub == "*" {
          wildcards.insert(tld)
        } else if sub.hasPrefix("*.") {
          wildcards.insert(sub.dropFirst(2) + "." + tld)
        } else {
          rules.insert(sub + "." + tld)
        }
      }
    }
    return PublicSuffixList(rules: rules, wildcards: wildcards, exceptions: exceptions, topLevel: topLevel)
  }

  @Test func theByteDecoderReadsTheListAsTheCharacterDecoderDid() {
    #expect(PublicSuffixList.shared == Self.referenceDecode(publicSuffixPacked))
    let odd = "a=b c\n\nnocolon\nx: !y *.z *  w \nq=\n"
    #expect(PublicSuffixList(packed: odd) == Self.referenceDecode(odd))
    #expect(PublicSuffixList(packed: odd) != Self.referenceDecode("a=b\n"))
    #expect(PublicSuffixList.shared.publicSuffix(of: "a.b.co.uk") == "co.uk")
  }

  @Test func everyTopLevelDomainIsFoundInAnyCase() {
    #expect(Self.topLevelDomains.count > 1000)
    for tld in Self.topLevelDomains {
      #expect(Self.scalarLookup(tld), "\(tld)")
      #expect(Self.scalarLookup(tld.uppercased()), "\(tld)")
      #expect(Self.stringLookup(tld))
    }
  }

  @Test func randomAndMutatedLabelsAgreeWithTheStringSet() {
    var random = SeededRandom(seed: 9)
    let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".unicodeScalars)
    var checked = 0
    var found = 0
    for round in 0..<20_000 {
      var label: String
      if round % 2 == 0, let tld = Self.topLevelDomains.randomElement(using: &random) {
        // A real domain changed a little: one scalar replaced, added or dropped, or cut short.
        var scalars = Array(tld.unicodeScalars)
        let position = Int.random(in: 0...scalars.count, using: &random)
        let replacement = alphabet.randomElement(using: &random) ?? "a"
        switch Int.random(in: 0..<5, using: &random) {
        case 0 where position < scalars.count: scalars[position] = replacement
        case 1: scalars.insert(replacement, at: position)
        case 2 where position < scalars.count: scalars.remove(at: position)
        case 3: scalars = Array(scalars.prefix(position))
        default: break
        }
        label = String(String.UnicodeScalarView(scalars))
      } else {
        let length = Int.random(in: 0...6, using: &random)
        label = String(
          String.UnicodeScalarView((0..<length).compactMap { _ in alphabet.randomElement(using: &random) }))
      }
      let expected = Self.stringLookup(label)
      #expect(Self.scalarLookup(label) == expected, "\(label)")
      checked += 1
      if expected { found += 1 }
    }
    // Both outcomes were exercised.
    #expect(found > 1000 && checked - found > 1000)
  }

  @Test func labelTableMatchesASetOnAnyScalars() {
    var random = SeededRandom(seed: 21)
    let pool: [Unicode.Scalar] = ["a", "b", "Z", "-", "0", "é", "中", "国", "\u{1F600}"]
    func word() -> String {
      let length = Int.random(in: 0...4, using: &random)
      return String(
        String.UnicodeScalarView((0..<length).compactMap { _ in pool.randomElement(using: &random) }))
    }
    let members = Set((0..<300).map { _ in word() })
    let table = ScalarLabelTable(members)
    for _ in 0..<5_000 {
      let w = word()
      #expect(table.contains(w) == members.contains(w), "\(w)")
    }
    #expect(!ScalarLabelTable([]).contains("com"))
    #expect(ScalarLabelTable([""]).contains(""))
  }

  @Test func rangesOutsideTheTextAreNotDomains() {
    let psl = PublicSuffixList.shared
    let text = Array("com".unicodeScalars.map(\.value))
    #expect(psl.isTopLevelDomain(text, 0..<3))
    #expect(!psl.isTopLevelDomain(text, 1..<4))
    #expect(!psl.isTopLevelDomain(text, -1..<2))
    #expect(!psl.isTopLevelDomain([], 0..<0))
  }

  /// Pieces that random texts are made of: host and address shapes, separators, CJK, digits.
  static let pieces = [
    "a", "b", "kf", "qq", "@", ".", "。", "．", "com", "COM", "cn", "Cn", "io", "txt", "zip", "www", "http://",
    "https://", "-", "_", "/", "?", "#", ":", "8080", "1", "23", "微信", " ", "\u{200B}", "１", "ｃｏｍ",
    "xn--p1ai",
    "co.uk", ")", ",", "abc.def", "kf@", "@qq", "x@y",
  ]

  static func randomText(_ random: inout SeededRandom) -> String {
    let count = Int.random(in: 1...24, using: &random)
    return (0..<count).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
  }

  /// The e-mail detector as it was: the top-level domain's `String` looked up in the set.
  static func referenceEmails(in text: NormalizedText, psl: PublicSuffixList = .shared) -> [TextEvidence] {
    let s = text.scalars
    var out: [TextEvidence] = []
    var nextFree = 0
    var a = 0
    while a < s.count {
      defer { a += 1 }
      guard s[a] == 0x40, a > 0, text.gap(before: a) == 0, text.gap(before: a + 1) == 0 else { continue }
      var start = a
      let isLocal: (UInt32) -> Bool = {
        TextClass.isASCIIAlnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x25 || $0 == 0x2B || $0 == 0x2D
      }
      while start > nextFree, isLocal(s[start - 1]), start == a || text.gap(before: start) == 0 {
        start -= 1
      }
      while start < a, !TextClass.isASCIIAlnum(s[start]) { start += 1 }
      guard start < a, a - start <= 64, TextClass.isASCIIAlnum(s[a - 1]) else { continue }
      guard let host = Host.parse(text, at: a + 1), host.labels.count >= 2, let tld = host.labels.last,
        psl.isTopLevelDomain(tld), !tld.allSatisfy(\.isNumber)
      else { continue }
      out.append(TextEvidence(kind: .email, normalized: start..<host.end, in: text))
      nextFree = host.end
      a = host.end - 1
    }
    return out
  }

  /// The URL detector as it was: a URL tried at every position.
  static func referenceURLs(in text: NormalizedText) -> [URLMatch] {
    var out: [URLMatch] = []
    var i = 0
    while i < text.count {
      if let m = URLDetector.url(at: i, in: text, psl: .shared) {
        out.append(m)
        i = m.evidence.normalizedEnd
      } else {
        i += 1
      }
    }
    return out
  }

  @Test func detectorsAgreeWithTheirReferencesOnRandomTexts() {
    var random = SeededRandom(seed: 2026)
    let normalizer = Normalizer()
    var emails = 0
    var urls = 0
    for _ in 0..<3_000 {
      let raw = Self.randomText(&random)
      let text = normalizer.normalize(raw)
      let foundEmails = EmailDetector.find(in: text)
      #expect(foundEmails == Self.referenceEmails(in: text), "\(raw)")
      let foundURLs = URLDetector.find(in: text)
      #expect(foundURLs == Self.referenceURLs(in: text), "\(raw)")
      emails += foundEmails.count
      urls += foundURLs.count
    }
    #expect(emails > 50 && urls > 200, "\(emails) e-mail addresses, \(urls) URLs")
  }

  @Test func adversarialShapesFindNothingLikeTheReference() {
    let normalizer = Normalizer()
    for raw in [String(repeating: "a@b.c.", count: 2_000), String(repeating: "A@B.COM.", count: 500)] {
      let text = normalizer.normalize(raw)
      #expect(EmailDetector.find(in: text) == Self.referenceEmails(in: text))
      #expect(URLDetector.find(in: text) == Self.referenceURLs(in: text))
    }
  }

  @Test func proximityAgreesWithSortingEveryCandidate() {
    var random = SeededRandom(seed: 77)
    let normalizer = Normalizer()
    let pieces = ["微信", "vx", "加我", "abc_123", "12345", "x", " ", "是我的", "-", "_", "，", "qq", "8888", "。"]
    var found = 0
    for _ in 0..<3_000 {
      let raw = (0..<Int.random(in: 1...20, using: &random)).map { _ in
        pieces.randomElement(using: &random) ?? ""
      }.joined()
      let text = normalizer.normalize(raw)
      let words = DetectorTests.contacts.matches(in: text)
      let tokens = ProximityDetector.accountTokens(in: text)
      let distance = Int.random(in: 0...14, using: &random)
      let streamed = ProximityDetector.find(in: text, contactWords: words, within: distance)
      let sorted =
        tokens.isEmpty
        ? [] : ProximityDetector.sortedFind(in: text, contactWords: words, tokens: tokens, within: distance)
      #expect(streamed == sorted, "\(raw) within \(distance)")
      found += streamed.count
    }
    #expect(found > 500)
  }

  @Test func repeatedContactWordAndDigitsGiveOneSpan() {
    let text = Normalizer().normalize(String(repeating: "vx12345", count: 1_000))
    let words = DetectorTests.contacts.matches(in: text)
    let found = ProximityDetector.find(in: text, contactWords: words, within: 12)
    #expect(found.count == 1 && found.first?.start == 0 && found.first?.end == 7_000)
    let tokens = ProximityDetector.accountTokens(in: text)
    #expect(found == ProximityDetector.sortedFind(in: text, contactWords: words, tokens: tokens, within: 12))
  }
}
