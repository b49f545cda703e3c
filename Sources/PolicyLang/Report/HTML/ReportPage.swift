import PolicyLang

/// The compliance report: one self-contained HTML page (styles, script and SVG charts inline, no
/// request of any kind), readable without JavaScript and printable.
///
/// The page shows, in order: the headline figures, violations per clause and per severity, the
/// daily trend per clause, shops and agents ranked, rates below their threshold, reply delays
/// against each obligation's limits, the most severe messages, and the verdicts grouped by shop and
/// conversation (each shop
/// collapsed, at most `Options.verdictsListed` verdicts in all, shared among the shops in
/// proportion to their violations, with counts of what is not listed).
public struct ReportPage: Sendable {
  /// What the page is titled and how much it lists.
  public struct Options: Sendable {
    /// The title; the localized "Compliance report" when nil.
    public var title: String?
    /// The language of every label (ids, messages and titles from policies are shown as written).
    public var language: Language
    /// The most verdicts listed under one shop.
    public var verdictsPerShop = 200
    /// The fewest verdicts listed under a shop (while `verdictsListed` lasts), however small its
    /// share.
    public var verdictsPerShopAtLeast = 5
    /// The most verdicts listed on the page.
    public var verdictsListed = 10_000
    /// Rows of the shop and agent rankings.
    public var rankedRows = 50
    /// Rows of the clause chart (the table has every clause).
    public var clauseBars = 30
    /// Clauses drawn in the trend (the others are summed in one line).
    public var trendSeries = 8
    /// Rows of the rate table.
    public var rateRows = 200
    /// The longest stretch of a message shown around its evidence, in Unicode scalars.
    public var messageScalars = 600
    /// Messages in "The most severe messages".
    public var worstMessages = 20

    /// Options with the default limits.
    public init(title: String? = nil, language: Language) {
      self.title = title
      self.language = language
    }
  }

  /// What the page is made from.
  public struct Inputs: Sendable {
    /// The counted verdicts.
    public var summary: ComplianceSummary
    /// The verdict files and how their lines were read.
    public var verdictFiles: [String]
    /// Malformed verdict lines skipped.
    public var skippedVerdictLines: Int
    /// The events files, when given.
    public var eventFiles: [String]
    /// Event lines skipped.
    public var skippedEventLines: Int
    /// Files that could not be read.
    public var unreadableFiles: [String]
    /// Each verdict's event, when events were given.
    public var events: VerdictEvents?
    /// Reply delays to draw.
    public var delays: [DelayDistribution]

    /// Inputs from their parts.
    public init(
      summary: ComplianceSummary, verdictFiles: [String], skippedVerdictLines: Int = 0,
      eventFiles: [String] = [], skippedEventLines: Int = 0, unreadableFiles: [String] = [],
      events: VerdictEvents? = nil, delays: [DelayDistribution] = []
    ) {
      self.summary = summary
      self.verdictFiles = verdictFiles
      self.skippedVerdictLines = skippedVerdictLines
      self.eventFiles = eventFiles
      self.skippedEventLines = skippedEventLines
      self.unreadableFiles = unreadableFiles
      self.events = events
      self.delays = delays
    }
  }

  let inputs: Inputs
  let options: Options
  var summary: ComplianceSummary { inputs.summary }
  var language: Language { options.language }

  /// A page over `inputs`.
  public init(_ inputs: Inputs, options: Options) {
    self.inputs = inputs
    self.options = options
  }

  /// The whole HTML document.
  public func render() -> String {
    var out = ""
    out.reserveCapacity(1 << 20)
    let title = options.title ?? t(ReportText.defaultTitle)
    out += "<!DOCTYPE html>\n<html lang=\"\(language == .chinese ? "zh-CN" : "en")\">\n<head>\n"
    out += "<meta charset=\"utf-8\">\n"
    // Nothing may be fetched: a mail client or a browser opening the file offline shows it whole.
    out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    out += "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    out +=
      "<title>\(HTMLText.escape(title))</title>\n<style>\n\(ReportStyle.css)\n</style>\n</head>\n<body>\n<main>\n"
    header(title: title, into: &out)
    figures(into: &out)
    if summary.violations.total > 0 || summary.pending > 0 {
      clauses(into: &out)
      severities(into: &out)
      trend(into: &out)
      shops(into: &out)
      agents(into: &out)
      rates(into: &out)
      delays(into: &out)
      worstMessages(into: &out)
      listing(into: &out)
    }
    out += "</main>\n<script>\n\(ReportStyle.script)\n</script>\n</body>\n</html>\n"
    return out
  }

