// Content rules with evidence, rates at threshold edges, escalation, verdict order, conflicts.

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

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

// MARK: Rate tally

extension RunTests {
  /// One obligation rule counted by three rates, one per unit, over days and over a month.
  static let tallyPolicy = Fixture.policy(
    [
      Fixture.rule(
        "reply_within_hour",
        .obligation(
          CheckedObligation(
            trigger: .message(Fixture.fromBuyer), during: nil, response: .reply(.human),
            limits: [CheckedLimit(seconds: 3600, ifDuring: nil)], countingOnly: nil))),
      Fixture.rule(
        "buyer_day_rate",
        .rate(
          CheckedRate(
            of: 0, unit: .buyerDay, period: .day, during: 0, thresholdMillionths: 900_000, minimum: 1))),
      Fixture.rule(
        "message_rate",
        .rate(
          CheckedRate(
            of: 0, unit: .message, period: .month, during: nil, thresholdMillionths: 950_000,
            minimum: nil))),
      Fixture.rule(
        "conversation_rate",
        .rate(
          CheckedRate(
            of: 0, unit: .conversation, period: .rolling(seconds: 43_200), during: nil,
            thresholdMillionths: 990_000, minimum: nil))),
    ], hours: [Fixture.hours("reply_hours", [(8, 23)])])

  /// Random conversations over three shops, a few buyers and three days; some replies are late.
  static func tallyEvents(_ random: inout SeededRandom, conversations: Int) -> [Event] {
    var events: [Event] = []
    for c in 0..<conversations {
      let shop = Int.random(in: 0..<4, using: &random)
      var t = Transcript("c-\(c)", shop: shop == 3 ? nil : "s-\(shop)")
      let buyer =
        Int.random(in: 0..<3, using: &random) == 0 ? nil : "b-\(Int.random(in: 0..<6, using: &random))"
      var minute = Int.random(in: 0..<(3 * 1440), using: &random)
      for _ in 0..<Int.random(in: 1...5, using: &random) {
        let day = 20 + min(minute / 1440, 9)
        let time = String(format: "2026-11-%02d %02d:%02d", day, minute % 1440 / 60, minute % 60)
        if Bool.random(using: &random) {
          t.add(.buyer, time, "在吗", buyer: buyer)
        } else {
          t.add(.seller, time, "在的", agent: "k-1")
        }
        minute += Int.random(in: 1..<(Bool.random(using: &random) ? 50 : 200), using: &random)
      }
      events += t.events
    }
    return events
  }

  /// The rates as the run counted them before the tally: every record kept, units keyed by
  /// (shop, period, unit), for comparison.
  static func recordRates(_ evaluator: Evaluator, _ results: [ConversationResult]) -> [String] {
    var out: [String] = []
    for (index, rule) in evaluator.program.ir.rules.enumerated() {
      guard case .rate(let rate) = rule.body else { continue }
      var units: [String: Bool] = [:]
      var serial = 0
      for result in results {
        for record in result.obligations where record.rule == rate.of {
          if let during = rate.during, !evaluator.calendar.contains(during, record.openedAt) { continue }
          let p = evaluator.calendar.period(rate.period, during: rate.during, at: record.openedAt)
          var key = "\(result.shop)|\(p.start)|\(p.end)|"
          switch rate.unit {
          case .message:
            serial += 1
            key += "#\(serial)"
          case .buyerDay: key += "\(record.buyer) \(evaluator.calendar.localDay(record.openedAt))"
          case .conversation: key += "\(record.conversation)"
          }
          units[key] = (units[key] ?? true) && record.met
        }
      }
      var periods: [String: (Int, Int)] = [:]
      for (key, passed) in units {
        let period = key.split(separator: "|", omittingEmptySubsequences: false).prefix(3)
          .joined(separator: " ")
        let t = periods[period] ?? (0, 0)
        periods[period] = (t.0 + (passed ? 1 : 0), t.1 + 1)
      }
      out += periods.map { "\(index) \($0.key) \($0.value.0)/\($0.value.1)" }
    }
    return out.sorted()
  }

  /// Every (rule, shop, period, count/total) the tally gives, in the shape of `recordRates`.
  static func tallyRates(_ tally: RateTally) -> [String] {
    var out: [String] = []
    for (s, source) in tally.sources.enumerated() {
      for (key, c) in tally.periods(of: s) {
        out.append("\(source.rule) \(key.shop) \(key.period.start) \(key.period.end) \(c.passed)/\(c.total)")
      }
    }
    return out.sorted()
  }

