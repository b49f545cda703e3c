/// The Public Suffix List (generated from Debian's `publicsuffix` by
/// Scripts/generate-public-suffix.py), decoded once at first use.
///
/// Hosts are ASCII (internationalized labels in Punycode), lower case, labels joined by `.`.
public struct PublicSuffixList: Sendable, Equatable {
  /// The list the library was built with.
  public static let shared = PublicSuffixList(packed: publicSuffixPacked)
  /// The version of the list (the Debian package version).
  public static let version = publicSuffixVersion

  private var rules: Set<String> = []
  private var wildcards: Set<String> = []
  private var exceptions: Set<String> = []
  private var topLevel: Set<String> = []
  /// The top-level domains again, for lookups by normalized scalars (no `String` per candidate).
  private var topLevelLabels = ScalarLabelTable([])

  /// Decodes the packed format (see the generator script): one line per top-level domain,
  /// `tld=` when the domain is itself a rule or `tld:` when it is not, then its rules below it
  /// separated by spaces (`!x` an exception, `*` or `*.x` a wildcard).
  ///
  /// Read as bytes: splitting the 93 kB `String` by `Character` cost ~40 ms at the first URL.
  init(packed: String) {
    var packed = packed
    packed.withUTF8 { bytes in
      func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
      }
      var lineStart = 0
      while lineStart < bytes.count {
        var lineEnd = lineStart
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        defer { lineStart = lineEnd + 1 }
        var mark = lineStart
        while mark < lineEnd, bytes[mark] != UInt8(ascii: "="), bytes[mark] != UInt8(ascii: ":") {
          mark += 1
        }
        guard mark < lineEnd else { continue }
        let tld = text(lineStart..<mark)
        topLevel.insert(tld)
        if bytes[mark] == UInt8(ascii: "=") { rules.insert(tld) }
        var wordStart = mark + 1
        while wordStart < lineEnd {
          var wordEnd = wordStart
          while wordEnd < lineEnd, bytes[wordEnd] != UInt8(ascii: " ") { wordEnd += 1 }
          defer { wordStart = wordEnd + 1 }
          guard wordEnd > wordStart else { continue }
          let word = text(wordStart..<wordEnd)
          if bytes[wordStart] == UInt8(ascii: "!") {
            exceptions.insert(word.dropFirst() + "." + tld)
          } else if word == "*" {
            wildcards.insert(tld)
          } else if word.hasPrefix("*.") {
            wildcards.insert(word.dropFirst(2) + "." + tld)
          } else {
            rules.insert(word + "." + tld)
          }
        }
      }
    }
    topLevelLabels = ScalarLabelTable(topLevel)
  }

  /// A list of these rules (`rules` holds the plain rules, `wildcards` the `x` of each `*.x`).
  init(rules: Set<String>, wildcards: Set<String>, exceptions: Set<String>, topLevel: Set<String>) {
    self.rules = rules
    self.wildcards = wildcards
    self.exceptions = exceptions
    self.topLevel = topLevel
    topLevelLabels = ScalarLabelTable(topLevel)
  }

  /// Whether `label` is a top-level domain of the list.
  public func isTopLevelDomain(_ label: String) -> Bool { topLevel.contains(label) }

  /// Whether the scalars `text[range]`, ASCII upper case read as lower case, are a top-level
  /// domain of the list: `isTopLevelDomain` of the lower-cased label, without building it.
  func isTopLevelDomain(_ text: [UInt32], _ range: Range<Int>) -> Bool {
    text.withUnsafeBufferPointer { topLevelLabels.contains($0, range) }
  }

  /// `isTopLevelDomain(_:_:)` on a buffer of normalized scalars.
  func isTopLevelDomain(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Bool {
    topLevelLabels.contains(text, range)
  }

  /// The public suffix of `host` (`co.uk` for `a.b.co.uk`), by the list's algorithm: an exception
  /// rule wins, else the rule with the most labels, else the last label.
  public func publicSuffix(of host: String) -> String {
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    guard let last = labels.last else { return host }
    var best = 1
    var suffix = String(last)
    var k = 1
    while k <= labels.count {
      if k > 1 { suffix = labels[labels.count - k] + "." + suffix }
      if exceptions.contains(suffix) { return labels.suffix(k - 1).joined(separator: ".") }
      if rules.contains(suffix) { best = max(best, k) }
      if k > 1 {
        let parent = labels.suffix(k - 1).joined(separator: ".")
        if wildcards.contains(parent) { best = max(best, k) }
      }
      k += 1
    }
    return labels.suffix(best).joined(separator: ".")
  }

  /// The registrable domain of `host` (the public suffix plus one label: `yangkeduo.com` for
  /// `mobile.yangkeduo.com`), or nil when the host is itself a public suffix.
  public func registrableDomain(of host: String) -> String? {
    let suffix = publicSuffix(of: host)
    let suffixLabels = suffix.split(separator: ".", omittingEmptySubsequences: false).count
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count > suffixLabels else { return nil }
    return labels.suffix(suffixLabels + 1).joined(separator: ".")
  }
}

/// A `domains` list: an entry admits itself and every subdomain (`yangkeduo.com` admits
/// `mobile.yangkeduo.com`, not `yangkeduo.com.evil.cn` or `notyangkeduo.com`).
public struct DomainAllowList: Sendable, Equatable {
  /// The entries, lower case, without a leading `.` or `*.`.
  public let entries: [String]

  /// Creates an allow-list; entries are lower-cased and a leading `*.` or `.` is dropped.
  public init(_ entries: [String]) {
    self.entries = entries.map { entry in
      var e = entry.lowercased()
      if e.hasPrefix("*.") { e.removeFirst(2) }
      if e.hasPrefix(".") { e.removeFirst() }
      return e
    }
  }

  /// Whether `host` is an entry or a subdomain of one.
  public func admits(host: String) -> Bool {
    let h = host.lowercased()
    return entries.contains { !$0.isEmpty && (h == $0 || h.hasSuffix("." + $0)) }
  }
}
