/// An instant: whole seconds since 1970-01-01T00:00:00Z plus nanoseconds, never floating point.
///
/// `nanoseconds` is always in `0..<1_000_000_000`, so an instant before 1970 with a fraction has a
/// negative `seconds` and a positive `nanoseconds` (-0.5 s is `seconds: -1, nanoseconds: 500_000_000`).
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Whole seconds since the Unix epoch (floor).
  public var seconds: Int64
  /// The fraction of the second, `0..<1_000_000_000`.
  public var nanoseconds: Int32

  /// An instant from seconds and nanoseconds; nanoseconds outside `0..<1e9` carry into seconds.
  public init(seconds: Int64, nanoseconds: Int32 = 0) {
    if nanoseconds >= 0 && nanoseconds < 1_000_000_000 {
      self.seconds = seconds
      self.nanoseconds = nanoseconds
    } else {
      let carry = Int64(nanoseconds).quotientAndRemainder(dividingBy: 1_000_000_000)
      var s = seconds &+ carry.quotient
      var n = carry.remainder
      if n < 0 {
        n += 1_000_000_000
        s &-= 1
      }
      self.seconds = s
      self.nanoseconds = Int32(n)
    }
  }

  /// The Unix epoch, 1970-01-01T00:00:00Z.
  public static let epoch = Timestamp(seconds: 0)

  /// Orders instants in time.
  public static func < (a: Timestamp, b: Timestamp) -> Bool {
    a.seconds != b.seconds ? a.seconds < b.seconds : a.nanoseconds < b.nanoseconds
  }

  /// The instant `seconds` later (earlier when negative). Wraps rather than traps on overflow,
  /// which no instant of the supported range (years 0001-9999) plus a policy's duration can reach.
  public static func + (t: Timestamp, seconds: Int64) -> Timestamp {
    Timestamp(seconds: t.seconds &+ seconds, nanoseconds: t.nanoseconds)
  }

  /// The instant `seconds` earlier.
  public static func - (t: Timestamp, seconds: Int64) -> Timestamp {
    Timestamp(seconds: t.seconds &- seconds, nanoseconds: t.nanoseconds)
  }

  /// The time from `other` to `self` as whole seconds plus nanoseconds in `0..<1e9`
  /// (1.5 s earlier is `(-2, 500_000_000)`).
  public func since(_ other: Timestamp) -> (seconds: Int64, nanoseconds: Int32) {
    var s = seconds &- other.seconds
    var n = nanoseconds - other.nanoseconds
    if n < 0 {
      n += 1_000_000_000
      s &-= 1
    }
    return (s, n)
  }

  /// Parses an RFC 3339 timestamp (`T`/`t`, `Z`/`z` or `±HH:MM`, up to 9 fraction digits).
  public init(rfc3339 text: String) throws(TimestampError) {
    var copy = text
    let result: Result<Timestamp, TimestampError> = copy.withUTF8 { bytes in
      do throws(TimestampError) {
        return .success(try RFC3339.parse(bytes).instant)
      } catch { return .failure(error) }
    }
    self = try result.get()
  }

  /// The instant in RFC 3339 with the given UTC offset (seconds east of UTC; rounded toward zero
  /// to whole minutes, as RFC 3339 offsets have no seconds) and the shortest exact fraction.
  public func rfc3339(offsetSeconds: Int32 = 0) -> String {
    var out: [UInt8] = []
    RFC3339.append(self, offsetSeconds: offsetSeconds, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// The instant in RFC 3339 UTC (`...Z`).
  public var description: String { rfc3339() }
}

/// Why a timestamp was rejected.
public struct TimestampError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The kind of problem.
  public enum Kind: String, Hashable, Sendable {
    /// Not of the form `YYYY-MM-DDTHH:MM:SS[.F]±HH:MM`.
    case malformed
    /// No `Z` or `±HH:MM` at the end.
    case missingOffset
    /// More than 9 fraction digits.
    case fractionTooLong
    /// A second of 60 (leap seconds are not supported by Unix time).
    case leapSecond
    /// A date that does not exist (February 30, month 13, day 0).
    case impossibleDate
    /// An hour above 23, a minute or second above 59, or an offset above 23:59.
    case fieldOutOfRange
    /// A year outside 0001-9999.
    case yearOutOfRange
  }

  /// The kind of problem.
  public var kind: Kind
  /// A short English explanation, e.g. "month 2 of 2026 has no day 30".
  public var message: String

  /// An error of a kind with its explanation.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// The explanation.
  public var description: String { message }
}

/// RFC 3339 parsing and formatting on UTF-8 bytes.
public enum RFC3339 {
  /// The supported years (of the local date as written).
  public static let years: ClosedRange<Int64> = 1...9999

