// The one seam between the evaluator and the text layer. The program collects every list, detector
// and pattern its rules use into one `TextRequest`; an `AutomatonTextMatcher` built from it
// answers, for one message text, every match at once (one pass per message, however many rules
// look at the text).

/// Everything the rules of a program ask of message text.
public struct TextRequest: Sendable, Hashable {
  /// Per list slot: its entries; each entry is the term as written followed by its variants.
  public var lists: [[[String]]]
  /// Per proximity slot: a list slot and a distance in normalized characters.
  public var proximities: [ProximitySlot]
  /// Per URL slot: the allowed domains (`nil`: every URL counts).
  public var urlAllowLists: [[String]?]
  /// `matches "..."` patterns, by pattern slot.
  public var patterns: [String]
  /// The normalization steps' names, sorted.
  public var normalization: [String]
  /// The text detectors used (`email`, `phone`, `bank_card`, `address`), sorted; URLs go by
  /// `urlAllowLists`.
  public var detectors: [String]
  /// The numbering plans of every `contains phone in [...]`, sorted (empty: none).
  public var phoneRegions: [PhoneRegion] = []
  /// A request.
  public init(
    lists: [[[String]]] = [], proximities: [ProximitySlot] = [], urlAllowLists: [[String]?] = [],
    patterns: [String] = [], normalization: [String] = [], detectors: [String] = []
  ) {
    self.lists = lists
    self.proximities = proximities
    self.urlAllowLists = urlAllowLists
    self.patterns = patterns
    self.normalization = normalization
    self.detectors = detectors
  }
}

/// `contains any LIST near account within N`.
public struct ProximitySlot: Sendable, Equatable, Hashable {
  /// The list slot.
  public var list: Int
  /// The distance, in normalized characters.
  public var distance: Int
  /// A proximity slot.
  public init(list: Int, distance: Int) {
    self.list = list
    self.distance = distance
  }
}

/// One match in ORIGINAL Unicode scalar offsets (end-exclusive).
public struct TextMatch: Sendable, Equatable, Hashable {
  /// First scalar.
  public var start: Int
  /// One past the last scalar.
  public var end: Int
  /// For list matches: the entry's index in its list; otherwise 0.
  public var entry: Int
  /// A match.
  public init(start: Int, end: Int, entry: Int = 0) {
    self.start = start
    self.end = end
    self.entry = entry
  }
}

/// Every match of one text, per slot of the request. Matches of one kind never overlap
/// (leftmost-longest) and are sorted by start.
///
/// A result is built for every message, so it is small to copy: list matches sit in one flat
/// array sorted by slot (most texts match one list or none), and the rarer kinds (proximities,
/// URLs, detectors, patterns) in one shared box that exists only when one of them matched.
public struct TextMatches: Sendable, Equatable {
  /// Every list match with its slot, sorted by slot, then start.
  var listMatches: [ListMatch] = []
  /// The rarer kinds, nil when none of them matched.
  var rare: RareMatches?
  /// The slot counts of the request, so the per-slot views have one entry per slot.
  var listCount: Int32 = 0
  var proximityCount: Int32 = 0
  var urlCount: Int32 = 0
  var patternCount: Int32 = 0
  /// The length of the normalized text, in characters (0 when `lengthMeasured` is false).
  public var normalizedLength: Int = 0
  /// False when the matcher was asked not to measure the length and skipped normalization.
  public var lengthMeasured = true
  /// The original text, to quote matches (empty when the matcher was not asked to quote).
  public var original = OriginalText()

  /// One list match and its slot.
  struct ListMatch: Sendable, Equatable {
    var list: Int
    var match: TextMatch
  }

  /// Matches of the kinds most texts have none of; immutable once built.
  final class RareMatches: Sendable, Equatable {
    /// Per proximity slot (empty: none matched).
    let proximities: [[TextMatch]]
    /// Per URL slot (empty: none counted).
    let urls: [[TextMatch]]
    let emails: [TextMatch]
    let phones: [TextMatch]
    let bankCards: [TextMatch]
    let addresses: [TextMatch]
    /// Per pattern slot, its matches (empty: none matched).
    let patterns: [[TextMatch]]
    /// The numbers of the request's `phoneRegions`, each once per plan it fits (`entry`: the
    /// plan's `PhoneRegion.code`).
    let regionalPhones: [TextMatch]

    init(
      proximities: [[TextMatch]], urls: [[TextMatch]], emails: [TextMatch], phones: [TextMatch],
      bankCards: [TextMatch], addresses: [TextMatch], patterns: [[TextMatch]],
      regionalPhones: [TextMatch] = []
    ) {
      self.regionalPhones = regionalPhones
      self.proximities = proximities
      self.urls = urls
      self.emails = emails
      self.phones = phones
      self.bankCards = bankCards
      self.addresses = addresses
      self.patterns = patterns
    }

