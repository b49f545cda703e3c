/// A numbering plan `contains phone in [...]` may name (Grammar.md 5.2).
public enum PhoneRegion: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Mainland China: the shapes of `PhoneDetector` (`contains phone`).
  case cn
  /// +1, the North American Numbering Plan (US, Canada and the other NANP countries).
  case us
  /// +65, Singapore.
  case sg
  /// +60, Malaysia.
  case my
  /// +63, the Philippines.
  case ph
  /// +886, Taiwan.
  case tw
  /// Any E.164 number written with `+`.
  case intl

  /// The region's fixed code in compiled programs and in `TextMatch.entry` (never derived from
  /// declaration order).
  public var code: UInt8 {
    switch self {
    case .cn: return 0
    case .us: return 1
    case .sg: return 2
    case .my: return 3
    case .ph: return 4
    case .tw: return 5
    case .intl: return 6
    }
  }

  /// The region with this code.
  public init?(code: UInt8) {
    guard let region = Self.allCases.first(where: { $0.code == code }) else { return nil }
    self = region
  }

  public static func < (a: PhoneRegion, b: PhoneRegion) -> Bool { a.code < b.code }
}

/// The phone numbers of the plans `contains phone in [...]` names. `cn` is `PhoneDetector`; the
/// others look at whole digit runs (`DigitRuns`) the same way, so a number inside a longer run
/// (an order number) never fires, and a run glued to an ASCII letter (`SF1234567890`) is a code,
/// not a number. A run is a number of a plan in its national form, or in its international form
/// after the plan's country code: `+` directly before the run (the evidence then starts at the
/// `+`) or `00`. A parenthesized area code before the rest (`(415) 555-2671`) joins it.
public enum RegionalPhoneDetector {
  /// The fewest digits a number of any plan has (a Singapore number: 8).
  public static let minimumDigits = 8

  /// The numbers of `text` under `regions`, in order; each match's `entry` is its region's
  /// `code`. A number that fits several plans is reported once per plan.
  public static func find(in text: NormalizedText, regions: Set<PhoneRegion>) -> [TextMatch] {
    var out: [TextMatch] = []
    if regions.contains(.cn) {
      out += PhoneDetector.find(in: text).map {
        TextMatch(start: $0.start, end: $0.end, entry: Int(PhoneRegion.cn.code))
      }
    }
    let others = PhoneRegion.allCases.filter { $0 != .cn && regions.contains($0) }
    guard !others.isEmpty else { return out }
    let s = text.scalars
    var previous: DigitRun? = nil
    var beforePrevious: DigitRun? = nil
    var next = DigitRuns.run(from: 0, in: text)
    while let run = next {
      defer {
        beforePrevious = previous
        previous = run
        next = DigitRuns.run(from: run.end, in: text)
      }
      guard run.digitCount >= 7, run.digitCount <= 17, !isGluedToLetter(run, in: text) else { continue }
      guard let digits = DigitRuns.digits(of: run, in: text, limit: 17) else { continue }
      // `(415) 555-2671`: the area code in parentheses before the local number.
      if run.digitCount == 7,
        let area = previous.flatMap({ PhoneDetector.parenthesizedAreaCode($0, before: run, in: text) }),
        area.digitCount == 3, let code = DigitRuns.digits(of: area, in: text)
      {
        var start = area.start > 0 && s[area.start - 1] == 0x28 ? area.start - 1 : area.start
        // `+1 (415) 555-2671`: the country code before the parentheses belongs to the number.
        if let one = beforePrevious, one.digitCount == 1, s[one.start] == 0x31, one.start > 0,
          s[one.start - 1] == 0x2B, text.gap(before: one.start) == 0, start - one.end <= 1
        {
          start = one.start - 1
        }
        if others.contains(.us) && isNANP(code + digits) { out.append(match(start..<run.end, .us, in: text)) }
        continue
      }
      let plus = run.start > 0 && s[run.start - 1] == 0x2B && text.gap(before: run.start) == 0
      for region in others {
        guard let international = form(of: digits, plus: plus, region: region) else { continue }
        let start = plus && international ? run.start - 1 : run.start
        out.append(match(start..<run.end, region, in: text))
      }
    }
    return out.sorted { ($0.start, $0.end, $0.entry) < ($1.start, $1.end, $1.entry) }
  }

