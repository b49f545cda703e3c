import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("TermAutomaton")
struct AutomatonTests {
  static func entry(_ list: UInt32, _ term: UInt32, _ s: String) -> TermAutomaton.Entry {
    TermAutomaton.Entry(list: list, term: term, scalars: StandInNormalizer.scalars(s))
  }

  static func spans(_ a: TermAutomaton, _ text: String) -> [String] {
    a.matches(in: StandInNormalizer.normalize(text)).map { "\($0.list):\($0.term)@\($0.start)-\($0.end)" }
  }

  @Test func findsTermsOfSeveralLists() {
    let a = TermAutomaton(entries: [
      Self.entry(0, 0, "微信"), Self.entry(0, 0, "薇信"), Self.entry(0, 2, "vx"),
      Self.entry(1, 0, "微信支付"), Self.entry(1, 1, "支付"),
    ])
    #expect(Self.spans(a, "加我薇信") == ["0:0@2-4"])
    // Lists are independent: list 1 sees 微信支付 while list 0 sees 微信.
    #expect(Self.spans(a, "微信支付可以吗") == ["0:0@0-2", "1:0@0-4"])
    #expect(Self.spans(a, "支付宝 微信") == ["0:0@4-6", "1:1@0-2"])
  }

  @Test func asciiEdgesSitAtWordEdges() {
    let a = TermAutomaton(entries: [Self.entry(0, 0, "vx"), Self.entry(0, 1, "qq号")])
    #expect(Self.spans(a, "avxb") == [])
    #expect(Self.spans(a, "avx") == [])
    #expect(Self.spans(a, "vxb") == [])
    #expect(Self.spans(a, "加vx123") == ["0:0@1-3"])
    #expect(Self.spans(a, "VX") == ["0:0@0-2"])
    #expect(Self.spans(a, "a vx b") == ["0:0@2-4"])
    #expect(Self.spans(a, "a\u{200B}vx") == ["0:0@1-3"])
    #expect(Self.spans(a, "我的qq号") == ["0:1@2-5"])
    #expect(Self.spans(a, "myqq号") == [])
  }

  @Test func leftmostLongestWithinAList() {
    let a = TermAutomaton(entries: [
      Self.entry(0, 0, "甲乙"), Self.entry(0, 1, "甲乙丙丁"), Self.entry(0, 2, "乙丙丁戊"),
      Self.entry(0, 3, "戊"),
    ])
    #expect(Self.spans(a, "一甲乙丙丁戊二") == ["0:1@1-5", "0:3@5-6"])
    #expect(Self.spans(a, "一甲乙丙二") == ["0:0@1-3"])
    // ASCII letters inside a longer ASCII word are not at a word edge.
    let b = TermAutomaton(entries: [Self.entry(0, 0, "ab"), Self.entry(0, 1, "abcd")])
    #expect(Self.spans(b, "一abcde二") == [])
    #expect(Self.spans(b, "一abcd二") == ["0:1@1-5"])
  }

  /// The disguises of issue 4, through the real normalizer: terms written once, found with exact
  /// original offsets.
  @Test func findsTheDisguisesThroughTheRealNormalizer() {
    let normalizer = Normalizer()
    let groups = [["微信", "薇信", "威信", "V信", "vx"], ["qq号", "扣扣"], ["支付宝"], ["微信支付"]]
    var entries: [TermAutomaton.Entry] = []
    for (term, group) in groups.enumerated() {
      for variant in group {
        let list: UInt32 = term == 3 ? 1 : 0
        entries.append(.init(list: list, term: UInt32(term), scalars: normalizer.normalizeTerm(variant)))
      }
    }
    let a = TermAutomaton(entries: entries)
    let cases: [(String, [String])] = [
      ("加我薇信", ["0:0@2-4"]),
      ("V信 abc_123", ["0:0@0-2"]),
      ("ｖ信", ["0:0@0-2"]),
      ("支付寶", ["0:2@0-3"]),
      ("q q 号", ["0:1@0-5"]),
      ("微\u{200B}信", ["0:0@0-3"]),
      ("加ＶＸ123", ["0:0@1-3"]),
      ("avxb", []),
      ("微信支付可以吗", ["0:0@0-2", "1:3@0-4"]),
      ("扣 扣", ["0:1@0-3"]),
    ]
    for (text, expected) in cases {
      let t = normalizer.normalize(text)
      let found = a.matches(in: t).map { m in
        let r = t.originalRange(from: m.start, to: m.end)
        return "\(m.list):\(m.term)@\(r.lowerBound)-\(r.upperBound)"
      }
      #expect(found == expected, "\(text)")
    }
  }

