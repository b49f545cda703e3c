// What a declaration is, in a few lines for a hover or a completion item: its first line as
// written, then what it holds (a list's size and first terms, a constant's value and unit, an
// hours window, a clause's title and kind, a rule's clause, severity and body).

import PolicyLang

/// Describes declarations for people.
enum SymbolDescriptions {
  /// A Markdown description of `symbol`.
  static func describe(
    _ symbol: DeclaredSymbol, in analysis: DocumentAnalysis, context: FeatureContext
  ) -> String {
    var parts = ["```policy\n\(firstLine(of: symbol.span, in: analysis.sources))\n```"]
    parts += details(of: symbol, in: analysis, context: context)
    if symbol.span.file != analysis.file.id {
      let place = context.describe(symbol.nameSpan, in: analysis.sources, from: analysis.file.name)
      parts.append(context.text(LocalizedText("declared in `\(place)`", zh: "声明于 `\(place)`")))
    }
    return parts.joined(separator: "\n\n")
  }

  /// A one-line summary for a completion item's detail.
  static func summary(
    of symbol: DeclaredSymbol, in analysis: DocumentAnalysis, context: FeatureContext
  ) -> String {
    switch symbol.declaration {
    case .clause(let d): return "\(d.title.value) · \(d.kind?.rawValue ?? "?")"
    case .terms:
      let list = termList(named: symbol.name, in: analysis)
      return context.text(
        LocalizedText("terms · \(list.terms.count) entries", zh: "词表 · \(list.terms.count) 条"))
    case .domains:
      let domains = domainList(named: symbol.name, in: analysis)
      return context.text(LocalizedText("domains · \(domains.count)", zh: "域名表 · \(domains.count) 个"))
    case .constant(let d): return "const = \(analysis.sources.text(of: d.value.span))"
    case .hours(let d): return "hours = \(valueText(of: d.span, after: d.name.span, in: analysis.sources))"
    case .dates(let d):
      return context.text(LocalizedText("dates · \(d.dates.count)", zh: "日期表 · \(d.dates.count) 个"))
    case .severity(let d): return d.sanction.map { "sanction \($0.value)" } ?? "severity"
    case .rule(let d): return d.title?.value ?? "rule"
    default: return symbol.category.keyword
    }
  }

  private static func details(
    of symbol: DeclaredSymbol, in analysis: DocumentAnalysis, context: FeatureContext
  ) -> [String] {
    let zh = context.language == .chinese
    switch symbol.declaration {
    case .policy(let d):
      var lines: [String] = []
      if let title = d.title { lines.append("**\(title.value)**") }
      lines.append((zh ? "时区:" : "zone: ") + (d.zone?.name ?? (zh ? "UTC(未指定)" : "UTC (not given)")))
      if let source = d.source { lines.append((zh ? "来源:" : "source: ") + source.value) }
      return [lines.joined(separator: "  \n")]
    case .clause(let d):
      var text = "**\(d.title.value)**"
      if let kind = d.kind, let keyword = Keyword(spelling: kind.rawValue) {
        text += "  \n" + context.text(KeywordGlossary.meaning(of: keyword))
      }
      return [text]
    case .terms(let d):
      let list = termList(named: d.name.name, in: analysis)
      var lines = [
        context.text(
          LocalizedText(
            "term list, \(list.terms.count) \(list.terms.count == 1 ? "entry" : "entries")",
            zh: "词表,共 \(list.terms.count) 条"))
      ]
      if let title = d.title { lines[0] += ": \(title.value)" }
      if !list.terms.isEmpty {
        let shown = list.terms.prefix(8).map { "`\($0)`" }.joined(separator: ", ")
        lines.append(shown + (list.terms.count > 8 ? ", …" : ""))
      }
      if list.additions > 0 {
        lines.append(
          context.text(
            LocalizedText("\(list.additions) added with `+=`", zh: "其中 \(list.additions) 条由 `+=` 追加")))
      }
      return [lines.joined(separator: "  \n")]
    case .domains(let d):
      let domains = domainList(named: d.name.name, in: analysis)
      let shown =
        domains.prefix(8).map { "`\($0)`" }.joined(separator: ", ") + (domains.count > 8 ? ", …" : "")
      return [
        context.text(LocalizedText("domain list, \(domains.count) domains", zh: "域名表,共 \(domains.count) 个"))
          + (domains.isEmpty ? "" : "  \n" + shown)
      ]
    case .constant(let d):
      return [describe(d.value, written: analysis.sources.text(of: d.value.span), context: context)]
    case .hours(let d):
      return [describe(d, in: analysis, context: context)]
    case .dates(let d):
      let shown = d.dates.prefix(8).map { "`\(analysis.sources.text(of: $0.span))`" }.joined(separator: ", ")
      return [
        context.text(LocalizedText("\(d.dates.count) dates", zh: "共 \(d.dates.count) 个日期")) + "  \n" + shown
      ]
    case .pattern(let d):
      let title = d.title.map { "**\($0.value)**  \n" } ?? ""
      return [
        title + context.text(LocalizedText("pattern", zh: "模式"))
          + " `\(analysis.sources.text(of: d.pattern.span))`"
      ]
    case .severity(let d):
      let all = analysis.symbols.visible(.severity)
      let rank = (all.firstIndex { $0.name == d.name.name } ?? 0) + 1
      var lines: [String] = []
      if let title = d.title { lines.append("**\(title.value)**") }
      if let sanction = d.sanction { lines.append((zh ? "处罚:" : "sanction: ") + sanction.value) }
      lines.append(
        context.text(
          LocalizedText(
            "severity \(rank) of \(all.count) (least severe first)", zh: "第 \(rank) 级,共 \(all.count) 级(由轻到重)")
        ))
      if let clause = d.clause { lines.append(clauseLine(clause, in: analysis, context: context)) }
      return [lines.joined(separator: "  \n")]
    case .escalation(let d):
      return d.clause.map { [clauseLine($0, in: analysis, context: context)] } ?? []
    case .rule(let d):
      var lines: [String] = []
      if let title = d.title { lines.append("**\(title.value)**") }
      if let clause = d.clause { lines.append(clauseLine(clause, in: analysis, context: context)) }
      if let severity = d.severity { lines.append((zh ? "处罚等级:" : "severity: ") + "`\(severity.name)`") }
      if let body = d.body { lines.append(context.text(bodyKind(body))) }
      if !d.tests.isEmpty {
        lines.append(
          context.text(LocalizedText("\(d.tests.count) inline tests", zh: "\(d.tests.count) 个内联测试")))
      }
      return [lines.joined(separator: "  \n")]
    case .test(let d):
      var text = context.text(
        LocalizedText(
          "test: \(d.events.count) events, \(d.expectations.count) expectations",
          zh: "测试:\(d.events.count) 个事件,\(d.expectations.count) 个预期"))
      if let rule = symbol.enclosingRule {
        text += context.text(LocalizedText(" (rule `\(rule)`)", zh: "(规则 `\(rule)`)"))
      }
      return [text]
    case .import:
      return []
    }
  }

