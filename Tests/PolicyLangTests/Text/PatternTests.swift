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
    // Word edges: ASCII letters, digits and `_` against anything else (CJK included).
    ("\\bqq\\b", "qq myqq qq_1 qq", ["0-2", "13-15"]),
    ("\\b\\d{8}\\b", "订单号12345678 A12345678 12345678", ["3-11", "22-30"]),
    ("\\Bq+", "qq aqq", ["1-2", "4-6"]),
    ("\\b", "ab", []),
    ("a\\b|ab", "ab a", ["0-2", "3-4"]),
    // A leading (?i): letters without case, literals and classes alike.
    ("(?i)paypal\\.me", "PayPal.Me/x paypal.me", ["0-9", "12-21"]),
    ("(?i)[a-c]+", "xABcz", ["1-4"]),
    ("(?i)[^a]", "Aab", ["2-3"]),
    ("(?i)straße", "STRASSE straße STRAẞE", ["8-14", "15-21"]),
    ("(?i)\\bhello\\b", "Hello, HELLO hellos", ["0-5", "7-12"]),
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
      ("(a)\\1", PatternError(.unsupported("a backreference"), at: 3, length: 2)),
      ("x(?=y)", PatternError(.unsupported("lookahead"), at: 1, length: 3)),
      ("x(?!y)", PatternError(.unsupported("lookahead"), at: 1, length: 3)),
      ("(?<=y)x", PatternError(.unsupported("lookbehind"), at: 0, length: 4)),
      ("a*?", PatternError(.unsupported("a lazy quantifier"), at: 2)),
      ("a++", PatternError(.unsupported("a possessive quantifier"), at: 2)),
      ("[\\b]", PatternError(.unsupported("a word edge inside a class"), at: 1, length: 2)),
      ("\\p{Han}x", PatternError(.unsupported("a Unicode property"), at: 0, length: 7)),
      ("a(?i)b", PatternError(.unsupportedFlag, at: 1, length: 4)),
      ("(?s).", PatternError(.unsupportedFlag, at: 0, length: 4)),
      ("(?i)(?i)a", PatternError(.unsupportedFlag, at: 4, length: 4)),
      ("*a", PatternError(.nothingToRepeat, at: 0)),
      ("ab)", PatternError(.unbalancedParenthesis, at: 2)),
      ("(ab", PatternError(.unexpectedEnd, at: 3)),
      ("[ab", PatternError(.unexpectedEnd, at: 3)),
      ("[z-a]", PatternError(.badClass, at: 1, length: 3)),
      ("a{3,2}", PatternError(.badRepeat, at: 1, length: 5)),
      ("a{1000}", PatternError(.badRepeat, at: 1, length: 6)),
      ("a{x}", PatternError(.badRepeat, at: 1, length: 3)),
      ("\\q", PatternError(.unknownEscape, at: 0, length: 2)),
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
  static func ends(_ node: PatternNode, _ s: [UInt32], _ i: Int, caseless: Bool = false) -> Set<Int> {
    func word(_ k: Int) -> Bool {
      k >= 0 && k < s.count
        && (s[k] == 0x5F || (0x30...0x39).contains(s[k]) || (0x41...0x5A).contains(s[k])
          || (0x61...0x7A).contains(s[k]))
    }
    func lower(_ v: UInt32) -> UInt32 { (0x41...0x5A).contains(v) ? v + 0x20 : v }
    func upper(_ v: UInt32) -> UInt32 { (0x61...0x7A).contains(v) ? v - 0x20 : v }
    switch node {
    case .empty: return [i]
    case .assertStart: return i == 0 ? [i] : []
    case .assertEnd: return i == s.count ? [i] : []
    case .assertEdge(let edge): return (word(i - 1) != word(i)) == edge ? [i] : []
    case .scalar(let c):
      guard i < s.count else { return [] }
      return (caseless ? lower(s[i]) == lower(c) : s[i] == c) ? [i + 1] : []
    case .any: return i < s.count ? [i + 1] : []
    case .set(let set):
      guard i < s.count else { return [] }
      var unnegated = set
      unnegated.negated = false
      let listed =
        caseless
        ? unnegated.contains(lower(s[i])) || unnegated.contains(upper(s[i])) : unnegated.contains(s[i])
      let hit = listed != set.negated
      return hit ? [i + 1] : []
    case .concat(let items):
      var current: Set<Int> = [i]
      for item in items { current = Set(current.flatMap { ends(item, s, $0, caseless: caseless) }) }
      return current
    case .alternation(let items): return Set(items.flatMap { ends($0, s, i, caseless: caseless) })
    case .repeated(let child, let min, let max):
      var layer: Set<Int> = [i]
      for _ in 0..<min { layer = Set(layer.flatMap { ends(child, s, $0, caseless: caseless) }) }
      var all = layer
      var count = min
      // Unbounded: a fixed point; bounded: exactly up to `max` more copies.
      while max.map({ count < $0 }) ?? true {
        layer = Set(layer.flatMap { ends(child, s, $0, caseless: caseless) })
        if max == nil { layer.subtract(all) }
        if layer.isEmpty { break }
        all.formUnion(layer)
        count += 1
      }
      return all
    }
  }

  static func randomPattern(_ rng: inout SeededRandom, depth: Int) -> String {
    let atoms = ["a", "b", ".", "[ab]", "a", "b", "\\b", "\\B", "A", "[A-B]", "[^a]"]
    var out = ""
    for _ in 0..<Int.random(in: 1...3, using: &rng) {
      var atom = atoms[Int.random(in: 0..<atoms.count, using: &rng)]
      if depth < 2, Int.random(in: 0..<4, using: &rng) == 0 {
        atom = "(" + randomPattern(&rng, depth: depth + 1) + "|" + randomPattern(&rng, depth: depth + 1) + ")"
      }
      let quantifiers = ["", "", "*", "+", "?", "{1,2}", "{2}"]
      let q = atom.hasPrefix("\\") ? "" : quantifiers[Int.random(in: 0..<7, using: &rng)]
      out += atom + q
    }
    return out
  }

  @Test func agreesWithASetBasedReference() throws {
    var rng = SeededRandom(seed: 11)
    for n in 0..<300 {
      let source = (n % 3 == 0 ? "(?i)" : "") + Self.randomPattern(&rng, depth: 0)
      let pattern = try Pattern.compile(source)
      var parser = PatternParser(source: source.unicodeScalars.map(\.value), mapLiteral: { [$0] })
      let node = try parser.parse()
      for _ in 0..<10 {
        let text = String(
          (0..<Int.random(in: 0...12, using: &rng)).map { _ in "abcA 中".randomElement(using: &rng) ?? "a" })
        let t = StandInNormalizer.normalize(text)
        var expected: [Range<Int>] = []
        var i = 0
        while i < t.count {
          if let end = Self.ends(node, t.scalars, i, caseless: parser.caseInsensitive).max(), end > i {
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
