import PolicyLangCore

/// One finding in a message's text: what kind, where in the original text (Unicode scalar offsets,
/// end-exclusive, as io.md requires) and where in the normalized text.
public struct TextEvidence: Sendable, Equatable {
  /// What found the evidence.
  public enum Kind: String, Sendable, CaseIterable {
    /// A term of a term list (`list`/`term` say which).
    case term
    /// A `matches "pattern"` condition.
    case pattern
    /// A URL or bare domain.
    case url
    /// An e-mail address.
    case email
    /// A Chinese phone number.
    case phone
    /// A bank card number.
    case bankCard = "bank_card"
    /// A contact word near an account token.
    case proximity
    /// A street address.
    case address
  }

  /// What found the evidence.
  public var kind: Kind
  /// First original scalar.
  public var start: Int
  /// One past the last original scalar.
  public var end: Int
  /// First normalized scalar.
  public var normalizedStart: Int
  /// One past the last normalized scalar.
  public var normalizedEnd: Int
  /// For terms and proximity: the list of the contact word.
  public var list: UInt32?
  /// For terms and proximity: the term id of the contact word.
  public var term: UInt32?

  /// Evidence for the normalized range `normalized` of `text`; original offsets come from the map.
  public init(
    kind: Kind, normalized: Range<Int>, in text: NormalizedText, list: UInt32? = nil, term: UInt32? = nil
  ) {
    let original = text.originalRange(from: normalized.lowerBound, to: normalized.upperBound)
    self.kind = kind
    self.start = original.lowerBound
    self.end = original.upperBound
    self.normalizedStart = normalized.lowerBound
    self.normalizedEnd = normalized.upperBound
    self.list = list
    self.term = term
  }

  /// Evidence for each term match of an automaton.
  public static func terms(_ matches: [TermAutomaton.Match], in text: NormalizedText) -> [TextEvidence] {
    matches.map {
      TextEvidence(kind: .term, normalized: $0.start..<$0.end, in: text, list: $0.list, term: $0.term)
    }
  }
}

/// Shared scanning helpers for the detectors.
enum Scan {
  /// Whether normalized scalars at `at` spell `word` (ASCII compared case-insensitively).
  static func hasWord(_ s: [UInt32], at: Int, _ word: [UInt32]) -> Bool {
    guard at >= 0, at + word.count <= s.count else { return false }
    for (k, w) in word.enumerated() where lowerASCII(s[at + k]) != w { return false }
    return true
  }

  @inline(__always) static func lowerASCII(_ v: UInt32) -> UInt32 {
    v >= 0x41 && v <= 0x5A ? v + 0x20 : v
  }

  static func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

  /// Whether any of `words` ends at or before `end` and at or after `end - distance`, i.e. some
  /// word lies wholly in `from..<end` and ends no further than `distance` scalars before `end`.
  static func wordEnds(
    _ s: [UInt32], words: [[UInt32]], before end: Int, within distance: Int
  ) -> Bool {
    for w in words {
      var wordEnd = max(end - distance, w.count)
      while wordEnd <= min(end, s.count) {
        if hasWord(s, at: wordEnd - w.count, w) { return true }
        wordEnd += 1
      }
    }
    return false
  }

  /// Whether any of `words` lies wholly within `range` (clamped to the text).
  static func containsWord(_ s: [UInt32], words: [[UInt32]], in range: Range<Int>) -> Bool {
    let lo = max(0, range.lowerBound)
    let hi = min(s.count, range.upperBound)
    for w in words where hi - lo >= w.count {
      for at in lo...(hi - w.count) where hasWord(s, at: at, w) { return true }
    }
    return false
  }

  /// Keeps the leftmost-longest non-overlapping candidates (sorted by start, then longest).
  static func leftmostLongest(_ candidates: [TextEvidence]) -> [TextEvidence] {
    let sorted = candidates.sorted {
      ($0.normalizedStart, -$0.normalizedEnd) < ($1.normalizedStart, -$1.normalizedEnd)
    }
    var out: [TextEvidence] = []
    var committed = 0
    for c in sorted where c.normalizedStart >= committed {
      out.append(c)
      committed = c.normalizedEnd
    }
    return out
  }
}
