/// The `phone` detector (Grammar.md 5.2). It looks at whole digit runs (`DigitRuns`), so a phone
/// number inside a longer run (an 18-digit order number) never fires. A run is a phone number when
/// its digits, after an optional country prefix, are:
/// - a mobile number: 11 digits `1[3-9]` followed by 9 digits;
/// - a landline with its area code: `010` or `02x` and 8 digits, or `0[3-9]xx` and 7-8 digits,
///   the local number starting with 2-9 (after a country prefix the leading `0` may be dropped);
/// - a service number: `400` or `800` and 7 digits (no country prefix).
/// A landline's area code may also stand in parentheses before the local number: `(0755) 2345678`.
/// A country prefix is `+86` (a `+` just before the run), `0086`, or a bare `86` before a mobile
/// number. The evidence starts at the `+` when there is one.
public enum PhoneDetector {
  /// The phone numbers of `text`, in order.
  public static func find(in text: NormalizedText) -> [TextEvidence] {
    var out: [TextEvidence] = []
    var previous: DigitRun? = nil
    var next = DigitRuns.run(from: 0, in: text)
    while let run = next {
      defer {
        previous = run
        next = DigitRuns.run(from: run.end, in: text)
      }
      // Most runs are too short for any phone shape: a local number after an area code has
      // 7-8 digits, every other shape at least 10.
      if run.digitCount < 7 { continue }
      if let area = previous.flatMap({ parenthesizedAreaCode($0, before: run, in: text) }),
        let local = DigitRuns.digits(of: run, in: text, limit: 8),
        let code = DigitRuns.digits(of: area, in: text),
        isLandline(code + local)
      {
        // The `(` is part of the evidence unless normalization removed it.
        let open = area.start > 0 && text.scalars[area.start - 1] == 0x28 ? area.start - 1 : area.start
        out.append(TextEvidence(kind: .phone, normalized: open..<run.end, in: text))
        continue
      }
      guard run.digitCount >= 10, let d = DigitRuns.digits(of: run, in: text, limit: 16) else { continue }
      let plus = run.start > 0 && text.scalars[run.start - 1] == 0x2B && text.gap(before: run.start) == 0
      var candidates: [(rest: ArraySlice<UInt8>, international: Bool)] = []
      if plus, d.starts(with: [8, 6]) { candidates.append((d.dropFirst(2), true)) }
      if d.starts(with: [0, 0, 8, 6]) { candidates.append((d.dropFirst(4), true)) }
      if d.count == 13, d.starts(with: [8, 6]) { candidates.append((d.dropFirst(2), true)) }
      candidates.append((d[...], false))
      for (rest, international) in candidates where isPhone(rest, international: international) {
        let start = plus && international && d.starts(with: [8, 6]) ? run.start - 1 : run.start
        out.append(TextEvidence(kind: .phone, normalized: start..<run.end, in: text))
        break
      }
    }
    return out
  }

  /// An area code written in parentheses just before a local number: `(0755) 2345678`,
  /// `（010）62345678` (full-width parentheses fold to ASCII). At most one space after `)`.
  static func parenthesizedAreaCode(
    _ area: DigitRun, before run: DigitRun, in text: NormalizedText
  ) -> DigitRun? {
    let s = text.scalars
    guard opensWithParenthesis(area.start, in: text), (3...4).contains(area.digitCount),
      area.end < s.count, s[area.end] == 0x29, text.gap(before: area.end) == 0
    else { return nil }
    let between = run.start - area.end - 1
    guard between == 0 || (between == 1 && s[area.end + 1] == 0x20), text.gap(before: run.start) <= 1
    else { return nil }
    return area
  }

  /// Whether `(` stands just before normalized scalar `i`, kept or removed by normalization (a
  /// `(` between a CJK character and a digit is a removed separator).
  private static func opensWithParenthesis(_ i: Int, in text: NormalizedText) -> Bool {
    if i > 0, text.scalars[i - 1] == 0x28, text.gap(before: i) == 0 { return true }
    guard text.gap(before: i) > 0, i < text.originStart.count else { return false }
    let o = Int(text.originStart[i])
    return o > 0 && o <= text.original.count && [0x28, 0xFF08].contains(text.original[o - 1])
  }

  /// Whether national digits form a mobile, landline or service number.
  static func isPhone(_ r: ArraySlice<UInt8>, international: Bool) -> Bool {
    let d = Array(r)
    if d.count == 11, d[0] == 1, (3...9).contains(d[1]) { return true }
    if !international, d.count == 10, d.starts(with: [4, 0, 0]) || d.starts(with: [8, 0, 0]) { return true }
    if isLandline(d) { return true }
    // After a country prefix the trunk `0` is usually dropped.
    return international && isLandline([0] + d)
  }

