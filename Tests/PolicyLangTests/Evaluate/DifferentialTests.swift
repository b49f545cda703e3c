// The compiled program and the reference evaluator agree on random conversations over random
// small policies (seeded, reproducible).

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

struct RandomPolicy {
  var rng: SeededRandom

  mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
  mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
  mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

  static let lists = [
    Fixture.list("contacts", ["微信|薇信", "qq", "vx"]),
    Fixture.list("stops", ["别再发了", "别烦我"]),
    Fixture.list("acks", ["好的", "抱歉"]),
    // Overlaps `contacts` (微信 in 微信支付): evidence of one kind from two conditions.
    Fixture.list("payments", ["微信支付", "支付|支付宝"]),
  ]

  mutating func condition(depth: Int) -> CheckedCondition {
    if depth > 0 && chance(40) {
      let parts = (0..<int(1...3)).map { _ in condition(depth: depth - 1) }
      switch int(0...2) {
      case 0: return .and(parts)
      case 1: return .or(parts)
      default: return .not(parts[0])
      }
    }
    switch int(0...17) {
    case 17:
      let types = [".pdf", ".exe", "image/*", "application/pdf", ".jpg"].filter { _ in chance(40) }
      return .attachmentOfType(
        type: pick([nil, "file", "image"]), negated: chance(50), fileTypes: types.isEmpty ? [".pdf"] : types)
    case 16:
      let plans = PhoneRegion.allCases.filter { _ in chance(40) }
      return .phones(regions: plans.isEmpty ? [.us] : plans)
    case 13, 14: return history(depth: depth)
    case 15: return .nearWords(list: pick([0, 3]), other: pick([0, 2, 3]), distance: int(0...6))
    case 0: return .constant(chance(50))
    case 1, 2: return .from(pick(SenderRole.allCases), pick([.any, .human, .auto]))
    case 3: return .containsAny(list: int(0...3))
    case 4: return .containsTerm(pick(["qq", "好", "13"]))
    case 5: return .containsAtLeast(count: int(0...2), list: 0)
    case 6: return .detector(pick([.email, .phone, .bankCard, .qrCode, .address]), allowed: nil)
    case 7: return .detector(.url, allowed: chance(50) ? 0 : nil)
    case 8: return .near(list: pick([0, 3]), distance: int(0...4))
    case 9: return .length(atMost: chance(50), int(0...12))
    case 10: return .hasAttachment(type: pick([nil, "image", "file"]))
    case 11:
      return .matches(pick(["qq", "在", "(?i)QQ", "\\bqq\\b", "\\d{3,}", "\\Bq"]), name: pick([nil, "p"]))
    default: return .and([.from(.seller, .any), .containsAny(list: 0)])
    }
  }

  /// What a history condition looks for: an event by name, any message, a sender, a stop
  /// request, or a random condition (which may hold history conditions of its own).
  mutating func happening(depth: Int) -> CheckedHappening {
    if chance(8) { return .anyEvent }
    if chance(25) {
      return .event(
        chance(70) ? [pick(["refund_requested", "refund_done"])] : ["refund_requested", "refund_done"])
    }
    switch int(0...3) {
    case 0: return .message(.constant(true))
    case 1: return .message(.from(pick([.buyer, .seller]), pick([.any, .auto, .human])))
    case 2: return .message(.and([Fixture.fromBuyer, .containsAny(list: 1)]))
    default: return .message(depth > 0 ? condition(depth: depth - 1) : Fixture.fromSeller)
    }
  }

  mutating func history(depth: Int) -> CheckedCondition {
    let kind: CheckedHistoryKind
    switch int(0...3) {
    case 0: kind = .after
    case 1: kind = .within(seconds: pick([0, 60, 300, 1800, 7200]))
    case 2: kind = .moreThan(seconds: pick([0, 60, 300, 1800, 7200]))
    default:
      kind = .count(
        pick([.moreThan, .atLeast, .atMost]), int(0...3),
        withinSeconds: chance(50) ? pick([30, 60, 600, 3600]) : nil)
    }
    let first: Bool
    if case .count = kind { first = false } else { first = chance(30) }
    return .history(
      CheckedHistory(
        kind: kind, first: first, happening: happening(depth: depth),
        without: chance(50) ? happening(depth: 0) : nil))
  }

