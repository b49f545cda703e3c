// Every timing decision with exact times in Asia/Shanghai.

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Timeline rules")
struct TimelineTests {
  func judge(
    _ policy: CheckedPolicy, _ t: Transcript, asOf: String? = nil, pending: Bool = false
  ) throws -> [Verdict] {
    let evaluator = try Fixture.evaluator(policy)
    return evaluator.evaluate(
      run: t.events, asOf: asOf.map(Fixture.at), includePending: pending)
  }

  // MARK: AE-1.2.1 clear-cut cases

  @Test func lateHumanReplyFires() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 10:00", "在吗")
    t.add(.seller, "2026-11-20 11:30", "在的")
    let v = try judge(Fixture.replySpeed(), t)
    #expect(v.count == 1)
    #expect(v.first?.event == 0)
    #expect(v.first?.at == Fixture.at("2026-11-20 11:00"))
    #expect(v.first?.openedAt == Fixture.at("2026-11-20 10:00"))
    #expect(v.first?.deadline == Fixture.at("2026-11-20 11:00"))
    #expect(v.first?.answeredAt == Fixture.at("2026-11-20 11:30"))
    #expect(v.first?.rule == "reply_speed")
    #expect(v.first?.severity == "minor")
  }

  @Test func onlyAutoReplyFires() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 10:00", "在吗")
    t.add(.seller, "2026-11-20 10:00:05", "欢迎光临", auto: true)
    let v = try judge(Fixture.replySpeed(), t)
    #expect(v.count == 1)
    #expect(v.first?.answeredAt == nil)
  }

  @Test func offPeakWithin24hDoesNotFire() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 02:00", "在吗")
    t.add(.seller, "2026-11-20 09:00", "在的")
    #expect(try judge(Fixture.replySpeed(), t).isEmpty)
  }

  @Test func midnightCrossingWallClock() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 23:30", "在吗")
    t.add(.seller, "2026-11-21 00:20", "在的")
    #expect(try judge(Fixture.replySpeed(), t).isEmpty)
    var late = Transcript()
    late.add(.buyer, "2026-11-20 23:30", "在吗")
    late.add(.seller, "2026-11-21 00:31", "在的")
    let v = try judge(Fixture.replySpeed(), late)
    #expect(v.first?.deadline == Fixture.at("2026-11-21 00:30"))
  }

  @Test func over24hFires() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-23 01:00", "在吗")  // Monday
    t.add(.seller, "2026-11-24 02:00", "在的")
    let v = try judge(Fixture.replySpeed(), t)
    #expect(v.count == 1)
    #expect(v.first?.deadline == Fixture.at("2026-11-24 01:00"))
  }

  @Test func replyWithinTheHour() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 10:00", "在吗")
    t.add(.seller, "2026-11-20 10:59", "在的")
    #expect(try judge(Fixture.replySpeed(), t).isEmpty)
  }

  @Test func replyAtTheDeadlineInstantIsOnTime() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 10:00", "在吗")
    t.add(.seller, "2026-11-20 11:00", "在的")
    #expect(try judge(Fixture.replySpeed(), t).isEmpty)
    var late = Transcript()
    late.add(.buyer, "2026-11-20 10:00", "在吗")
    late.add(.seller, "2026-11-20 11:00:00.000000001", "在的")
    #expect(try judge(Fixture.replySpeed(), late).count == 1)
  }

  @Test func windowIsHalfOpen() throws {
    // 08:00:00 is inside 08:00-24:00 (1h limit); 07:59:59 is not (24h limit).
    var t = Transcript()
    t.add(.buyer, "2026-11-20 08:00", "在吗")
    t.add(.seller, "2026-11-20 09:30", "在的")
    #expect(try judge(Fixture.replySpeed(), t).first?.deadline == Fixture.at("2026-11-20 09:00"))
    var early = Transcript()
    early.add(.buyer, "2026-11-20 07:59:59", "在吗")
    early.add(.seller, "2026-11-20 09:30", "在的")
    #expect(try judge(Fixture.replySpeed(), early).isEmpty)
  }

  @Test func oneReplyAnswersEveryEarlierBuyerMessage() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 10:00", "在吗")
    t.add(.buyer, "2026-11-20 10:30", "有人吗")
    t.add(.seller, "2026-11-20 11:10", "在的")
    let v = try judge(Fixture.replySpeed(), t)
    #expect(v.count == 1)
    #expect(v.first?.event == 0)
    #expect(v.first?.answeredAt == Fixture.at("2026-11-20 11:10"))
  }

  // MARK: Paused clocks

  @Test func countingOnlyInsideTheWindow() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 23:30", "在吗")
    t.add(.seller, "2026-11-21 08:31", "在的")
    let v = try judge(Fixture.replySpeed(countingOnly: true), t)
    #expect(v.first?.deadline == Fixture.at("2026-11-21 08:30"))
    var onTime = Transcript()
    onTime.add(.buyer, "2026-11-20 23:30", "在吗")
    onTime.add(.seller, "2026-11-21 08:30", "在的")
    #expect(try judge(Fixture.replySpeed(countingOnly: true), onTime).isEmpty)
  }

  @Test func pausedClockStartsAtTheWindow() throws {
    // Opened at 02:00 (outside): 24h limit counted only inside 08:00-24:00 = 16h today + 8h.
    var t = Transcript()
    t.add(.buyer, "2026-11-20 02:00", "在吗")
    let v = try judge(Fixture.replySpeed(countingOnly: true), t)
    #expect(v.first?.deadline == Fixture.at("2026-11-21 16:00"))
  }

  @Test func pausedClockSkipsExcludedDates() throws {
    var policy = Fixture.replySpeed(countingOnly: true)
    policy.hours = [
      Fixture.hours("peak", [(8, 24)], except: [CivilDate(year: 2026, month: 11, day: 21)])
    ]
    var t = Transcript()
    t.add(.buyer, "2026-11-20 23:30", "在吗")
    let v = try judge(policy, t)
    #expect(v.first?.deadline == Fixture.at("2026-11-22 08:30"))
  }

  // MARK: as-of and pending

  @Test func notDueIsNotJudgedAndPendingShowsIt() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 10:00", "在吗")
    #expect(try judge(Fixture.replySpeed(), t, asOf: "2026-11-20 10:59:59").isEmpty)
    let pending = try judge(Fixture.replySpeed(), t, asOf: "2026-11-20 10:30", pending: true)
    #expect(pending.count == 1)
    #expect(pending.first?.pending == true)
    #expect(pending.first?.at == Fixture.at("2026-11-20 11:00"))
    let due = try judge(Fixture.replySpeed(), t, asOf: "2026-11-20 11:00")
    #expect(due.count == 1)
    #expect(due.first?.pending == false)
  }

  @Test func answeredAtIsNullWhenTheReplyCameAfterAsOf() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 10:00", "在吗")
    t.add(.seller, "2026-11-20 12:00", "在的")
    let v = try judge(Fixture.replySpeed(), t, asOf: "2026-11-20 11:30")
    #expect(v.count == 1)
    #expect(v.first?.answeredAt == nil)
    let later = try judge(Fixture.replySpeed(), t, asOf: "2026-11-20 12:00")
    #expect(later.first?.answeredAt == Fixture.at("2026-11-20 12:00"))
  }

  // MARK: Event-triggered obligations

  func afterSales() -> CheckedPolicy {
    Fixture.policy([
      Fixture.rule(
        "after_sales",
        .obligation(
          CheckedObligation(
            trigger: .event(["refund_requested", "dispute_opened"]), during: nil,
            response: .reply(.human), limits: [CheckedLimit(seconds: 86400, ifDuring: nil)],
            countingOnly: nil)))
    ])
  }

  @Test func refundNeedsAHumanReplyWithin24h() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 09:00", "退款")
    t.event("refund_requested", "2026-11-20 10:00")
    t.add(.seller, "2026-11-21 09:00", "自动回复", auto: true)
    let v = try judge(afterSales(), t)
    #expect(v.count == 1)
    #expect(v.first?.event == 1)
    #expect(v.first?.deadline == Fixture.at("2026-11-21 10:00"))
    #expect(v.first?.agent == nil)
    var ok = Transcript()
    ok.event("dispute_opened", "2026-11-20 10:00")
    ok.add(.seller, "2026-11-21 10:00", "处理中")
    #expect(try judge(afterSales(), ok).isEmpty)
  }

  // MARK: Bursts

  func spam(_ count: Int = 3) -> CheckedPolicy {
    Fixture.policy([
      Fixture.rule(
        "spam",
        .burst(
          CheckedBurst(
            count: count, sender: SenderSpecValue(role: .seller, kind: .any), windowSeconds: 600,
            breaker: SenderSpecValue(role: .buyer, kind: .any))))
    ])
  }

  @Test func burstGivesOneVerdictOnTheMessageThatExceeds() throws {
    var t = Transcript()
    for minute in 0..<6 { t.add(.seller, "2026-11-20 10:0\(minute)", "买吗", agent: "kefu-1") }
    let v = try judge(spam(), t)
    #expect(v.map(\.event) == [3])
    #expect(v.first?.agent == ByteString("kefu-1"))
    #expect(v.first?.at == Fixture.at("2026-11-20 10:03"))
  }

  @Test func burstWindowIsInclusive() throws {
    var t = Transcript()
    for time in ["10:00", "10:04", "10:08", "10:10"] { t.add(.seller, "2026-11-20 \(time)", "买吗") }
    #expect(try judge(spam(), t).map(\.event) == [3])
    var wide = Transcript()
    for time in ["10:00", "10:04", "10:08", "10:10:01"] {
      wide.add(.seller, "2026-11-20 \(time)", "买吗")
    }
    #expect(try judge(spam(), wide).isEmpty)
  }

  @Test func buyerMessageBreaksABurstAndANewOneCounts() throws {
    var t = Transcript()
    for minute in 0..<3 { t.add(.seller, "2026-11-20 10:0\(minute)", "买吗") }
    t.add(.buyer, "2026-11-20 10:03", "不买")
    for minute in 4..<8 { t.add(.seller, "2026-11-20 10:0\(minute)", "买吗") }
    t.add(.seller, "2026-11-20 10:30", "买吗")
    for minute in 31..<34 { t.add(.seller, "2026-11-20 10:\(minute)", "买吗") }
    // 10:04-10:07 is a burst (verdict at index 7); 10:30-10:33 another (index 11).
    #expect(try judge(spam(), t).map(\.event) == [7, 11])
  }

  // MARK: Stop requests

  func afterStop(allow: Bool = true) -> CheckedPolicy {
    Fixture.policy(
      [
        Fixture.rule(
          "contact_after_stop",
          .afterStop(
            CheckedAfterStop(
              condition: Fixture.fromSeller, stopList: 0,
              allowance: allow
                ? CheckedAllowance(windowSeconds: 600, maxLength: 20, containing: 1) : nil)),
          severity: Fixture.major)
      ],
      lists: [
        Fixture.list("stop_requests", ["别再发了", "不要再联系我", "别烦我"]),
        Fixture.list("acknowledgements", ["好的", "抱歉打扰", "不打扰了"]),
      ])
  }

  @Test func oneAcknowledgementIsAllowedThenEveryMessageFires() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 10:00", "别再发了")
    t.add(.seller, "2026-11-20 10:01", "好的，不打扰了")
    t.add(.seller, "2026-11-20 10:02", "亲在吗", auto: true)
    t.add(.seller, "2026-11-20 10:03", "好的")
    t.add(.buyer, "2026-11-20 10:05", "那个订单呢")
    t.add(.seller, "2026-11-20 10:06", "马上处理")
    #expect(try judge(afterStop(), t).map(\.event) == [2, 3])
  }

  @Test func lateLongOrWordlessAcknowledgementsFire() throws {
    var late = Transcript()
    late.add(.buyer, "2026-11-20 10:00", "别烦我")
    late.add(.seller, "2026-11-20 10:10:01", "好的")
    #expect(try judge(afterStop(), late).map(\.event) == [1])
    var atEdge = Transcript()
    atEdge.add(.buyer, "2026-11-20 10:00", "别烦我")
    atEdge.add(.seller, "2026-11-20 10:10", "好的")
    #expect(try judge(afterStop(), atEdge).isEmpty)
    var long = Transcript()
    long.add(.buyer, "2026-11-20 10:00", "不要再联系我")
    long.add(.seller, "2026-11-20 10:01", "好的，但是我们店今天有特别优惠活动欢迎选购哦")
    #expect(try judge(afterStop(), long).map(\.event) == [1])
    var wordless = Transcript()
    wordless.add(.buyer, "2026-11-20 10:00", "不要再联系我")
    wordless.add(.seller, "2026-11-20 10:01", "嗯")
    #expect(try judge(afterStop(), wordless).map(\.event) == [1])
    var noAllowance = Transcript()
    noAllowance.add(.buyer, "2026-11-20 10:00", "别烦我")
    noAllowance.add(.seller, "2026-11-20 10:01", "好的")
    #expect(try judge(afterStop(allow: false), noAllowance).map(\.event) == [1])
  }
}
