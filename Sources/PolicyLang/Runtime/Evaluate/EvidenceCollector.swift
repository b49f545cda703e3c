import PolicyLangText

/// Lists the evidence of a true condition as io.md says: sorted, without overlaps within one
/// kind, at most `Evidence.limit` items and then one `omitted` item counting the rest.
///
/// Each atom of the condition gives a source: its matches and what its items say besides their
/// span. The sources are merged one start offset at a time, and only the items of that start are
/// built: a text with 100,000 matches costs its matches (24 bytes each), not 100,000 evidence
/// values with their strings, and the items past the limit are only counted. The result is the
/// list `MessageContext.withoutOverlaps` gives for every item, cut at the limit.
struct EvidenceCollector {
  /// One atom's matches, all of one kind.
  struct Source {
    var kind: String
    var name: String? = nil
    var list: String? = nil
    /// For a URL of an attachment: the attachment's index.
    var attachment: Int? = nil
    var matches: [TextMatch]
    /// The term a match reports (`term` and `proximity` evidence).
    var term: (TextMatch) -> String? = { _ in nil }
    /// The result the matches were found in, to quote them.
    var quote: TextMatches
  }

  private var sources: [Source] = []
  /// Items without a span: an attachment's `qr_code` or file type.
  private var spanless: [Evidence] = []

  /// Adds an atom's matches.
  mutating func add(_ source: Source) {
    guard !source.matches.isEmpty else { return }
    var source = source
    // Detectors give their matches by start; the merge relies on it, so a source out of order
    // is sorted rather than trusted.
    let ordered = zip(source.matches, source.matches.dropFirst()).allSatisfy { $0.start <= $1.start }
    if !ordered { source.matches.sort { ($0.start, $0.end) < ($1.start, $1.end) } }
    sources.append(source)
  }

  /// Adds an item without a span.
  mutating func add(_ item: Evidence) {
    spanless.append(item)
  }

  /// Where an item sorts first: its attachment (-1: the text), then its start (-1: none).
  private typealias Position = (Int, Int)

  private static func position(_ e: Evidence) -> Position {
    (e.attachment ?? -1, e.start ?? -1)
  }

  /// Overlaps are removed within one kind of the text or of one attachment.
  private struct Group: Hashable {
    var attachment: Int?
    var kind: String
  }

  /// The evidence, cut at `limit` items (then an `omitted` item with the count of the rest).
  func evidence(limit: Int = Evidence.limit) -> [Evidence] {
    let spanless = spanless.sorted { Self.position($0) < Self.position($1) }
    var heads = [Int](repeating: 0, count: sources.count)
    var spanlessHead = 0
    var reach: [Group: Int] = [:]
    var out: [Evidence] = []
    var omitted = 0
    while true {
      // The next position any source holds.
      var next: Position? = nil
      for (i, source) in sources.enumerated() where heads[i] < source.matches.count {
        let p = (source.attachment ?? -1, source.matches[heads[i]].start)
        if next.map({ p < $0 }) ?? true { next = p }
      }
      if spanlessHead < spanless.count {
        let p = Self.position(spanless[spanlessHead])
        if next.map({ p < $0 }) ?? true { next = p }
      }
      guard let next else { break }
      // Every item at that position.
      var block: [Evidence] = []
      for (i, source) in sources.enumerated() {
        while heads[i] < source.matches.count,
          (source.attachment ?? -1, source.matches[heads[i]].start) == next
        {
          let match = source.matches[heads[i]]
          let item = Evidence(
            kind: source.kind, name: source.name, list: source.list, term: source.term(match),
            attachment: source.attachment, start: match.start, end: match.end,
            match: source.quote.text(of: match))
          if !block.contains(item) { block.append(item) }
          heads[i] += 1
        }
      }
      while spanlessHead < spanless.count, Self.position(spanless[spanlessHead]) == next {
        if !block.contains(spanless[spanlessHead]) { block.append(spanless[spanlessHead]) }
        spanlessHead += 1
      }
      // Of overlapping items of one group the longest is kept (then the first in evidence
      // order); an item overlapping one kept at an earlier position is dropped.
      let preferred = block.sorted { a, b in
        if a.end != b.end { return (a.end ?? -1) > (b.end ?? -1) }
        return MessageContext.evidenceOrder(a, b)
      }
      var kept: [Evidence] = []
      for e in preferred {
        if let start = e.start, let end = e.end {
          let group = Group(attachment: e.attachment, kind: e.kind)
          if let until = reach[group], start < until { continue }
          reach[group] = end
        }
        kept.append(e)
      }
      for e in kept.sorted(by: MessageContext.evidenceOrder) {
        if out.count < limit {
          out.append(e)
        } else {
          omitted += 1
        }
      }
    }
    if omitted > 0 { out.append(.omitted(omitted)) }
    return out
  }
}
