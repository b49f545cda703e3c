// The text layer behind the evaluator's one seam (`TextRequest` in, `TextMatches` out): the policy's normalizer, one term automaton holding
// every term of every list the program uses, the detectors, and the compiled patterns. A prefilter
// rules most texts out before normalization.

import PolicyLangCore

/// Normalizes each message once and answers every list, detector and pattern of a program.
///
/// A matcher is one reference to tables built once per program, so copying it is cheap.
public struct AutomatonTextMatcher: Sendable {
  private let tables: MatcherTables

  /// What a matcher holds, built once per program and shared by its copies.
  private final class MatcherTables: Sendable {
    let normalizer: Normalizer
    let automaton: TermAutomaton
    let prefilter: TextPrefilter
    let request: TextRequest
    let patterns: [Pattern?]
    let allowLists: [DomainAllowList?]
    let listCount: Int
    let detectEmail: Bool
    let detectPhone: Bool
    let detectBankCard: Bool
    let detectAddress: Bool
    /// The plans of `contains phone in [...]` (empty: none).
    let phoneRegions: Set<PhoneRegion>
    let proximityCount: Int
    /// Per list slot: whether a proximity looks for its contact words.
    let isProximityList: [Bool]
    let urlCount: Int
    let patternCount: Int

    init(request: TextRequest) {
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
      let detectors = Set(request.detectors)
      detectEmail = detectors.contains(DetectorKind.email.rawValue)
      detectPhone = detectors.contains(DetectorKind.phone.rawValue)
      detectBankCard = detectors.contains(DetectorKind.bankCard.rawValue)
      detectAddress = detectors.contains(DetectorKind.address.rawValue)
      phoneRegions = Set(request.phoneRegions)
      prefilter = TextPrefilter(
        normalizer: normalizer, terms: entries.map(\.scalars), detectEmail: detectEmail,
        detectPhone: detectPhone || !phoneRegions.isEmpty, detectBankCard: detectBankCard,
        detectURLs: !allowLists.isEmpty, detectAddress: detectAddress, hasPatterns: !request.patterns.isEmpty,
        minimumPhoneDigits: phoneRegions.isEmpty ? 10 : RegionalPhoneDetector.minimumDigits)
      proximityCount = request.proximities.count
      var isProximityList = [Bool](repeating: false, count: request.lists.count)
      for slot in request.proximities where isProximityList.indices.contains(slot.list) {
        isProximityList[slot.list] = true
      }
      self.isProximityList = isProximityList
      urlCount = allowLists.count
      patternCount = request.patterns.count
    }

    /// The result of a text where nothing matched, built in place: copying a stored one would
    /// count a reference per array, on every text.
    @inline(__always)
    func empty() -> TextMatches {
      TextMatches(
        listCount: listCount, proximityCount: proximityCount, urlCount: urlCount, patternCount: patternCount)
    }
  }

  /// A matcher for `request` (built once per program).
  public init(request: TextRequest) {
    tables = MatcherTables(request: request)
  }

  static func textMatch(_ e: TextEvidence) -> TextMatch {
    TextMatch(start: e.start, end: e.end, entry: Int(e.term ?? 0))
  }

  /// Every match of `text`.
  public func match(_ text: String) -> TextMatches {
    var scratch = TextMatchScratch()
    var text = text
    // The public entry point always quotes the whole text, matches or not.
    return text.withUTF8 { match(utf8: $0, scratch: &scratch, quote: .always) }
  }

  /// Every match of a UTF-8 text (the decoder's validated bytes), reusing `scratch`'s buffers.
  /// `original` is filled only when something matched (nothing else quotes it).
  ///
  /// With `measuringLength` false, a text the prefilter rules out is not normalized at all: its
  /// result has no match, and `lengthMeasured` false (`normalizedLength(utf8:scratch:)` gives
  /// the length when a rule needs it).
  public func match(
    utf8 bytes: UnsafeBufferPointer<UInt8>, scratch: inout TextMatchScratch, measuringLength: Bool = true
  ) -> TextMatches {
    if !tables.prefilter.mayMatch(bytes) {
      var result = tables.empty()
      if measuringLength {
        result.normalizedLength = normalizedLength(utf8: bytes, scratch: &scratch)
      } else {
        result.lengthMeasured = false
      }
      return result
    }
    return match(utf8: bytes, scratch: &scratch, quote: .whenFound)
  }

