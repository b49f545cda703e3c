/// The `near account` condition (Grammar.md 5.2): a contact word (a term-list match) within N
/// normalized scalars of an account token.
///
/// An account token (clauses.md) is a maximal run of at least 5 ASCII letters, digits, `_` and
/// `-` holding at least one letter or digit; separators removed by normalization inside it do not
/// break it, CJK text never belongs to one. The token may follow the word (`加我微信 abc_123`:
/// N counts the scalars between the word's end and the token's start) or precede it
/// (`abc_123是我的微信`: between the token's end and the word's start); a following token is
/// preferred. The evidence spans from the earlier of the two to the end of the later, so for a
/// following token from the contact word to the end of the account token. Matches do not overlap
/// (leftmost-longest).
public enum ProximityDetector {
  /// Minimum length of an account token.
  public static let minimumTokenLength = 5

  /// The proximity matches of `text` for contact words given as normalized ranges (term matches
  /// of the contact list), with the list and term of each word.
  public static func find(
    in text: NormalizedText, contactWords: [TermAutomaton.Match], within distance: Int
  ) -> [TextEvidence] {
    let tokens = accountTokens(in: text)
    guard !tokens.isEmpty else { return [] }
    // Contact words come in order, and so do their candidates nearly always: then the
    // leftmost-longest choice is made as they come, with no candidate array to fill and sort (a
    // text repeating `vx12345` has a candidate per word, all overlapping the first).
    var out: [TextEvidence] = []
    var committed = 0
    var previous: Range<Int>?
    for word in contactWords {
      guard let span = candidate(for: word, tokens: tokens, in: text, within: distance) else { continue }
      if let p = previous,
        (p.lowerBound, -p.upperBound) > (span.lowerBound, -span.upperBound)
      {
        return sortedFind(in: text, contactWords: contactWords, tokens: tokens, within: distance)
      }
      previous = span
      if span.lowerBound >= committed {
        out.append(
          TextEvidence(kind: .proximity, normalized: span, in: text, list: word.list, term: word.term))
        committed = span.upperBound
      }
    }
    return out
  }

  /// `find` for contact words whose candidates are out of order: all candidates, sorted.
  static func sortedFind(
    in text: NormalizedText, contactWords: [TermAutomaton.Match], tokens: [Range<Int>], within distance: Int
  ) -> [TextEvidence] {
    var candidates: [TextEvidence] = []
    for word in contactWords {
      if let span = candidate(for: word, tokens: tokens, in: text, within: distance) {
        candidates.append(
          TextEvidence(kind: .proximity, normalized: span, in: text, list: word.list, term: word.term))
      }
    }
    return Scan.leftmostLongest(candidates)
  }

  /// The span of a contact word and its account token, if one is near enough.
  private static func candidate(
    for word: TermAutomaton.Match, tokens: [Range<Int>], in text: NormalizedText, within distance: Int
  ) -> Range<Int>? {
    // The first token ending after the word (a token glued to the word counts from its end).
    // Tokens do not overlap, so their starts and ends are both ascending: binary searches.
    let after = firstIndex(tokens) { $0.upperBound > word.end }
    if after < tokens.count {
      let t = tokens[after]
      let start = max(t.lowerBound, word.end)
      if start - word.end <= distance, isToken(text, start..<t.upperBound) {
        return word.start..<t.upperBound
      }
    }
    // Else the last token starting before the word.
    let before = firstIndex(tokens) { $0.lowerBound >= word.start } - 1
    if before >= 0 {
      let t = tokens[before]
      let end = min(t.upperBound, word.start)
      if word.start - end <= distance, isToken(text, t.lowerBound..<end) {
        return t.lowerBound..<word.end
      }
    }
    return nil
  }

  /// The first index whose token satisfies a predicate that is false, then true, along `tokens`.
  private static func firstIndex(_ tokens: [Range<Int>], where p: (Range<Int>) -> Bool) -> Int {
    var lo = 0
    var hi = tokens.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if p(tokens[mid]) { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }

  /// Whether a range of token scalars is long enough and holds a letter or digit.
  private static func isToken(_ text: NormalizedText, _ range: Range<Int>) -> Bool {
    range.count >= minimumTokenLength && text.scalars[range].contains(where: TextClass.isASCIIAlnum)
  }

  /// The account tokens of `text`, as normalized ranges in order.
  public static func accountTokens(in text: NormalizedText) -> [Range<Int>] {
    text.scalars.withUnsafeBufferPointer { accountTokens($0) }
  }

  /// `accountTokens(in:)` on normalized scalars (every read is checked against `s.count` first).
  private static func accountTokens(_ s: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var i = 0
    while i < s.count {
      guard isTokenScalar(s[i]) else {
        i += 1
        continue
      }
      let start = i
      var alnum = false
      while i < s.count, isTokenScalar(s[i]) {
        if TextClass.isASCIIAlnum(s[i]) { alnum = true }
        i += 1
      }
      if alnum && i - start >= minimumTokenLength { out.append(start..<i) }
    }
    return out
  }

  private static func isTokenScalar(_ v: UInt32) -> Bool {
    TextClass.isASCIIAlnum(v) || v == 0x5F || v == 0x2D
  }
}
