// The sections that break the violations down: per clause, per severity, per day, per shop and
// agent, and the rates that fell short.

extension ReportPage {
  var severitySegments: [BarChart.Segment] {
    summary.scale.levels.enumerated().map { rank, level in
      BarChart.Segment(name: level.name, color: ChartPalette.severity(rank: rank))
    }
  }

  func clauses(into out: inout String) {
    out += "<section id=\"clauses\">\n<h2>\(t(ReportText.clauses))</h2>\n"
    let rows = summary.clauses.prefix(options.clauseBars).map { row in
      BarChart.Row(
        label: severalPolicies ? "\(row.key.clause) · \(row.key.policy)" : row.key.clause,
        tooltip: [row.key.clause, clauseTitle(row.key)].compactMap { $0 }.joined(separator: " "),
        values: row.tally.bySeverity)
    }
    out += BarChart(
      title: ReportText.clauses.text(in: language), segments: severitySegments, rows: Array(rows)
    )
    .svg()
    if summary.clauses.count > options.clauseBars {
      out +=
        "<p class=\"note\">\(t(ReportText.rowsCut(ReportFormat.count(options.clauseBars), ReportFormat.count(summary.clauses.count))))</p>\n"
    }
    out += "<table id=\"clause-table\" class=\"sortable\">\n<thead><tr><th>\(t(ReportText.clause))</th>"
    if severalPolicies { out += "<th>\(t(ReportText.policy))</th>" }
    out += "<th>\(t(ReportText.title))</th><th>\(t(ReportText.rules))</th>\(severityHeads())"
    out +=
      "<th class=\"num\">\(t(ReportText.escalated))</th><th class=\"num\">\(t(ReportText.total))</th></tr></thead>\n<tbody>\n"
    for row in summary.clauses {
      out += "<tr data-figure=\"clause\" data-policy=\"\(HTMLText.escape(row.key.policy))\""
      out += " data-clause=\"\(HTMLText.escape(row.key.clause))\" data-value=\"\(row.tally.total)\">"
      out += "<td><code>\(HTMLText.escape(row.key.clause))</code></td>"
      if severalPolicies { out += "<td>\(HTMLText.escape(row.key.policy))</td>" }
      let kind = row.kind.map { " <span class=\"muted\">(\(HTMLText.escape($0)))</span>" } ?? ""
      out += "<td class=\"title\">\(HTMLText.escape(row.title ?? "—"))\(kind)</td>"
      out += "<td>\(row.rules.map { "<code>\(HTMLText.escape($0))</code>" }.joined(separator: " "))</td>"
      out += severityCells(row.tally)
      out +=
        "<td class=\"num\">\(row.tally.escalations == 0 ? "" : ReportFormat.count(row.tally.escalations))</td>"
      out += "<td class=\"num\">\(ReportFormat.count(row.tally.total))</td></tr>\n"
    }
    out += "</tbody></table>\n</section>\n"
  }

  func severities(into out: inout String) {
    out += "<section id=\"severities\">\n<h2>\(t(ReportText.severities))</h2>\n"
    let rows = summary.scale.levels.enumerated().map { rank, level in
      var values = Array(repeating: 0, count: summary.scale.levels.count)
      values[rank] = summary.violations.bySeverity[rank]
      return BarChart.Row(
        label: level.name, tooltip: [level.name, level.title].compactMap { $0 }.joined(separator: " "),
        values: values)
    }
    out += BarChart(title: ReportText.severities.text(in: language), segments: severitySegments, rows: rows)
      .svg()
    out += "<table>\n<thead><tr><th>\(t(ReportText.severity))</th><th>\(t(ReportText.title))</th>"
    out += "<th>\(t(ReportText.sanction))</th><th class=\"num\">\(t(ReportText.escalatedTo))</th>"
    out += "<th class=\"num\">\(t(ReportText.total))</th></tr></thead>\n<tbody>\n"
    for (rank, level) in summary.scale.levels.enumerated() {
      out += "<tr><td>\(badge(level.name))</td><td>\(HTMLText.escape(level.title ?? "—"))</td>"
      out += "<td>\(HTMLText.escape(level.sanction ?? "—"))</td>"
      out +=
        "<td class=\"num\">\(summary.escalatedTo[rank] == 0 ? "" : ReportFormat.count(summary.escalatedTo[rank]))</td>"
      out += "<td class=\"num\">\(ReportFormat.count(summary.violations.bySeverity[rank]))</td></tr>\n"
    }
    out += "</tbody></table>\n</section>\n"
  }

