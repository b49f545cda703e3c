/// A proleptic Gregorian calendar date, with Howard Hinnant's conversions to and from days since
/// 1970-01-01 (http://howardhinnant.github.io/date_algorithms.html).
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The year (astronomical numbering: year 0 is 1 BC).
  public var year: Int64
  /// The month, 1...12.
  public var month: Int
  /// The day of the month, 1...31.
  public var day: Int

  /// A date from its parts; no validation (see `isValid`).
  public init(year: Int64, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// The date `days` days after 1970-01-01 (negative before it).
  public init(daysSinceEpoch days: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
    self.month = Int(m)
    self.day = Int(d)
  }

  /// Days since 1970-01-01 (negative before it).
  public var daysSinceEpoch: Int64 {
    let y = year - (month <= 2 ? 1 : 0)
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The day of the week, 0 = Sunday ... 6 = Saturday.
  public var weekday: Int { CivilDate.weekday(daysSinceEpoch: daysSinceEpoch) }

  /// The day of the week of a day number, 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday).
  public static func weekday(daysSinceEpoch days: Int64) -> Int {
    Int(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6)
  }

  /// Whether `year` is a leap year of the proleptic Gregorian calendar.
  public static func isLeapYear(_ year: Int64) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  /// The number of days of a month, 28...31 (0 for a month outside 1...12).
  public static func daysInMonth(year: Int64, month: Int) -> Int {
    switch month {
    case 1, 3, 5, 7, 8, 10, 12: return 31
    case 4, 6, 9, 11: return 30
    case 2: return isLeapYear(year) ? 29 : 28
    default: return 0
    }
  }

  /// Whether the month is 1...12 and the day exists in it.
  public var isValid: Bool {
    month >= 1 && month <= 12 && day >= 1 && day <= CivilDate.daysInMonth(year: year, month: month)
  }

  /// `YYYY-MM-DD`.
  public var description: String {
    var out: [UInt8] = []
    RFC3339.appendDate(self, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Orders by date.
  public static func < (a: CivilDate, b: CivilDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }
}
