/// Digit runs as clauses.md defines them: after normalization, ASCII digits separated by single
/// separators join into one run; any other scalar (a comma or a CJK character included) ends it.
///
/// A single separator is either one kept separator scalar (`DigitRuns.isSeparator`) between two
/// digits with nothing removed around it, or at most one separator removed by normalization
/// (`gapBefore <= 1`) between adjacent digits.
struct DigitRun: Sendable, Equatable {
  /// Normalized index of the first digit.
  var start: Int
  /// One past the last digit.
  var end: Int
  /// How many digits the run holds.
  var digitCount: Int
}

enum DigitRuns {
  /// Separator scalars that may stand (once) between two digits of a run.
  static func isSeparator(_ v: UInt32) -> Bool {
    switch v {
    case 0x20, 0x2D, 0x2E, 0x5F, 0x2F, 0xB7, 0x3000, 0x30FB, 0x2027, 0x2010...0x2015, 0x2212,
      0xFF0D, 0xFF0E, 0xFF0F, 0xFF3F, 0xFF65:
      return true
    default:
      return false
    }
  }

  /// An upper bound on the digit count of every run of `scalars`, exact enough to rule detectors
  /// out: the most digits in a stretch of digits and run separators (`isSeparator`), which every
  /// run lies within. Stops early once a stretch holds `enough` digits (and returns that count).
  static func longestStretch(_ scalars: UnsafeBufferPointer<UInt32>, enough: Int) -> Int {
    var longest = 0
    var current = 0
    for v in scalars {
      if v &- 0x30 < 10 {
        current &+= 1
        if current > longest {
          longest = current
          if longest >= enough { break }
        }
      } else if !isSeparator(v) {
        current = 0
      }
    }
    return longest
  }

  /// Every maximal digit run of `text`, in order.
  static func runs(in text: NormalizedText) -> [DigitRun] {
    var out: [DigitRun] = []
    var i = 0
    while let run = run(from: i, in: text) {
      out.append(run)
      i = run.end
    }
    return out
  }

  /// The first maximal digit run starting at or after normalized index `from` (which is not
  /// inside a run: 0 or the end of the previous run), or nil. Allocates nothing, so detectors
  /// can walk the runs of a text without building an array.
  static func run(from: Int, in text: NormalizedText) -> DigitRun? {
    // Buffer pointers: the phone and bank card detectors call this once per run of the text.
    text.scalars.withUnsafeBufferPointer { s in
      text.gapBefore.withUnsafeBufferPointer { g in run(from: from, s, g) }
    }
  }

  /// `run(from:in:)` on normalized scalars `s` and removed-separator counts `g` (indices are
  /// checked against their counts before every read).
  private static func run(
    from: Int, _ s: UnsafeBufferPointer<UInt32>, _ g: UnsafeBufferPointer<UInt8>
  ) -> DigitRun? {
    func gap(before i: Int) -> UInt8 { i >= 0 && i < g.count ? g[i] : 0 }
    var i = max(from, 0)
    while i < s.count, !TextClass.isASCIIDigit(s[i]) { i += 1 }
    guard i < s.count else { return nil }
    let start = i
    var last = i
    var count = 1
    while true {
      let p = last + 1
      if p < s.count, TextClass.isASCIIDigit(s[p]), gap(before: p) <= 1 {
        last = p
      } else if p + 1 < s.count, isSeparator(s[p]), gap(before: p) == 0,
        TextClass.isASCIIDigit(s[p + 1]), gap(before: p + 1) == 0
      {
        last = p + 1
      } else {
        break
      }
      count += 1
    }
    return DigitRun(start: start, end: last + 1, digitCount: count)
  }

  /// The digits of a run as values 0-9, or nil when it holds more than `limit` digits.
  static func digits(of run: DigitRun, in text: NormalizedText, limit: Int = 24) -> [UInt8]? {
    guard run.digitCount <= limit else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(run.digitCount)
    for k in run.start..<run.end where TextClass.isASCIIDigit(text.scalars[k]) {
      out.append(UInt8(text.scalars[k] - 0x30))
    }
    return out
  }
}