  func trend(into out: inout String) {
    out += "<section id=\"trend\">\n<h2>\(t(ReportText.trend))</h2>\n"
    var series = summary.clauses.prefix(options.trendSeries).map { row in
      TrendChart.Series(
        name: severalPolicies ? "\(row.key.clause) · \(row.key.policy)" : row.key.clause,
        tooltip: [row.key.clause, clauseTitle(row.key)].compactMap { $0 }.joined(separator: " "),
        counts: row.daily)
    }
    let rest = summary.clauses.dropFirst(options.trendSeries)
    if !rest.isEmpty {
      var counts = Array(repeating: 0, count: summary.days.count)
      for row in rest {
        for (index, n) in row.daily.enumerated() where counts.indices.contains(index) { counts[index] += n }
      }
      let name = ReportText.otherClauses.text(in: language) + " (\(rest.count))"
      series.append(TrendChart.Series(name: name, tooltip: name, counts: counts))
    }
    out += TrendChart(title: ReportText.trend.text(in: language), days: summary.days, series: series).svg()
    out += "</section>\n"
  }

  func shops(into out: inout String) {
    out += "<section id=\"shops\">\n<h2>\(t(ReportText.shops))</h2>\n"
    rankingControls(
      table: "shop-table", shown: min(options.rankedRows, summary.shops.count), total: summary.shops.count,
      into: &out)
    out +=
      "<table id=\"shop-table\" class=\"sortable\">\n<thead><tr><th class=\"num\">#</th><th>\(t(ReportText.shop))</th>"
    out += severityHeads()
    out +=
      "<th class=\"num\">\(t(ReportText.escalated))</th><th class=\"num\">\(t(ReportText.conversations))</th>"
    out += "<th class=\"num\">\(t(ReportText.agentsColumn))</th><th class=\"num\">\(t(ReportText.total))</th>"
    out += "<th>\(t(ReportText.daily))</th></tr></thead>\n<tbody>\n"
    for (index, row) in summary.shops.prefix(options.rankedRows).enumerated() {
      out +=
        "<tr><td class=\"num\">\(index + 1)</td><td><a href=\"#\(anchor(row.key))\">\(HTMLText.escape(shopLabel(row.key)))</a></td>"
      out += severityCells(row.tally)
      out +=
        "<td class=\"num\">\(row.tally.escalations == 0 ? "" : ReportFormat.count(row.tally.escalations))</td>"
      out +=
        "<td class=\"num\">\(ReportFormat.count(row.conversations))</td><td class=\"num\">\(ReportFormat.count(row.agents))</td>"
      out += "<td class=\"num\">\(ReportFormat.count(row.tally.total))</td>"
      out +=
        "<td data-sort=\"\(row.daily.last ?? 0)\">\(sparkline(row.daily, label: shopLabel(row.key)))</td></tr>\n"
    }
    out += "</tbody></table>\n</section>\n"
  }

  func agents(into out: inout String) {
    out += "<section id=\"agents\">\n<h2>\(t(ReportText.agents))</h2>\n"
    rankingControls(
      table: "agent-table", shown: min(options.rankedRows, summary.agents.count), total: summary.agents.count,
      into: &out)
    out +=
      "<table id=\"agent-table\" class=\"sortable\">\n<thead><tr><th class=\"num\">#</th><th>\(t(ReportText.agent))</th>"
    out += "<th>\(t(ReportText.shop))</th>\(severityHeads())<th class=\"num\">\(t(ReportText.escalated))</th>"
    out +=
      "<th class=\"num\">\(t(ReportText.total))</th><th>\(t(ReportText.daily))</th></tr></thead>\n<tbody>\n"
    for (index, row) in summary.agents.prefix(options.rankedRows).enumerated() {
      out += "<tr><td class=\"num\">\(index + 1)</td><td>\(HTMLText.escape(row.key.agent))</td>"
      out += "<td><a href=\"#\(anchor(row.key.shop))\">\(HTMLText.escape(shopLabel(row.key.shop)))</a></td>"
      out += severityCells(row.tally)
      out +=
        "<td class=\"num\">\(row.tally.escalations == 0 ? "" : ReportFormat.count(row.tally.escalations))</td>"
      out += "<td class=\"num\">\(ReportFormat.count(row.tally.total))</td>"
      out +=
        "<td data-sort=\"\(row.daily.last ?? 0)\">\(sparkline(row.daily, label: row.key.agent))</td></tr>\n"
    }
    out += "</tbody></table>\n</section>\n"
  }

