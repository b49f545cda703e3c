/// The `near any` condition (Grammar.md 5.2): `contains any L near any M within N` pairs a match
/// of list L with a match of list M at most N scalars of the ORIGINAL text apart.
///
/// The distance is counted on the text as sent, not the normalized text, so what a reviewer counts
/// in the message is what the policy says (a removed zero-width space counts, a Traditional
/// character is one scalar either way). It is the number of scalars between the end of the earlier
/// word and the start of the later one, in either order; words that overlap are 0 apart. A match
/// never pairs with a match of the same span (a term in both lists is not near itself).
public enum WordProximity {
  /// One span per L match that has an M match near enough: from the earlier start to the later
  /// end, with the L match's `entry`. The M match is the nearest one, of two equally near the
  /// earlier. Spans of different L matches may overlap; the evaluator keeps them leftmost-longest.
  ///
  /// Both inputs are the matches of one list each: sorted by start and never overlapping, so
  /// their ends ascend too and the nearest M match is found by binary search.
  public static func find(_ first: [TextMatch], near second: [TextMatch], within distance: Int) -> [TextMatch]
  {
    guard !first.isEmpty, !second.isEmpty, distance >= 0 else { return [] }
    var out: [TextMatch] = []
    for a in first {
      guard let b = nearest(to: a, in: second), gap(a, b) <= distance else { continue }
      out.append(TextMatch(start: min(a.start, b.start), end: max(a.end, b.end), entry: a.entry))
    }
    return out
  }

  /// The scalars between two matches (0 when they touch or overlap).
  public static func gap(_ a: TextMatch, _ b: TextMatch) -> Int {
    if b.start >= a.end { return b.start - a.end }
    if a.start >= b.end { return a.start - b.end }
    return 0
  }

  /// The match of `matches` nearest to `a` other than one with `a`'s span; of two equally near,
  /// the earlier.
  static func nearest(to a: TextMatch, in matches: [TextMatch]) -> TextMatch? {
    // The first match ending after `a` starts: it and the one after it (when the first is `a`
    // itself) are the nearest overlapping or following ones; the one before it is the nearest
    // preceding one.
    var lo = 0
    var hi = matches.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if matches[mid].end > a.start { hi = mid } else { lo = mid + 1 }
    }
    var best: TextMatch?
    for k in [lo - 1, lo, lo + 1] where k >= 0 && k < matches.count {
      let b = matches[k]
      if b.start == a.start && b.end == a.end { continue }
      if let current = best, gap(a, current) <= gap(a, b) { continue }
      best = b
    }
    return best
  }
}
