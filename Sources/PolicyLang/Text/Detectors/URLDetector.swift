/// A URL found in text: the evidence plus its host and registrable domain, so that the caller can
/// test it against a `domains` allow-list.
public struct URLMatch: Sendable, Equatable {
  /// The evidence (kind `url`).
  public var evidence: TextEvidence
  /// The host, lower case, labels joined by `.` (full-width and ideographic dots become `.`).
  public var host: String
  /// The registrable domain by the Public Suffix List, or nil (an IP address, a bare suffix).
  public var registrableDomain: String?
}

/// The `url` detector (Grammar.md 5.2).
///
/// A URL is one of:
/// - a scheme `http://` or `https://` followed by a host of one or more labels (an IPv4 address
///   included);
/// - `www.` followed by a host whose last label is a top-level domain of the Public Suffix List;
/// - a bare host of two or more labels whose last label is a top-level domain; when there are
///   exactly two labels and no port or path follows, the top-level domain must be a generic one
///   (three letters or more, not `zip` or `mov`) or one of `bareCountryDomains`, so that `readme.md`,
///   `Mr.Li` and `file.txt` do not fire.
/// Labels are ASCII letters, digits and `-` (1-63, no `-` at either end), separated by `.`, the
/// full-width `．` or the ideographic `。`. CJK text is never part of a host, so `滚筒洗衣机` never
/// fires. A host must not follow an ASCII letter, digit, `.`, `-`, `_`, `@` (an e-mail address) or
/// `/` directly. An optional `:port` and a path, query or fragment (`/ ? #` then printable ASCII
/// other than `< > " ' \` ^ { | }`, ending at a removed separator) follow; trailing `. , ; : ! ? )`
/// are not part of the URL.
public enum URLDetector {
  /// Two-letter country domains that bare two-label hosts may use (common in links in China).
  public static let bareCountryDomains: Set<String> = [
    "cn", "cc", "hk", "tw", "tv", "me", "io", "co", "la", "ws", "to", "us", "uk", "jp",
  ]
  /// Generic top-level domains that are also common file extensions.
  public static let fileExtensionDomains: Set<String> = ["zip", "mov"]

  /// The URLs of `text`, leftmost-longest without overlaps.
  public static func find(in text: NormalizedText, psl: PublicSuffixList = .shared) -> [URLMatch] {
    let s = text.scalars
    var out: [URLMatch] = []
    var i = 0
    while i < s.count {
      // A host or scheme starts with an ASCII letter or digit, after a boundary: most positions
      // fail these two cheap tests, and `url(at:)` does the rest.
      if TextClass.isASCIIAlnum(s[i]), Host.startsAfterBoundary(text, i),
        let m = url(at: i, in: text, psl: psl)
      {
        out.append(m)
        i = m.evidence.normalizedEnd
      } else {
        i += 1
      }
    }
    return out
  }

  /// The URLs whose host the allow-list does not admit.
  public static func find(
    in text: NormalizedText, outside allowList: DomainAllowList, psl: PublicSuffixList = .shared
  ) -> [URLMatch] {
    find(in: text, psl: psl).filter { !allowList.admits(host: $0.host) }
  }

  static let http = Scan.scalars("http://")
  static let https = Scan.scalars("https://")
  static let www = Scan.scalars("www")

  /// The URL starting at normalized scalar `i`, if any (internal: tests compare `find` against it).
  static func url(at i: Int, in text: NormalizedText, psl: PublicSuffixList) -> URLMatch? {
    let s = text.scalars
    guard Host.startsAfterBoundary(text, i) else { return nil }
    var hostStart = i
    var scheme = false
    if Scan.hasWord(s, at: i, https) {
      hostStart = i + https.count
      scheme = true
    } else if Scan.hasWord(s, at: i, http) {
      hostStart = i + http.count
      scheme = true
    }
    // Without a scheme, a host needs two labels and a top-level domain (checked again below):
    // rule most candidates out, by the last label's scalars, before building every label's `String`.
    guard let shape = Host.scan(text, at: hostStart) else { return nil }
    if !scheme {
      guard shape.labelCount >= 2, psl.isTopLevelDomain(s, shape.lastLabel) else { return nil }
    }
    guard let host = Host.parse(text, at: hostStart) else { return nil }
    let labels = host.labels
    guard let tld = labels.last else { return nil }
    var end = host.end
    // Port.
    if end + 1 < s.count, s[end] == 0x3A, TextClass.isASCIIDigit(s[end + 1]), text.gap(before: end) == 0 {
      var p = end + 1
      while p < s.count, TextClass.isASCIIDigit(s[p]), p - end <= 5, text.gap(before: p) == 0 { p += 1 }
      end = p
    }
    // Path, query, fragment.
    var hasPath = end > host.end
    if end < s.count, [0x2F, 0x3F, 0x23].contains(s[end]), text.gap(before: end) == 0 {
      hasPath = true
      var p = end + 1
      while p < s.count, isPathScalar(s[p]), text.gap(before: p) == 0 { p += 1 }
      end = p
      // Trailing sentence punctuation is not part of the URL.
      while end > host.end + 1, [0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29].contains(s[end - 1]) { end -= 1 }
    }
    if !scheme {
      let isIPv4 = labels.allSatisfy { $0.allSatisfy(\.isNumber) }
      guard labels.count >= 2, !isIPv4, psl.isTopLevelDomain(tld), !tld.allSatisfy(\.isNumber) else {
        return nil
      }
      let startsWithWWW = labels.count >= 3 && labels[0] == "www"
      if labels.count == 2 && !hasPath && !startsWithWWW {
        let generic = tld.count >= 3 && !fileExtensionDomains.contains(tld)
        guard generic || bareCountryDomains.contains(tld) else { return nil }
      }
    }
    let hostString = labels.joined(separator: ".")
    let isIPv4 = labels.count == 4 && labels.allSatisfy { $0.allSatisfy(\.isNumber) }
    let evidence = TextEvidence(kind: .url, normalized: i..<end, in: text)
    return URLMatch(
      evidence: evidence, host: hostString,
      registrableDomain: isIPv4 ? nil : psl.registrableDomain(of: hostString))
  }

