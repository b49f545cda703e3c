// The simple implementation of `TextMatcher`: per-scalar folding (full-width ASCII to ASCII, then
// lower case) and plain substring search. It keeps one scalar per original scalar, so offsets need
// no map. It stands in for the text layer's normalizer, term automaton and detectors.

/// Substring search over lower-cased text; straightforward detectors.
public struct SimpleTextMatcher: TextMatcher {
  private let request: TextRequest
  /// Folded entries per list: (entry index, folded scalars), longest first.
  private let foldedLists: [[(entry: Int, scalars: [UInt32])]]
  private let foldedPatterns: [[UInt32]]

  /// A matcher for `request`.
  public init(request: TextRequest) {
    self.request = request
    foldedLists = request.lists.map { entries in
      var out: [(entry: Int, scalars: [UInt32])] = []
      for (index, spellings) in entries.enumerated() {
        for spelling in spellings {
          let folded = spelling.unicodeScalars.map { Self.fold($0.value) }
          if !folded.isEmpty { out.append((index, folded)) }
        }
      }
      return out
    }
    foldedPatterns = request.patterns.map { $0.unicodeScalars.map { Self.fold($0.value) } }
  }

  static func fold(_ value: UInt32) -> UInt32 {
    var v = value
    if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
    if v >= 0x41 && v <= 0x5A { return v + 0x20 }
    if v < 0x80 { return v }
    guard let scalar = Unicode.Scalar(v) else { return v }
    let lower = scalar.properties.lowercaseMapping.unicodeScalars
    if lower.count == 1, let first = lower.first { return first.value }
    return v
  }

  /// Every match of `text`.
  public func match(_ text: String) -> TextMatches {
    var result = TextMatches()
    result.original = Array(text.unicodeScalars)
    let s = result.original.map { Self.fold($0.value) }
    result.normalizedLength = s.count
    result.lists = foldedLists.map { Self.findTerms($0, in: s) }
    result.proximities = request.proximities.map { slot in
      guard slot.list >= 0 && slot.list < result.lists.count else { return [] }
      return Self.proximity(result.lists[slot.list], distance: slot.distance, in: s)
    }
    let allURLs = Self.urls(in: s)
    result.urls = request.urlAllowLists.map { allowed in
      guard let allowed else { return allURLs }
      return allURLs.filter { !Self.hostAllowed(Self.host(of: $0, in: s), allowed) }
    }
    result.emails = Self.emails(in: s)
    let runs = Self.digitRuns(in: s)
    result.phones = runs.filter { $0.digits.count == 11 && $0.digits.first == 1 }.map(\.match)
    result.bankCards = runs.filter { (13...19).contains($0.digits.count) && Self.luhn($0.digits) }
      .map(\.match)
    result.patterns = foldedPatterns.map { Self.contains($0, in: s) }
    return result
  }

  static func contains(_ needle: [UInt32], in s: [UInt32]) -> Bool {
    guard !needle.isEmpty, needle.count <= s.count else { return needle.isEmpty }
    for i in 0...(s.count - needle.count) where s[i..<(i + needle.count)].elementsEqual(needle) {
      return true
    }
    return false
  }

  /// Leftmost-longest, non-overlapping occurrences of any entry.
  static func findTerms(_ entries: [(entry: Int, scalars: [UInt32])], in s: [UInt32]) -> [TextMatch] {
    var out: [TextMatch] = []
    var i = 0
    while i < s.count {
      var best: TextMatch?
      for (entry, needle) in entries where needle.count <= s.count - i {
        if s[i..<(i + needle.count)].elementsEqual(needle) {
          if best.map({ needle.count > $0.end - $0.start }) ?? true {
            best = TextMatch(start: i, end: i + needle.count, entry: entry)
          }
        }
      }
      if let best {
        out.append(best)
        i = best.end
      } else {
        i += 1
      }
    }
    return out
  }

