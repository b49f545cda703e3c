// `contains any L near any M within N` (Grammar.md 5.2): the pairs `WordProximity` finds among the
// matches of two lists, on the real matcher and normalizer. Distances count original scalars.

import Testing

@testable import PolicyLangFrontend
@testable import PolicyLangText

@Suite("Word near word")
struct WordProximityTests {
  /// `platforms` near `official`; `«»` marks each expected span (original offsets, after the
  /// evaluator's leftmost-longest choice).
  static func spans(
    _ text: String, first: [[String]], second: [[String]], within distance: Int
  ) -> [Range<Int>] {
    let request = TextRequest(
      lists: [first, second], normalization: NormalizationStep.allCases.map(\.rawValue).sorted())
    let m = AutomatonTextMatcher(request: request).match(text)
    let pairs = WordProximity.find(m.lists[0], near: m.lists[1], within: distance)
    // Leftmost-longest, as verdict evidence is (io.md).
    var kept: [Range<Int>] = []
    for p in pairs.sorted(by: { ($0.start, -$0.end) < ($1.start, -$1.end) })
    where kept.last.map({ p.start >= $0.upperBound }) ?? true {
      kept.append(p.start..<p.end)
    }
    return kept
  }

  static let platforms = [["京东"], ["淘宝", "某宝"]]
  static let official = [["官方客服"], ["官方"], ["客服"]]

  static func check(
    _ cases: [(String, Int)], first: [[String]] = platforms, second: [[String]] = official,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    for (marked, distance) in cases {
      let (text, expected) = Marked.parse(marked)
      #expect(
        spans(text, first: first, second: second, within: distance) == expected,
        "\(marked) within \(distance)",
        sourceLocation: sourceLocation)
    }
  }

  @Test func nearAndFar() {
    Self.check([
      ("«京东官方客服»", 6),
      ("«京东的官方»售后", 6),
      ("«京东123456官方»", 6),
      ("京东1234567官方", 6),
      ("京东快递,七天无理由退货,官方售后", 6),
      ("京东快递", 6),
      ("官方客服", 6),
      ("«京东 官方»", 1),
      ("京东 官方", 0),
      ("«京东官方»", 0),
      ("淘宝买的,«京东官方»", 0),
    ])
  }

  @Test func eitherOrder() {
    Self.check([
      ("«官方客服说京东»有货", 6),
      ("官方的«京东客服»", 6),  // the nearer word after wins
      ("«官方 京东»", 1),
      ("官方  京东", 1),
      ("«客服:京东»,«淘宝的官方»", 3),
    ])
  }

  @Test func overlappingWordsAreZeroApart() {
    Self.check([("«京东官方客服»", 0)], first: [["京东官方"]], second: [["官方客服"]])
    Self.check([("旗舰店«京东官方»", 0)], first: [["京东官方"]], second: [["官方"]])
  }

  @Test func aWordNeverPairsWithItself() {
    let words = [["京东"], ["淘宝"]]
    Self.check([("京东", 6), ("就在京东买", 6), ("«京东淘宝»", 0), ("«京东,淘宝»", 1)], first: words, second: words)
    // Two lists sharing a term: the same match on both sides is not a pair.
    Self.check([("京东", 6), ("«京东和京东»", 1)], first: [["京东"]], second: [["京东"], ["官方"]])
  }

  @Test func distancesCountTheOriginalText() {
    Self.check(
      [
        // Traditional script and full-width letters match after normalization; offsets stay original.
        ("«京東官方»", 0),
        ("«ＪＤ官方»", 0),
        // Zero-width spaces are removed before matching but count as written.
        ("京东\u{200B}\u{200B}\u{200B}官方", 2),
        ("«京东\u{200B}\u{200B}\u{200B}官方»", 3),
        ("«京\u{200B}东官方»", 0),
      ], first: [["京东", "JD"]])
  }

  @Test func multiScalarCharactersCountEachScalar() {
    // 👨‍👩‍👧 is five scalars (three people, two joiners); é written as e + U+0301 is two.
    Self.check([
      ("«京东👨‍👩‍👧官方»", 5),
      ("京东👨‍👩‍👧官方", 4),
      ("«京东e\u{301}官方»", 2),
      ("京东e\u{301}官方", 1),
      ("«官方🇨🇳京东»", 2),
    ])
  }

  @Test func aNegativeDistanceFindsNothing() {
    let m = TextMatch(start: 0, end: 2)
    #expect(WordProximity.find([m], near: [TextMatch(start: 2, end: 4)], within: -1).isEmpty)
    #expect(WordProximity.find([m], near: [TextMatch(start: 2, end: 4)], within: 0).count == 1)
  }

  /// The binary search agrees with looking at every match, on random sorted lists.
  @Test func nearestAgreesWithLookingAtEveryMatch() {
    var rng = SeededRandom(seed: 18)
    for _ in 0..<500 {
      func matches() -> [TextMatch] {
        var out: [TextMatch] = []
        var at = Int.random(in: 0...3, using: &rng)
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
          let length = Int.random(in: 1...3, using: &rng)
          out.append(TextMatch(start: at, end: at + length, entry: out.count))
          at += length + Int.random(in: 0...4, using: &rng)
        }
        return out
      }
      let a = matches()
      let b = Bool.random(using: &rng) ? a : matches()
      let distance = Int.random(in: 0...5, using: &rng)
      let expected = a.compactMap { x -> TextMatch? in
        let others = b.filter { $0.start != x.start || $0.end != x.end }
        guard
          let y = others.min(by: {
            (WordProximity.gap(x, $0), $0.start) < (WordProximity.gap(x, $1), $1.start)
          }), WordProximity.gap(x, y) <= distance
        else { return nil }
        return TextMatch(start: min(x.start, y.start), end: max(x.end, y.end), entry: x.entry)
      }
      #expect(WordProximity.find(a, near: b, within: distance) == expected, "\(a) \(b) \(distance)")
    }
  }
}