  private static func clauseLine(
    _ ref: ClauseRef, in analysis: DocumentAnalysis, context: FeatureContext
  ) -> String {
    let clause = analysis.symbols.visible(.clause).first { $0.name == ref.id }
    var line = (context.language == .chinese ? "条款:" : "clause: ") + "`\(ref.id)`"
    if case .clause(let d)? = clause?.declaration { line += " \(d.title.value)" }
    return line
  }

  private static func bodyKind(_ body: RuleBody) -> LocalizedText {
    switch body {
    case .message: return LocalizedText("message rule: each message is judged alone", zh: "消息规则:逐条消息判定")
    case .obligation:
      return LocalizedText("obligation: a reply or event must follow in time", zh: "时限义务:须在时限内回复或发生事件")
    case .burst: return LocalizedText("burst: too many messages in a row", zh: "连发:连续发送过多消息")
    case .afterStop:
      return LocalizedText("stop request: no contact after the buyer asks to stop", zh: "停止请求:买家要求停止后不得继续联系")
    case .rate:
      return LocalizedText(
        "rate: a share of obligations met, or events per events, over many conversations",
        zh: "比率:多个会话中义务达成的比例,或事件相对事件的比例")
    case .manual: return LocalizedText("manual: judged by a person, gives no verdicts", zh: "人工:由人判断,不产生判定")
    }
  }

  /// A constant's value and unit.
  static func describe(_ literal: Literal, written: String, context: FeatureContext) -> String {
    let text: LocalizedText
    switch literal.value {
    case .integer(let n): text = LocalizedText("a count: \(n)", zh: "计数:\(n)")
    case .duration(let seconds):
      text = LocalizedText(
        "a duration: \(spell(seconds: seconds))", zh: "时长:\(spell(seconds: seconds, chinese: true))")
    case .percent:
      text = LocalizedText("a percentage: \(written)", zh: "百分比:\(written)")
    case .chars(let n): text = LocalizedText("a length: \(n) characters", zh: "长度:\(n) 个字符")
    case .string(let s): text = LocalizedText("a string: \"\(s)\"", zh: "字符串:\"\(s)\"")
    case .timeOfDay: text = LocalizedText("a time of day: \(written)", zh: "时刻:\(written)")
    case .date: text = LocalizedText("a date: \(written)", zh: "日期:\(written)")
    }
    return context.text(text)
  }