  // MARK: Helpers

  /// A label in the page's language, escaped.
  func t(_ text: LocalizedText) -> String { HTMLText.escape(text.text(in: language)) }

  /// A severity as a coloured badge, its title and sanction in the tooltip unless `plain` (the
  /// listing repeats badges thousands of times; the severity table has the sanctions).
  func badge(_ name: String, plain: Bool = false) -> String {
    let rank = summary.scale.rank(name)
    let level = summary.scale.level(name)
    let tip = plain ? "" : [level?.title, level?.sanction].compactMap { $0 }.joined(separator: " · ")
    let title = tip.isEmpty ? "" : " title=\"\(HTMLText.escape(tip))\""
    return "<span class=\"sev-badge s\(min(rank, 5))\"\(title)>\(HTMLText.escape(name))</span>"
  }

  /// Whether the page shows verdicts of several policies (then shops name theirs).
  var severalPolicies: Bool { summary.policies.count > 1 }

  /// A shop as people read it: its id (or "—" for none), and its policy when there are several.
  func shopLabel(_ key: ShopKey) -> String {
    let id = key.shop.isEmpty ? "—" : key.shop
    return severalPolicies ? "\(id) · \(key.policy)" : id
  }

  /// The title of a clause, or nil when no policy gave it.
  func clauseTitle(_ key: ClauseKey) -> String? {
    summary.catalogs[key.policy]?.clause(key.clause)?.title
  }

  /// `<th>` cells of the severity columns.
  func severityHeads() -> String {
    summary.scale.levels.map { "<th class=\"num\">\(HTMLText.escape($0.name))</th>" }.joined()
  }

  /// `<td>` cells of a tally's severities.
  func severityCells(_ tally: SeverityTally) -> String {
    tally.bySeverity.map { "<td class=\"num\">\($0 == 0 ? "" : ReportFormat.count($0))</td>" }.joined()
  }

  // MARK: Header and figures

  func header(title: String, into out: inout String) {
    out += "<header>\n<h1>\(HTMLText.escape(title))</h1>\n"
    if let period = summary.period {
      let span = period.first == period.last ? period.first : "\(period.first) – \(period.last)"
      out += "<p class=\"meta\">\(t(ReportText.period)): <span id=\"period\" data-first=\"\(period.first)\""
      out += " data-last=\"\(period.last)\">\(span)</span></p>\n"
    }
    if !summary.policies.isEmpty {
      let names = summary.policies.map { name -> String in
        let title = summary.catalogs[name]?.title.map { " “\(HTMLText.escape($0))”" } ?? ""
        return "<code>\(HTMLText.escape(name))</code>\(title)"
      }
      out += "<p class=\"meta\">\(t(ReportText.policies)): \(names.joined(separator: ", "))</p>\n"
    }
    out += "<p class=\"meta\">\(t(ReportText.sources)): "
    out +=
      inputs.verdictFiles.map { "<code>\(HTMLText.escape($0))</code>" }.joined(separator: ", ") + "</p>\n"
    if !inputs.eventFiles.isEmpty {
      out += "<p class=\"meta\">\(t(ReportText.eventsSources)): "
      out +=
        inputs.eventFiles.map { "<code>\(HTMLText.escape($0))</code>" }.joined(separator: ", ") + "</p>\n"
    }
    notices(into: &out)
    out += "</header>\n"
    out += "<nav class=\"toc\" aria-label=\"\(t(ReportText.contents))\">"
    var links = [("figures", ReportText.figures)]
    if summary.violations.total > 0 || summary.pending > 0 {
      links += [
        ("clauses", ReportText.clauses), ("severities", ReportText.severities), ("trend", ReportText.trend),
        ("shops", ReportText.shops), ("agents", ReportText.agents), ("rates", ReportText.rates),
        ("delays", ReportText.delays), ("worst", ReportText.worst), ("verdicts", ReportText.verdicts),
      ]
    }
    out += links.map { "<a href=\"#\($0.0)\">\(t($0.1))</a>" }.joined() + "</nav>\n"
  }