  /// A rate of the obligation rule at `reply`: any period (sliding windows only over units that
  /// slide), any comparison.
  mutating func rate(of reply: Int) -> CheckedRate {
    let unit: RateUnit = pick([.message, .buyerDay, .conversation])
    var periods: [CheckedPeriod] = [.day, .month, .rolling(seconds: 4 * 3600)]
    if unit != .conversation { periods += [.last(days: 1), .last(days: 2), .last(days: 3)] }
    return CheckedRate(
      of: reply, unit: unit, period: pick(periods), during: chance(50) ? 0 : nil,
      comparison: pick(RateComparison.allCases), thresholdMillionths: Int64(int(0...10)) * 100_000,
      minimum: pick([nil, 0, 1, 3]))
  }

  /// A count ratio: the verdicts of the first message rule (`m0`) or a happening, per a
  /// happening; a threshold that may pass 100%.
  mutating func ratio() -> CheckedRatio {
    let count: CheckedRatioCount = chance(30) ? .rule(0) : .happening(happening(depth: 1))
    var rate = rate(of: 0)
    rate.unit = .message
    rate.thresholdMillionths = Int64(int(0...15)) * 100_000
    return CheckedRatio(count: count, per: happening(depth: 1), rate: rate)
  }

  mutating func policy() -> CheckedPolicy {
    var rules: [CheckedRule] = []
    for n in 0..<int(1...3) {
      rules.append(Fixture.rule("m\(n)", .message(condition(depth: 3)), severity: int(1...2)))
    }
    let reply = rules.count
    rules.append(
      Fixture.rule(
        "reply",
        .obligation(
          CheckedObligation(
            trigger: .message(chance(70) ? Fixture.fromBuyer : condition(depth: 2)),
            during: chance(30) ? 1 : nil, response: .reply(pick([.human, .any])),
            limits: [
              CheckedLimit(seconds: Int64(int(1...6)) * 1800, ifDuring: nil),
              CheckedLimit(seconds: Int64(int(1...4)) * 600, ifDuring: 0),
            ], countingOnly: chance(40) ? 0 : nil))))
    rules.append(
      Fixture.rule(
        "refund",
        .obligation(
          CheckedObligation(
            trigger: .event(["refund_requested"]), during: nil,
            response: pick([
              .reply(.human), .event(["refund_done"]), .replyOrEvent(pick([.human, .any]), ["refund_done"]),
            ]),
            limits: [CheckedLimit(seconds: 3600, ifDuring: nil)], countingOnly: nil))))
    rules.append(
      Fixture.rule(
        "burst",
        .burst(
          CheckedBurst(
            count: int(1...3), sender: SenderSpecValue(role: .seller, kind: pick([.any, .auto])),
            windowSeconds: Int64(int(1...10)) * 60,
            breaker: SenderSpecValue(role: .buyer, kind: .any)))))
    rules.append(
      Fixture.rule(
        "after_stop",
        .afterStop(
          CheckedAfterStop(
            condition: chance(70) ? Fixture.fromSeller : condition(depth: 2), stopList: 1,
            allowance: chance(70)
              ? CheckedAllowance(
                windowSeconds: Int64(int(1...10)) * 60, maxLength: chance(50) ? int(1...8) : nil,
                containing: chance(70) ? 2 : nil, notContaining: chance(30) ? 3 : nil) : nil)), severity: 2))
    rules.append(Fixture.rule("rate", .rate(rate(of: reply))))
    rules.append(Fixture.rule("ratio", .ratio(ratio())))
    rules.append(Fixture.rule("manual", .manual(note: nil)))
    return Fixture.policy(
      rules, lists: Self.lists,
      hours: [Fixture.hours("peak", [(8, 24)]), Fixture.hours("office", [(9, 12), (13, 18)])],
      domains: [CheckedDomainList(name: "ok", domains: ["ok.com"], span: .none)],
      escalations: [
        CheckedEscalation(count: 2, from: 1, to: 2, windowSeconds: 86400, clause: nil, span: .none),
        CheckedEscalation(count: 3, from: 1, to: 3, windowSeconds: 3 * 86400, clause: nil, span: .none),
      ])
  }

