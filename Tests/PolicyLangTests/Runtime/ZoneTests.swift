import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite struct ZoneTests {
  func t(_ s: String) throws -> Timestamp { try Timestamp(rfc3339: s) }

  @Test func unknownZonesAreRejected() {
    #expect(PolicyZone(identifier: "Asia/Nowhere") == nil)
    #expect(PolicyZone(identifier: "../etc/passwd") == nil)
    #expect(PolicyZone(identifier: "") == nil)
    #expect(PolicyZone(identifier: "zone.tab") == nil)
    #expect(PolicyZone(identifier: "Asia/Shanghai") != nil)
  }

  @Test func shanghai() throws {
    let zone = try #require(PolicyZone(identifier: "Asia/Shanghai"))
    #expect(zone.offset(at: try t("2026-11-20T02:00:00Z")) == 8 * 3600)
    #expect(zone.rfc3339(try t("2026-11-20T02:00:00.25Z")) == "2026-11-20T10:00:00.25+08:00")
    // China observed DST in 1986-1991.
    #expect(zone.offset(at: try t("1988-07-01T00:00:00Z")) == 9 * 3600)
    // Far future: the footer rule.
    #expect(zone.offset(at: try t("9999-12-31T00:00:00Z")) == 8 * 3600)
    let local = zone.localTime(of: try t("2026-11-20T16:30:05Z"))
    #expect(local.date == CivilDate(year: 2026, month: 11, day: 21))
    #expect(local.hour == 0 && local.minute == 30 && local.second == 5)
    #expect(local.weekday == 6)
    let midnight = zone.instant(of: CivilDate(year: 2026, month: 11, day: 21), secondsOfDay: 0)
    #expect(midnight == (try t("2026-11-20T16:00:00Z")))
    let end = zone.instant(of: CivilDate(year: 2026, month: 11, day: 20), secondsOfDay: 86400)
    #expect(end == midnight)
  }

  @Test func utc() throws {
    let zone = try #require(PolicyZone(identifier: "UTC"))
    #expect(zone.offset(at: try t("2026-06-01T00:00:00Z")) == 0)
    #expect(zone.rfc3339(try t("2026-06-01T08:00:00+08:00")) == "2026-06-01T00:00:00Z")
    #expect(PolicyZone.utc.offset(atSeconds: 123_456_789) == 0)
  }

  @Test func newYorkDST() throws {
    let zone = try #require(PolicyZone(identifier: "America/New_York"))
    #expect(zone.offset(at: try t("2026-01-15T12:00:00Z")) == -5 * 3600)
    #expect(zone.offset(at: try t("2026-07-15T12:00:00Z")) == -4 * 3600)
    // 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z).
    #expect(zone.offset(at: try t("2026-03-08T06:59:59Z")) == -5 * 3600)
    #expect(zone.offset(at: try t("2026-03-08T07:00:00Z")) == -4 * 3600)
    #expect(zone.offset(at: try t("2026-11-01T05:59:59Z")) == -4 * 3600)
    #expect(zone.offset(at: try t("2026-11-01T06:00:00Z")) == -5 * 3600)
    // Beyond the precomputed table, the footer rule (second Sunday of March 2300 is the 11th).
    #expect(zone.offset(at: try t("2300-03-11T06:59:59Z")) == -5 * 3600)
    #expect(zone.offset(at: try t("2300-03-11T07:00:00Z")) == -4 * 3600)
    // Gap: 02:30 does not exist; it is read with the offset before the gap (03:30 EDT).
    let gap = zone.instant(of: CivilDate(year: 2026, month: 3, day: 8), secondsOfDay: 2 * 3600 + 1800)
    #expect(gap == (try t("2026-03-08T07:30:00Z")))
    // Overlap: 01:30 happens twice; the earlier instant (EDT) is chosen.
    let overlap = zone.instant(of: CivilDate(year: 2026, month: 11, day: 1), secondsOfDay: 3600 + 1800)
    #expect(overlap == (try t("2026-11-01T05:30:00Z")))
    #expect(zone.rfc3339(try t("2026-11-01T06:30:00Z")) == "2026-11-01T01:30:00-05:00")
    let noon = zone.instant(of: CivilDate(year: 2026, month: 7, day: 4), secondsOfDay: 12 * 3600)
    #expect(noon == (try t("2026-07-04T16:00:00Z")))
  }

  @Test func london() throws {
    let zone = try #require(PolicyZone(identifier: "Europe/London"))
    #expect(zone.offset(at: try t("2026-01-10T12:00:00Z")) == 0)
    #expect(zone.rfc3339(try t("2026-01-10T12:00:00Z")) == "2026-01-10T12:00:00Z")
    // BST from the last Sunday of March (2026-03-29 01:00Z) to the last of October (10-25 01:00Z).
    #expect(zone.offset(at: try t("2026-03-29T00:59:59Z")) == 0)
    #expect(zone.offset(at: try t("2026-03-29T01:00:00Z")) == 3600)
    #expect(zone.offset(at: try t("2026-10-25T00:59:59Z")) == 3600)
    #expect(zone.offset(at: try t("2026-10-25T01:00:00Z")) == 0)
    #expect(zone.rfc3339(try t("2026-07-01T12:00:00Z")) == "2026-07-01T13:00:00+01:00")
  }

  @Test func posixRules() throws {
    let rule = try #require(PosixTZRule("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1"))
    #expect(rule.stdOffset == -3 * 3600)
    #expect(rule.dst?.offset == Int32(-2 * 3600))
    #expect(PosixTZRule("CST-8")?.stdOffset == Int32(8 * 3600))
    #expect(PosixTZRule("AEST-10AEDT,M10.1.0,M4.1.0/3") != nil)
    #expect(PosixTZRule("EST5EDT,J60/2,300") != nil)
    #expect(PosixTZRule("X5") == nil)
    #expect(PosixTZRule("EST5EDT,M13.1.0,M11.1.0") == nil)
  }

  @Test func agreesWithTheTableAcrossYears() throws {
    // Every hour of 2024 in New York: the local time read back gives the same instant, except
    // in the repeated hour, where the earlier instant wins.
    let zone = try #require(PolicyZone(identifier: "America/New_York"))
    var s = try t("2024-01-01T00:00:00Z").seconds
    let end = try t("2025-01-01T00:00:00Z").seconds
    var mismatches = 0
    while s < end {
      let local = zone.localTime(of: Timestamp(seconds: s))
      let back = zone.instant(of: local.date, secondsOfDay: Int64(local.secondsOfDay))
      if back.seconds != s { mismatches += 1 }
      s += 3600
    }
    #expect(mismatches == 1)
  }

  @Test func fixedRuleShortcutAgreesWithTheTable() throws {
    var random = SeededRandom(seed: 20_261_123)
    for name in ["Asia/Shanghai", "Asia/Tokyo", "America/New_York", "Europe/London", "UTC", "Asia/Kolkata"] {
      let zone = try #require(PolicyZone(identifier: name))
      var instants: [Int64] = [
        Int64.min + 1, -1, 0, 1, 700_000_000, 1_790_000_000, 7_258_118_400, Int64.max - 1,
      ]
      for _ in 0..<2000 { instants.append(Int64.random(in: -5_000_000_000...10_000_000_000, using: &random)) }
      for s in instants {
        #expect(zone.offset(atSeconds: s) == zone.offsetFromTable(atSeconds: s), "\(name) \(s)")
      }
    }
  }
}