  func rankingControls(table: String, shown: Int, total: Int, into out: inout String) {
    out += "<p class=\"note\">"
    if total > shown {
      out += t(ReportText.rowsCut(ReportFormat.count(shown), ReportFormat.count(total))) + " "
    }
    out += "<span class=\"noscript-hidden\">\(t(ReportText.sortHint))</span></p>\n"
    out +=
      "<input class=\"filter noscript-hidden\" type=\"search\" data-table=\"\(table)\" placeholder=\"\(t(ReportText.filter))\">\n"
  }

  func sparkline(_ daily: [Int], label: String) -> String {
    guard daily.count > 1 else { return "" }
    let text = zip(summary.days, daily).map { "\($0.0.dropFirst(5)): \($0.1)" }.joined(separator: ", ")
    return Sparkline(counts: daily, title: "\(label) — \(text)").svg()
  }

  /// The id of a shop's listing.
  func anchor(_ key: ShopKey) -> String {
    // Ids are the platform's: hex of their bytes keeps the anchor valid whatever they contain.
    let bytes = Array(key.policy.utf8) + [0] + Array(key.shop.utf8)
    return "shop-"
      + bytes.map { b in
        let digits = String(b, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
      }.joined()
  }

  func rates(into out: inout String) {
    out +=
      "<section id=\"rates\">\n<h2>\(t(ReportText.rates))</h2>\n<p class=\"note\">\(t(ReportText.ratesNote))</p>\n"
    guard !summary.rates.isEmpty else {
      out += "<p>\(t(ReportText.noRates))</p>\n</section>\n"
      return
    }
    if summary.rates.count > options.rateRows {
      out +=
        "<p class=\"note\">\(t(ReportText.rowsCut(ReportFormat.count(options.rateRows), ReportFormat.count(summary.rates.count))))</p>\n"
    }
    out +=
      "<table id=\"rate-table\" class=\"sortable\">\n<thead><tr><th>\(t(ReportText.shop))</th><th>\(t(ReportText.rule))</th>"
    out +=
      "<th>\(t(ReportText.clause))</th><th>\(t(ReportText.period))</th><th class=\"num\">\(t(ReportText.value))</th>"
    out +=
      "<th class=\"num\">\(t(ReportText.threshold))</th><th class=\"num\">\(t(ReportText.passed))</th><th></th></tr></thead>\n<tbody>\n"
    for index in summary.rates.prefix(options.rateRows) {
      let verdict = summary.verdicts[index]
      guard let rate = verdict.rate else { continue }
      let key = ShopKey(policy: verdict.policy, shop: verdict.shop)
      out +=
        "<tr data-figure=\"rate\" data-value=\"\(rate.valueMillionths)\"><td><a href=\"#\(anchor(key))\">\(HTMLText.escape(shopLabel(key)))</a></td>"
      out += "<td><code>\(HTMLText.escape(verdict.rule))</code> \(badge(verdict.effectiveSeverity))</td>"
      out += "<td><code>\(HTMLText.escape(verdict.clause))</code></td>"
      out += "<td>\(HTMLText.escape(periodText(rate)))</td>"
      out +=
        "<td class=\"num\" data-sort=\"\(rate.valueMillionths)\">\(ReportFormat.percent(millionths: rate.valueMillionths))</td>"
      out +=
        "<td class=\"num\" data-sort=\"\(rate.thresholdMillionths)\">\(ReportFormat.percent(millionths: rate.thresholdMillionths))</td>"
      out +=
        "<td class=\"num\" data-sort=\"\(rate.count)\">\(ReportFormat.count(rate.count)) / \(ReportFormat.count(rate.total))</td>"
      out += "<td>\(rateBar(rate))</td></tr>\n"
    }
    out += "</tbody></table>\n</section>\n"
  }

  /// A period as people read it: `2026-11-25 08:00 – 23:00`, or both dates when it spans days.
  func periodText(_ rate: ReportRate) -> String {
    let start = rate.periodStart.display
    let end = rate.periodEnd.display
    let shortStart = String(start.prefix(16))
    if start.prefix(10) == end.prefix(10) { return "\(shortStart) – \(end.dropFirst(11).prefix(5))" }
    return "\(shortStart) – \(end.prefix(16))"
  }

  /// The value as a bar of 100 pixels for 100%, with a mark at the threshold.
  func rateBar(_ rate: ReportRate) -> String {
    let value = min(100, max(0, Int(rate.valueMillionths / 10_000)))
    let threshold = min(100, max(0, Int(rate.thresholdMillionths / 10_000)))
    return
      "<span class=\"bar\" style=\"width:\(value)px\"></span><span class=\"bar\" style=\"width:\(max(0, threshold - value))px;background:#eee\"></span><span class=\"bar t\"></span>"
  }
}
