// The verdicts themselves, grouped by shop and conversation: each shop a collapsed `<details>`,
// worst shops first; within a shop, the conversations with the most severe violations first. The
// page lists at most `verdictsListed` in all, shared among the shops in proportion to their
// violations (at least `verdictsPerShopAtLeast`, at most `verdictsPerShop` each, while the budget
// lasts), and says how many it leaves out.

extension ReportPage {
  /// One shop's violations, grouped for the listing.
  struct ShopListing {
    var key: ShopKey
    var total: Int
    /// Rate verdicts of the shop (indexes into the verdicts).
    var rates: [Int]
    /// Conversations in listing order, each with its verdicts in event order.
    var conversations: [(id: String, verdicts: [Int])]
  }

  func shopListings() -> [ShopListing] {
    let verdicts = summary.verdicts
    let scale = summary.scale
    var slots: [ShopKey: Int] = [:]
    for (index, row) in summary.shops.enumerated() { slots[row.key] = index }
    var rates = Array(repeating: [Int](), count: summary.shops.count)
    var conversationSlots = Array(repeating: [String: Int](), count: summary.shops.count)
    var conversations = Array(repeating: [(id: String, verdicts: [Int])](), count: summary.shops.count)
    for (index, verdict) in verdicts.enumerated() where !verdict.pending {
      guard let shop = slots[ShopKey(policy: verdict.policy, shop: verdict.shop)] else { continue }
      guard let id = verdict.conversation else {
        rates[shop].append(index)
        continue
      }
      if let known = conversationSlots[shop][id] {
        conversations[shop][known].verdicts.append(index)
      } else {
        conversationSlots[shop][id] = conversations[shop].count
        conversations[shop].append((id, [index]))
      }
    }
    return summary.shops.enumerated().map { shop, row in
      // Sort keys computed once: the worst rank and size of each conversation.
      var keyed = conversations[shop].map { conversation in
        let ordered = conversation.verdicts.sorted { i, j in
          (verdicts[i].event ?? 0, i) < (verdicts[j].event ?? 0, j)
        }
        let worst = ordered.map { scale.rank(verdicts[$0].effectiveSeverity) }.min() ?? Int.max
        return (worst: worst, id: conversation.id, verdicts: ordered)
      }
      keyed.sort { a, b in
        if a.worst != b.worst { return a.worst < b.worst }
        if a.verdicts.count != b.verdicts.count { return a.verdicts.count > b.verdicts.count }
        return a.id < b.id
      }
      return ShopListing(
        key: row.key, total: row.tally.total, rates: rates[shop],
        conversations: keyed.map { ($0.id, $0.verdicts) })
    }
  }

  /// The most severe messages of the whole run, before the listing by shop: content verdicts by
  /// effective severity, escalated ones first, then the latest first.
  func worstMessages(into out: inout String) {
    let scale = summary.scale
    var candidates = summary.verdicts.indices.filter { index in
      let verdict = summary.verdicts[index]
      guard !verdict.pending, case .content = verdict.kind else { return false }
      return true
    }
    out += "<section id=\"worst\">\n<h2>\(t(ReportText.worst))</h2>\n"
    guard !candidates.isEmpty else {
      out += "<p>\(t(ReportText.noMessages))</p>\n</section>\n"
      return
    }
    let ranks = candidates.map { scale.rank(summary.verdicts[$0].effectiveSeverity) }
    let best = ranks.min() ?? 0
    // Only the most severe level present, then as many as the page shows.
    candidates = zip(candidates, ranks).filter { $0.1 == best }.map(\.0)
    candidates.sort { i, j in
      let a = summary.verdicts[i]
      let b = summary.verdicts[j]
      if (a.escalatedTo != nil) != (b.escalatedTo != nil) { return a.escalatedTo != nil }
      return a.at != b.at ? a.at > b.at : i < j
    }
    let shown = candidates.prefix(options.worstMessages)
    out +=
      "<p class=\"note\">\(t(ReportText.worstNote(ReportFormat.count(shown.count), ReportFormat.count(candidates.count))))</p>\n"
    out += "<ol class=\"vs\">\n"
    for index in shown {
      let verdict = summary.verdicts[index]
      let key = ShopKey(policy: verdict.policy, shop: verdict.shop)
      out += "<li class=\"where\"><a href=\"#\(anchor(key))\">\(HTMLText.escape(shopLabel(key)))</a>"
      if let conversation = verdict.conversation {
        out += " · \(t(ReportText.conversation)) <code>\(HTMLText.escape(conversation))</code>"
      }
      out += "</li>\n"
      verdictItem(index, into: &out)
    }
    out += "</ol>\n</section>\n"
  }