  /// Whether the prefilter lets `bytes` through (false: nothing can match in them).
  package func mayMatch(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    tables.prefilter.mayMatch(bytes)
  }

  /// Every match of `bytes` by the full path (the caller ran the prefilter), without `original`:
  /// the caller quotes from its own copy of the bytes when a rule needs evidence.
  package func matchPassed(
    utf8 bytes: UnsafeBufferPointer<UInt8>, scratch: inout TextMatchScratch
  ) -> TextMatches {
    match(utf8: bytes, scratch: &scratch, quote: .never)
  }

  /// Texts with at least this many digits have their longest digit stretch measured before the
  /// phone and bank-card detectors run (below it the scan costs more than it saves).
  static let digitsWorthAStretchScan = 64

  /// When a result carries the original scalars.
  private enum Quote {
    case always, whenFound, never
  }

  /// The length of a UTF-8 text after normalization, in characters.
  public func normalizedLength(utf8 bytes: UnsafeBufferPointer<UInt8>, scratch: inout TextMatchScratch) -> Int
  {
    tables.normalizer.normalize(utf8: bytes, into: &scratch.normalized)
    return scratch.normalized.count
  }

  private func match(
    utf8 bytes: UnsafeBufferPointer<UInt8>, scratch: inout TextMatchScratch, quote: Quote
  ) -> TextMatches {
    // Chat-sized valid text: normalized in the normalizer's buffers, and copied into a
    // `NormalizedText` only when a detector, a proximity or a pattern needs one.
    let inBuffers = tables.normalizer.withNormalizedBuffers(utf8: bytes) { buffers in
      matchInBuffers(buffers, utf8: bytes, scratch: &scratch, quote: quote)
    }
    if let inBuffers { return inBuffers }
    return matchByText(utf8: bytes, scratch: &scratch, quote: quote)
  }

  /// Every match of `bytes` through a `NormalizedText` (long or invalid texts, and those the
  /// buffers cannot hold; tests compare the buffer path with it), quoting as `match` does.
  func matchByText(utf8 bytes: UnsafeBufferPointer<UInt8>, scratch: inout TextMatchScratch) -> TextMatches {
    matchByText(utf8: bytes, scratch: &scratch, quote: .whenFound)
  }

  private func matchByText(
    utf8 bytes: UnsafeBufferPointer<UInt8>, scratch: inout TextMatchScratch, quote: Quote
  ) -> TextMatches {
    tables.normalizer.normalize(utf8: bytes, into: &scratch.normalized)
    if scratch.normalized.sawInvalidUTF8 {
      // Bytes from outside the decoder: repair them the way `String(decoding:)` does (one U+FFFD
      // per maximal invalid subsequence), as matching a `String` would.
      var repaired = String(decoding: bytes, as: UTF8.self)
      return repaired.withUTF8 { matchByText(utf8: $0, scratch: &scratch, quote: quote) }
    }
    if tables.listCount > 0 {
      tables.automaton.findMatches(
        in: scratch.normalized, into: &scratch.termMatches, scratch: &scratch.candidates)
    } else if !scratch.termMatches.isEmpty {
      scratch.termMatches.removeAll(keepingCapacity: true)
    }
    // Long texts come this way: their digit stretches are measured in the gate's pass.
    let gate = DetectorGate(scratch.normalized.scalars, measuringStretches: true)
    return matchNormalized(utf8: bytes, scratch: &scratch, quote: quote, gate: gate)
  }

