// Years 0001-9999 in the policy's zone: the intake refuses events outside them, deadlines and
// rate periods beyond them never come, and every time written is RFC 3339.

import Testing

@testable import PolicyLang

@Suite("Supported years")
struct SupportedYearsTests {
  static let zones = [
    "UTC", "Asia/Shanghai", "America/New_York", "Australia/Sydney", "Pacific/Kiritimati",
    "America/St_Johns", "Asia/Kathmandu",
  ]

  static func time(_ text: String) throws -> Timestamp { try Timestamp(rfc3339: text) }

  @Test(arguments: [
    ("UTC", "0001-01-01T00:00:00Z", true),
    ("UTC", "0001-01-01T00:00:00+00:01", false),
    ("UTC", "9999-12-31T23:59:59.999999999Z", true),
    ("UTC", "9999-12-31T23:59:59-00:01", false),
    ("Asia/Shanghai", "9999-12-31T23:59:59+08:00", true),
    ("Asia/Shanghai", "9999-12-31T23:59:59Z", false),
    ("Asia/Shanghai", "0001-01-01T00:00:00Z", true),
    ("Asia/Shanghai", "0001-01-01T00:00:00+14:00", false),
    ("America/New_York", "0001-01-01T04:00:00Z", false),
    ("America/New_York", "0001-01-01T05:00:00Z", true),
    ("America/New_York", "9999-12-31T23:59:59-05:00", true),
    ("America/New_York", "2026-11-20T10:00:00+08:00", true),
  ])
  func acceptsTimesWhoseLocalYearIsSupported(_ zone: String, _ text: String, _ accepted: Bool) throws {
    let zone = try #require(PolicyZone(identifier: zone))
    #expect(zone.accepts(try Self.time(text)) == accepted)
  }

  /// Across zones, the first and last accepted instants are exactly where the written local time
  /// crosses 0001-01-01T00:00:00 and 10000-01-01T00:00:00, and what is accepted is written in
  /// four-digit years.
  @Test(arguments: zones)
  func theBoundsAreExactAndWritable(_ identifier: String) throws {
    let zone = try #require(PolicyZone(identifier: identifier))
    let first = zone.clampedToSupportedYears(Timestamp(seconds: Int64.min / 2))
    let last = zone.clampedToSupportedYears(Timestamp(seconds: Int64.max / 2))
    #expect(zone.accepts(first) && !zone.accepts(first - 1))
    #expect(zone.accepts(last) && !zone.accepts(Timestamp(seconds: last.seconds + 1)))
    #expect(zone.rfc3339(first).hasPrefix("0001-01-01T00:00:00"), "\(zone.rfc3339(first))")
    #expect(zone.rfc3339(last).hasPrefix("9999-12-31T23:59:59.999999999"), "\(zone.rfc3339(last))")
    #expect(zone.localYear(of: first - 1) == 0)
    #expect(zone.localYear(of: Timestamp(seconds: last.seconds + 1)) == 10000)
  }

