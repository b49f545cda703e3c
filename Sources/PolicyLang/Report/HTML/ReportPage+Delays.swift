// Reply delays against each obligation's limits: from the timing verdicts always, and from every
// opening in the events when events were given.

extension ReportPage {
  func delays(into out: inout String) {
    out += "<section id=\"delays\">\n<h2>\(t(ReportText.delays))</h2>\n"
    let fromVerdicts = inputs.delays.filter { $0.source == .verdicts }
    let fromEvents = inputs.delays.filter { $0.source == .events }
    out += "<p class=\"note\">\(t(ReportText.delaysFromVerdicts))</p>\n"
    if fromVerdicts.isEmpty { out += "<p>\(t(ReportText.noDelays))</p>\n" }
    for distribution in fromVerdicts { histogram(distribution, into: &out) }
    if !fromEvents.isEmpty {
      out += "<p class=\"note\">\(t(ReportText.delaysFromEvents))</p>\n"
      for distribution in fromEvents { histogram(distribution, into: &out) }
    }
    out += "</section>\n"
  }

  func histogram(_ d: DelayDistribution, into out: inout String) {
    let name = severalPolicies ? "\(d.rule) · \(d.policy)" : d.rule
    let clause = summary.catalogs[d.policy]?.rule(d.rule)?.clause
    out += "<h3><code>\(HTMLText.escape(name))</code>"
    if let clause { out += " <span class=\"muted\">\(HTMLText.escape(clause))</span>" }
    out += "</h3>\n"
    let median = d.delays.isEmpty ? "—" : ReportFormat.duration(d.delays[(d.delays.count - 1) / 2])
    out += "<p class=\"note\" data-figure=\"delays\" data-policy=\"\(HTMLText.escape(d.policy))\""
    out += " data-rule=\"\(HTMLText.escape(d.rule))\""
    out += " data-source=\"\(d.source == .verdicts ? "verdicts" : "events")\" data-value=\"\(d.total)\">"
    out += t(
      ReportText.delayCaption(ReportFormat.count(d.delays.count), ReportFormat.count(d.unanswered), median))
    if d.limits.isEmpty { out += " " + t(ReportText.limitUnknown) }
    out += "</p>\n"
    let limits = d.limits.map { limit in
      DelayHistogram.Limit(
        seconds: limit.seconds,
        label: ReportText.limitLabel(ReportFormat.duration(limit.seconds), during: limit.during).text(
          in: language))
    }
    out += DelayHistogram(
      title: name, delays: d.delays, unanswered: d.unanswered, limits: limits,
      unansweredLabel: ReportText.noReply.text(in: language),
      barTooltip: ReportText.barTooltip.text(in: language)
    ).svg()
  }
}