  func listing(into out: inout String) {
    out +=
      "<section id=\"verdicts\">\n<h2>\(t(ReportText.verdicts))</h2>\n<p class=\"note\">\(t(ReportText.listingNote))</p>\n"
    listingControls(into: &out)
    var budget = options.verdictsListed
    let total = max(1, summary.violations.total)
    for shop in shopListings() {
      // Every shop gets its share, so a day with thousands of shops still shows each one's worst.
      let share = max(options.verdictsPerShopAtLeast, options.verdictsListed * shop.total / total)
      let shown = min(shop.total, options.verdictsPerShop, share, budget)
      budget -= shown
      out +=
        "<details class=\"shop\" id=\"\(anchor(shop.key))\"><summary><strong>\(HTMLText.escape(shopLabel(shop.key)))</strong> · "
      out += t(ReportText.shopSummary(shop.total))
      if shown < shop.total {
        out +=
          " <span class=\"muted\">(\(t(ReportText.shownOf(ReportFormat.count(shown), ReportFormat.count(shop.total)))))</span>"
      }
      out += "</summary>\n<div class=\"shop-body\">\n"
      if shown == 0 {
        out +=
          "<p class=\"note\">\(t(ReportText.notListed(ReportFormat.count(options.verdictsListed))))</p>\n"
      }
      var left = shown
      if !shop.rates.isEmpty && left > 0 {
        out += "<div class=\"conv\"><h4>\(t(ReportText.rateVerdict))</h4><ol class=\"vs\">\n"
        for index in shop.rates.prefix(left) { verdictItem(index, into: &out) }
        out += "</ol></div>\n"
        left -= min(left, shop.rates.count)
      }
      for conversation in shop.conversations where left > 0 {
        out +=
          "<div class=\"conv\"><h4>\(t(ReportText.conversation)) <code>\(HTMLText.escape(conversation.id))</code></h4><ol class=\"vs\">\n"
        for index in conversation.verdicts.prefix(left) { verdictItem(index, into: &out) }
        left -= min(left, conversation.verdicts.count)
        out += "</ol></div>\n"
      }
      out += "</div></details>\n"
    }
    out += "</section>\n"
  }

  func listingControls(into out: inout String) {
    out +=
      "<div class=\"controls noscript-hidden\"><select id=\"f-severity\"><option value=\"\">\(t(ReportText.allSeverities))</option>"
    for level in summary.scale.levels {
      out += "<option value=\"\(HTMLText.escape(level.name))\">\(HTMLText.escape(level.name))</option>"
    }
    out += "</select><select id=\"f-clause\"><option value=\"\">\(t(ReportText.allClauses))</option>"
    for clause in Set(summary.clauses.map(\.key.clause)).sorted() {
      out += "<option value=\"\(HTMLText.escape(clause))\">\(HTMLText.escape(clause))</option>"
    }
    out += "</select><input id=\"f-text\" type=\"search\" placeholder=\"\(t(ReportText.filter))\">"
    out += "<button type=\"button\" id=\"expand-all\">\(t(ReportText.expandAll))</button>"
    out += "<button type=\"button\" id=\"collapse-all\">\(t(ReportText.collapseAll))</button></div>\n"
  }

  func verdictItem(_ index: Int, into out: inout String) {
    let verdict = summary.verdicts[index]
    let rank = min(summary.scale.rank(verdict.effectiveSeverity), 5)
    out +=
      "<li class=\"v b\(rank)\" data-s=\"\(HTMLText.escape(verdict.effectiveSeverity))\" data-c=\"\(HTMLText.escape(verdict.clause))\">"
    out += "<div class=\"vh\">\(badge(verdict.effectiveSeverity, plain: true)) "
    if verdict.escalatedTo != nil {
      let reason = verdict.escalation.map { ": " + $0 } ?? ""
      // The badge shows the raised severity; this, the declared one and why.
      out += "<span class=\"why\">↑\(HTMLText.escape(verdict.severity))\(HTMLText.escape(reason))</span> "
    }
    out += "<span class=\"c\">\(HTMLText.escape(verdict.clause))</span> "
    // The title cut short (the clause table has it whole): thousands of verdicts repeat it.
    if let title = clauseTitle(ClauseKey(policy: verdict.policy, clause: verdict.clause)) {
      out += "<span class=\"t\">\(HTMLText.escape(HTMLText.truncate(title, cells: 48)))</span> "
    }
    out += "<code>\(HTMLText.escape(verdict.rule))</code> <time>\(HTMLText.escape(verdict.at.display))</time>"
    if let event = verdict.event { out += " · \(t(ReportText.event)) \(event)" }
    if let id = verdict.eventID {
      out += " (\(t(ReportText.eventID)) <code>\(HTMLText.escape(HTMLText.truncate(id, cells: 40)))</code>)"
    }
    if let agent = verdict.agent { out += " · \(HTMLText.escape(agent))" }
    let file =
      inputs.verdictFiles.indices.contains(verdict.origin.file)
      ? inputs.verdictFiles[verdict.origin.file] : "?"
    out += " <span class=\"src\">\(HTMLText.escape(file)):\(verdict.origin.line)</span></div>\n"
    switch verdict.kind {
    case .content(let evidence):
      message(of: index, evidence: evidence, into: &out)
    case .timing(let obligation):
      var line = "\(t(ReportText.opened)) \(HTMLText.escape(obligation.openedAt.display)) · "
      line += "\(t(ReportText.deadline)) \(HTMLText.escape(obligation.deadline.display)) · "
      if let answered = obligation.answeredAt, let delay = obligation.delaySeconds {
        line += "\(t(ReportText.answered)) \(HTMLText.escape(answered.display)) "
        line += "(\(t(ReportText.after(ReportFormat.duration(delay)))))"
      } else {
        line += "<strong>\(t(ReportText.neverAnswered))</strong>"
      }
      out += "<div class=\"ob\">\(line)</div>\n"
      message(of: index, evidence: [], into: &out)
    case .rate(let rate):
      out +=
        "<div class=\"ob\">\(HTMLText.escape(periodText(rate))): \(ReportFormat.percent(millionths: rate.valueMillionths))"
      out +=
        " (\(ReportFormat.count(rate.count)) / \(ReportFormat.count(rate.total))) &lt; \(ReportFormat.percent(millionths: rate.thresholdMillionths))</div>\n"
    }
    out += "</li>\n"
  }

