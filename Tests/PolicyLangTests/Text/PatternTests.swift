import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Pattern")
struct PatternTests {
  static func found(_ pattern: String, _ text: String) throws -> [String] {
    let p = try Pattern.compile(pattern)
    let t = StandInNormalizer.normalize(text)
    return p.matches(in: t).map { "\($0.lowerBound)-\($0.upperBound)" }
  }

  static let table: [(String, String, [String])] = [
    ("abc", "xxabcxxabc", ["2-5", "7-10"]),
    ("a+", "caaab", ["1-4"]),
    ("a|ab", "ab", ["0-2"]),
    ("ab|a", "ab", ["0-2"]),
    ("(a|b)*c", "abacxc", ["0-4", "5-6"]),
    ("\\d{3,4}", "12 12345 999", ["3-7", "9-12"]),
    ("\\d{11}", "电话13800138000", ["2-13"]),
    ("[0-9a-f]+", "zz09afz", ["2-6"]),
    ("[^a-c]+", "abxyc", ["2-4"]),
    ("好评返(现|钱)", "五星好评返现哦", ["2-6"]),
    ("加.{0,3}微信", "加我的微信", ["0-5"]),
    ("^你好", "你好你好", ["0-2"]),
    ("你好$", "你好你好", ["2-4"]),
    ("\\w+@\\w+\\.com", "发 kf@qq.com 吧", ["2-11"]),
    ("a.c", "abc a\nc", ["0-3", "4-7"]),
    ("\\s+", "a  \tb", ["1-4"]),
    ("\\.", "a.b", ["1-2"]),
    ("x?y", "xyy", ["0-2", "2-3"]),
    ("(?:ab)+", "ababa", ["0-4"]),
    ("a{2}", "aaaaa", ["0-2", "2-4"]),
    ("[\\d-]+", "1-2-3x", ["0-5"]),
    ("\\D+", "12ab34", ["2-4"]),
    ("a*", "bbb", []),
  ]

  @Test func findsLeftmostLongestMatches() throws {
    for (pattern, text, expected) in Self.table {
      #expect(try Self.found(pattern, text) == expected, "\(pattern) on \(text)")
    }
  }