  @Test func compilesTwoThousandTerms() {
    var entries: [TermAutomaton.Entry] = []
    var rng = SeededRandom(seed: 7)
    for i in 0..<2000 {
      let length = Int.random(in: 2...5, using: &rng)
      let scalars = (0..<length).map { _ in UInt32.random(in: 0x4E00...0x4E00 + 800, using: &rng) }
      entries.append(.init(list: UInt32(i % 20), term: UInt32(i), scalars: scalars))
    }
    let a = TermAutomaton(entries: entries)
    var text = NormalizedText()
    for e in entries.prefix(50) {
      for s in e.scalars + [0x20] {
        text.scalars.append(s)
        text.originStart.append(UInt32(text.original.count))
        text.originEnd.append(UInt32(text.original.count + 1))
        text.gapBefore.append(0)
        text.original.append(s)
      }
    }
    let found = Set(a.matches(in: text).map(\.term))
    for e in entries.prefix(50) { #expect(found.contains(e.term)) }
    #expect(throws: Never.self) { try TermAutomaton(validating: a.tables) }
  }

  /// Every entry at every position, then leftmost-longest per list.
  static func naive(_ entries: [TermAutomaton.Entry], _ text: NormalizedText) -> [TermAutomaton.Match] {
    var candidates: [TermAutomaton.Match] = []
    let s = text.scalars
    for e in entries where !e.scalars.isEmpty {
      guard e.scalars.count <= s.count else { continue }
      for start in 0...(s.count - e.scalars.count)
      where Array(s[start..<start + e.scalars.count]) == e.scalars {
        let end = start + e.scalars.count
        func letter(_ v: UInt32) -> Bool { (0x61...0x7A).contains(v) }
        func digit(_ v: UInt32) -> Bool { (0x30...0x39).contains(v) }
        var ok = true
        if start > 0, text.gapBefore[start] == 0 {
          if letter(e.scalars[0]) && letter(s[start - 1]) { ok = false }
          if digit(e.scalars[0]) && digit(s[start - 1]) { ok = false }
        }
        if end < s.count, text.gapBefore[end] == 0, let last = e.scalars.last {
          if letter(last) && letter(s[end]) { ok = false }
          if digit(last) && digit(s[end]) { ok = false }
        }
        if ok { candidates.append(.init(list: e.list, term: e.term, start: start, end: end)) }
      }
    }
    candidates.sort {
      ($0.list, $0.start, -$0.end, $0.term) < ($1.list, $1.start, -$1.end, $1.term)
    }
    var result: [TermAutomaton.Match] = []
    var list: UInt32 = .max
    var committed = 0
    for c in candidates {
      if c.list != list {
        list = c.list
        committed = 0
      }
      if c.start >= committed {
        result.append(c)
        committed = c.end
      }
    }
    return result
  }

  static func randomText(_ alphabet: [UInt32], _ length: Int, _ rng: inout SeededRandom) -> NormalizedText {
    var t = NormalizedText()
    for i in 0..<length {
      let s = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
      t.scalars.append(s)
      t.original.append(s)
      t.originStart.append(UInt32(i))
      t.originEnd.append(UInt32(i + 1))
      t.gapBefore.append(Int.random(in: 0..<8, using: &rng) == 0 ? 1 : 0)
    }
    return t
  }

  @Test func agreesWithAStraightforwardSearch() {
    var rng = SeededRandom(seed: 42)
    let alphabet: [UInt32] = [0x61, 0x62, 0x63, 0x31, 0x5FAE, 0x4FE1, 0x20]
    for round in 0..<60 {
      var entries: [TermAutomaton.Entry] = []
      for i in 0..<Int.random(in: 1...25, using: &rng) {
        let length = Int.random(in: 1...4, using: &rng)
        let scalars = (0..<length).map { _ in alphabet[Int.random(in: 0..<6, using: &rng)] }
        entries.append(.init(list: UInt32.random(in: 0..<3, using: &rng), term: UInt32(i), scalars: scalars))
      }
      let a = TermAutomaton(entries: entries)
      var out: [TermAutomaton.Match] = []
      var scratch: [TermAutomaton.Match] = []
      for _ in 0..<60 {
        let text = Self.randomText(alphabet, Int.random(in: 0...60, using: &rng), &rng)
        a.findMatches(in: text, into: &out, scratch: &scratch)
        let expected = Self.naive(entries, text)
        #expect(out == expected, "round \(round) text \(text.scalars)")
        if out != expected { return }
      }
    }
  }

  @Test func tablesRoundTripThroughValidation() throws {
    let a = TermAutomaton(entries: [Self.entry(0, 0, "微信"), Self.entry(1, 1, "vx"), Self.entry(1, 2, "信")])
    let b = try TermAutomaton(validating: a.tables)
    #expect(b.tables == a.tables)
    #expect(Self.spans(b, "vx 微信") == Self.spans(a, "vx 微信"))
  }

  @Test func rejectsCorruptTables() {
    let a = TermAutomaton(entries: [Self.entry(0, 0, "微信"), Self.entry(1, 1, "vx"), Self.entry(1, 2, "信")])
    var loop = a.tables
    loop.failure[2] = 2
    #expect(throws: TermAutomaton.ValidationError.badLink(state: 2)) { try TermAutomaton(validating: loop) }
    var outOfRange = a.tables
    outOfRange.edgeTarget[0] = 99
    #expect(throws: TermAutomaton.ValidationError.self) { try TermAutomaton(validating: outOfRange) }
    var short = a.tables
    short.depth.removeLast()
    #expect(throws: TermAutomaton.ValidationError.self) { try TermAutomaton(validating: short) }
    var empty = TermAutomaton.Tables()
    empty.alphabet = [2, 1]
    #expect(throws: TermAutomaton.ValidationError.self) { try TermAutomaton(validating: empty) }
  }

  /// Random corruption either is rejected or gives an automaton that runs safely.
  @Test func randomCorruptionIsRejectedOrSafe() {
    let base = TermAutomaton(entries: [
      Self.entry(0, 0, "ab"), Self.entry(0, 1, "abc"), Self.entry(1, 2, "bc"), Self.entry(1, 3, "c"),
    ]).tables
    var rng = SeededRandom(seed: 9)
    let text = Self.randomText([0x61, 0x62, 0x63, 0x64], 200, &rng)
    for _ in 0..<2000 {
      var t = base
      let v = UInt32.random(in: 0..<6, using: &rng)
      switch Int.random(in: 0..<8, using: &rng) {
      case 0: t.edgeStart[Int.random(in: 0..<t.edgeStart.count, using: &rng)] = v
      case 1: t.edgeClass[Int.random(in: 0..<t.edgeClass.count, using: &rng)] = v
      case 2: t.edgeTarget[Int.random(in: 0..<t.edgeTarget.count, using: &rng)] = v
      case 3: t.failure[Int.random(in: 0..<t.failure.count, using: &rng)] = v
      case 4: t.depth[Int.random(in: 0..<t.depth.count, using: &rng)] = v
      case 5: t.outputEntry[Int.random(in: 0..<t.outputEntry.count, using: &rng)] = v
      case 6: t.outputLink[Int.random(in: 0..<t.outputLink.count, using: &rng)] = Int32(v) - 1
      default: t.entryLength[Int.random(in: 0..<t.entryLength.count, using: &rng)] = v
      }
      if let a = try? TermAutomaton(validating: t) {
        for m in a.matches(in: text) { #expect(m.start >= 0 && m.end <= text.count && m.start < m.end) }
      }
    }
  }
}