  /// The verdict's message with its evidence marked, or what is known without it.
  func message(of index: Int, evidence: [ReportEvidence], into out: inout String) {
    let match = inputs.events?.matches[index]
    guard case .found(let event) = match else {
      if case .missing = match { out += "<div class=\"why\">\(t(ReportText.eventMissing))</div>\n" }
      if case .mismatched = match { out += "<div class=\"why\">\(t(ReportText.eventMismatch))</div>\n" }
      evidenceList(evidence, into: &out)
      return
    }
    guard let message = event.message else {
      if let name = event.eventName { out += "<div class=\"msg\">\(HTMLText.escape(name))</div>\n" }
      return
    }
    let spans = evidence.compactMap { item -> EvidenceHighlighter.Span? in
      guard item.attachment == nil, let start = item.start, let end = item.end else { return nil }
      // A term's title names the list's term (the marked text shows the original spelling); any
      // other kind's title is what it matched.
      let detail = item.kind == "term" ? (item.term ?? item.match) : item.match
      return EvidenceHighlighter.Span(start: start, end: end, kind: item.kind, detail: detail)
    }
    let text = message.text
    if text.isEmpty {
      if message.attachments.isEmpty { out += "<div class=\"msg muted\">\(t(ReportText.noText))</div>\n" }
    } else {
      let piece = EvidenceHighlighter.excerpt(text, spans: spans, limit: options.messageScalars)
      out += "<div class=\"msg\">"
      if piece.cutBefore { out += "… " }
      EvidenceHighlighter.append(piece.text, spans: piece.spans, to: &out)
      if piece.cutAfter { out += " …" }
      out += "</div>\n"
    }
    for (k, attachment) in message.attachments.enumerated() {
      let found = evidence.filter { $0.attachment == k }
      var line = "\(t(ReportText.attachment)) \(k): \(HTMLText.escape(attachment.kind.name))"
      if attachment.qr { line += " · \(t(ReportText.qrCode))" }
      if let url = attachment.urlString {
        let urlSpans = found.compactMap { item -> EvidenceHighlighter.Span? in
          guard let start = item.start, let end = item.end else { return nil }
          return EvidenceHighlighter.Span(start: start, end: end, kind: item.kind, detail: item.match)
        }
        line += " <code>" + EvidenceHighlighter.html(url, spans: urlSpans) + "</code>"
      }
      if !found.isEmpty {
        line = "<mark class=\"ev ev-\(EvidenceHighlighter.className(found[0].kind))\">\(line)</mark> "
        line += found.map { HTMLText.escape($0.kind) }.joined(separator: ", ")
      }
      out += "<div class=\"ev-list\">\(line)</div>\n"
    }
  }

  /// Evidence without its message: each kind with the characters it matched.
  func evidenceList(_ evidence: [ReportEvidence], into out: inout String) {
    guard !evidence.isEmpty else { return }
    let items = evidence.map { item -> String in
      if item.kind == "omitted", let count = item.count { return t(ReportText.omittedEvidence(count)) }
      var text = HTMLText.escape(item.kind)
      if let term = item.term { text += " (\(HTMLText.escape(term)))" }
      if let attachment = item.attachment { text += " \(t(ReportText.attachment)) \(attachment)" }
      if let match = item.match { text += " <code class=\"m\">\(HTMLText.escape(match))</code>" }
      return text
    }
    out += "<div class=\"ev-list\">\(items.joined(separator: " · "))</div>\n"
  }
}
