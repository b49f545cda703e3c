import Foundation
import PolicyLangCore

// Values and units: what type a value has, what a place expects, and the messages that say how
// to write it (`within 24` → `24h`). Also term and domain lists, dates and constants.

/// The type of a value: the unit it is written with.
enum ValueType: Equatable {
  case count, duration, percent, length, string, time, date

  var noun: LocalizedText {
    switch self {
    case .count: return LocalizedText("a count", zh: "次数")
    case .duration: return LocalizedText("a duration", zh: "时长")
    case .percent: return LocalizedText("a percentage", zh: "百分比")
    case .length: return LocalizedText("a length in characters", zh: "字符长度")
    case .string: return LocalizedText("a string", zh: "字符串")
    case .time: return LocalizedText("a time of day", zh: "时刻")
    case .date: return LocalizedText("a date", zh: "日期")
    }
  }

  var example: String {
    switch self {
    case .count: return "3"
    case .duration: return "1h"
    case .percent: return "80%"
    case .length: return "12 chars"
    case .string: return "\"text\""
    case .time: return "08:00"
    case .date: return "2026-01-01"
    }
  }

  static func of(_ value: LiteralValue) -> ValueType {
    switch value {
    case .integer: return .count
    case .duration: return .duration
    case .percent: return .percent
    case .chars: return .length
    case .string: return .string
    case .timeOfDay: return .time
    case .date: return .date
    }
  }
}

extension Checker {
  /// The number a value stands for (seconds, millionths, characters or a count) if it has type
  /// `expected`; otherwise reports E0401 (or the lookup's error) and returns `nil`.
  mutating func number(_ expr: ValueExpr, _ expected: ValueType) -> Int64? {
    let literal: Literal
    var constant: ConstDecl?
    switch expr {
    case .literal(let l):
      literal = l
    case .reference(let name):
      guard let index = lookup(name, as: .constant), constants.indices.contains(index) else { return nil }
      constant = constants[index]
      literal = constants[index].value
    }
    let found = ValueType.of(literal.value)
    guard found == expected else {
      var diagnostic = Diagnostic(
        .wrongType,
        LocalizedText(
          "expected \(expected.noun.english), found \(found.noun.english)",
          zh: "这里需要\(expected.noun.chinese),却是\(found.noun.chinese)"),
        at: expr.span, help: typeHelp(literal.value, expected: expected, isConstant: constant != nil))
      if let constant {
        diagnostic = diagnostic.with(
          label: constant.value.span,
          LocalizedText(
            "`\(constant.name.name)` is \(found.noun.english)",
            zh: "`\(constant.name.name)` 是\(found.noun.chinese)"))
      }
      report(diagnostic)
      return nil
    }
    switch literal.value {
    case .integer(let n), .duration(let n), .percent(let n), .chars(let n): return n
    case .string, .timeOfDay, .date: return 0
    }
  }

  private func typeHelp(_ value: LiteralValue, expected: ValueType, isConstant: Bool) -> LocalizedText {
    if isConstant {
      return LocalizedText(
        "use a constant that holds \(expected.noun.english), "
          + "or write one here, such as `\(expected.example)`",
        zh: "改用一个值为\(expected.noun.chinese)的常量,或直接写,例如 `\(expected.example)`")
    }
    switch (value, expected) {
    case (.integer(let n), .duration):
      return LocalizedText(
        "a number without a unit is a count; "
          + "write `\(n)h` for hours, `\(n)m` for minutes or `\(n)d` for days",
        zh: "不带单位的数字是次数;写 `\(n)h` 表示小时,`\(n)m` 表示分钟,`\(n)d` 表示天")
    case (.integer(let n), .length):
      return LocalizedText("write the unit: `\(n) chars`", zh: "写上单位:`\(n) chars`")
    case (.integer(let n), .percent):
      return LocalizedText("write a percentage: `\(n)%`", zh: "写成百分比:`\(n)%`")
    case (.percent, .duration):
      return LocalizedText(
        "a percentage is a share, not a time; write a duration such as `1h`",
        zh: "百分比表示比例,不是时间;请写时长,例如 `1h`")
    case (.chars(let n), .count):
      return LocalizedText(
        "this place counts matches or messages: write `\(n)` without `chars`",
        zh: "这里计的是次数:去掉 `chars`,写 `\(n)`")
    case (.duration, .count):
      return LocalizedText("write a plain number such as `3`", zh: "写一个不带单位的数字,例如 `3`")
    default:
      return LocalizedText(
        "write \(expected.noun.english), such as `\(expected.example)`",
        zh: "请写\(expected.noun.chinese),例如 `\(expected.example)`")
    }
  }