  private static func isPathScalar(_ v: UInt32) -> Bool {
    guard v > 0x20, v < 0x7F else { return false }
    switch v {
    case 0x3C, 0x3E, 0x22, 0x27, 0x5C, 0x60, 0x5E, 0x7B, 0x7C, 0x7D: return false
    default: return true
    }
  }
}

/// Host names in normalized text, shared by the URL and e-mail detectors.
enum Host {
  struct Parsed {
    var labels: [String]
    var end: Int
  }

  @inline(__always) static func isLabelScalar(_ v: UInt32) -> Bool { TextClass.isASCIIAlnum(v) || v == 0x2D }
  @inline(__always) static func isDot(_ v: UInt32) -> Bool { v == 0x2E || v == 0x3002 || v == 0xFF0E }

  /// Whether a host or URL may start at `i`: not glued to a preceding word, host or address.
  @inline(__always) static func startsAfterBoundary(_ text: NormalizedText, _ i: Int) -> Bool {
    guard i > 0, text.gap(before: i) == 0 else { return true }
    let p = text.scalars[i - 1]
    return !(TextClass.isASCIIAlnum(p) || isDot(p) || p == 0x2D || p == 0x5F || p == 0x40 || p == 0x2F)
  }

  /// What `parse` would find, without building the labels: how many, the last one's range and
  /// the end. Same rules as `parse` (nil exactly when `parse` gives nil); the e-mail detector
  /// tries a host after every `@`, and only the top-level domain needs a `String`.
  struct Shape {
    var labelCount: Int
    var lastLabel: Range<Int>
    var end: Int
  }

  /// Whether `s[range]` is all ASCII digits (a label of digits is no top-level domain).
  static func isNumeric(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Bool {
    range.allSatisfy { $0 >= 0 && $0 < s.count && TextClass.isASCIIDigit(s[$0]) }
  }

  /// The shape of the host at `start` (see `Shape`).
  static func scan(_ text: NormalizedText, at start: Int) -> Shape? {
    text.scalars.withUnsafeBufferPointer { scan($0, at: start) }
  }

  /// The shape of the host at `start` of normalized scalars `s` (see `Shape`). Every read is
  /// checked against `s.count` first.
  static func scan(_ s: UnsafeBufferPointer<UInt32>, at start: Int) -> Shape? {
    guard start >= 0 else { return nil }
    var count = 0
    var last = start..<start
    var p = start
    while true {
      let labelStart = p
      while p < s.count, isLabelScalar(s[p]), p - labelStart < 64 { p += 1 }
      guard p > labelStart, p - labelStart <= 63, p >= s.count || !isLabelScalar(s[p]),
        s[labelStart] != 0x2D, s[p - 1] != 0x2D
      else { return nil }
      count += 1
      last = labelStart..<p
      if p + 1 < s.count, isDot(s[p]), isLabelScalar(s[p + 1]) {
        p += 1
      } else {
        break
      }
    }
    return Shape(labelCount: count, lastLabel: last, end: p)
  }

  /// Labels from `start`: at least one valid label; stops before a dot not followed by a label.
  /// A separator removed inside a host (`gapBefore`) does not end it: a disguised host is a host.
  static func parse(_ text: NormalizedText, at start: Int) -> Parsed? {
    let s = text.scalars
    var labels: [String] = []
    var p = start
    while true {
      var label = String.UnicodeScalarView()
      let labelStart = p
      while p < s.count, isLabelScalar(s[p]), p - labelStart < 64 {
        if let u = Unicode.Scalar(Scan.lowerASCII(s[p])) { label.append(u) }
        p += 1
      }
      let l = String(label)
      guard !l.isEmpty, p - labelStart <= 63, p >= s.count || !isLabelScalar(s[p]),
        l.first != "-", l.last != "-"
      else { return nil }
      labels.append(l)
      if p + 1 < s.count, isDot(s[p]), isLabelScalar(s[p + 1]) {
        p += 1
      } else {
        break
      }
    }
    return Parsed(labels: labels, end: p)
  }
}