  /// `1 h 30 min` (`1小时30分钟`) for 5400 seconds.
  static func spell(seconds: Int64, chinese: Bool = false) -> String {
    let units: [(size: Int64, name: String)] = [
      (86_400, chinese ? "天" : " d"), (3600, chinese ? "小时" : " h"), (60, chinese ? "分钟" : " min"),
      (1, chinese ? "秒" : " s"),
    ]
    var rest = seconds
    var parts: [String] = []
    for (size, name) in units where rest >= size {
      parts.append("\(rest / size)\(name)")
      rest %= size
    }
    return parts.isEmpty ? (chinese ? "0秒" : "0 s") : parts.joined(separator: chinese ? "" : " ")
  }

  private static func describe(
    _ hours: HoursDecl, in analysis: DocumentAnalysis, context: FeatureContext
  ) -> String {
    var lines: [String] = []
    for part in hours.parts {
      let days =
        part.days.isEmpty
        ? context.text(LocalizedText("every day", zh: "每天"))
        : part.days.map { $0.first == $0.last ? $0.first.name : "\($0.first.name)-\($0.last.name)" }
          .joined(separator: ", ")
      var windows: [String] = []
      for range in part.ranges {
        var window =
          "\(analysis.sources.text(of: range.start.span))-\(analysis.sources.text(of: range.end.span))"
        if range.end.secondsOfDay < range.start.secondsOfDay {
          window += context.text(LocalizedText(" (crosses midnight)", zh: "(跨午夜)"))
        }
        windows.append(window)
      }
      lines.append("\(days): \(windows.joined(separator: ", "))")
    }
    switch hours.except {
    case .named(let name)?:
      lines.append(
        context.text(LocalizedText("except the dates of `\(name.name)`", zh: "`\(name.name)` 中的日期除外")))
    case .dates(let dates, _)?:
      lines.append(context.text(LocalizedText("except \(dates.count) dates", zh: "除 \(dates.count) 个日期外")))
    case nil:
      break
    }
    lines.append(
      context.text(LocalizedText("half-open, in the policy's zone", zh: "左闭右开,按策略时区")))
    return lines.joined(separator: "  \n")
  }

  /// The entries of term list `name` after every `=`, `+=` and `override` in include order.
  static func termList(named name: String, in analysis: DocumentAnalysis) -> (terms: [String], additions: Int)
  {
    var terms: [String] = []
    var additions = 0
    for symbol in analysis.symbols.declarations(of: name, .terms) {
      guard case .terms(let d) = symbol.declaration else { continue }
      let entries: [String]
      switch d.source {
      case .inline(let list, _): entries = list.map(\.term.value)
      case .file(let literal): entries = (analysis.loaded?.wordLists[literal.span] ?? []).map(\.term)
      }
      if d.mode == .extend {
        terms += entries
        additions += entries.count
      } else {
        terms = entries
        additions = 0
      }
    }
    return (terms, additions)
  }

  /// The domains of list `name` after every `=`, `+=` and `override`.
  static func domainList(named name: String, in analysis: DocumentAnalysis) -> [String] {
    var domains: [String] = []
    for symbol in analysis.symbols.declarations(of: name, .domains) {
      guard case .domains(let d) = symbol.declaration else { continue }
      domains = d.mode == .extend ? domains + d.domains.map(\.value) : d.domains.map(\.value)
    }
    return domains
  }

  /// The first line of a declaration as written, at most 160 characters.
  static func firstLine(of span: SourceSpan, in sources: SourceMap) -> String {
    let text = sources.text(of: span)
    let line =
      text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    let trimmed = line.hasSuffix("\r") ? String(line.dropLast()) : line
    return trimmed.count > 160 ? String(trimmed.prefix(160)) + "…" : trimmed
  }

  /// The text of a declaration after its name and `=`: an hours window as written.
  static func valueText(of span: SourceSpan, after name: SourceSpan, in sources: SourceMap) -> String {
    let rest = SourceSpan(file: span.file, start: Int(name.end), end: Int(span.end))
    var text = sources.text(of: rest).trimmingSpaces()
    if text.hasPrefix("=") { text = String(text.dropFirst()).trimmingSpaces() }
    return text
  }
}

extension SourceMap {
  /// The text of a span of one of the files.
  func text(of span: SourceSpan) -> String {
    self[span.file]?.text(of: span) ?? ""
  }
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    var s = Substring(self)
    while let first = s.first, first == " " || first == "\t" { s = s.dropFirst() }
    while let last = s.last, last == " " || last == "\t" || last == "\n" || last == "\r" { s = s.dropLast() }
    return String(s)
  }
}