  private static func isLandline(_ d: [UInt8]) -> Bool {
    guard d.count >= 10, d[0] == 0, d[1] != 0 else { return false }
    let shortArea = (d[1] == 1 && d[2] == 0) || d[1] == 2
    if d[1] == 1 && !shortArea { return false }
    let areaLength = shortArea ? 3 : 4
    let local = d.count - areaLength
    guard d.count > areaLength, (2...9).contains(d[areaLength]) else { return false }
    return shortArea ? local == 8 : (local == 7 || local == 8)
  }
}

/// The `bank_card` detector (Grammar.md 5.2, clauses.md): a digit run of 13-19 digits that passes
/// the Luhn check and is not glued to an ASCII letter (then it is a code such as `SF1234...`). Then
/// context decides:
/// 1. an order or tracking label (`orderLabels`) ending at most `labelDistance` normalized scalars
///    before the run: not a card;
/// 2. bank wording (`bankWords`) within `bankWordDistance` scalars before or after the run: a card;
/// 3. otherwise a card only with an issuer's prefix and length: 62 (16-19 digits, UnionPay), 4 (13,
///    16 or 19, Visa), 51-55 and 2221-2720 (16, Mastercard), 34/37 (15, American Express), 35
///    (16-19, JCB).
public enum BankCardDetector {
  /// How far before a run an order label may end, in normalized scalars (`订单号：`, `单号是 `).
  public static let labelDistance = 3
  /// How far from a run bank wording counts, in normalized scalars, either side.
  public static let bankWordDistance = 12
  /// Labels that make a number an order or tracking number (`订单` also covers `订单编号`).
  public static let orderLabels = ["订单号", "订单", "单号", "运单", "快递", "物流"]
  /// Words that make a number a bank card number.
  public static let bankWords = ["银行", "卡号", "转账", "汇款", "打款", "账号", "账户"]

  static let orderLabelScalars = orderLabels.map(Scan.scalars)
  static let bankWordScalars = bankWords.map(Scan.scalars)

  /// The bank card numbers of `text`, in order.
  public static func find(in text: NormalizedText) -> [TextEvidence] {
    let s = text.scalars
    var out: [TextEvidence] = []
    var next = DigitRuns.run(from: 0, in: text)
    while let run = next {
      next = DigitRuns.run(from: run.end, in: text)
      // The checksum first, on the scalars: most long runs (order numbers) fail it, and then no
      // digit array is built.
      guard (13...19).contains(run.digitCount), luhn(run, in: s),
        let d = DigitRuns.digits(of: run, in: text, limit: 19)
      else { continue }
      let gluedBefore =
        run.start > 0 && text.gap(before: run.start) == 0 && TextClass.isASCIILetter(s[run.start - 1])
      let gluedAfter =
        run.end < s.count && text.gap(before: run.end) == 0 && TextClass.isASCIILetter(s[run.end])
      if gluedBefore || gluedAfter { continue }
      if Scan.wordEnds(s, words: orderLabelScalars, before: run.start, within: labelDistance) { continue }
      let near =
        Scan.containsWord(s, words: bankWordScalars, in: (run.start - bankWordDistance)..<run.start)
        || Scan.containsWord(s, words: bankWordScalars, in: run.end..<(run.end + bankWordDistance))
      if near || hasIssuerPrefix(d) {
        out.append(TextEvidence(kind: .bankCard, normalized: run.start..<run.end, in: text))
      }
    }
    return out
  }

  /// The Luhn checksum of a run's digits, read from the normalized scalars.
  static func luhn(_ run: DigitRun, in s: [UInt32]) -> Bool {
    guard run.start >= 0, run.start <= run.end, run.end <= s.count else { return false }
    var sum: UInt32 = 0
    var doubled = false
    var k = run.end
    while k > run.start {
      k -= 1
      let v = s[k] &- 0x30
      guard v <= 9 else { continue }
      if doubled {
        let twice = v * 2
        sum += twice > 9 ? twice - 9 : twice
      } else {
        sum += v
      }
      doubled.toggle()
    }
    return sum % 10 == 0
  }

  /// The Luhn checksum.
  static func luhn(_ d: [UInt8]) -> Bool {
    var sum = 0
    for (k, digit) in d.reversed().enumerated() {
      var v = Int(digit)
      if k % 2 == 1 {
        v *= 2
        if v > 9 { v -= 9 }
      }
      sum += v
    }
    return sum % 10 == 0
  }

  /// Whether the number starts with a card issuer's prefix and has that issuer's length.
  static func hasIssuerPrefix(_ d: [UInt8]) -> Bool {
    guard d.count >= 4 else { return false }
    let two = Int(d[0]) * 10 + Int(d[1])
    let four = two * 100 + Int(d[2]) * 10 + Int(d[3])
    let n = d.count
    if two == 62 || two == 35 { return n >= 16 }
    if d[0] == 4 { return n == 13 || n == 16 || n == 19 }
    if (51...55).contains(two) || (2221...2720).contains(four) { return n == 16 }
    if two == 34 || two == 37 { return n == 15 }
    return false
  }
}
