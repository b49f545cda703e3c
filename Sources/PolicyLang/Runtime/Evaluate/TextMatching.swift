// The one seam between the evaluator and the text layer. The program collects every list, detector
// and pattern its rules use into one `TextRequest`; a `TextMatcher` built from it answers, for one
// message text, every match at once (one pass per message, however many rules look at the text).

/// Everything the rules of a program ask of message text.
public struct TextRequest: Sendable, Equatable {
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
  /// The text detectors used (`email`, `phone`, `bank_card`), sorted; URLs go by `urlAllowLists`.
  public var detectors: [String]
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
public struct TextMatches: Sendable, Equatable {
  /// Per list slot.
  public var lists: [[TextMatch]] = []
  /// Per proximity slot.
  public var proximities: [[TextMatch]] = []
  /// Per URL slot: URLs outside its allowed domains.
  public var urls: [[TextMatch]] = []
  /// E-mail addresses.
  public var emails: [TextMatch] = []
  /// Phone numbers.
  public var phones: [TextMatch] = []
  /// Bank card numbers.
  public var bankCards: [TextMatch] = []
  /// Per pattern slot: whether it matched.
  public var patterns: [Bool] = []
  /// The length of the normalized text, in characters (0 when `lengthMeasured` is false).
  public var normalizedLength: Int = 0
  /// False when the matcher was asked not to measure the length and skipped normalization.
  public var lengthMeasured = true
  /// The original text's scalars, to quote matches.
  public var original: [Unicode.Scalar] = []
  /// No matches.
  public init() {}

  /// The original text of `match`.
  public func text(of match: TextMatch) -> String {
    let lo = max(0, min(match.start, original.count))
    let hi = max(lo, min(match.end, original.count))
    var view = String.UnicodeScalarView()
    view.append(contentsOf: original[lo..<hi])
    return String(view)
  }
}

/// Finds, in one message text, every match a program's `TextRequest` asks for.
public protocol TextMatcher: Sendable {
  /// A matcher for `request` (built once per program).
  init(request: TextRequest)
  /// Every match of `text`.
  func match(_ text: String) -> TextMatches
}

/// The matcher the evaluator uses: the text layer's normalizer, automaton and detectors.
public typealias ProgramTextMatcher = AutomatonTextMatcher