  static func isAccountScalar(_ v: UInt32) -> Bool {
    (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || v == 0x5F || v == 0x2D
  }

  /// A term followed, within `distance` characters after it, by an account token.
  static func proximity(_ terms: [TextMatch], distance: Int, in s: [UInt32]) -> [TextMatch] {
    var out: [TextMatch] = []
    var lastEnd = 0
    for term in terms where term.start >= lastEnd {
      var j = term.end
      while j < s.count && j - term.end <= distance {
        if isAccountScalar(s[j]) && (j == 0 || !isAccountScalar(s[j - 1]) || j == term.end) {
          var k = j
          while k < s.count && isAccountScalar(s[k]) { k += 1 }
          if k - j >= 5 {
            out.append(TextMatch(start: term.start, end: k, entry: term.entry))
            lastEnd = k
            break
          }
          j = k
        } else {
          j += 1
        }
      }
    }
    return out
  }

  static func isURLScalar(_ v: UInt32) -> Bool {
    v > 0x20 && v < 0x7F && v != 0x22 && v != 0x27 && v != 0x3C && v != 0x3E
  }

  static func urls(in s: [UInt32]) -> [TextMatch] {
    let starts = ["https://", "http://", "www."].map { $0.unicodeScalars.map(\.value) }
    var out: [TextMatch] = []
    var i = 0
    while i < s.count {
      let hit = starts.first { $0.count <= s.count - i && s[i..<(i + $0.count)].elementsEqual($0) }
      if let hit, i + hit.count < s.count, isURLScalar(s[i + hit.count]) {
        var j = i + hit.count
        while j < s.count && isURLScalar(s[j]) { j += 1 }
        out.append(TextMatch(start: i, end: j))
        i = j
      } else {
        i += 1
      }
    }
    return out
  }

  static func host(of match: TextMatch, in s: [UInt32]) -> String {
    var view = String.UnicodeScalarView()
    for v in s[match.start..<match.end] { if let u = Unicode.Scalar(v) { view.append(u) } }
    var text = String(view)
    if let range = text.range(of: "://") { text = String(text[range.upperBound...]) }
    let host = text.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }
    return String(host)
  }

  static func hostAllowed(_ host: String, _ allowed: [String]) -> Bool {
    allowed.contains { host == $0 || host.hasSuffix("." + $0) }
  }

  static func emails(in s: [UInt32]) -> [TextMatch] {
    func local(_ v: UInt32) -> Bool { isAccountScalar(v) || v == 0x2E || v == 0x2B || v == 0x25 }
    func domain(_ v: UInt32) -> Bool { isAccountScalar(v) && v != 0x5F || v == 0x2E }
    var out: [TextMatch] = []
    var lastEnd = 0
    for (at, v) in s.enumerated() where v == 0x40 && at >= lastEnd {
      var lo = at
      while lo > lastEnd && local(s[lo - 1]) { lo -= 1 }
      var hi = at + 1
      while hi < s.count && domain(s[hi]) { hi += 1 }
      while hi > at + 1 && s[hi - 1] == 0x2E { hi -= 1 }
      let domainPart = s[(at + 1)..<hi]
      if lo < at && domainPart.contains(0x2E) && domainPart.first != 0x2E {
        out.append(TextMatch(start: lo, end: hi))
        lastEnd = hi
      }
    }
    return out
  }

  struct DigitRun {
    var match: TextMatch
    var digits: [Int]
  }

  /// ASCII digit runs; one space or `-` may separate digits.
  static func digitRuns(in s: [UInt32]) -> [DigitRun] {
    func digit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    var out: [DigitRun] = []
    var i = 0
    while i < s.count {
      guard digit(s[i]) else {
        i += 1
        continue
      }
      var digits: [Int] = []
      var j = i
      var end = i
      while j < s.count {
        if digit(s[j]) {
          digits.append(Int(s[j] - 0x30))
          j += 1
          end = j
        } else if (s[j] == 0x20 || s[j] == 0x2D) && j + 1 < s.count && digit(s[j + 1]) {
          j += 1
        } else {
          break
        }
      }
      out.append(DigitRun(match: TextMatch(start: i, end: end), digits: digits))
      i = end
    }
    return out
  }

  static func luhn(_ digits: [Int]) -> Bool {
    var sum = 0
    for (offset, d) in digits.reversed().enumerated() {
      if offset % 2 == 1 {
        let doubled = d * 2
        sum += doubled > 9 ? doubled - 9 : doubled
      } else {
        sum += d
      }
    }
    return sum % 10 == 0
  }
}
