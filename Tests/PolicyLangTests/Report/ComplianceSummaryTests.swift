import Testing

@testable import PolicyLang
@testable import PolicyLangReport

/// Verdicts made up from a seed, for counting tests.
enum ReportFixtures {
  static func time(_ text: String) throws -> ReportTime {
    try ReportTime(rfc3339: text)
  }

  static func verdicts(count: Int, seed: UInt64) throws -> [ReportVerdict] {
    var random = SeededRandom(seed: seed)
    let policies = ["pinduoduo", "aliexpress"]
    let severities = ["review", "minor", "major", "severe"]
    var out: [ReportVerdict] = []
    for line in 1...count {
      let policy = policies[Int(random.next() % 2)]
      let day = 18 + Int(random.next() % 5)
      let hour = Int(random.next() % 24)
      let at = try time("2026-11-\(day)T\(hour < 10 ? "0" : "")\(hour):00:00+08:00")
      let severity = severities[Int(random.next() % 4)]
      let shop = "s-\(random.next() % 7)"
      let escalated = random.next() % 9 == 0 ? "severe" : nil
      let kindRoll = random.next() % 10
      let kind: ReportVerdictKind
      var conversation: String? = "c-\(random.next() % 40)"
      var agent: String? = random.next() % 4 == 0 ? nil : "kefu-\(random.next() % 3)"
      var event: Int? = Int(random.next() % 6)
      if kindRoll == 0 {
        kind = .rate(
          ReportRate(
            periodStart: at, periodEnd: try time("2026-11-\(day)T23:00:00+08:00"), valueMillionths: 700_000,
            thresholdMillionths: 800_000, count: 7, total: 10))
        conversation = nil
        agent = nil
        event = nil
      } else if kindRoll < 4 {
        let answered: ReportTime? = try random.next() % 2 == 0 ? nil : time("2026-11-\(day)T23:30:00+08:00")
        kind = .timing(ReportObligation(openedAt: at, deadline: at, answeredAt: answered))
      } else {
        kind = .content([ReportEvidence(kind: "term", start: 0, end: 1, match: "x")])
      }
      out.append(
        ReportVerdict(
          policy: policy, rule: "rule-\(random.next() % 3)", clause: "C-\(random.next() % 5)",
          severity: severity, shop: shop, conversation: conversation, agent: agent, at: at, event: event,
          kind: kind, pending: random.next() % 13 == 0, escalatedTo: escalated,
          escalation: escalated.map { _ in "3rd major within 30d" },
          origin: ReportLineOrigin(file: 0, line: line)))
    }
    return out
  }
}

