/// The normalization steps a policy chooses with `normalize ...` (Grammar.md 5.1).
///
/// The steps always run in one order, whatever the set: digit variants, NFKC, case folding,
/// Traditional to Simplified, canonical composition, then separators and Chinese-numeral runs.
public struct NormalizationOptions: OptionSet, Sendable, Hashable {
  /// The bit set.
  public let rawValue: UInt8

  /// Creates options from their bits.
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// Unicode NFKC: compatibility forms (full-width `ＡＢＣ１２３`, `㎏`, ligatures) become their
  /// plain forms, and decomposed text is composed.
  public static let nfkc = NormalizationOptions(rawValue: 1 << 0)
  /// Full Unicode case folding (`A` → `a`, `ß` → `ss`).
  public static let casefold = NormalizationOptions(rawValue: 1 << 1)
  /// Traditional Chinese characters become Simplified ones (`支付寶` → `支付宝`).
  public static let simplified = NormalizationOptions(rawValue: 1 << 2)
  /// Separators inside words and numbers are removed (`微​信` → `微信`, `q q 号` → `qq号`).
  public static let separators = NormalizationOptions(rawValue: 1 << 3)
  /// Digit variants become ASCII digits: other scripts' digits, circled and parenthesised
  /// numbers, and Chinese numerals inside a numeral run (`一三八零零一三八零零零`).
  public static let digits = NormalizationOptions(rawValue: 1 << 4)

  /// Every step; the shipped policies use it.
  public static let all: NormalizationOptions = [.nfkc, .casefold, .simplified, .separators, .digits]
  /// No step: text is matched as written.
  public static let none: NormalizationOptions = []

  /// The policy words, in the order Grammar.md lists them.
  public static let names: [String] = [
    "nfkc", "casefold", "simplified", "separators", "digits", "all", "none",
  ]

  /// The option a policy word names (`nfkc`, `casefold`, `simplified`, `separators`, `digits`,
  /// `all`, `none`), or nil for any other word.
  public init?(name: String) {
    switch name {
    case "nfkc": self = .nfkc
    case "casefold": self = .casefold
    case "simplified": self = .simplified
    case "separators": self = .separators
    case "digits": self = .digits
    case "all": self = .all
    case "none": self = .none
    default: return nil
    }
  }

  /// The policy words of this set, `all` or `none` when they say it shortest.
  public var policyWords: [String] {
    if self == .all { return ["all"] }
    if isEmpty { return ["none"] }
    let named: [(NormalizationOptions, String)] = [
      (.nfkc, "nfkc"), (.casefold, "casefold"), (.simplified, "simplified"),
      (.separators, "separators"), (.digits, "digits"),
    ]
    return named.filter { contains($0.0) }.map(\.1)
  }
}
