// The evaluator's API shapes: one message, one conversation at a time, results combined in any
// order (as parallel evaluation would), and the rarer timing options.

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Evaluator API")
struct APITests {
  @Test func oneMessageOnItsOwn() throws {
    let evaluator = try Fixture.evaluator(RunTests.thirdParty)
    let verdicts = evaluator.evaluate(
      message: Fixture.message(.seller, "2026-11-20 10:00", "加我vx abc_12345", agent: "kefu-1"))
    #expect(verdicts.map(\.rule) == ["third_party_info"])
    #expect(verdicts.first?.event == 0)
    #expect(verdicts.first?.agent == ByteString("kefu-1"))
  }

  @Test func conversationsJudgedSeparatelyAndCombinedInAnyOrderGiveTheRunsVerdicts() throws {
    let policy = RunTests.ratePolicy(minimum: 1)
    let evaluator = try Fixture.evaluator(policy)
    let events = RunTests.day(buyers: 4, failing: 3)
    let whole = evaluator.evaluate(run: events, asOf: nil, includePending: false)
    var results = Dictionary(grouping: events, by: \.conversation).values.map {
      evaluator.evaluate(conversation: $0, asOf: nil, includePending: false)
    }
    results.reverse()
    #expect(evaluator.finish(results, asOf: nil) == whole)
    #expect(whole.count == 4)
    #expect(whole.last?.aggregate?.count == 1)
  }

  @Test func duringOnTheTriggerKeepsOnlyOpeningsInsideTheHours() throws {
    let policy = Fixture.policy(
      [
        Fixture.rule(
          "office_reply",
          .obligation(
            CheckedObligation(
              trigger: .message(Fixture.fromBuyer), during: 0, response: .reply(.any),
              limits: [CheckedLimit(seconds: 1800, ifDuring: nil)], countingOnly: nil)))
      ], hours: [Fixture.hours("office", [(9, 12), (13, 18)])])
    var t = Transcript()
    t.add(.buyer, "2026-11-20 12:30", "午休吗")
    t.add(.buyer, "2026-11-20 13:00", "在吗")
    let v = try Fixture.evaluator(policy).evaluate(run: t.events, asOf: nil, includePending: false)
    #expect(v.map(\.event) == [1])
    #expect(v.first?.deadline == Fixture.at("2026-11-20 13:30"))
  }

  @Test func theMostSevereEscalationWins() throws {
    var policy = Fixture.policy(
      [Fixture.rule("rude", .message(.and([Fixture.fromSeller, .containsTerm("滚")])))])
    policy.escalations = [
      CheckedEscalation(count: 2, from: 1, to: 2, windowSeconds: 86400, clause: nil, span: .none),
      CheckedEscalation(count: 3, from: 1, to: 3, windowSeconds: 86400, clause: nil, span: .none),
    ]
    var t = Transcript()
    for minute in 0..<4 { t.add(.seller, "2026-11-20 10:0\(minute)", "滚") }
    let v = try Fixture.evaluator(policy).evaluate(run: t.events, asOf: nil, includePending: false)
    #expect(v.map(\.escalatedTo) == [nil, "major", "severe", "severe"])
    #expect(
      v.map { $0.escalation?.reason } == [
        nil, "2nd minor within 1d", "3rd minor within 1d", "4th minor within 1d",
      ])
  }

  @Test func monthAndRollingPeriodsAreLocal() throws {
    let zone = try #require(PolicyZone(identifier: "Asia/Shanghai"))
    let calendar = PolicyCalendar(zone: zone, hours: [])
    let month = calendar.period(.month, during: nil, at: Fixture.at("2026-12-01 07:00"))
    #expect(month == PeriodSpan(start: Fixture.at("2026-12-01 00:00"), end: Fixture.at("2027-01-01 00:00")))
    let rolling = calendar.period(
      .rolling(seconds: 4 * 3600), during: nil, at: Fixture.at("2026-11-20 10:30"))
    #expect(rolling == PeriodSpan(start: Fixture.at("2026-11-20 08:00"), end: Fixture.at("2026-11-20 12:00")))
    let day = calendar.period(.day, during: nil, at: Fixture.at("2026-11-20 00:00"))
    #expect(day == PeriodSpan(start: Fixture.at("2026-11-20 00:00"), end: Fixture.at("2026-11-21 00:00")))
  }

  @Test func weekdaysFollowTheHoursTable() {
    // 2026-11-23 is a Monday (index 0 of `windowsByWeekday`).
    let monday = CivilDate(year: 2026, month: 11, day: 23).daysSinceEpoch
    #expect(PolicyCalendar.weekday(monday) == 0)
    #expect(PolicyCalendar.weekday(monday + 6) == 6)
    #expect(PolicyCalendar.weekday(0) == 3)
    #expect(PolicyCalendar.weekday(-1) == 2)
  }
}
