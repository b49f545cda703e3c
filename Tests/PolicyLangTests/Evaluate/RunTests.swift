// Content rules with evidence, rates at threshold edges, escalation, verdict order, conflicts.

import Testing

@testable import PolicyLang

@Suite("Evaluation runs")
struct RunTests {
  static let thirdParty = Fixture.policy(
    [
      Fixture.rule(
        "third_party_info",
        .message(
          .and([
            Fixture.fromSeller,
            .or([
              .containsAny(list: 0), .detector(.phone, allowed: nil),
              .detector(.url, allowed: 0), .detector(.qrCode, allowed: nil),
            ]),
          ])), severity: Fixture.major),
      Fixture.rule("manual_check", .manual(note: "人工")),
    ],
    lists: [Fixture.list("contact_apps", ["微信|薇信|vx", "QQ"])],
    domains: [CheckedDomainList(name: "allowed", domains: ["yangkeduo.com"], span: .none)])

  @Test func contentVerdictCarriesAllEvidenceSortedInOriginalOffsets() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 10:00", "怎么联系你 微信")
    t.add(.seller, "2026-11-20 10:01", "加我薇信 或 13800138000 看 https://item.taobao.com/x", agent: "kefu-3")
    t.add(
      .seller, "2026-11-20 10:02", "https://mobile.yangkeduo.com/g",
      attachments: [Fixture.attachment(.image), Fixture.attachment(.image, qr: true)])
    let v = try Fixture.evaluator(Self.thirdParty).evaluate(run: t.events, asOf: nil, includePending: false)
    #expect(v.map(\.event) == [1, 2])
    let evidence = v.first?.evidence ?? []
    #expect(evidence.map(\.kind) == ["term", "phone", "url"])
    #expect(
      evidence.first
        == Evidence(kind: "term", list: "contact_apps", term: "微信", start: 2, end: 4, match: "薇信"))
    #expect(evidence[1].start == 7 && evidence[1].end == 18 && evidence[1].match == "13800138000")
    #expect(evidence[2].match == "https://item.taobao.com/x")
    #expect(v.first?.agent == ByteString("kefu-3"))
    #expect(v.last?.evidence == [Evidence(kind: "qr_code", attachment: 1)])
  }

  @Test func manualRulesNeverProduceVerdicts() throws {
    var t = Transcript()
    t.add(.seller, "2026-11-20 10:01", "随便说")
    let v = try Fixture.evaluator(Self.thirdParty).evaluate(run: t.events, asOf: nil, includePending: false)
    #expect(v.isEmpty)
  }

  @Test func buyerSendingContactsDoesNotFire() throws {
    var t = Transcript()
    t.add(.buyer, "2026-11-20 10:00", "加我微信 13800138000")
    #expect(
      try Fixture.evaluator(Self.thirdParty).evaluate(run: t.events, asOf: nil, includePending: false)
        .isEmpty)
  }

  @Test func verdictOrderIsByConversationBytesEventRule() throws {
    var events: [Event] = []
    for (n, conversation) in ["c-b", "c-a", "C-z"].enumerated() {
      var t = Transcript(conversation)
      t.add(.seller, "2026-11-20 10:0\(n)", "加 vx")
      t.add(.seller, "2026-11-20 09:00", "QQ")
      events += t.events
    }
    let v = try Fixture.evaluator(Self.thirdParty).evaluate(
      run: events.reversed(), asOf: nil, includePending: false)
    #expect(v.map { $0.conversation?.description ?? "" } == ["C-z", "C-z", "c-a", "c-a", "c-b", "c-b"])
    #expect(v.map { $0.event ?? -1 } == [0, 1, 0, 1, 0, 1])
    #expect(v.first?.evidence?.first?.match == "QQ")
  }

  @Test func conflictingShopIsRejectedAndTheRestEvaluated() throws {
    var t = Transcript("c-1", shop: "s-1")
    t.add(.seller, "2026-11-20 10:00", "vx")
    t.shop = "s-2"
    t.add(.seller, "2026-11-20 10:01", "vx")
    t.shop = nil
    t.add(.seller, "2026-11-20 10:02", "vx")
    var rejected: [EventRejection] = []
    let v = try Fixture.evaluator(Self.thirdParty).evaluate(
      run: t.events, asOf: nil, includePending: false
    ) { _, why in rejected.append(why) }
    #expect(rejected == [.conflictingShop(earlier: ByteString("s-1"), found: ByteString("s-2"))])
    #expect(v.map(\.event) == [0, 1])
    #expect(v.allSatisfy { $0.shop == ByteString("s-1") })
  }

  // MARK: Rates

  static func ratePolicy(
    minimum: Int? = 2, threshold: Int64 = 800_000, unit: RateUnit = .buyerDay
  )
    -> CheckedPolicy
  {
    Fixture.policy(
      [
        Fixture.rule(
          "reply_within_hour",
          .obligation(
            CheckedObligation(
              trigger: .message(Fixture.fromBuyer), during: 0, response: .reply(.human),
              limits: [CheckedLimit(seconds: 3600, ifDuring: nil)], countingOnly: nil))),
        Fixture.rule(
          "effective_reply_rate",
          .rate(
            CheckedRate(
              of: 0, unit: unit, period: .day, during: 0, thresholdMillionths: threshold,
              minimum: minimum))),
      ], hours: [Fixture.hours("reply_hours", [(8, 23)])])
  }

  /// `buyers` conversations on 2026-11-20 in shop s-88; the first `failing` get no reply.
  static func day(buyers: Int, failing: Int) -> [Event] {
    var events: [Event] = []
    for n in 0..<buyers {
      var t = Transcript("c-\(n)", shop: "s-88")
      t.add(.buyer, "2026-11-20 10:00", "在吗")
      if n >= failing { t.add(.seller, "2026-11-20 10:30", "在的") }
      events += t.events
    }
    return events
  }

  func aggregates(_ policy: CheckedPolicy, _ events: [Event], asOf: String? = nil) throws -> [Verdict] {
    try Fixture.evaluator(policy).evaluate(run: events, asOf: asOf.map(Fixture.at), includePending: false)
      .filter { $0.aggregate != nil }
  }

  @Test func rateExactlyAtThresholdDoesNotFall() throws {
    #expect(try aggregates(Self.ratePolicy(), Self.day(buyers: 5, failing: 1)).isEmpty)
  }

  @Test func rateBelowThresholdGivesTheAggregateShape() throws {
    let v = try aggregates(Self.ratePolicy(), Self.day(buyers: 5, failing: 2))
    #expect(v.count == 1)
    let verdict = try #require(v.first)
    let a = try #require(verdict.aggregate)
    #expect(a.count == 3 && a.total == 5)
    #expect(a.valueTenThousandths == 6000)
    #expect(a.thresholdMillionths == 800_000)
    #expect(verdict.shop == ByteString("s-88"))
    #expect(a.periodStart == Fixture.at("2026-11-20 08:00"))
    #expect(a.periodEnd == Fixture.at("2026-11-20 23:00"))
  }

  @Test func rateNeedsMoreThanTheMinimum() throws {
    #expect(try aggregates(Self.ratePolicy(minimum: 3), Self.day(buyers: 3, failing: 3)).isEmpty)
    #expect(try aggregates(Self.ratePolicy(minimum: 2), Self.day(buyers: 3, failing: 3)).count == 1)
  }

  @Test func periodIsJudgedOnlyOnceItsEndPlusTheLongestLimitPassed() throws {
    let events = Self.day(buyers: 5, failing: 5)
    #expect(try aggregates(Self.ratePolicy(), events, asOf: "2026-11-20 23:59:59").isEmpty)
    #expect(try aggregates(Self.ratePolicy(), events, asOf: "2026-11-21 00:00").count == 1)
  }

  @Test func rateValueRoundsToFourDecimals() throws {
    // 2 of 3 = 0.66666 -> 0.6667.
    let v = try aggregates(Self.ratePolicy(minimum: nil, unit: .message), Self.day(buyers: 3, failing: 1))
    #expect(v.first?.aggregate?.valueTenThousandths == 6667)
  }

  // MARK: Escalation

  @Test func thirdMinorWithin30dEscalates() throws {
    var policy = Fixture.policy(
      [Fixture.rule("rude", .message(.and([Fixture.fromSeller, .containsTerm("滚")])))])
    policy.escalations = [
      CheckedEscalation(count: 3, from: 1, to: 2, windowSeconds: 30 * 86400, clause: nil, span: .none)
    ]
    var events: [Event] = []
    let days = ["2026-10-01", "2026-10-20", "2026-10-25", "2026-12-01"]
    for (n, day) in days.enumerated() {
      var t = Transcript("c-\(n)", shop: "s-1")
      t.add(.seller, "\(day) 10:00", "滚")
      events += t.events
    }
    let v = try Fixture.evaluator(policy).evaluate(run: events, asOf: nil, includePending: false)
    #expect(v.map(\.escalatedTo) == [nil, nil, "major", nil])
    #expect(v[2].escalation?.reason == "3rd minor within 30d")
    #expect(v.allSatisfy { $0.severity == "minor" })
  }
}
