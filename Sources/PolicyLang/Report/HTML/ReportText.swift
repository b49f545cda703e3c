import PolicyLang

/// Every text of the report page, in English and Chinese, in one table, so that no label can miss
/// its translation. Texts with figures take them as arguments; the figures are formatted by
/// `ReportFormat`.
enum ReportText {
  static let defaultTitle = LocalizedText("Compliance report", zh: "合规报告")
  static let sources = LocalizedText("Verdicts", zh: "判定文件")
  static let eventsSources = LocalizedText("Events", zh: "事件文件")
  static let period = LocalizedText("Period", zh: "期间")
  static let policies = LocalizedText("Policies", zh: "策略")
  static let noViolations = LocalizedText("No violations in these verdicts.", zh: "这些判定中没有违规。")
  static let contents = LocalizedText("Contents", zh: "目录")

  // Sections.
  static let figures = LocalizedText("Figures", zh: "概览")
  static let clauses = LocalizedText("Violations per clause", zh: "各条款违规数")
  static let severities = LocalizedText("Violations per severity", zh: "各严重程度违规数")
  static let trend = LocalizedText("Daily trend per clause", zh: "各条款每日趋势")
  static let shops = LocalizedText("Shops", zh: "店铺")
  static let agents = LocalizedText("Agents", zh: "客服账号")
  static let rates = LocalizedText("Rates below their threshold", zh: "未达阈值的比率")
  static let delays = LocalizedText("Reply delays", zh: "回复时长")
  static let verdicts = LocalizedText("Verdicts by shop and conversation", zh: "按店铺与会话列出的违规")
  static let worst = LocalizedText("The most severe messages", zh: "最严重的消息")
  static let noMessages = LocalizedText("No message broke a content rule.", zh: "没有消息违反内容规则。")
  static func worstNote(_ shown: String, _ total: String) -> LocalizedText {
    LocalizedText(
      "\(shown) of the \(total) messages of the most severe level found, escalated ones first, then the latest.",
      zh: "最严重级别的 \(total) 条消息中的 \(shown) 条,已升级的在前,其次按时间由近及远。")
  }

  // Headline figures.
  static let violations = LocalizedText("violations", zh: "违规")
  static let pending = LocalizedText("pending (not yet due)", zh: "未到期")
  static let escalations = LocalizedText("escalated", zh: "已升级")
  static let shopsInvolved = LocalizedText("shops", zh: "店铺")
  static let agentsInvolved = LocalizedText("agents", zh: "客服账号")
  static let conversationsInvolved = LocalizedText("conversations", zh: "会话")
  static let skippedLines = LocalizedText("lines skipped", zh: "跳过的行")
  static let daysCovered = LocalizedText("days", zh: "天")
  static func severityAfterEscalation(_ escalated: String) -> LocalizedText {
    LocalizedText("\(escalated) by escalation", zh: "其中 \(escalated) 条由升级而来")
  }

  // Notices.
  static func skippedVerdictLines(_ n: String) -> LocalizedText {
    LocalizedText(
      "\(n) malformed verdict lines were skipped (each is listed on standard error as FILE:LINE).",
      zh: "跳过了 \(n) 行格式错误的判定(每行已在标准错误中以 FILE:LINE 列出)。")
  }
  static func skippedEventLines(_ n: String) -> LocalizedText {
    LocalizedText(
      "\(n) event lines could not be read and were skipped, as policyc eval skips them.",
      zh: "\(n) 行事件无法读取,已跳过(与 policyc eval 相同)。")
  }
  static func unreadableFiles(_ names: String) -> LocalizedText {
    LocalizedText("These files could not be read: \(names).", zh: "以下文件无法读取:\(names)。")
  }
  static func noCatalog(_ policy: String) -> LocalizedText {
    LocalizedText(
      "No policy was given for `\(policy)`: its clauses are shown by id, without titles or sanctions (give --policy).",
      zh: "未提供策略 `\(policy)`:其条款只显示编号,没有标题和处罚(请用 --policy 提供)。")
  }
  static func programOnly(_ policy: String) -> LocalizedText {
    LocalizedText(
      "`\(policy)` was given as a compiled program, which keeps no titles: its clauses are shown by id.",
      zh: "`\(policy)` 以编译后的程序提供,程序不含标题:其条款只显示编号。")
  }
  static func unmatched(_ n: String) -> LocalizedText {
    LocalizedText(
      "\(n) verdicts have no matching event in the events given (no event at that index, or its time or characters differ): their messages are not shown.",
      zh: "\(n) 条判定在所给事件中找不到对应的事件(该序号没有事件,或时间、字符不符):不显示其消息。")
  }
  static let noEvents = LocalizedText(
    "No events were given (--events): messages are shown only through their evidence.",
    zh: "未提供事件(--events):消息只显示证据部分。")
  static func trendCut(_ total: String, _ shown: String) -> LocalizedText {
    LocalizedText(
      "The period has \(total) days; the trend shows the last \(shown).",
      zh: "期间共 \(total) 天;趋势图只显示最后 \(shown) 天。")
  }
  static func rowsCut(_ shown: String, _ total: String) -> LocalizedText {
    LocalizedText("Showing \(shown) of \(total).", zh: "显示 \(shown) 项,共 \(total) 项。")
  }
  static let otherClauses = LocalizedText("other clauses", zh: "其他条款")

