// The text layer behind the `TextMatcher` seam: the policy's normalizer, one term automaton holding
// every term of every list the program uses, the detectors, and the compiled patterns.

/// Normalizes each message once and answers every list, detector and pattern of a program.
public struct AutomatonTextMatcher: TextMatcher {
  private let normalizer: Normalizer
  private let automaton: TermAutomaton
  private let request: TextRequest
  private let patterns: [Pattern?]
  private let allowLists: [DomainAllowList?]
  private let listCount: Int

  /// A matcher for `request` (built once per program).
  public init(request: TextRequest) {
    var options = NormalizationOptions.none
    for name in request.normalization {
      if let option = NormalizationOptions(name: name) { options.formUnion(option) }
    }
    let normalizer = Normalizer(options: options)
    var entries: [TermAutomaton.Entry] = []
    for (list, listEntries) in request.lists.enumerated() {
      for (term, spellings) in listEntries.enumerated() {
        for spelling in spellings {
          let scalars = normalizer.normalizeTerm(spelling)
          if !scalars.isEmpty {
            entries.append(TermAutomaton.Entry(list: UInt32(list), term: UInt32(term), scalars: scalars))
          }
        }
      }
    }
    self.normalizer = normalizer
    automaton = TermAutomaton(entries: entries)
    self.request = request
    listCount = request.lists.count
    // A pattern the checker let through always compiles; one that does not never matches.
    patterns = request.patterns.map { source in
      try? Pattern.compile(source) { value in
        guard let scalar = Unicode.Scalar(value) else { return [value] }
        let mapped = normalizer.normalizeTerm(String(scalar))
        return mapped.isEmpty ? [value] : mapped
      }
    }
    allowLists = request.urlAllowLists.map { $0.map { DomainAllowList($0) } }
  }

  static func textMatch(_ e: TextEvidence) -> TextMatch {
    TextMatch(start: e.start, end: e.end, entry: Int(e.term ?? 0))
  }

  /// Every match of `text`.
  public func match(_ text: String) -> TextMatches {
    var result = TextMatches()
    result.original = Array(text.unicodeScalars)
    let normalized = normalizer.normalize(text)
    result.normalizedLength = normalized.count
    let termMatches = listCount > 0 ? automaton.matches(in: normalized) : []
    var byList = [[TermAutomaton.Match]](repeating: [], count: listCount)
    for m in termMatches where Int(m.list) < listCount { byList[Int(m.list)].append(m) }
    result.lists = byList.map { TextEvidence.terms($0, in: normalized).map(Self.textMatch) }
    result.proximities = request.proximities.map { slot in
      guard byList.indices.contains(slot.list) else { return [] }
      return ProximityDetector.find(in: normalized, contactWords: byList[slot.list], within: slot.distance)
        .map(Self.textMatch)
    }
    let detectors = Set(request.detectors)
    if !allowLists.isEmpty {
      let urls = URLDetector.find(in: normalized)
      result.urls = allowLists.map { allow in
        urls.filter { url in allow.map { !$0.admits(host: url.host) } ?? true }
          .map { Self.textMatch($0.evidence) }
      }
    }
    if detectors.contains(DetectorKind.email.rawValue) {
      result.emails = EmailDetector.find(in: normalized).map(Self.textMatch)
    }
    if detectors.contains(DetectorKind.phone.rawValue) {
      result.phones = PhoneDetector.find(in: normalized).map(Self.textMatch)
    }
    if detectors.contains(DetectorKind.bankCard.rawValue) {
      result.bankCards = BankCardDetector.find(in: normalized).map(Self.textMatch)
    }
    result.patterns = patterns.map { pattern in
      pattern.map { !$0.matches(in: normalized).isEmpty } ?? false
    }
    return result
  }
}
