/// Text after normalization, with a map from every normalized scalar back to the original.
///
/// Matching runs on `scalars`; evidence is reported in original scalar offsets through
/// `originStart`/`originEnd`, so `text[start..<end]` of the original equals the evidence's `match`
/// even when a full-width digit became ASCII, a Traditional character became Simplified, or a
/// zero-width space was removed from inside a word.
///
/// Buffers are reused across messages (`removeAll(keepingCapacity:)`), so normalizing a message
/// allocates nothing once the buffers have grown. A long text (over
/// `Normalizer.temporaryBufferLimit` scalars) is normalized in these arrays themselves: it costs
/// 17 bytes per scalar (four 32-bit words and one gap byte), and nothing besides.
public struct NormalizedText: Sendable {
  /// The normalized scalars' values.
  public var scalars: [UInt32] = []
  /// For each normalized scalar, the index of the first original scalar it came from.
  public var originStart: [UInt32] = []
  /// For each normalized scalar, one past the last original scalar it came from.
  public var originEnd: [UInt32] = []
  /// For each normalized scalar, how many separators normalization removed just before it
  /// (saturating at 255). Digit runs and account tokens use it: a run may skip one separator.
  public var gapBefore: [UInt8] = []
  /// The original text's scalars, so evidence can quote what was written.
  public var original: [UInt32] = []

  /// Whether the last UTF-8 input held an invalid sequence (read as U+FFFD).
  var sawInvalidUTF8 = false

  public init() {}

  public var count: Int { scalars.count }

  public mutating func removeAll() {
    scalars.removeAll(keepingCapacity: true)
    originStart.removeAll(keepingCapacity: true)
    originEnd.removeAll(keepingCapacity: true)
    gapBefore.removeAll(keepingCapacity: true)
    original.removeAll(keepingCapacity: true)
    sawInvalidUTF8 = false
  }

  /// The original scalar range `start..<end` that normalized scalars `from..<to` came from.
  public func originalRange(from: Int, to: Int) -> Range<Int> {
    guard from < to, from >= 0, to <= count else { return 0..<0 }
    return Int(originStart[from])..<Int(originEnd[to - 1])
  }

  /// The original text of an original scalar range, for evidence's `match`.
  public func originalText(_ range: Range<Int>) -> String {
    var s = String.UnicodeScalarView()
    let lo = max(0, range.lowerBound)
    let hi = min(original.count, range.upperBound)
    guard lo < hi else { return "" }
    for v in original[lo..<hi] { if let u = Unicode.Scalar(v) { s.append(u) } }
    return String(s)
  }
}