  /// Parses a timestamp; returns the instant and the offset it was written with (seconds east).
  public static func parse(
    _ s: UnsafeBufferPointer<UInt8>
  ) throws(TimestampError) -> (instant: Timestamp, offsetSeconds: Int32) {
    let n = s.count
    func digits(_ at: Int, _ count: Int) -> Int? {
      guard at + count <= n else { return nil }
      var v = 0
      for i in at..<(at + count) {
        let d = Int(s[i]) &- 48
        guard d >= 0 && d <= 9 else { return nil }
        v = v * 10 + d
      }
      return v
    }
    func byte(_ at: Int) -> UInt8 { at < n ? s[at] : 0 }
    let shape = "expected YYYY-MM-DDTHH:MM:SS with an offset"
    guard let year = digits(0, 4), byte(4) == 0x2D, let month = digits(5, 2), byte(7) == 0x2D,
      let day = digits(8, 2)
    else { throw TimestampError(.malformed, "not an RFC 3339 time: \(shape)") }
    guard byte(10) == 0x54 || byte(10) == 0x74 else {
      throw TimestampError(.malformed, "not an RFC 3339 time: expected `T` after the date")
    }
    guard let hour = digits(11, 2), byte(13) == 0x3A, let minute = digits(14, 2), byte(16) == 0x3A,
      let second = digits(17, 2)
    else { throw TimestampError(.malformed, "not an RFC 3339 time: \(shape)") }
    var i = 19
    var nanos = 0
    if byte(i) == 0x2E {
      i += 1
      let start = i
      while i < n, s[i] >= 0x30, s[i] <= 0x39 { i += 1 }
      let count = i - start
      guard count > 0 else {
        throw TimestampError(.malformed, "not an RFC 3339 time: no digit after the decimal point")
      }
      guard count <= 9 else {
        throw TimestampError(
          .fractionTooLong, "fraction of a second has \(count) digits; at most 9 (nanoseconds) are allowed")
      }
      for k in start..<i { nanos = nanos * 10 + Int(s[k] - 0x30) }
      for _ in count..<9 { nanos *= 10 }
    }
    var offset = 0
    switch byte(i) {
    case 0x5A, 0x7A:
      i += 1
    case 0x2B, 0x2D:
      let negative = byte(i) == 0x2D
      guard let oh = digits(i + 1, 2), byte(i + 3) == 0x3A, let om = digits(i + 4, 2) else {
        throw TimestampError(.malformed, "not an RFC 3339 time: offset must be ±HH:MM")
      }
      guard oh <= 23, om <= 59 else {
        throw TimestampError(.fieldOutOfRange, "offset \(oh):\(om) is out of range (at most 23:59)")
      }
      offset = (oh * 3600 + om * 60) * (negative ? -1 : 1)
      i += 6
    case 0:
      throw TimestampError(.missingOffset, "time has no offset: add `Z` or `±HH:MM`")
    default:
      throw TimestampError(.malformed, "not an RFC 3339 time: expected `Z` or `±HH:MM` after the seconds")
    }
    guard i == n else {
      throw TimestampError(.malformed, "not an RFC 3339 time: unexpected text after the offset")
    }
    guard years.contains(Int64(year)) else {
      throw TimestampError(.yearOutOfRange, "year \(year) is outside the supported range 0001-9999")
    }
    guard month >= 1, month <= 12 else {
      throw TimestampError(.impossibleDate, "month \(month) does not exist")
    }
    let date = CivilDate(year: Int64(year), month: month, day: day)
    guard date.isValid else {
      throw TimestampError(
        .impossibleDate, "impossible date: \(date) (month \(month) of \(year) has no day \(day))")
    }
    guard hour <= 23 else { throw TimestampError(.fieldOutOfRange, "hour \(hour) is above 23") }
    guard minute <= 59 else { throw TimestampError(.fieldOutOfRange, "minute \(minute) is above 59") }
    if second == 60 {
      throw TimestampError(.leapSecond, "leap second (:60) is not supported")
    }
    guard second <= 59 else { throw TimestampError(.fieldOutOfRange, "second \(second) is above 59") }
    let local = date.daysSinceEpoch * 86400 + Int64(hour * 3600 + minute * 60 + second)
    return (Timestamp(seconds: local - Int64(offset), nanoseconds: Int32(nanos)), Int32(offset))
  }

  /// The date part (`YYYY-MM-DD`) and the offset (`±HH:MM`) of the last time `parseCommon` read,
  /// with their values: lines of one day and one zone, the common case in a log, convert them once.
  package struct DayCache {
    /// The first 8 bytes of the date as loaded (native order).
    var head: UInt64 = 0
    /// Bytes 9 and 10 of the date as loaded.
    var tail: UInt16 = 0
    /// The day number (days since 1970-01-01) of that date.
    var days: Int64 = 0
    /// Whether `head`, `tail` and `days` hold a date yet.
    var filled = false

    package init() {}
    /// The 6 bytes of the offset as loaded, in the low bytes; 0 (no offset's text) until one is read.
    var offsetText: UInt64 = 0
    /// That offset in seconds east of UTC.
    var offset = 0
  }

