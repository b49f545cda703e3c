import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Checking policies read from `testdata/`.
enum CheckFixtures {
  /// Checks `testdata/<dir>/<file>` with paths shown relative to `testdata/<dir>`.
  static func check(_ dir: String, _ file: String) -> CheckResult {
    let base = Golden.testdata.appendingPathComponent(dir).path
    return PolicyChecker.check(path: file, provider: DiskSourceProvider(baseDirectory: base))
  }

  static func render(_ result: CheckResult, _ language: Language = .english) -> String {
    DiagnosticRenderer(language: language).render(result.diagnostics, in: result.sources)
  }
}

@Suite("Checked sample policy")
struct CheckerSampleTests {
  let result = CheckFixtures.check("check", "shop.policy")

  @Test func theSampleIsClean() {
    #expect(result.diagnostics.isEmpty, "\(CheckFixtures.render(result))")
    #expect(result.policy != nil)
  }

  @Test func headerFields() throws {
    let policy = try #require(result.policy)
    #expect(policy.name == "shop")
    #expect(policy.title == "示例平台客服规则")
    #expect(policy.source == "shop-rules.txt")
    #expect(policy.sourceDate == CivilDate(year: 2026, month: 1, day: 1))
    #expect(policy.zone == "Asia/Shanghai")
    #expect(policy.normalization == [.nfkc, .casefold])
  }

  @Test func importsComeFirstAndAdditionsApply() throws {
    let policy = try #require(result.policy)
    #expect(policy.clauses.first?.id == "COMMON-1")
    #expect(policy.termLists.map(\.name) == ["insults", "contact_apps", "stop_requests", "thanks"])
    let apps = try #require(policy.termLists.first { $0.name == "contact_apps" })
    #expect(apps.terms.map(\.term) == ["微信", "QQ", "支付宝", "line", "vx"])
    #expect(apps.terms.first?.variants == ["薇信", "威信", "V信"])
    // The word list is in the source map, and its entries point into it.
    let first = try #require(apps.terms.first)
    let listFile = try #require(policy.sources[first.span.file])
    #expect(listFile.name == "common/contact_apps.txt")
    #expect(listFile.text(of: first.span) == "微信 | 薇信 | 威信 | V信")
    #expect(policy.domainLists.first?.domains == ["shop.example.com", "example.cn"])
  }

  @Test func severitiesAndEscalation() throws {
    let policy = try #require(result.policy)
    #expect(policy.severities.map(\.name) == ["minor", "major"])
    #expect(policy.severities[0].sanction == "警告")
    let escalation = try #require(policy.escalations.first)
    #expect(escalation.count == 3 && escalation.from == 0 && escalation.to == 1)
    #expect(escalation.windowSeconds == 30 * 86_400)
  }

  @Test func hoursAreSplitAndMerged() throws {
    let policy = try #require(result.policy)
    let night = try #require(policy.hours.first { $0.name == "night" })
    for day in 0..<7 {
      #expect(
        night.windowsByWeekday[day] == [
          SecondsRange(start: 0, end: 21_600), SecondsRange(start: 79_200, end: 86_400),
        ])
    }
    let office = try #require(policy.hours.first { $0.name == "office" })
    #expect(
      office.windowsByWeekday[0] == [
        SecondsRange(start: 32_400, end: 43_200), SecondsRange(start: 46_800, end: 64_800),
      ])
    #expect(office.windowsByWeekday[5] == [SecondsRange(start: 36_000, end: 57_600)])
    #expect(office.windowsByWeekday[6].isEmpty)
    #expect(
      office.excludedDates == [
        CivilDate(year: 2026, month: 10, day: 1), CivilDate(year: 2026, month: 10, day: 2),
      ])
  }

  @Test func rulesAreResolved() throws {
    let policy = try #require(result.policy)
    #expect(
      policy.rules.map(\.name) == [
        "reply_speed", "reply_rate", "no_insults", "common_insults", "third_party", "after_stop", "spam",
        "truthful",
      ])
    guard case .obligation(let obligation) = policy.rules[0].body else {
      Issue.record("reply_speed is not an obligation")
      return
    }
    let peak = policy.hours.firstIndex { $0.name == "peak" }
    #expect(
      obligation.limits == [
        CheckedLimit(seconds: 86_400, ifDuring: nil), CheckedLimit(seconds: 3600, ifDuring: peak),
      ])
    #expect(obligation.response == .reply(.human))
    #expect(obligation.countingOnly == policy.hours.firstIndex { $0.name == "office" })
    guard case .rate(let rate) = policy.rules[1].body else {
      Issue.record("reply_rate is not a rate")
      return
    }
    #expect(rate.of == 0 && rate.thresholdMillionths == 800_000 && rate.minimum == 10)
    #expect(rate.period == .rolling(seconds: 30 * 86_400))
    #expect(policy.rules[7].severity == nil)
    #expect(policy.rules[7].body == .manual(note: "商品描述是否真实需人工判断"))
    guard case .message(let condition) = policy.rules[4].body, case .and(let parts) = condition else {
      Issue.record("third_party is not an `and` message rule")
      return
    }
    #expect(parts.first == .from(.seller, .any))
  }

  @Test func testsHaveDatesFilledIn() throws {
    let policy = try #require(result.policy)
    #expect(policy.tests.map(\.name) == ["回复过晚", "微信号"])
    let inside = policy.tests[0]
    #expect(inside.enclosingRule == 0)
    #expect(inside.expectations.first?.rule == 0)
    #expect(
      inside.events.first?.at
        == LocalMoment(date: CivilDate(year: 2026, month: 1, day: 5), secondsOfDay: 36_000))
    let top = policy.tests[1]
    #expect(top.events.map(\.at.date.day) == [5, 5, 6])
    #expect(top.expectations.first?.rule == 4)
    #expect(top.expectations.first?.matching == "薇信")
  }
}