  /// Whether a text whose term matches are in `scratch.termMatches` needs more than its term
  /// matches: a proximity with a contact word, or a detector or pattern whose gate is open.
  @inline(__always)
  private func needsDetectors(_ gate: DetectorGate, scratch: TextMatchScratch) -> Bool {
    if !tables.patterns.isEmpty { return true }
    if tables.proximityCount > 0 {
      let isProximityList = tables.isProximityList
      for m in scratch.termMatches
      where Int(m.list) < isProximityList.count && isProximityList[Int(m.list)] {
        return true
      }
    }
    if tables.allowLists.isEmpty && !tables.detectEmail && !tables.detectPhone && !tables.detectBankCard
      && !tables.detectAddress && tables.phoneRegions.isEmpty
    {
      return false
    }
    return (!tables.allowLists.isEmpty && gate.mayHoldURL) || (tables.detectEmail && gate.mayHoldEmail)
      || (tables.detectPhone && gate.digits >= 10) || (tables.detectBankCard && gate.digits >= 13)
      || (tables.detectAddress && gate.mayHoldAddress)
      || (!tables.phoneRegions.isEmpty && gate.digits >= RegionalPhoneDetector.minimumDigits)
  }

  /// The matches of a text normalized in buffers. Term matches take their evidence from the
  /// buffers; the detectors, proximities and patterns read a `NormalizedText`, so a text that
  /// needs one of them is copied into `scratch.normalized` first.
  private func matchInBuffers(
    _ buffers: NormalizedBuffers, utf8 bytes: UnsafeBufferPointer<UInt8>, scratch: inout TextMatchScratch,
    quote: Quote
  ) -> TextMatches {
    let listCount = tables.listCount
    if listCount > 0 {
      tables.automaton.findMatches(
        scalars: buffers.scalars, gaps: buffers.gaps, into: &scratch.termMatches,
        scratch: &scratch.candidates)
    } else if !scratch.termMatches.isEmpty {
      scratch.termMatches.removeAll(keepingCapacity: true)
    }
    // The detectors' necessary conditions, read once (the detectors then skip what they rule out).
    let gate = DetectorGate(buffers.scalars)
    if needsDetectors(gate, scratch: scratch) {
      buffers.copy(into: &scratch.normalized)
      return matchNormalized(utf8: bytes, scratch: &scratch, quote: quote, gate: gate)
    }
    var result = tables.empty()
    result.normalizedLength = buffers.count
    let found = Self.appendListMatches(scratch.termMatches, listCount: listCount, to: &result) {
      buffers.originalRange(from: $0, to: $1)
    }
    if quote == .always || (quote == .whenFound && found) {
      result.original = OriginalText(utf8: Array(bytes))
    }
    return result
  }

  /// Appends the term matches of the request's lists to `result` as list matches, each with the
  /// original range `originalRange` maps its normalized one to (as `TextEvidence` does); true when
  /// there was one. Matches come sorted by list, then start: the flat array keeps that order.
  @inline(__always)
  private static func appendListMatches(
    _ termMatches: [TermAutomaton.Match], listCount: Int, to result: inout TextMatches,
    originalRange: (Int, Int) -> Range<Int>
  ) -> Bool {
    guard !termMatches.isEmpty else { return false }
    var found = false
    result.listMatches.reserveCapacity(termMatches.count)
    for m in termMatches where Int(m.list) < listCount {
      let original = originalRange(m.start, m.end)
      let match = TextMatch(start: original.lowerBound, end: original.upperBound, entry: Int(m.term))
      result.listMatches.append(TextMatches.ListMatch(list: Int(m.list), match: match))
      found = true
    }
    return found
  }