  /// Two decimal digits at `s[at]`, or 100 (out of every range checked) when either is no digit.
  @inline(__always)
  static func twoDigits(_ s: UnsafePointer<UInt8>, _ at: Int) -> Int {
    let a = Int(s[at]) &- 48
    let b = Int(s[at + 1]) &- 48
    return UInt(bitPattern: a) < 10 && UInt(bitPattern: b) < 10 ? a * 10 + b : 100
  }

  /// The instant of the common shapes `YYYY-MM-DDTHH:MM:SS±HH:MM` and `YYYY-MM-DDTHH:MM:SSZ`, read
  /// at fixed offsets; nil for any other text, valid or not, which `parse` then decides (and
  /// explains). Whatever it accepts, `parse` accepts with the same instant.
  package static func parseCommon(_ s: UnsafePointer<UInt8>, count: Int, cache: inout DayCache) -> Timestamp?
  {
    guard count == 25 || count == 20 else { return nil }
    let raw = UnsafeRawPointer(s)
    // `T` or `t`, the only bytes whose 0x20 bit set gives 0x74.
    guard s[10] | 0x20 == 0x74 else { return nil }
    // `HH:MM:SS` in one word: XOR with `00:00:00` leaves each digit's value and zero for a colon;
    // a byte is at most 9 exactly when neither it nor it plus 0x76 has the high bit (no carries).
    let x = raw.loadUnaligned(fromByteOffset: 11, as: UInt64.self) ^ 0x3030_3A30_303A_3030
    guard (x | (x &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 == 0, x & 0xFF_0000_FF_0000 == 0
    else { return nil }
    let hour = Int(x & 0xFF) * 10 + Int(x >> 8 & 0xFF)
    let minute = Int(x >> 24 & 0xFF) * 10 + Int(x >> 32 & 0xFF)
    let second = Int(x >> 48 & 0xFF) * 10 + Int(x >> 56)
    guard hour <= 23, minute <= 59, second <= 59 else { return nil }
    var offset = 0
    if count == 25 {
      // Bytes 19...24, the offset, in the low six bytes; never 0, as `+` and `-` are not 0.
      let text = raw.loadUnaligned(fromByteOffset: 17, as: UInt64.self) >> 16
      if text == cache.offsetText {
        offset = cache.offset
      } else {
        let sign = s[19]
        guard sign == 0x2B || sign == 0x2D, s[22] == 0x3A else { return nil }
        let oh = twoDigits(s, 20)
        let om = twoDigits(s, 23)
        guard oh <= 23, om <= 59 else { return nil }
        offset = (oh * 3600 + om * 60) * (sign == 0x2D ? -1 : 1)
        cache.offsetText = text
        cache.offset = offset
      }
    } else {
      // 0x5A | 0x20 and 0x7A | 0x20 are the only bytes giving 0x7A: `Z` or `z`.
      guard s[19] | 0x20 == 0x7A else { return nil }
    }
    let head = raw.loadUnaligned(as: UInt64.self)
    let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
    let days: Int64
    if cache.filled && cache.head == head && cache.tail == tail {
      days = cache.days
    } else {
      guard s[4] == 0x2D, s[7] == 0x2D else { return nil }
      let century = twoDigits(s, 0)
      let yy = twoDigits(s, 2)
      let month = twoDigits(s, 5)
      let day = twoDigits(s, 8)
      guard century < 100, yy < 100, month >= 1, month <= 12, day >= 1 else { return nil }
      let year = Int64(century * 100 + yy)
      guard years.contains(year), day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
      days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
      cache.head = head
      cache.tail = tail
      cache.days = days
      cache.filled = true
    }
    let local = days * 86400 + Int64(hour * 3600 + minute * 60 + second)
    return Timestamp(seconds: local - Int64(offset), nanoseconds: 0)
  }

  /// Appends `YYYY-MM-DD` (a year outside 0...9999 is written with all its digits and sign).
  public static func appendDate(_ date: CivilDate, to out: inout [UInt8]) {
    if date.year >= 0 && date.year <= 9999 {
      appendDigits(Int(date.year), 4, to: &out)
    } else {
      out.append(contentsOf: String(date.year).utf8)
    }
    out.append(0x2D)
    appendDigits(date.month, 2, to: &out)
    out.append(0x2D)
    appendDigits(date.day, 2, to: &out)
  }

  /// Appends the instant in RFC 3339 with the given offset (seconds east of UTC, rounded toward
  /// zero to whole minutes so the text still names the exact instant) and the shortest exact fraction.
  ///
  /// The text is formed in a buffer on the stack and appended once: an array append per digit
  /// made this ~2,000 instructions per verdict time.
  public static func append(_ t: Timestamp, offsetSeconds: Int32, to out: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumFormattedLength) { buffer in
      let length = format(t, offsetSeconds: offsetSeconds, into: buffer)
      if length > 0 {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<length]))
      } else {
        appendDigitByDigit(t, offsetSeconds: offsetSeconds, to: &out)
      }
    }
  }

  /// The longest text `format` writes: `YYYY-MM-DDTHH:MM:SS.fffffffff+HH:MM`.
  static let maximumFormattedLength = 35

  /// Writes what `append` appends into `buffer`; returns its length, or 0 when the year is
  /// outside 0...9999 (never a real chat's time: `appendDigitByDigit` writes those) or the buffer
  /// is shorter than `maximumFormattedLength`.
  static func format(
    _ t: Timestamp, offsetSeconds: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>
  ) -> Int {
    guard buffer.count >= maximumFormattedLength else { return 0 }
    let offset = Int64(offsetSeconds / 60 * 60)
    let local = t.seconds &+ offset
    let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
    let date = CivilDate(daysSinceEpoch: days)
    guard date.year >= 0 && date.year <= 9999 else { return 0 }
    var k = 0
    func put(_ byte: UInt8) {
      buffer[k] = byte
      k &+= 1
    }
    func two(_ value: Int) {
      put(UInt8(truncatingIfNeeded: 48 &+ value / 10))
      put(UInt8(truncatingIfNeeded: 48 &+ value % 10))
    }
    let year = Int(date.year)
    two(year / 100)
    two(year % 100)
    put(0x2D)
    two(date.month)
    put(0x2D)
    two(date.day)
    put(0x54)
    let sod = Int(local - days * 86400)
    two(sod / 3600)
    put(0x3A)
    two(sod / 60 % 60)
    put(0x3A)
    two(sod % 60)
    if t.nanoseconds > 0 {
      var frac = Int(t.nanoseconds)
      var width = 9
      while frac % 10 == 0 {
        frac /= 10
        width -= 1
      }
      put(0x2E)
      var position = k &+ width
      k = position
      while position > k &- width {
        position &-= 1
        buffer[position] = UInt8(truncatingIfNeeded: 48 &+ frac % 10)
        frac /= 10
      }
    }
    if offset == 0 {
      put(0x5A)
    } else {
      let magnitude = Int(abs(offset)) / 60
      put(offset < 0 ? 0x2D : 0x2B)
      two(magnitude / 60)
      put(0x3A)
      two(magnitude % 60)
    }
    return k
  }

  /// `append` digit by digit: the path of years beyond 0...9999, and the tests' reference.
  static func appendDigitByDigit(_ t: Timestamp, offsetSeconds: Int32, to out: inout [UInt8]) {
    let offset = Int64(offsetSeconds / 60 * 60)
    let local = t.seconds &+ offset
    let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
    let sod = Int(local - days * 86400)
    appendDate(CivilDate(daysSinceEpoch: days), to: &out)
    out.append(0x54)
    appendDigits(sod / 3600, 2, to: &out)
    out.append(0x3A)
    appendDigits(sod / 60 % 60, 2, to: &out)
    out.append(0x3A)
    appendDigits(sod % 60, 2, to: &out)
    if t.nanoseconds > 0 {
      var frac = Int(t.nanoseconds)
      var width = 9
      while frac % 10 == 0 {
        frac /= 10
        width -= 1
      }
      out.append(0x2E)
      appendDigits(frac, width, to: &out)
    }
    if offset == 0 {
      out.append(0x5A)
    } else {
      let magnitude = Int(abs(offset)) / 60
      out.append(offset < 0 ? 0x2D : 0x2B)
      appendDigits(magnitude / 60, 2, to: &out)
      out.append(0x3A)
      appendDigits(magnitude % 60, 2, to: &out)
    }
  }

  /// Appends a non-negative number zero-padded to `width` digits.
  static func appendDigits(_ value: Int, _ width: Int, to out: inout [UInt8]) {
    var divisor = 1
    for _ in 1..<max(width, 1) { divisor *= 10 }
    var v = value
    while divisor > 0 {
      out.append(UInt8(truncatingIfNeeded: 48 + (v / divisor) % 10))
      v %= divisor * 10
      divisor /= 10
    }
  }
}

/// `seconds` in nanoseconds, saturated on overflow.
package func nanoseconds(_ seconds: Int64) -> Int64 {
  let (value, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
  return overflow ? (seconds > 0 ? Int64.max : Int64.min) : value
}
