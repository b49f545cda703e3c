import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangReport

@Suite struct ReportPageTests {
  func render(
    _ verdicts: [ReportVerdict], _ configure: (inout ReportPage.Options) -> Void = { _ in }
  ) -> String {
    var options = ReportPage.Options(language: .english)
    configure(&options)
    let summary = ComplianceSummary(verdicts: verdicts, catalogs: [])
    return ReportPage(ReportPage.Inputs(summary: summary, verdictFiles: ["v.jsonl"]), options: options)
      .render()
  }

  /// Each shop's `<details>`: its summary text and how many verdicts it lists.
  func shops(_ html: String) -> [(summary: String, listed: Int)] {
    html.components(separatedBy: "<details class=\"shop\"").dropFirst().map { part in
      let body = part.components(separatedBy: "</details>").first ?? ""
      let summary = body.components(separatedBy: "</summary>").first ?? ""
      return (summary, body.components(separatedBy: "<li class=\"v ").count - 1)
    }
  }

  @Test func listsAtMostTheBudgetSharedByViolations() throws {
    let verdicts = try ReportFixtures.verdicts(count: 600, seed: 7)
    let html = render(verdicts) {
      $0.verdictsListed = 60
      $0.verdictsPerShop = 15
      $0.verdictsPerShopAtLeast = 2
      $0.worstMessages = 0
    }
    let listed = shops(html)
    let summary = ComplianceSummary(verdicts: verdicts, catalogs: [])
    #expect(listed.count == summary.shops.count)
    #expect(listed.map(\.listed).reduce(0, +) <= 60)
    #expect(listed.map(\.listed).reduce(0, +) >= 60 - 15)
    for (shop, row) in zip(listed, summary.shops) {
      #expect(shop.listed <= 15 && shop.listed >= min(2, row.tally.total))
      if shop.listed < row.tally.total {
        #expect(shop.summary.contains("showing \(shop.listed) of \(ReportFormat.count(row.tally.total))"))
      } else {
        #expect(!shop.summary.contains("showing"))
      }
    }
  }

  @Test func aCutEvidenceListSaysHowManyItemsWereLeftOut() throws {
    let line =
      #"{"conversation":"c-1","shop":"s-1","agent":null,"policy":"p","rule":"abuse","clause":"P-1","severity":"major","at":"2026-11-20T10:07:00+08:00","event":0,"evidence":[{"kind":"term","list":"insults","term":"滚","start":0,"end":1,"match":"滚"},{"kind":"omitted","count":99000}]}"#
    let verdict = try VerdictLineDecoder().decode(line, origin: ReportLineOrigin(file: 0, line: 1))
    #expect(verdict.evidence.last == ReportEvidence(kind: "omitted", count: 99000))
    let html = render([verdict])
    #expect(html.contains("and 99000 more"))
    #expect(!html.contains(">omitted"))
  }

  @Test func everyVerdictIsListedWhenThereAreFew() throws {
    let verdicts = try ReportFixtures.verdicts(count: 40, seed: 9)
    let html = render(verdicts) { $0.worstMessages = 0 }
    #expect(shops(html).map(\.listed).reduce(0, +) == verdicts.filter { !$0.pending }.count)
  }

  @Test func nothingFromTheInputBecomesMarkup() throws {
    let at = try ReportTime(rfc3339: "2026-11-20T10:00:00+08:00")
    let evil = "<script>alert(1)</script>\"'&"
    let verdict = ReportVerdict(
      policy: evil, rule: evil, clause: evil, severity: evil, shop: evil, conversation: evil, agent: evil,
      at: at,
      event: 0, eventID: evil,
      kind: .content([ReportEvidence(kind: evil, term: evil, start: 0, end: 1, match: evil)]),
      escalatedTo: evil, escalation: evil, origin: ReportLineOrigin(file: 0, line: 1))
    let html = render([verdict]) { $0.title = evil }
    #expect(html.components(separatedBy: "<script").count == 2, "only the page's own script")
    #expect(!html.contains("alert(1)</script>"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"))
    #expect(html.contains("(id <code>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</code>)"))
  }

  @Test func speaksChinese() throws {
    let verdicts = try ReportFixtures.verdicts(count: 20, seed: 3)
    var options = ReportPage.Options(language: .chinese)
    options.title = nil
    let html = ReportPage(
      ReportPage.Inputs(summary: ComplianceSummary(verdicts: verdicts, catalogs: []), verdictFiles: ["v"]),
      options: options
    ).render()
    #expect(html.contains("<html lang=\"zh-CN\">") && html.contains("<title>合规报告</title>"))
    #expect(html.contains("各条款违规数") && html.contains("最严重的消息"))
  }

  @Test func aPageWithoutViolationsSaysSo() {
    let html = render([])
    #expect(html.contains("No violations in these verdicts."))
    #expect(!html.contains("id=\"clauses\"") && !html.contains("href=\"#clauses\""))
  }
}