  /// The matches of the text in `scratch.normalized` whose term matches are in
  /// `scratch.termMatches`: list matches, proximities, detectors and patterns. `gate` holds the
  /// detectors' necessary conditions on its scalars; `bytes` are the text's UTF-8, to quote.
  private func matchNormalized(
    utf8 bytes: UnsafeBufferPointer<UInt8>, scratch: inout TextMatchScratch, quote: Quote, gate: DetectorGate
  ) -> TextMatches {
    let request = tables.request
    let patterns = tables.patterns
    let allowLists = tables.allowLists
    let listCount = tables.listCount
    var result = tables.empty()
    let normalized = scratch.normalized
    result.normalizedLength = normalized.count
    var found = Self.appendListMatches(scratch.termMatches, listCount: listCount, to: &result) {
      normalized.originalRange(from: $0, to: $1)
    }
    // The rarer kinds are gathered here and boxed once, only when one of them matched.
    var rareFound = false
    var proximities: [[TextMatch]] = []
    if !request.proximities.isEmpty && !scratch.termMatches.isEmpty {
      // A proximity needs a contact word; most texts have none.
      for (index, slot) in request.proximities.enumerated()
      where scratch.termMatches.contains(where: { Int($0.list) == slot.list }) {
        let words = scratch.termMatches.filter { Int($0.list) == slot.list }
        let hits = ProximityDetector.find(in: normalized, contactWords: words, within: slot.distance)
        if !hits.isEmpty {
          if proximities.isEmpty {
            proximities = [[TextMatch]](repeating: [], count: request.proximities.count)
          }
          proximities[index] = hits.map(Self.textMatch)
          rareFound = true
        }
      }
    }
    // Necessary conditions of the detectors, from one pass over the normalized scalars: a URL
    // needs a dot (`.`, `。`, `．`) or the `:` of a scheme, an e-mail address an `@`, a phone number
    // 10 ASCII digits, a bank card 13.
    var urls: [[TextMatch]] = []
    if !allowLists.isEmpty && gate.mayHoldURL {
      let detected = URLDetector.find(in: normalized)
      if !detected.isEmpty {
        let counted = allowLists.map { allow in
          detected.filter { url in allow.map { !$0.admits(host: url.host) } ?? true }
            .map { Self.textMatch($0.evidence) }
        }
        if counted.contains(where: { !$0.isEmpty }) {
          urls = counted
          rareFound = true
        }
      }
    }
    var emails: [TextMatch] = []
    if tables.detectEmail, gate.mayHoldEmail {
      emails = EmailDetector.find(in: normalized).map(Self.textMatch)
      if !emails.isEmpty { rareFound = true }
    }
    // A phone number needs a run of 7 digits at least (a local number after an area code), a
    // bank card 13: one scan bounds the runs' lengths before the detectors walk them. Only texts
    // with many digits scatter them so: a chat message's digits are mostly one order number, which
    // the scan would only confirm.
    var longestRun = Int.max
    let detectRegional = !tables.phoneRegions.isEmpty && gate.digits >= RegionalPhoneDetector.minimumDigits
    if ((tables.detectPhone && gate.digits >= 10) || (tables.detectBankCard && gate.digits >= 13)
      || detectRegional) && gate.digits >= Self.digitsWorthAStretchScan
    {
      let enough = tables.detectBankCard ? 13 : 7
      longestRun =
        gate.longestDigitStretch
        ?? normalized.scalars.withUnsafeBufferPointer { DigitRuns.longestStretch($0, enough: enough) }
    }
    var phones: [TextMatch] = []
    if tables.detectPhone, gate.digits >= 10, longestRun >= 7 {
      phones = PhoneDetector.find(in: normalized).map(Self.textMatch)
      if !phones.isEmpty { rareFound = true }
    }
    var regionalPhones: [TextMatch] = []
    if detectRegional, longestRun >= 7 {
      regionalPhones = RegionalPhoneDetector.find(in: normalized, regions: tables.phoneRegions)
      if !regionalPhones.isEmpty { rareFound = true }
    }
    var bankCards: [TextMatch] = []
    if tables.detectBankCard, gate.digits >= 13, longestRun >= 13 {
      bankCards = BankCardDetector.find(in: normalized).map(Self.textMatch)
      if !bankCards.isEmpty { rareFound = true }
    }
    var addresses: [TextMatch] = []
    if tables.detectAddress, gate.mayHoldAddress {
      addresses = AddressDetector.find(in: normalized).map(Self.textMatch)
      if !addresses.isEmpty { rareFound = true }
    }
    var patternResults: [[TextMatch]] = []
    if !patterns.isEmpty {
      let results = patterns.map { pattern -> [TextMatch] in
        guard let pattern else { return [] }
        pattern.findMatches(in: normalized, into: &scratch.patternMatches, scratch: &scratch.pattern)
        return scratch.patternMatches.map { range in
          let original = normalized.originalRange(from: range.lowerBound, to: range.upperBound)
          return TextMatch(start: original.lowerBound, end: original.upperBound)
        }
      }
      if results.contains(where: { !$0.isEmpty }) {
        patternResults = results
        rareFound = true
      }
    }
    if rareFound {
      result.rare = TextMatches.RareMatches(
        proximities: proximities, urls: urls, emails: emails, phones: phones, bankCards: bankCards,
        addresses: addresses, patterns: patternResults, regionalPhones: regionalPhones)
      found = true
    }
    if quote == .always || (quote == .whenFound && found) {
      result.original = OriginalText(utf8: Array(bytes))
    }
    return result
  }
}