  /// A positive duration in seconds, or `nil` after reporting.
  mutating func duration(_ expr: ValueExpr) -> Int64? {
    guard let seconds = number(expr, .duration) else { return nil }
    guard seconds > 0 else {
      report(
        outOfRange(
          expr, LocalizedText("a duration of zero", zh: "时长为零"),
          LocalizedText(
            "write a duration longer than zero, such as `1h`", zh: "写一个大于零的时长,例如 `1h`")))
      return nil
    }
    return seconds
  }

  /// A count of at least `minimum`, or `nil` after reporting.
  mutating func count(_ expr: ValueExpr, atLeast minimum: Int64) -> Int? {
    guard let n = number(expr, .count) else { return nil }
    guard n >= minimum else {
      report(
        outOfRange(
          expr, LocalizedText("the count must be at least \(minimum)", zh: "次数至少为 \(minimum)"),
          LocalizedText(
            "write a count of \(minimum) or more", zh: "写一个不小于 \(minimum) 的次数")))
      return nil
    }
    return Int(clamping: n)
  }

  /// A length in characters, or `nil` after reporting.
  mutating func length(_ expr: ValueExpr) -> Int? {
    number(expr, .length).map { Int(clamping: $0) }
  }

  /// A percentage in millionths, at most 100%.
  mutating func percent(_ expr: ValueExpr) -> Int64? {
    guard let p = number(expr, .percent) else { return nil }
    guard p <= 1_000_000 else {
      report(
        outOfRange(
          expr, LocalizedText("a percentage above 100%", zh: "百分比超过 100%"),
          LocalizedText(
            "write a percentage from 0% to 100%", zh: "写 0% 到 100% 之间的百分比")))
      return nil
    }
    return p
  }

  func outOfRange(_ expr: ValueExpr, _ what: LocalizedText, _ help: LocalizedText) -> Diagnostic {
    Diagnostic(
      .valueOutOfRange,
      LocalizedText("value out of range: \(what.english)", zh: "值超出范围:\(what.chinese)"),
      at: expr.span, help: help)
  }

  /// Checks a constant's literal (dates and times must exist).
  mutating func checkConstant(_ decl: ConstDecl) {
    switch decl.value.value {
    case .date(let date): _ = checkDate(date)
    case .timeOfDay(let time): _ = checkTime(time, allowEndOfDay: true)
    default: break
    }
  }

  // MARK: - Dates

  /// Whether the date exists; reports E0407 when it does not.
  @discardableResult
  mutating func checkDate(_ date: DateLiteral) -> Bool {
    let civil = CivilDate(year: Int64(date.year), month: date.month, day: date.day)
    let valid = civil.isValid && date.year >= 1
    if !valid {
      report(
        Diagnostic(
          .invalidDate,
          LocalizedText("\(civil) is not a date", zh: "\(civil) 不是存在的日期"),
          at: date.span,
          help: LocalizedText(
            "months run from 01 to 12 and the day must exist in the month",
            zh: "月份为 01 到 12,日期必须在该月中存在")))
    }
    return valid
  }

  /// The valid dates among `dates`, sorted and without repeats.
  mutating func checkDates(_ dates: [DateLiteral]) -> [CivilDate] {
    var result = Set<CivilDate>()
    for date in dates where checkDate(date) {
      result.insert(CivilDate(year: Int64(date.year), month: date.month, day: date.day))
    }
    return result.sorted()
  }

  // MARK: - Lists