@Suite struct ComplianceSummaryTests {
  /// Every figure of the summary against counts made here, the plain way.
  @Test(arguments: [1 as UInt64, 2, 3])
  func countsMatchIndependentCounts(seed: UInt64) throws {
    let verdicts = try ReportFixtures.verdicts(count: 600, seed: seed)
    let summary = ComplianceSummary(verdicts: verdicts, catalogs: [])
    let violations = verdicts.filter { !$0.pending }
    #expect(summary.violations.total == violations.count)
    #expect(summary.pending == verdicts.count - violations.count)
    #expect(summary.violations.escalations == violations.filter { $0.escalatedTo != nil }.count)
    #expect(summary.scale.levels.map(\.name) == ["severe", "major", "minor", "review"])
    for (rank, level) in summary.scale.levels.enumerated() {
      let expected = violations.filter { ($0.escalatedTo ?? $0.severity) == level.name }.count
      #expect(summary.violations.bySeverity[rank] == expected, "\(level.name)")
    }
    #expect(summary.shopCount == Set(violations.map { "\($0.policy)/\($0.shop)" }).count)
    #expect(
      summary.agentCount
        == Set(violations.compactMap { v in v.agent.map { "\(v.policy)/\(v.shop)/\($0)" } }).count)
    #expect(
      summary.conversationCount
        == Set(violations.compactMap { v in v.conversation.map { "\(v.policy)/\(v.shop)/\($0)" } }).count)
    #expect(summary.rates.count == violations.filter { $0.rate != nil }.count)

    let days = violations.map { String($0.at.text.prefix(10)) }
    #expect(summary.period?.first == days.min() && summary.period?.last == days.max())
    #expect(summary.days == ["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22"])

    var perClause: [String: Int] = [:]
    var perClauseDay: [String: Int] = [:]
    for v in violations {
      perClause["\(v.policy)/\(v.clause)", default: 0] += 1
      perClauseDay["\(v.policy)/\(v.clause)/\(v.at.text.prefix(10))", default: 0] += 1
    }
    #expect(summary.clauses.count == perClause.count)
    for row in summary.clauses {
      let key = "\(row.key.policy)/\(row.key.clause)"
      #expect(row.tally.total == perClause[key])
      for (index, day) in summary.days.enumerated() {
        #expect(row.daily[index] == perClauseDay["\(key)/\(day)", default: 0], "\(key) \(day)")
      }
    }
    #expect(zip(summary.clauses, summary.clauses.dropFirst()).allSatisfy { $0.tally.total >= $1.tally.total })

    var perShop: [String: Int] = [:]
    for v in violations { perShop["\(v.policy)/\(v.shop)", default: 0] += 1 }
    for row in summary.shops { #expect(row.tally.total == perShop["\(row.key.policy)/\(row.key.shop)"]) }
    #expect(zip(summary.shops, summary.shops.dropFirst()).allSatisfy { $0.tally.total >= $1.tally.total })
    var perAgent: [String: Int] = [:]
    for v in violations { if let a = v.agent { perAgent["\(v.policy)/\(v.shop)/\(a)", default: 0] += 1 } }
    for row in summary.agents {
      #expect(row.tally.total == perAgent["\(row.key.shop.policy)/\(row.key.shop.shop)/\(row.key.agent)"])
    }
  }

  @Test func emptyInputHasNoPeriodAndNoRows() {
    let summary = ComplianceSummary(verdicts: [], catalogs: [])
    #expect(summary.violations.total == 0 && summary.period == nil && summary.days.isEmpty)
    #expect(summary.clauses.isEmpty && summary.shops.isEmpty && summary.agents.isEmpty)
  }

  @Test func aLongPeriodKeepsItsLastDaysInTheTrend() throws {
    let first = try ReportFixtures.time("2024-01-01T10:00:00+08:00")
    let last = try ReportFixtures.time("2026-01-01T10:00:00+08:00")
    let verdicts = [first, last].enumerated().map { index, at in
      ReportVerdict(
        policy: "p", rule: "r", clause: "C", severity: "minor", shop: "s", conversation: "c", agent: nil,
        at: at,
        event: 0, kind: .content([]), origin: ReportLineOrigin(file: 0, line: index + 1))
    }
    let summary = ComplianceSummary(verdicts: verdicts, catalogs: [])
    #expect(summary.days.count == ComplianceSummary.maxDays)
    #expect(summary.days.last == "2026-01-01" && summary.daysLeftOut == 731 - ComplianceSummary.maxDays + 1)
    #expect(summary.period?.first == "2024-01-01")
    #expect(summary.clauses.first?.daily.reduce(0, +) == 1)
  }
}

@Suite struct SeverityScaleTests {
  func catalog(_ name: String, _ severities: [String]) -> PolicyCatalog {
    PolicyCatalog(
      name: name, hasTitles: true,
      severities: severities.map { PolicyCatalog.Severity(name: $0, title: "t-\($0)") })
  }

  @Test func mergesPolicyOrdersMostSevereFirst() {
    let scale = SeverityScale(
      catalogs: [catalog("a", ["low", "high"]), catalog("b", ["low", "mid", "high"])], used: ["high"])
    #expect(scale.levels.map(\.name) == ["high", "mid", "low"])
    #expect(scale.rank("high") == 0 && scale.rank("unknown") == 3)
    #expect(scale.level("mid")?.title == "t-mid")
  }

  @Test func placesUndeclaredNamesByTheShippedOrder() {
    let scale = SeverityScale(catalogs: [], used: ["minor", "weird", "severe", "review"])
    #expect(scale.levels.map(\.name) == ["severe", "minor", "review", "weird"])
  }
}