  // Tables.
  static let policy = LocalizedText("Policy", zh: "策略")
  static let clause = LocalizedText("Clause", zh: "条款")
  static let title = LocalizedText("Title", zh: "标题")
  static let kind = LocalizedText("Kind", zh: "类型")
  static let rules = LocalizedText("Rules", zh: "规则")
  static let total = LocalizedText("Total", zh: "合计")
  static let shop = LocalizedText("Shop", zh: "店铺")
  static let agent = LocalizedText("Agent", zh: "客服")
  static let escalated = LocalizedText("Escalated", zh: "升级")
  static let conversations = LocalizedText("Conversations", zh: "会话")
  static let agentsColumn = LocalizedText("Agents", zh: "客服")
  static let daily = LocalizedText("Per day", zh: "每日")
  static let severity = LocalizedText("Severity", zh: "严重程度")
  static let sanction = LocalizedText("Sanction", zh: "处罚")
  static let escalatedTo = LocalizedText("Escalated to it", zh: "升级至此")
  static let rule = LocalizedText("Rule", zh: "规则")
  static let value = LocalizedText("Reached", zh: "达成")
  static let threshold = LocalizedText("Threshold", zh: "阈值")
  static let passed = LocalizedText("Passed / counted", zh: "达标 / 统计")
  static let ratesNote = LocalizedText(
    "policyc eval writes a rate verdict only for a period that fell short, so only those are here.",
    zh: "policyc eval 只为未达标的期间输出比率判定,因此这里只列出这些期间。")
  static let noRates = LocalizedText("No rate fell short.", zh: "没有未达标的比率。")
  static let filter = LocalizedText("Filter…", zh: "筛选…")
  static let sortHint = LocalizedText("Click a column heading to sort.", zh: "点击列标题可排序。")

  // Delays.
  static let delaysFromVerdicts = LocalizedText(
    "Missed obligations, from the verdicts: how long the reply took, against the rule's limits.",
    zh: "超时的义务(来自判定):实际回复用时与规则时限的对比。")
  static let delaysFromEvents = LocalizedText(
    "Every opening in the events (each buyer message, or the rule's opening event) and the first answer after it, against the rule's limits. The rule's own conditions and hours are not applied here.",
    zh: "事件中的每次开启(每条买家消息,或规则的开启事件)到其后第一次回复的用时,与规则时限的对比。此处不套用规则自身的条件和时段。")
  static let noDelays = LocalizedText("No timing verdicts.", zh: "没有时效类判定。")
  static let noReply = LocalizedText("no reply", zh: "未回复")
  static let limitUnknown = LocalizedText(
    "limit unknown (give the policy or program)", zh: "时限未知(请提供策略或程序)")
  static let barTooltip = LocalizedText("{range}: {count}", zh: "{range}:{count} 条")
  static func delayCaption(_ answered: String, _ unanswered: String, _ median: String) -> LocalizedText {
    LocalizedText(
      "\(answered) answered (median \(median)), \(unanswered) never answered.",
      zh: "\(answered) 条已回复(中位数 \(median)),\(unanswered) 条未回复。")
  }
  static func limitLabel(_ duration: String, during: String?) -> LocalizedText {
    if let during {
      return LocalizedText("limit \(duration) (\(during))", zh: "时限 \(duration)(\(during))")
    }
    return LocalizedText("limit \(duration)", zh: "时限 \(duration)")
  }

  // The listing.
  static let allSeverities = LocalizedText("All severities", zh: "全部严重程度")
  static let allClauses = LocalizedText("All clauses", zh: "全部条款")
  static let expandAll = LocalizedText("Expand all", zh: "全部展开")
  static let collapseAll = LocalizedText("Collapse all", zh: "全部收起")
  static let listingNote = LocalizedText(
    "Shops are ordered worst first; open one to see its conversations. Within a shop, conversations with the most severe violations come first.",
    zh: "店铺按违规严重程度排序;展开店铺可查看其会话。店铺内,违规最严重的会话排在前面。")
  static func shopSummary(_ n: Int) -> LocalizedText {
    LocalizedText(
      n == 1 ? "1 violation" : "\(ReportFormat.count(n)) violations", zh: "\(ReportFormat.count(n)) 条违规")
  }
  static func shownOf(_ shown: String, _ total: String) -> LocalizedText {
    LocalizedText("showing \(shown) of \(total)", zh: "显示 \(shown) 条,共 \(total) 条")
  }
  static func notListed(_ cap: String) -> LocalizedText {
    LocalizedText(
      "Not listed: the page lists at most \(cap) verdicts in all; the verdict file has every one.",
      zh: "未列出:本页最多列出 \(cap) 条判定;全部判定见判定文件。")
  }
  static let conversation = LocalizedText("conversation", zh: "会话")
  static let event = LocalizedText("event", zh: "事件")
  static let eventID = LocalizedText("id", zh: "编号")
  static let opened = LocalizedText("opened", zh: "开始")
  static let deadline = LocalizedText("deadline", zh: "期限")
  static let answered = LocalizedText("answered", zh: "回复")
  static let neverAnswered = LocalizedText("no reply", zh: "未回复")
  static func after(_ duration: String) -> LocalizedText {
    LocalizedText("\(duration) after opening", zh: "开始后 \(duration)")
  }
  static let attachment = LocalizedText("attachment", zh: "附件")
  static func omittedEvidence(_ count: Int) -> LocalizedText {
    LocalizedText("and \(count) more", zh: "另有 \(count) 项")
  }
  static let qrCode = LocalizedText("QR code", zh: "二维码")
  static let eventMissing = LocalizedText(
    "no event at this index in the events given", zh: "所给事件中没有这个序号的事件")
  static let eventMismatch = LocalizedText(
    "the event at this index does not match the verdict (time or characters differ)",
    zh: "该序号的事件与判定不符(时间或字符不同)")
  static let pendingBadge = LocalizedText("pending", zh: "未到期")
  static let rateVerdict = LocalizedText("rate", zh: "比率")
  static let noText = LocalizedText("(no text)", zh: "(无文字)")
  static let source = LocalizedText("line", zh: "行")
}