  /// `accepts` decides most instants without an offset lookup: it must agree with the definition
  /// (the local time as written, offset in whole minutes) everywhere, near both ends above all.
  @Test(arguments: zones)
  func theShortcutAgreesWithTheDefinition(_ identifier: String) throws {
    let zone = try #require(PolicyZone(identifier: identifier))
    let years = PolicyZone.supportedLocalSeconds
    var random = SeededRandom(seed: 20_261_206)
    let day: Int64 = 86400
    for k in 0..<30_000 {
      let seconds: Int64
      switch k % 3 {
      case 0:
        seconds = Int64.random(
          in: (years.lowerBound - 3 * day)...(years.lowerBound + 3 * day), using: &random)
      case 1:
        seconds = Int64.random(
          in: (years.upperBound - 3 * day)...(years.upperBound + 3 * day), using: &random)
      default: seconds = Int64.random(in: (years.lowerBound - day)...(years.upperBound + day), using: &random)
      }
      let written = seconds + Int64(zone.offset(atSeconds: seconds) / 60 * 60)
      #expect(
        zone.accepts(Timestamp(seconds: seconds)) == years.contains(written), "\(identifier) \(seconds)")
    }
  }

  @Test func extremeInstantsAreRefusedWithoutTrapping() throws {
    let zone = try #require(PolicyZone(identifier: "Australia/Sydney"))
    for seconds in [Int64.min, Int64.min + 1, -1 << 40, 1 << 40, Int64.max - 1, Int64.max] {
      #expect(!zone.accepts(Timestamp(seconds: seconds)))
      #expect(zone.accepts(zone.clampedToSupportedYears(Timestamp(seconds: seconds))))
    }
  }

  /// A verdict built by hand with a time outside the years is written clamped to them: the
  /// writer never writes five-digit years or year 0000.
  @Test(arguments: zones)
  func theWriterNeverWritesOutsideRFC3339(_ identifier: String) throws {
    let zone = try #require(PolicyZone(identifier: identifier))
    for seconds: Int64 in [Int64.min, -62_135_596_800 - 86400, 253_402_300_799 + 86400, Int64.max] {
      let at = Timestamp(seconds: seconds)
      let verdict = Verdict(
        policy: "p", rule: "r", clause: "C-1", severity: "minor", shop: "s",
        detail: .timing(
          VerdictEvent(conversation: "c", agent: nil, at: at, event: 0), openedAt: at, deadline: at,
          answeredAt: at))
      var writer = VerdictWriter()
      writer.append(verdict, zone: zone)
      let line = String(decoding: writer.bytes, as: UTF8.self)
      for time in Self.times(in: line) {
        let parsed = try Self.time(time)
        #expect(zone.accepts(parsed), "\(identifier): \(time)")
        #expect(time.hasPrefix("0001-") || time.hasPrefix("9999-"), "\(identifier): \(time)")
      }
    }
  }

  /// The quoted values of `*_at`, `at` and `deadline` in a verdict line.
  static func times(in line: String) -> [String] {
    var out: [String] = []
    for key in ["\"at\":\"", "\"opened_at\":\"", "\"deadline\":\"", "\"answered_at\":\""] {
      guard let start = line.range(of: key) else { continue }
      let rest = line[start.upperBound...]
      if let end = rest.firstIndex(of: "\"") { out.append(String(rest[..<end])) }
    }
    return out
  }

  static let policy = """
    policy edge "边界" {
      zone Asia/Shanghai
    }
    clause E-1 "回复" timeline
    clause E-2 "内容" content
    clause E-3 "回复率" aggregate
    severity minor sanction "警告"
    rule contact "联系方式" {
      clause E-2
      severity minor
      when message from seller and contains "微信"
    }
    rule reply "回复" {
      clause E-1
      severity minor
      every message from buyer
      expect reply within 1h
    }
    rule monthly "回复率" {
      clause E-3
      severity minor
      rate of reply per message over month
      at least 90%
    }

    """

  /// One event line, without its line end.
  static func line(_ conversation: String, _ at: String, _ from: String, _ text: String) -> String {
    "{\"conversation\":\"\(conversation)\",\"at\":\"\(at)\",\"from\":\"\(from)\",\"text\":\"\(text)\"}"
  }

  @Test func theIntakeRefusesEventsOutsideTheYearsAsBadTimeLines() throws {
    let policy = try CompiledPolicy(source: Self.policy)
    let session = EvaluationSession(evaluators: [policy.evaluator])
    let input = [
      Self.line("a", "9999-12-31T23:59:59Z", "seller", "加我微信"),
      Self.line("b", "0001-01-01T00:00:00+14:00", "seller", "微信"),
      Self.line("c", "9999-12-31T15:59:59Z", "seller", "微信"),
    ].joined(separator: "\n")
    for jobs in [1, 2] {
      var problems: [String] = []
      let outcome = session.run(
        [.bytes(name: "e.jsonl", Array(input.utf8))],
        options: EvaluationOptions(asOf: nil, grouped: jobs == 2, jobs: jobs)
      ) { problems.append($0.rendered) }
      #expect(
        problems == [
          "e.jsonl:1: error: `at` falls in year 10000 in Asia/Shanghai, the zone of policy `edge`; times must fall in years 0001-9999 there",
          "e.jsonl:2: error: `at` falls in year 0000 in Asia/Shanghai, the zone of policy `edge`; times must fall in years 0001-9999 there",
        ], "jobs \(jobs)")
      #expect(outcome.stats.rejected[.badTime] == 2)
      #expect(outcome.verdicts.count == 1)
      var writer = VerdictWriter()
      session.write(outcome.verdicts, to: &writer)
      #expect(String(decoding: writer.bytes, as: UTF8.self).contains("\"at\":\"9999-12-31T23:59:59+08:00\""))
    }
  }

  @Test func aPolicyThatJudgesTheEventDecides() throws {
    let shanghai = try CompiledPolicy(source: Self.policy)
    let utc = try CompiledPolicy(
      source: Self.policy.replacingOccurrences(of: "edge", with: "utc")
        .replacingOccurrences(of: "Asia/Shanghai", with: "UTC"))
    let session = EvaluationSession(evaluators: [utc.evaluator, shanghai.evaluator])
    let late = "9999-12-31T20:00:00Z"
    let input =
      Self.line("a", late, "seller", "微信") + "\n"
      + "{\"conversation\":\"b\",\"platform\":\"utc\",\"at\":\"\(late)\",\"from\":\"seller\",\"text\":\"微信\"}\n"
    var problems: [String] = []
    let outcome = session.run([.bytes(name: "e", Array(input.utf8))], options: EvaluationOptions()) {
      problems.append($0.rendered)
    }
    #expect(problems.count == 1 && problems.first?.hasPrefix("e:1: error: `at` falls in year 10000") == true)
    #expect(outcome.verdicts.count == 1, "the event routed to the UTC policy alone is judged")
  }

  @Test func aDeadlinePastTheYearsIsNeverDue() throws {
    let policy = try CompiledPolicy(source: Self.policy)
    let decoder = EventDecoder()
    let opened = try decoder.decode(Self.line("a", "9999-12-31T23:30:00+08:00", "buyer", "在吗"))
    let inTime = try decoder.decode(Self.line("b", "9999-12-31T22:00:00+08:00", "buyer", "在吗"))
    let verdicts = policy.evaluate(conversation: [opened], asOf: nil, includePending: true)
    #expect(verdicts.isEmpty, "\(verdicts)")
    let trace = policy.evaluator.trace(conversation: [opened], asOf: nil)
    #expect(trace.obligations.first?.deadline == nil)
    // One hour earlier the deadline is 23:00, inside the years: a violation.
    let missed = policy.evaluate(conversation: [inTime], asOf: nil)
    #expect(missed.map(\.rule) == ["reply"])
    #expect(policy.jsonLine(missed[0]).contains("\"deadline\":\"9999-12-31T23:00:00+08:00\""))
  }

  @Test func aRatePeriodEndingPastTheYearsIsNeverJudged() throws {
    let policy = try CompiledPolicy(source: Self.policy)
    let decoder = EventDecoder()
    func buyer(_ c: String, _ at: String) throws -> Event {
      try decoder.decode(Self.line(c, at, "buyer", "在吗"))
    }
    // Unanswered buyers in November and in December 9999: both months fall short, and only
    // November's period (ending 9999-12-01) can be written.
    let events = [
      try buyer("n", "9999-11-10T10:00:00+08:00"), try buyer("d", "9999-12-10T10:00:00+08:00"),
    ]
    let verdicts = policy.evaluate(events: events, asOf: nil)
    let aggregates = verdicts.filter { $0.rule == "monthly" }
    #expect(aggregates.count == 1)
    let line = aggregates.first.map(policy.jsonLine) ?? ""
    #expect(
      line.contains(
        "\"period\":{\"start\":\"9999-11-01T00:00:00+08:00\",\"end\":\"9999-12-01T00:00:00+08:00\"}"))
  }

  @Test func theAPIRejectsEventsOutsideTheYears() throws {
    let policy = try CompiledPolicy(source: Self.policy)
    let decoder = EventDecoder()
    let events = [
      try decoder.decode(Self.line("a", "9999-12-31T23:59:59Z", "seller", "微信")),
      try decoder.decode(Self.line("a", "2026-11-20T10:00:00+08:00", "seller", "微信")),
    ]
    var rejected: [(Int, EventLineError)] = []
    let verdicts = policy.evaluate(events: events, asOf: nil) { rejected.append(($0, $1)) }
    #expect(rejected.map(\.0) == [0])
    #expect(rejected.first?.1.reason == .badTime)
    #expect(rejected.first?.1.message.contains("10000") == true)
    #expect(verdicts.count == 1)
  }
}
