import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite struct TimestampTests {
  func parse(_ s: String) throws(TimestampError) -> Timestamp { try Timestamp(rfc3339: s) }

  func kind(_ s: String) -> TimestampError.Kind? {
    do throws(TimestampError) {
      _ = try parse(s)
      return nil
    } catch { return error.kind }
  }

  @Test func parsesOffsetsAndFractions() throws {
    #expect(try parse("1970-01-01T00:00:00Z") == Timestamp(seconds: 0))
    #expect(try parse("2026-11-20T10:00:00+08:00") == Timestamp(seconds: 1_795_140_000))
    #expect(try parse("2026-11-20t02:00:00z") == Timestamp(seconds: 1_795_140_000))
    #expect(try parse("2026-11-19T21:00:00-05:00") == Timestamp(seconds: 1_795_140_000))
    #expect(
      try parse("2026-11-20T02:00:00.5Z") == Timestamp(seconds: 1_795_140_000, nanoseconds: 500_000_000))
    #expect(try parse("2026-11-20T02:00:00.000000001Z") == Timestamp(seconds: 1_795_140_000, nanoseconds: 1))
    #expect(try parse("1969-12-31T23:59:59.5Z") == Timestamp(seconds: -1, nanoseconds: 500_000_000))
    #expect(try parse("2024-02-29T00:00:00Z") == Timestamp(seconds: 1_709_164_800))
  }

  @Test func rejectsWithTheReason() {
    #expect(kind("2026-11-20T23:59:60Z") == .leapSecond)
    #expect(kind("2026-02-30T00:00:00Z") == .impossibleDate)
    #expect(kind("2025-02-29T00:00:00Z") == .impossibleDate)
    #expect(kind("2026-13-01T00:00:00Z") == .impossibleDate)
    #expect(kind("2026-01-00T00:00:00Z") == .impossibleDate)
    #expect(kind("2026-01-01T24:00:00Z") == .fieldOutOfRange)
    #expect(kind("2026-01-01T00:60:00Z") == .fieldOutOfRange)
    #expect(kind("2026-01-01T00:00:61Z") == .fieldOutOfRange)
    #expect(kind("2026-01-01T00:00:00+24:00") == .fieldOutOfRange)
    #expect(kind("2026-01-01T00:00:00") == .missingOffset)
    #expect(kind("2026-01-01T00:00:00.1234567891Z") == .fractionTooLong)
    #expect(kind("0000-01-01T00:00:00Z") == .yearOutOfRange)
    #expect(kind("2026-01-01 00:00:00Z") == .malformed)
    #expect(kind("2026-01-01T00:00:00.Z") == .malformed)
    #expect(kind("2026-01-01T00:00:00+0800") == .malformed)
    #expect(kind("2026-01-01T00:00:00Zjunk") == .malformed)
    #expect(kind("") == .malformed)
    #expect(kind("26-01-01T00:00:00Z") == .malformed)
  }

  @Test func formatsWithOffsetAndShortestFraction() throws {
    let t = try parse("2026-11-20T10:00:00+08:00")
    #expect(t.rfc3339(offsetSeconds: 8 * 3600) == "2026-11-20T10:00:00+08:00")
    #expect(t.rfc3339() == "2026-11-20T02:00:00Z")
    #expect(t.rfc3339(offsetSeconds: -5 * 3600) == "2026-11-19T21:00:00-05:00")
    #expect(Timestamp(seconds: 0, nanoseconds: 120_000_000).rfc3339() == "1970-01-01T00:00:00.12Z")
    #expect(Timestamp(seconds: -1, nanoseconds: 1).rfc3339() == "1969-12-31T23:59:59.000000001Z")
    // An LMT offset with seconds is written to the minute, still naming the same instant.
    #expect(Timestamp(seconds: 0).rfc3339(offsetSeconds: 8 * 3600 + 343) == "1970-01-01T08:05:00+08:05")
  }

  @Test func arithmeticAndOrder() {
    let a = Timestamp(seconds: 10, nanoseconds: 900_000_000)
    #expect(a + 5 == Timestamp(seconds: 15, nanoseconds: 900_000_000))
    #expect(a - 11 == Timestamp(seconds: -1, nanoseconds: 900_000_000))
    #expect(Timestamp(seconds: 0, nanoseconds: -1) == Timestamp(seconds: -1, nanoseconds: 999_999_999))
    #expect(
      Timestamp(seconds: 1, nanoseconds: 1_500_000_000) == Timestamp(seconds: 2, nanoseconds: 500_000_000))
    #expect(Timestamp(seconds: 1, nanoseconds: 5) < Timestamp(seconds: 1, nanoseconds: 6))
    #expect(Timestamp(seconds: -1, nanoseconds: 999_999_999) < Timestamp(seconds: 0))
    let d = Timestamp(seconds: 1).since(Timestamp(seconds: 2, nanoseconds: 500_000_000))
    #expect(d.seconds == -2 && d.nanoseconds == 500_000_000)
  }

  /// A straightforward civil-date count: days of whole years and months before the date.
  func naiveDays(_ y: Int64, _ m: Int, _ d: Int) -> Int64 {
    var days: Int64 = 0
    if y >= 1970 {
      for year in 1970..<y { days += CivilDate.isLeapYear(year) ? 366 : 365 }
    } else {
      for year in y..<1970 { days -= CivilDate.isLeapYear(year) ? 366 : 365 }
    }
    for month in 1..<m { days += Int64(CivilDate.daysInMonth(year: y, month: month)) }
    return days + Int64(d - 1)
  }

  @Test func propertyAgainstNaiveCivilDates() throws {
    var rng = SeededRandom(seed: 20_261_120)
    for _ in 0..<400 {
      let y = Int64.random(in: 1...9999, using: &rng)
      let m = Int.random(in: 1...12, using: &rng)
      let d = Int.random(in: 1...CivilDate.daysInMonth(year: y, month: m), using: &rng)
      let h = Int.random(in: 0...23, using: &rng)
      let mi = Int.random(in: 0...59, using: &rng)
      let s = Int.random(in: 0...59, using: &rng)
      let nanos = Int32.random(in: 0..<1_000_000_000, using: &rng)
      let offsetMinutes = Int.random(in: -(23 * 60 + 59)...(23 * 60 + 59), using: &rng)
      let days = naiveDays(y, m, d)
      #expect(CivilDate(year: y, month: m, day: d).daysSinceEpoch == days)
      #expect(CivilDate(daysSinceEpoch: days) == CivilDate(year: y, month: m, day: d))
      let expected = Timestamp(
        seconds: days * 86400 + Int64(h * 3600 + mi * 60 + s - offsetMinutes * 60), nanoseconds: nanos)
      func pad(_ v: Int, _ w: Int) -> String {
        String(repeating: "0", count: w - String(v).count) + String(v)
      }
      var text = "\(pad(Int(y), 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))"
      text += "." + pad(Int(nanos), 9)
      let om = abs(offsetMinutes)
      text += (offsetMinutes < 0 ? "-" : "+") + pad(om / 60, 2) + ":" + pad(om % 60, 2)
      let parsed = try parse(text)
      #expect(parsed == expected, "\(text)")
      // Round trip through the formatter in the same offset and in UTC.
      #expect(try parse(parsed.rfc3339(offsetSeconds: Int32(offsetMinutes * 60))) == parsed)
      #expect(try parse(parsed.rfc3339()) == parsed)
    }
  }

  @Test func stackFormatterWritesWhatTheDigitByDigitOneDoes() {
    var rng = SeededRandom(seed: 20_261_123)
    let edges: [Int64] = [
      0, -1, 86399, 86400, -86400, 253_402_300_799, 253_402_300_800, -62_167_219_200, -62_167_219_201,
    ]
    for k in 0..<4000 {
      let seconds =
        k < edges.count * 4
        ? edges[k % edges.count] + Int64(k / edges.count) - 1
        : Int64.random(in: -80_000_000_000...300_000_000_000, using: &rng)
      let nanos: Int32 =
        k % 3 == 0
        ? 0 : k % 3 == 1 ? Int32.random(in: 0..<1_000_000_000, using: &rng) : Int32(k % 10) * 100_000_000
      let offset = k % 5 == 0 ? 0 : Int32.random(in: -(23 * 3600 + 3599)...(23 * 3600 + 3599), using: &rng)
      let t = Timestamp(seconds: seconds, nanoseconds: nanos)
      var fast: [UInt8] = [0x41]
      var reference: [UInt8] = [0x41]
      RFC3339.append(t, offsetSeconds: offset, to: &fast)
      RFC3339.appendDigitByDigit(t, offsetSeconds: offset, to: &reference)
      #expect(fast == reference, "\(seconds) \(nanos) \(offset)")
    }
  }

  @Test func weekdays() {
    #expect(CivilDate(year: 1970, month: 1, day: 1).weekday == 4)
    #expect(CivilDate(year: 2026, month: 11, day: 20).weekday == 5)
    #expect(CivilDate(year: 1969, month: 12, day: 28).weekday == 0)
    #expect(CivilDate(year: 1, month: 1, day: 1).weekday == 1)
  }
}