  func notices(into out: inout String) {
    func notice(_ text: LocalizedText) {
      // Backquoted names in notices become code.
      var html = ""
      for (index, part) in text.text(in: language).split(separator: "`", omittingEmptySubsequences: false)
        .enumerated()
      {
        html += index % 2 == 1 ? "<code>\(HTMLText.escape(part))</code>" : HTMLText.escape(part)
      }
      out += "<p class=\"notice\">\(html)</p>\n"
    }
    if inputs.skippedVerdictLines > 0 {
      notice(ReportText.skippedVerdictLines(ReportFormat.count(inputs.skippedVerdictLines)))
    }
    if inputs.skippedEventLines > 0 {
      notice(ReportText.skippedEventLines(ReportFormat.count(inputs.skippedEventLines)))
    }
    if !inputs.unreadableFiles.isEmpty {
      notice(ReportText.unreadableFiles(inputs.unreadableFiles.map { "`\($0)`" }.joined(separator: ", ")))
    }
    for policy in summary.policies {
      if let catalog = summary.catalogs[policy] {
        if !catalog.hasTitles { notice(ReportText.programOnly(policy)) }
      } else {
        notice(ReportText.noCatalog(policy))
      }
    }
    if let events = inputs.events {
      let unmatched = events.matches.values.filter {
        if case .found = $0 { return false } else { return true }
      }
      if !unmatched.isEmpty { notice(ReportText.unmatched(ReportFormat.count(unmatched.count))) }
    } else if summary.violations.total > 0 {
      notice(ReportText.noEvents)
    }
    if summary.daysLeftOut > 0 {
      notice(
        ReportText.trendCut(
          ReportFormat.count(summary.days.count + summary.daysLeftOut), ReportFormat.count(summary.days.count)
        ))
    }
  }

  func figures(into out: inout String) {
    out += "<section id=\"figures\">\n<h2>\(t(ReportText.figures))</h2>\n"
    if summary.violations.total == 0 { out += "<p>\(t(ReportText.noViolations))</p>\n" }
    out += "<div class=\"figures\">\n"
    func figure(
      _ kind: String, _ value: Int, _ label: String, extra: String = "", note: String? = nil, cls: String = ""
    ) {
      out += "<div class=\"figure\(cls)\" data-figure=\"\(kind)\"\(extra) data-value=\"\(value)\">"
      out += "<span class=\"n\">\(ReportFormat.count(value))</span><span class=\"l\">\(label)</span>"
      if let note { out += "<span class=\"s\">\(note)</span>" }
      out += "</div>\n"
    }
    figure("violations", summary.violations.total, t(ReportText.violations))
    for (rank, level) in summary.scale.levels.enumerated() {
      let count = summary.violations.bySeverity[rank]
      let raised = summary.escalatedTo[rank]
      let name = HTMLText.escape(level.name) + (level.title.map { " · " + HTMLText.escape($0) } ?? "")
      figure(
        "severity", count, name, extra: " data-severity=\"\(HTMLText.escape(level.name))\"",
        note: raised > 0 ? t(ReportText.severityAfterEscalation(ReportFormat.count(raised))) : nil,
        cls: " sev s\(min(rank, 5))")
    }
    figure("escalations", summary.violations.escalations, t(ReportText.escalations))
    figure("shops", summary.shopCount, t(ReportText.shopsInvolved))
    figure("agents", summary.agentCount, t(ReportText.agentsInvolved))
    figure("conversations", summary.conversationCount, t(ReportText.conversationsInvolved))
    if summary.pending > 0 { figure("pending", summary.pending, t(ReportText.pending)) }
    if let period = summary.period,
      let first = ComplianceSummary.daysSinceEpoch(Substring(period.first)),
      let last = ComplianceSummary.daysSinceEpoch(Substring(period.last))
    {
      let days = Int(last - first) + 1
      figure("days", days, t(ReportText.daysCovered))
    }
    if inputs.skippedVerdictLines > 0 {
      figure("skipped", inputs.skippedVerdictLines, t(ReportText.skippedLines))
    }
    out += "</div>\n</section>\n"
  }
}