    static func == (a: RareMatches, b: RareMatches) -> Bool {
      a.proximities == b.proximities && a.urls == b.urls && a.emails == b.emails && a.phones == b.phones
        && a.bankCards == b.bankCards && a.addresses == b.addresses && a.patterns == b.patterns
        && a.regionalPhones == b.regionalPhones
    }
  }

  /// No matches.
  public init() {}

  /// No matches, with the slot counts of a request.
  init(listCount: Int, proximityCount: Int, urlCount: Int, patternCount: Int) {
    self.listCount = Int32(truncatingIfNeeded: listCount)
    self.proximityCount = Int32(truncatingIfNeeded: proximityCount)
    self.urlCount = Int32(truncatingIfNeeded: urlCount)
    self.patternCount = Int32(truncatingIfNeeded: patternCount)
  }

  /// Per list slot, its matches.
  public var lists: [[TextMatch]] {
    var out = [[TextMatch]](repeating: [], count: Int(listCount))
    for m in listMatches where out.indices.contains(m.list) { out[m.list].append(m.match) }
    return out
  }

  /// Per proximity slot, its matches.
  public var proximities: [[TextMatch]] {
    if let found = rare?.proximities, !found.isEmpty { return found }
    return [[TextMatch]](repeating: [], count: Int(proximityCount))
  }

  /// Per URL slot: URLs outside its allowed domains.
  public var urls: [[TextMatch]] {
    if let found = rare?.urls, !found.isEmpty { return found }
    return [[TextMatch]](repeating: [], count: Int(urlCount))
  }

  /// E-mail addresses.
  public var emails: [TextMatch] { rare?.emails ?? [] }
  /// Phone numbers.
  public var phones: [TextMatch] { rare?.phones ?? [] }
  /// Bank card numbers.
  public var bankCards: [TextMatch] { rare?.bankCards ?? [] }
  /// Street addresses.
  public var addresses: [TextMatch] { rare?.addresses ?? [] }
  /// Phone numbers of the request's `phoneRegions`, once per plan (`entry`: `PhoneRegion.code`).
  public var regionalPhones: [TextMatch] { rare?.regionalPhones ?? [] }

  /// The numbers of any of `regions`, each span once.
  package func phones(in regions: [PhoneRegion]) -> [TextMatch] {
    var out: [TextMatch] = []
    for m in regionalPhones
    where regions.contains(where: { Int($0.code) == m.entry })
      && !out.contains(where: { $0.start == m.start && $0.end == m.end })
    {
      out.append(TextMatch(start: m.start, end: m.end))
    }
    return out
  }

  /// Per pattern slot: its matches (leftmost-longest, without overlaps).
  public var patterns: [[TextMatch]] {
    if let found = rare?.patterns, !found.isEmpty { return found }
    return [[TextMatch]](repeating: [], count: Int(patternCount))
  }

  /// The number of matches of list slot `list` (0 for a slot out of range).
  package func matchCount(inList list: Int) -> Int {
    var n = 0
    for m in listMatches where m.list == list { n += 1 }
    return n
  }

  /// The matches of list slot `list`, sorted by start.
  package func matches(inList list: Int) -> [TextMatch] {
    listMatches.filter { $0.list == list }.map(\.match)
  }

  /// Whether proximity slot `slot` matched.
  package func hasProximity(_ slot: Int) -> Bool {
    guard let found = rare?.proximities, found.indices.contains(slot) else { return false }
    return !found[slot].isEmpty
  }

  /// The matches of proximity slot `slot`.
  package func proximityMatches(_ slot: Int) -> [TextMatch] {
    guard let found = rare?.proximities, found.indices.contains(slot) else { return [] }
    return found[slot]
  }

  /// Whether URL slot `slot` holds a URL outside its allowed domains.
  package func hasURL(_ slot: Int) -> Bool {
    guard let found = rare?.urls, found.indices.contains(slot) else { return false }
    return !found[slot].isEmpty
  }

  /// The URLs of slot `slot` outside its allowed domains.
  package func urlMatches(_ slot: Int) -> [TextMatch] {
    guard let found = rare?.urls, found.indices.contains(slot) else { return [] }
    return found[slot]
  }

  /// Whether pattern slot `slot` matched.
  package func patternMatched(_ slot: Int) -> Bool {
    guard let found = rare?.patterns, found.indices.contains(slot) else { return false }
    return !found[slot].isEmpty
  }

  /// The matches of pattern slot `slot`.
  package func patternMatches(_ slot: Int) -> [TextMatch] {
    guard let found = rare?.patterns, found.indices.contains(slot) else { return [] }
    return found[slot]
  }

  /// The original text of `match`.
  public func text(of match: TextMatch) -> String {
    original.text(match.start..<max(match.start, match.end))
  }
}