  /// A term list with exact repeats dropped and W0603 for terms that fold into earlier ones.
  mutating func finishTermList(_ draft: TermListDraft) -> CheckedTermList {
    var terms: [CheckedTerm] = []
    var seenExact: Set<String> = []
    var folded: [[UInt32]: (text: String, span: SourceSpan)] = [:]
    for term in draft.terms {
      for text in [term.term] + term.variants where !text.isEmpty {
        termCount += 1
        if termCount == PolicyLimits.maximumTerms + 1 {
          report(
            Diagnostic(
              .termLimitExceeded,
              LocalizedText(
                "the policy's lists hold more than \(PolicyLimits.maximumTerms) terms (list `\(draft.name)` crosses the limit)",
                zh: "策略的词表合计超过 \(PolicyLimits.maximumTerms) 个词条(词表 `\(draft.name)` 越过了上限)"),
              at: term.span,
              help: LocalizedText(
                "keep the lists to what the rules need", zh: "词表只保留规则需要的词")))
        }
        if termCount > PolicyLimits.maximumTerms { break }
        if text.unicodeScalars.count > PolicyLimits.maximumTermLength {
          report(
            Diagnostic(
              .termLimitExceeded,
              LocalizedText(
                "a term of list `\(draft.name)` is longer than \(PolicyLimits.maximumTermLength) characters",
                zh: "词表 `\(draft.name)` 中有词条超过 \(PolicyLimits.maximumTermLength) 个字符"),
              at: term.span,
              help: LocalizedText(
                "a term is a word or a short phrase; split long text into the words that matter",
                zh: "词条应是一个词或短语;把长文本拆成关键的词")))
          continue
        }
        let key = SemanticOracles.fold(text, under: normalization)
        if key.isEmpty {
          report(
            Diagnostic(
              .emptyEntry,
              LocalizedText(
                "`\(text)` is empty after normalization (list `\(draft.name)`)",
                zh: "`\(text)` 规范化后为空(词表 `\(draft.name)`)"),
              at: term.span,
              help: LocalizedText(
                "separators and marks are removed before matching; write a term with letters or digits",
                zh: "匹配前会去掉分隔符和标记;请写含文字或数字的词")))
          continue
        }
        if let first = folded[key] {
          report(
            Diagnostic(
              .foldedDuplicateTerm,
              text == first.text
                ? LocalizedText(
                  "`\(text)` is listed twice (list `\(draft.name)`)",
                  zh: "`\(text)` 重复出现(词表 `\(draft.name)`)")
                : LocalizedText(
                  "`\(text)` is the same as `\(first.text)` after normalization (list `\(draft.name)`)",
                  zh: "`\(text)` 规范化后与 `\(first.text)` 相同(词表 `\(draft.name)`)"),
              at: term.span,
              labels: [
                DiagnosticLabel(
                  first.span, LocalizedText("`\(first.text)` is here", zh: "`\(first.text)` 在此"))
              ],
              help: text == first.text
                ? LocalizedText("remove one of them", zh: "删去其中一个")
                : LocalizedText(
                  "matching ignores this difference; keep only one of them",
                  zh: "匹配时不区分这种差别;只保留其中一个")))
        } else {
          folded[key] = (text, term.span)
        }
      }
      if seenExact.insert(term.term).inserted { terms.append(term) }
    }
    var files: [String] = []
    for term in terms {
      if let path = wordListPaths[term.span.file], !files.contains(path) { files.append(path) }
    }
    return CheckedTermList(
      name: draft.name, title: draft.title, terms: terms, span: draft.span, files: files)
  }

  /// A domain list, lower-cased, with E0408 and E0412 for entries that are not host names.
  mutating func finishDomainList(_ draft: DomainListDraft) -> CheckedDomainList {
    var domains: [String] = []
    for literal in draft.domains {
      let host = literal.value.lowercased()
      if host.isEmpty {
        report(
          Diagnostic(
            .emptyEntry, LocalizedText("empty domain", zh: "空域名"), at: literal.span,
            help: LocalizedText("delete the empty string", zh: "删除空字符串")))
        continue
      }
      let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-.")
      let malformed =
        host.hasPrefix(".") || host.hasSuffix(".") || host.contains("..")
        || host.contains { !allowed.contains($0) && $0.isASCII }
      if malformed {
        let bare = bareHost(host)
        report(
          Diagnostic(
            .malformedDomain,
            LocalizedText("`\(literal.value)` is not a host name", zh: "`\(literal.value)` 不是主机名"),
            at: literal.span,
            help: bare.isEmpty
              ? LocalizedText("write a host such as `\"example.com\"`", zh: "写主机名,例如 `\"example.com\"`")
              : LocalizedText(
                "write only the host: `\"\(bare)\"` (it admits every subdomain)",
                zh: "只写主机名:`\"\(bare)\"`(其子域名也被允许)")))
        continue
      }
      if !domains.contains(host) { domains.append(host) }
    }
    return CheckedDomainList(name: draft.name, domains: domains, span: draft.span)
  }

  /// `https://www.x.com:80/a` → `www.x.com`, for the help line.
  private func bareHost(_ text: String) -> String {
    var rest = Substring(text)
    if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
    if let cut = rest.firstIndex(where: { "/:?# ".contains($0) }) { rest = rest[..<cut] }
    return rest.trimmingDots()
  }
}

extension Substring {
  fileprivate func trimmingDots() -> String {
    var s = self
    while s.hasPrefix(".") { s = s.dropFirst() }
    while s.hasSuffix(".") { s = s.dropLast() }
    return String(s)
  }
}