  private static func match(_ range: Range<Int>, _ region: PhoneRegion, in text: NormalizedText) -> TextMatch
  {
    let original = text.originalRange(from: range.lowerBound, to: range.upperBound)
    return TextMatch(start: original.lowerBound, end: original.upperBound, entry: Int(region.code))
  }

  /// Whether an ASCII letter touches the run (nothing removed between them).
  private static func isGluedToLetter(_ run: DigitRun, in text: NormalizedText) -> Bool {
    let s = text.scalars
    let before =
      run.start > 0 && text.gap(before: run.start) == 0 && TextClass.isASCIILetter(s[run.start - 1])
    let after = run.end < s.count && text.gap(before: run.end) == 0 && TextClass.isASCIILetter(s[run.end])
    return before || after
  }

  /// Whether the digits are a number of `region`: nil when not, else whether in the international
  /// form (after `+` or `00` and the country code).
  static func form(of d: [UInt8], plus: Bool, region: PhoneRegion) -> Bool? {
    let country: [UInt8]
    switch region {
    case .cn: return nil
    case .intl:
      // E.164: at most 15 digits after the `+`, the first (the country code's) not 0.
      return plus && (8...15).contains(d.count) && d[0] != 0 ? true : nil
    case .us: country = [1]
    case .sg: country = [6, 5]
    case .my: country = [6, 0]
    case .ph: country = [6, 3]
    case .tw: country = [8, 8, 6]
    }
    var rest: ArraySlice<UInt8>?
    if plus, d.starts(with: country) { rest = d.dropFirst(country.count) }
    if !plus, d.starts(with: [0, 0] + country) { rest = d.dropFirst(2 + country.count) }
    if let rest, isNational(Array(rest), region: region, afterCountryCode: true) { return true }
    return !plus && isNational(d, region: region, afterCountryCode: false) ? false : nil
  }

  /// The national numbers of a plan; after the country code a trunk `0` is left out.
  static func isNational(_ d: [UInt8], region: PhoneRegion, afterCountryCode: Bool) -> Bool {
    // Behind a country code the trunk prefix is gone: put it back and test the national form.
    if afterCountryCode && region != .us && region != .sg {
      return d.first != 0 && isNational([0] + d, region: region, afterCountryCode: false)
    }
    let n = d.count
    switch region {
    case .us:
      // Nationally also with the leading `1` (`1 415 555 2671`).
      if !afterCountryCode && n == 11 && d[0] == 1 { return isNANP(Array(d.dropFirst())) }
      return isNANP(d)
    case .sg:
      return n == 8 && [3, 6, 8, 9].contains(d[0])
    case .my:
      guard n >= 9, d[0] == 0 else { return false }
      if d[1] == 1 { return n == 10 || n == 11 }  // mobile 01x and 7-8 digits
      return (3...9).contains(d[1]) && (n == 9 || n == 10)  // landline 0[3-9] and 7-8 digits
    case .ph:
      guard n >= 10, d[0] == 0 else { return false }
      return (d[1] == 9 && n == 11) || (d[1] == 2 && n == 10)  // mobile 09xx, Manila 02
    case .tw:
      guard n >= 9, d[0] == 0 else { return false }
      if d[1] == 9 { return n == 10 }  // mobile 09 and 8 digits
      return (2...8).contains(d[1]) && (n == 9 || n == 10)  // landline 0[2-8] and 7-8 digits
    case .cn, .intl:
      return false
    }
  }

  /// Ten digits `NXX NXX XXXX`: area code and exchange start with 2-9, and neither is a service
  /// code `N11` (411, 911).
  static func isNANP(_ d: [UInt8]) -> Bool {
    guard d.count == 10 else { return false }
    let area = d[0] >= 2 && !(d[1] == 1 && d[2] == 1)
    let exchange = d[3] >= 2 && !(d[4] == 1 && d[5] == 1)
    return area && exchange
  }
}