  @Test func tallyCountsWhatEveryKeptRecordCounted() throws {
    let evaluator = try Fixture.evaluator(Self.tallyPolicy)
    var random = SeededRandom(seed: 9)
    for round in 0..<8 {
      let events = Self.tallyEvents(&random, conversations: 40 + round * 20)
      let byConversation = Dictionary(grouping: events, by: \.conversation)
      var results = byConversation.values.map {
        evaluator.evaluate(conversation: $0, asOf: nil, includePending: false)
      }
      results.shuffle(using: &random)
      var tally = RateTally(for: evaluator)
      for result in results { tally.add(result) }
      #expect(Self.tallyRates(tally) == Self.recordRates(evaluator, results), "round \(round)")
      #expect(results.contains { !$0.obligations.isEmpty })
    }
  }

  @Test func finishingFromATallyGivesWhatFinishingFromResultsGives() throws {
    let evaluator = try Fixture.evaluator(Self.tallyPolicy)
    var random = SeededRandom(seed: 77)
    var aggregatesSeen = 0
    for round in 0..<8 {
      let events = Self.tallyEvents(&random, conversations: 30 + round * 25)
      let asOf = round % 2 == 0 ? nil : Fixture.at("2026-11-22 12:00")
      var results = Dictionary(grouping: events, by: \.conversation).values.map {
        evaluator.evaluate(conversation: $0, asOf: asOf, includePending: round % 3 == 0)
      }
      results.shuffle(using: &random)
      let whole = evaluator.finish(results, asOf: asOf)
      var tally = RateTally(for: evaluator)
      var verdicts: [RankedVerdict] = []
      for result in results {
        tally.add(result)
        verdicts += result.verdicts
      }
      #expect(evaluator.finish(verdicts: verdicts, tally: tally, asOf: asOf) == whole, "round \(round)")
      #expect(evaluator.evaluate(run: events, asOf: asOf, includePending: round % 3 == 0) == whole)
      aggregatesSeen += whole.filter { $0.aggregate != nil }.count
    }
    #expect(aggregatesSeen > 10)
  }

  @Test func aBuyersConversationsOfOneDayAreOneUnit() throws {
    var events: [Event] = []
    for (n, answered) in [true, false, true].enumerated() {
      var t = Transcript("c-\(n)", shop: "s-1")
      t.add(.buyer, "2026-11-20 1\(n):00", "在吗", buyer: "b-1")
      if answered { t.add(.seller, "2026-11-20 1\(n):10", "在的") }
      events += t.events
    }
    var other = Transcript("c-9", shop: "s-1")
    other.add(.buyer, "2026-11-20 10:00", "在吗", buyer: "b-2")
    other.add(.seller, "2026-11-20 10:10", "在的")
    events += other.events
    let evaluator = try Fixture.evaluator(Self.ratePolicy(minimum: nil))
    var tally = RateTally(for: evaluator)
    for group in Dictionary(grouping: events, by: \.conversation).values {
      tally.add(evaluator.evaluate(conversation: group, asOf: nil, includePending: false))
    }
    let v = evaluator.finish(verdicts: [], tally: tally, asOf: nil)
    #expect(v.compactMap(\.aggregate).map { "\($0.count)/\($0.total)" } == ["1/2"])
  }

  @Test func resultsOfOneConversationIdAreOneConversationUnit() throws {
    let evaluator = try Fixture.evaluator(Self.ratePolicy(minimum: nil, unit: .conversation))
    var a = Transcript("c-1", shop: "s-1")
    a.add(.buyer, "2026-11-20 10:00", "在吗")
    a.add(.seller, "2026-11-20 10:10", "在的")
    var b = Transcript("c-1", shop: "s-1")
    b.add(.buyer, "2026-11-20 12:00", "在吗")
    let results = [a.events, b.events].map {
      evaluator.evaluate(conversation: $0, asOf: nil, includePending: false)
    }
    let v = evaluator.finish(results, asOf: nil)
    #expect(v.compactMap(\.aggregate).map { "\($0.count)/\($0.total)" } == ["0/1"])
  }

  @Test func aProgramWithoutRatesHasAnEmptyTally() throws {
    #expect(RateTally(for: try Fixture.evaluator(Self.thirdParty)).isEmpty)
    #expect(!RateTally(for: try Fixture.evaluator(Self.tallyPolicy)).isEmpty)
  }
}