  static let fragments = [
    "微信", "薇信", "qq", "vx", "abc_12345", " ", "好的", "抱歉", "别再发了", "别烦我", "13800138000",
    "kf@qq.com", "https://x.cn/a", "http://m.ok.com/b", "6222020200001234562", "在吗", "，", "QQ",
    "微信支付", "支付宝",
    "广州市白云区", "机场路88号", "+1 415 555 2671", "(415) 555-2671", "9123 4567", "+65 9123 4567",
    "012-345 6789", "0917 123 4567", "0912-345-678", "+44 20 7946 0958", "2026-11-20",
  ]

  mutating func events(conversation: String) -> [Event] {
    var out: [Event] = []
    let shop = pick(["s-1", "s-2", "s-3"])
    let buyer: String? = chance(50) ? pick(["b-1", "b-2"]) : nil
    var minute = int(0...(3 * 24 * 60))
    for n in 0..<int(1...12) {
      minute += pick([0, 0, 1, 2, 5, 30, 90, 600])
      let day = 20 + minute / 1440
      let clock = minute % 1440
      let time = "2026-11-\(day) \(clock / 60):\(clock % 60):\(pick(["00", "30"]))"
      if chance(10) {
        out.append(
          Fixture.event(pick(["refund_requested", "refund_done"]), time, conversation: conversation))
        continue
      }
      let text = (0..<int(0...3)).map { _ in pick(Self.fragments) }.joined()
      var attachments: [PolicyLang.Attachment] = []
      if chance(15) {
        var attachment = Fixture.attachment(
          pick([.image, .file, .video]), url: chance(50) ? pick(Self.fragments) : nil, qr: chance(30))
        if chance(60) {
          attachment.name = Array(pick(["a.pdf", "报价.PDF", "setup.exe", "photo", "x.", "p.JPG"]).utf8)
        }
        if chance(50) {
          attachment.mime = Array(
            pick(["application/pdf", "Image/PNG; q=1", "image", "text/plain", " application/pdf "]).utf8)
        }
        attachments.append(attachment)
      }
      out.append(
        Fixture.message(
          pick([.buyer, .buyer, .seller, .seller, .seller, .system]), time, chance(90) ? text : nil,
          auto: chance(25), conversation: conversation, shop: chance(70) ? shop : nil,
          agent: chance(50) ? "kefu-\(int(1...2))" : nil, attachments: attachments,
          buyer: chance(50) ? buyer : nil))
    }
    return out
  }
}

@Suite("Differential: compiled program vs reference")
struct DifferentialTests {
  @Test func randomConversationsAgree() throws {
    var conversations = 0
    var laterRateVerdicts = 0
    var ratioVerdicts = 0
    for seed in UInt64(1)...60 {
      var random = RandomPolicy(rng: SeededRandom(seed: seed))
      let policy = random.policy()
      let evaluator = try Fixture.evaluator(policy)
      let reference = try #require(ReferenceEvaluator(policy))
      var queues: [[Event]] = []
      for c in 0..<50 {
        queues.append(random.events(conversation: "c-\(c % 7)-\(c)"))
        conversations += 1
      }
      // Interleave conversations at random, keeping each one's line order.
      var events: [Event] = []
      while !queues.isEmpty {
        let q = random.int(0...(queues.count - 1))
        events.append(queues[q].removeFirst())
        if queues[q].isEmpty { queues.remove(at: q) }
      }
      let asOf: Timestamp? = random.chance(50) ? nil : Fixture.at("2026-11-22 \(random.int(0...23)):00")
      let pending = random.chance(50)
      let compiled = evaluator.evaluate(run: events, asOf: asOf, includePending: pending)
      let expected = reference.run(events, asOf: asOf, pending: pending)
      #expect(compiled.count == expected.count, "seed \(seed)")
      for (a, b) in zip(compiled, expected) where a != b {
        Issue.record("seed \(seed): compiled \(a)\nreference \(b)")
        break
      }
      ratioVerdicts += compiled.filter { $0.rule == "ratio" }.count
      // Verdicts of the later rate forms: sliding windows and the other comparisons.
      let later = policy.rules.contains { rule in
        guard case .rate(let rate) = rule.body else { return false }
        if case .last = rate.period { return true }
        return rate.comparison != .atLeast
      }
      if later {
        laterRateVerdicts +=
          compiled.filter {
            if case .aggregate = $0.detail { return true }
            return false
          }.count
      }
    }
    #expect(conversations == 3000)
    #expect(laterRateVerdicts >= 20)
    #expect(ratioVerdicts >= 20)
  }
}