/// Reusable buffers for matching many texts one after another on one thread (each thread or
/// task keeps its own), so matching a message allocates little once they have grown.
public struct TextMatchScratch: Sendable {
  var normalized = NormalizedText()
  var termMatches: [TermAutomaton.Match] = []
  var candidates: [TermAutomaton.Match] = []
  var patternMatches: [Range<Int>] = []
  var pattern = Pattern.Scratch()

  /// Empty buffers.
  public init() {}
}

/// What the detectors need at least, counted in one pass over normalized scalars: a phone number
/// 10 ASCII digits, a bank card 13, an e-mail address an `@`, a URL either a scheme's `:/`
/// or a dot (`.`, `。`, `．`) between two labels' scalars (an ASCII letter or digit before it, a
/// letter, digit or `-` after it), as every host of two labels has (`Host.scan`), and a street
/// address a house number's digit directly before `号` or `弄`.
struct DetectorGate {
  var digits = 0
  var mayHoldURL = false
  var mayHoldEmail = false
  var mayHoldAddress = false

  /// The most digits in a stretch of digits and digit-run separators (`DigitRuns.isSeparator`),
  /// which bounds every digit run's length; nil when not measured (`measuringStretches` false).
  var longestDigitStretch: Int?

  /// The conditions of `scalars`, with the longest digit stretch when `measuringStretches` (long
  /// texts: there the same pass costs less than a second scan).
  @inline(__always)
  init(_ scalars: [UInt32], measuringStretches: Bool = false) {
    self.init()
    scalars.withUnsafeBufferPointer {
      self = measuringStretches ? DetectorGate($0, measuringStretches: true) : DetectorGate($0)
    }
  }

  @inline(__always)
  init() {}

  @inline(__always)
  init(_ scalars: UnsafeBufferPointer<UInt32>) {
    self.init(scalars, measuringStretches: false)
  }

  @inline(__always)
  init(_ scalars: UnsafeBufferPointer<UInt32>, measuringStretches: Bool) {
    // What the previous scalar was: an ASCII letter or digit, a dot after one, a `:`.
    var previousAlphanumeric = false
    var afterDot = false
    var afterColon = false
    var stretch = 0
    var longest = 0
    for v in scalars {
      if v < 0x80 {
        let isDigit = v &- 0x30 < 10
        let isAlphanumeric = isDigit || (v | 0x20) &- 0x61 < 26
        if (afterDot && (isAlphanumeric || v == 0x2D)) || (afterColon && v == 0x2F) { mayHoldURL = true }
        if isDigit { digits &+= 1 }
        if v == 0x40 { mayHoldEmail = true }
        afterDot = v == 0x2E && previousAlphanumeric
        afterColon = v == 0x3A
        previousAlphanumeric = isAlphanumeric
        if measuringStretches {
          if isDigit {
            stretch &+= 1
            if stretch > longest { longest = stretch }
          } else if !DigitRuns.isSeparator(v) {
            stretch = 0
          }
        }
      } else {
        if previousAlphanumeric && (v == 0x53F7 || v == 0x5F04) { mayHoldAddress = true }
        afterDot = (v == 0x3002 || v == 0xFF0E) && previousAlphanumeric
        afterColon = false
        previousAlphanumeric = false
        if measuringStretches && !DigitRuns.isSeparator(v) { stretch = 0 }
      }
    }
    if measuringStretches { longestDigitStretch = longest }
  }
}