  @Test func reportsWhetherThePatternMatchesEmpty() throws {
    for p in ["a*", "", "(a|)", "^", "a?b?", "(a*)*"] { #expect(try Pattern.compile(p).matchesEmpty, "\(p)") }
    for p in ["a+", "a*b", "(a|b)", "\\d{1,3}", "^a$"] {
      #expect(try !Pattern.compile(p).matchesEmpty, "\(p)")
    }
  }

  @Test func rejectsUnsupportedSyntaxWithPositions() {
    let cases: [(String, PatternError)] = [
      ("(a)\\1", PatternError(.unsupported("a backreference"), at: 3)),
      ("x(?=y)", PatternError(.unsupported("lookahead"), at: 1)),
      ("x(?!y)", PatternError(.unsupported("lookahead"), at: 1)),
      ("(?<=y)x", PatternError(.unsupported("lookbehind"), at: 0)),
      ("a*?", PatternError(.unsupported("a lazy quantifier"), at: 2)),
      ("a++", PatternError(.unsupported("a possessive quantifier"), at: 2)),
      ("\\bword", PatternError(.unsupported("a word boundary"), at: 0)),
      ("\\p{Han}", PatternError(.unsupported("a Unicode property"), at: 0)),
      ("*a", PatternError(.nothingToRepeat, at: 0)),
      ("ab)", PatternError(.unbalancedParenthesis, at: 2)),
      ("(ab", PatternError(.unexpectedEnd, at: 3)),
      ("[ab", PatternError(.unexpectedEnd, at: 3)),
      ("[z-a]", PatternError(.badClass, at: 1)),
      ("a{3,2}", PatternError(.badRepeat, at: 1)),
      ("a{1000}", PatternError(.badRepeat, at: 1)),
      ("a{x}", PatternError(.badRepeat, at: 1)),
      ("\\q", PatternError(.unknownEscape, at: 0)),
      ("ab\\", PatternError(.unexpectedEnd, at: 3)),
      (String(repeating: "(", count: 40), PatternError(.tooDeep, at: 32)),
      ("((a{100}){100}){100}", PatternError(.tooLarge, at: 0)),
    ]
    for (pattern, error) in cases {
      #expect(throws: error, "\(pattern)") { try Pattern.compile(pattern) }
    }
  }

  @Test func pathologicalPatternsRunInLinearTime() throws {
    let long = StandInNormalizer.normalize(String(repeating: "a", count: 20_000))
    #expect(try Pattern.compile("(a*)*b").matches(in: long).isEmpty)
    #expect(try Pattern.compile("(a|aa)*c").matches(in: long).isEmpty)
    #expect(try Pattern.compile("(a|a)*").matches(in: long) == [0..<20_000])
    #expect(try Pattern.compile("a|a.*b").matches(in: long).count == 20_000)
    let short = StandInNormalizer.normalize(String(repeating: "a", count: 30))
    #expect(try Pattern.compile("(a?){30}a{30}").matches(in: short) == [0..<30])
  }

  @Test func mapsLiteralsWithTheTextNormalization() throws {
    let p = try Pattern.compile("VX\\d+") { s in (0x41...0x5A).contains(s) ? [s + 0x20] : [s] }
    #expect(p.matches(in: StandInNormalizer.normalize("加ＶＸ123")) == [1..<6])
  }

  // Differential test against a set-based reference on random patterns over a tiny alphabet.
  static func ends(_ node: PatternNode, _ s: [UInt32], _ i: Int) -> Set<Int> {
    switch node {
    case .empty: return [i]
    case .assertStart: return i == 0 ? [i] : []
    case .assertEnd: return i == s.count ? [i] : []
    case .scalar(let c): return i < s.count && s[i] == c ? [i + 1] : []
    case .any: return i < s.count ? [i + 1] : []
    case .set(let set): return i < s.count && set.contains(s[i]) ? [i + 1] : []
    case .concat(let items):
      var current: Set<Int> = [i]
      for item in items { current = Set(current.flatMap { ends(item, s, $0) }) }
      return current
    case .alternation(let items): return Set(items.flatMap { ends($0, s, i) })
    case .repeated(let child, let min, let max):
      var layer: Set<Int> = [i]
      for _ in 0..<min { layer = Set(layer.flatMap { ends(child, s, $0) }) }
      var all = layer
      var count = min
      // Unbounded: a fixed point; bounded: exactly up to `max` more copies.
      while max.map({ count < $0 }) ?? true {
        layer = Set(layer.flatMap { ends(child, s, $0) })
        if max == nil { layer.subtract(all) }
        if layer.isEmpty { break }
        all.formUnion(layer)
        count += 1
      }
      return all
    }
  }

  static func randomPattern(_ rng: inout SeededRandom, depth: Int) -> String {
    let atoms = ["a", "b", ".", "[ab]", "a", "b"]
    var out = ""
    for _ in 0..<Int.random(in: 1...3, using: &rng) {
      var atom = atoms[Int.random(in: 0..<atoms.count, using: &rng)]
      if depth < 2, Int.random(in: 0..<4, using: &rng) == 0 {
        atom = "(" + randomPattern(&rng, depth: depth + 1) + "|" + randomPattern(&rng, depth: depth + 1) + ")"
      }
      let q = ["", "", "*", "+", "?", "{1,2}", "{2}"][Int.random(in: 0..<7, using: &rng)]
      out += atom + q
    }
    return out
  }

  @Test func agreesWithASetBasedReference() throws {
    var rng = SeededRandom(seed: 11)
    for _ in 0..<300 {
      let source = Self.randomPattern(&rng, depth: 0)
      let pattern = try Pattern.compile(source)
      var parser = PatternParser(source: source.unicodeScalars.map(\.value), mapLiteral: { [$0] })
      let node = try parser.parse()
      for _ in 0..<10 {
        let text = String(
          (0..<Int.random(in: 0...12, using: &rng)).map { _ in "abc".randomElement(using: &rng) ?? "a" })
        let t = StandInNormalizer.normalize(text)
        var expected: [Range<Int>] = []
        var i = 0
        while i < t.count {
          if let end = Self.ends(node, t.scalars, i).max(), end > i {
            expected.append(i..<end)
            i = end
          } else {
            i += 1
          }
        }
        #expect(pattern.matches(in: t) == expected, "\(source) on \(text)")
      }
    }
  }
}

@Suite("Pattern limits")
struct PatternLimitTests {
  @Test func repeatingNothingCostsNothing() throws {
    let p = try Pattern.compile("((((){100}){100}){100}){100}a")
    #expect(p.matches(in: StandInNormalizer.normalize("bab")) == [1..<2])
    #expect(try Pattern.compile("(()()){5}").matchesEmpty)
  }
}
