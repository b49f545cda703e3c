// Rules, severities and escalations: every rule has a clause, a body and (unless manual) a
// severity; conditions are resolved and analysed for contradictions, so that a rule that can
// never fire is reported.

import PolicyLangCore
import PolicyLangText

/// Whether a condition holds for every message, for none, or depends on the message.
enum Truth {
  case always, never, maybe
}

/// What the analysis knows about a resolved condition.
struct ConditionFacts {
  var truth: Truth = .maybe
  /// `from` atoms that must all hold (conjunctive).
  var senders: [SenderSpec] = []
  /// The strongest `length at least` and `length at most` that must hold.
  var atLeast: (chars: Int, span: SourceSpan)?
  var atMost: (chars: Int, span: SourceSpan)?
  /// Why the condition is never true, for the E0506 report.
  var reason: (note: LocalizedText, labels: [DiagnosticLabel])?
}

extension Checker {
  /// Conditions nested deeper than this are refused (the parser stops at 64 already).
  static let maximumConditionDepth = 100

  /// The attachment types of io.md.
  static let attachmentTypes = ["image", "file", "link", "card", "video", "qr_code"]

  // MARK: - Severities and escalations

  mutating func resolveSeverity(_ decl: SeverityDecl) -> CheckedSeverity {
    if decl.sanction == nil {
      report(
        Diagnostic(
          .severityWithoutSanction,
          LocalizedText(
            "severity `\(decl.name.name)` has no sanction", zh: "处罚等级 `\(decl.name.name)` 没有处罚措施"),
          at: decl.name.span,
          help: LocalizedText(
            "say what the platform does: `severity \(decl.name.name) sanction \"警告\"`",
            zh: "写明平台的处罚:`severity \(decl.name.name) sanction \"警告\"`")))
    }
    let clause = decl.clause.flatMap { lookupClause($0) }
    return CheckedSeverity(
      name: decl.name.name, title: decl.title?.value, sanction: decl.sanction?.value ?? "",
      clause: clause, span: decl.span)
  }

  mutating func resolveEscalation(_ decl: EscalationDecl) -> CheckedEscalation? {
    let count = count(decl.count, atLeast: 1)
    let from = lookupSeverity(decl.from)
    let window = duration(decl.window)
    let to = lookupSeverity(decl.to)
    let clause = decl.clause.flatMap { lookupClause($0) }
    guard let from, let to else { return nil }
    if from >= to {
      report(
        Diagnostic(
          .escalationNotUpward,
          LocalizedText(
            "escalation from `\(decl.from.name)` to `\(decl.to.name)` does not go to a more severe level",
            zh: "从 `\(decl.from.name)` 升级到 `\(decl.to.name)` 没有升到更重的等级"),
          at: decl.to.span,
          labels: [
            DiagnosticLabel(
              severities[from].name.span,
              LocalizedText("`\(decl.from.name)` is declared here", zh: "`\(decl.from.name)` 声明于此")),
            DiagnosticLabel(
              severities[to].name.span,
              LocalizedText("`\(decl.to.name)` is declared here", zh: "`\(decl.to.name)` 声明于此")),
          ],
          help: LocalizedText(
            "severities are ordered as declared, least severe first; escalate to a later one",
            zh: "处罚等级按声明顺序由轻到重;请升级到声明在后的等级")))
    }
    return CheckedEscalation(
      count: count ?? 1, from: from, to: to, windowSeconds: window ?? 1, clause: clause, span: decl.span)
  }

  // MARK: - Rules

  mutating func resolveRule(_ decl: RuleDecl) -> CheckedRule {
    var clause = 0
    // A syntax error inside the rule may be why a part is missing: the parser said so already.
    let broken = hasSyntaxError(in: decl.span)
    if let ref = decl.clause {
      clause = lookupClause(ref) ?? 0
    } else if !broken {
      report(
        Diagnostic(
          .missingRuleClause,
          LocalizedText("rule `\(decl.name.name)` cites no clause", zh: "规则 `\(decl.name.name)` 没有引用条款"),
          at: decl.name.span,
          help: LocalizedText(
            "add a line `clause ID` naming the clause of the catalog it enforces",
            zh: "加一行 `clause 条款号`,指明它执行的目录条款")))
    }
    var isManual = false
    if case .manual = decl.body { isManual = true }
    var severity: Int?
    if isManual, let written = decl.severity {
      report(
        Diagnostic(
          .manualRuleWithSeverity,
          LocalizedText(
            "manual rule `\(decl.name.name)` gives no verdicts, so its severity has no effect",
            zh: "人工规则 `\(decl.name.name)` 不产生判定,其处罚等级没有作用"),
          at: written.span,
          help: LocalizedText("remove the `severity` line", zh: "删除 `severity` 行")))
    } else if !isManual && decl.body != nil {
      if let written = decl.severity {
        severity = lookupSeverity(written) ?? 0
      } else if !broken {
        report(
          Diagnostic(
            .missingRuleSeverity,
            LocalizedText("rule `\(decl.name.name)` has no severity", zh: "规则 `\(decl.name.name)` 没有处罚等级"),
            at: decl.name.span,
            help: severities.first.map {
              LocalizedText(
                "add a line such as `severity \($0.name.name)`", zh: "加一行,例如 `severity \($0.name.name)`")
            }
              ?? LocalizedText(
                "declare a severity (`severity minor sanction \"警告\"`) and add `severity minor` to the rule",
                zh: "先声明处罚等级(`severity minor sanction \"警告\"`),再在规则中加 `severity minor`")))
        severity = 0
      }
    }
    let body: CheckedRuleBody
    if let written = decl.body {
      body = resolveBody(written, rule: decl)
    } else if broken {
      body = .manual(note: nil)
    } else {
      report(
        Diagnostic(
          .missingRuleBody,
          LocalizedText("rule `\(decl.name.name)` has no body", zh: "规则 `\(decl.name.name)` 没有规则体"),
          at: decl.name.span,
          help: LocalizedText(
            "say what it checks (`when message ...`, `every ... expect ...`, `rate of ...`), "
              + "or `manual \"why\"`",
            zh: "写出它检查的内容(`when message ...`、`every ... expect ...`、`rate of ...`),或 `manual \"原因\"`")))
      body = .manual(note: nil)
    }
    return CheckedRule(
      name: decl.name.name, title: decl.title?.value ?? "", clause: clause, severity: severity,
      body: body, span: decl.span)
  }

  private mutating func resolveBody(_ body: RuleBody, rule: RuleDecl) -> CheckedRuleBody {
    switch body {
    case .message(let b):
      return .message(firingCondition(b.condition, rule: rule))
    case .obligation(let b):
      let trigger: CheckedTrigger
      switch b.trigger {
      case .message(let condition, _): trigger = .message(firingCondition(condition, rule: rule))
      case .event(let names, _): trigger = .event(names.map(\.name))
      }
      let during = b.during.flatMap { lookup($0, as: .hours) }
      let response: CheckedResponse
      switch b.response {
      case .reply(let kind, _): response = .reply(kind)
      case .event(let names, _): response = .event(names.map(\.name))
      case .anyOf(let alternatives, _):
        // Any seller message answers when `reply` is among them, only a human one when only
        // `human reply` is.
        var kind: ReplyKind?
        var events: [String] = []
        for alternative in alternatives {
          switch alternative {
          case .reply(let k, _): kind = kind == .any || k == .any ? .any : k
          case .event(let names, _): events += names.map(\.name).filter { !events.contains($0) }
          case .anyOf: break
          }
        }
        if let kind {
          response = events.isEmpty ? .reply(kind) : .replyOrEvent(kind, events)
        } else {
          response = .event(events)
        }
      }
      var limits = [CheckedLimit(seconds: duration(b.limit) ?? 1, ifDuring: nil)]
      for conditional in b.conditionalLimits {
        let seconds = duration(conditional.limit) ?? 1
        limits.append(CheckedLimit(seconds: seconds, ifDuring: lookup(conditional.hours, as: .hours)))
      }
      let counting = b.countingOnly.flatMap { lookup($0, as: .hours) }
      return .obligation(
        CheckedObligation(
          trigger: trigger, during: during, response: response, limits: limits, countingOnly: counting))
    case .burst(let b):
      let count = count(b.count, atLeast: 0) ?? 0
      let window = duration(b.window) ?? 1
      let sameSender =
        b.sender.role == b.breaker.role
        && !Set([b.sender.kind, b.breaker.kind]).isSuperset(of: [.human, .auto])
      if sameSender {
        report(
          Diagnostic(
            .ruleNeverFires,
            LocalizedText("rule `\(rule.name.name)` can never fire", zh: "规则 `\(rule.name.name)` 永远不会触发"),
            at: b.breaker.span,
            labels: [DiagnosticLabel(b.sender.span, LocalizedText("counted messages", zh: "被计数的消息"))],
            notes: [
              LocalizedText(
                "every counted message is also a message that resets the count",
                zh: "每条被计数的消息同时也会重置计数")
            ],
            help: LocalizedText(
              "the message that resets the count usually comes from the other side: "
                + "`without message from buyer`",
              zh: "重置计数的通常是另一方的消息:`without message from buyer`")))
      }
      return .burst(
        CheckedBurst(
          count: count, sender: SenderSpecValue(role: b.sender.role, kind: b.sender.kind),
          windowSeconds: window, breaker: SenderSpecValue(role: b.breaker.role, kind: b.breaker.kind)))
    case .afterStop(let b):
      let condition = firingCondition(b.condition, rule: rule)
      let stopList = lookup(b.stopList, as: .terms) ?? 0
      var allowance: CheckedAllowance?
      if let a = b.allowance {
        allowance = CheckedAllowance(
          windowSeconds: duration(a.window) ?? 1, maxLength: a.maxLength.flatMap { length($0) },
          containing: a.containing.flatMap { lookup($0, as: .terms) },
          notContaining: a.notContaining.flatMap { lookup($0, as: .terms) })
      }
      return .afterStop(CheckedAfterStop(condition: condition, stopList: stopList, allowance: allowance))
    case .rate(let b):
      if let ratio = resolveRatio(b) { return .ratio(ratio) }
      guard case .rule(let name) = b.of, case .unit(let unit) = b.per else { return .manual(note: nil) }
      var of = 0
      if let target = lookupRule(name) {
        of = target
        var isObligation = false
        if case .obligation = rules[target].decl.body { isObligation = true }
        if !isObligation {
          report(
            Diagnostic(
              .rateOfNonObligation,
              LocalizedText(
                "`rate of \(name.name)`: `\(name.name)` is not an obligation rule",
                zh: "`rate of \(name.name)`:`\(name.name)` 不是时限类规则"),
              at: name.span,
              labels: [
                DiagnosticLabel(rules[target].decl.name.span, LocalizedText("declared here", zh: "声明于此"))
              ],
              help: LocalizedText(
                "a rate counts the obligations of an `every ... expect ... within ...` rule, or (a count"
                  + " ratio) the messages a message rule gives a verdict on; name one",
                zh: "比率统计的是 `every ... expect ... within ...` 规则的义务,或(计数比率)消息规则判定的消息;"
                  + "请指向这样的规则")))
        }
      }
      let period: CheckedPeriod
      switch b.period {
      case .day: period = .day
      case .month: period = .month
      case .rolling(let value): period = .rolling(seconds: duration(value) ?? 1)
      case .last(let value): period = .last(days: slidingDays(value, unit: unit))
      }
      let during = b.during.flatMap { lookup($0, as: .hours) }
      let threshold = percent(b.threshold) ?? 0
      checkThreshold(b.comparison, threshold, b.threshold)
      let minimum = b.minimum.flatMap { count($0, atLeast: 0) }
      return .rate(
        CheckedRate(
          of: of, unit: unit, period: period, during: during, comparison: b.comparison,
          thresholdMillionths: threshold, minimum: minimum))
    case .manual(let b):
      return .manual(note: b.note?.value)
    }
  }

  /// A count ratio (`rate of X per Y`: X a message rule or a happening, Y a happening; `per
  /// message` is any message), or nil for a pass rate (`rate of` an obligation rule, or a rule
  /// that is neither: E0507 follows). Units other than events are E0521.
  mutating func resolveRatio(_ b: RateBody) -> CheckedRatio? {
    let count: CheckedRatioCount
    switch b.of {
    case .happening(let h):
      count = .happening(resolveHappening(h, depth: 0))
    case .rule(let name):
      let target = ruleIndex[name.name].flatMap { rules.indices.contains($0) ? $0 : nil }
      var isMessageRule = false
      if let target {
        switch rules[target].decl.body {
        case .message, .afterStop, .burst: isMessageRule = true
        default: break
        }
      }
      if let target, isMessageRule {
        _ = lookupRule(name)  // records the use, for editors
        count = .rule(target)
      } else {
        // Divided by a unit: a pass rate, which the caller checks (E0301, E0507 there).
        guard case .happening(let h) = b.per else { return nil }
        if let target, case .obligation = rules[target].decl.body {
          report(
            ratioUnit(
              h.span, "`rate of \(name.name)` counts obligations: it divides by a unit, not by events",
              zh: "`rate of \(name.name)` 统计的是义务:应除以单位,而不是事件"))
        } else if let target = lookupRule(name) {
          report(
            Diagnostic(
              .rateOfNonObligation,
              LocalizedText(
                "`rate of \(name.name)`: `\(name.name)` is neither a message rule nor an obligation rule",
                zh: "`rate of \(name.name)`:`\(name.name)` 既不是消息规则也不是时限类规则"),
              at: name.span,
              labels: [
                DiagnosticLabel(rules[target].decl.name.span, LocalizedText("declared here", zh: "声明于此"))
              ],
              help: LocalizedText(
                "a count ratio counts the messages a message rule gives a verdict on, or events",
                zh: "计数比率统计消息规则判定的消息,或事件")))
        }
        return nil
      }
    }
    let per: CheckedHappening
    switch b.per {
    case .happening(let h): per = resolveHappening(h, depth: 0)
    case .unit(.message): per = .message(.constant(true))
    case .unit(let unit):
      report(
        ratioUnit(
          b.span, "`per \(unit.rawValue)` is a unit of obligations; a count ratio divides by events",
          zh: "`per \(unit.rawValue)` 是义务的单位;计数比率只能除以事件"))
      per = .message(.constant(true))
    }
    let period: CheckedPeriod
    switch b.period {
    case .day: period = .day
    case .month: period = .month
    case .rolling(let value): period = .rolling(seconds: duration(value) ?? 1)
    case .last(let value): period = .last(days: slidingDays(value, unit: .message))
    }
    let during = b.during.flatMap { lookup($0, as: .hours) }
    // A ratio may exceed 1: `at most 150%` is a threshold.
    let threshold = number(b.threshold, .percent) ?? 0
    checkThreshold(b.comparison, threshold, b.threshold, ratio: true)
    let minimum = b.minimum.flatMap { self.count($0, atLeast: 0) }
    return CheckedRatio(
      count: count, per: per,
      rate: CheckedRate(
        of: 0, unit: .message, period: period, during: during, comparison: b.comparison,
        thresholdMillionths: threshold, minimum: minimum))
  }

  func ratioUnit(_ span: SourceSpan, _ english: String, zh: String) -> Diagnostic {
    Diagnostic(
      .ratioUnit, LocalizedText(english, zh: zh), at: span,
      help: LocalizedText(
        "a count ratio is `rate of X per Y` with Y events (`per event order_placed`, `per message from "
          + "seller`); `buyer day` and `conversation` are units of an obligation rule's obligations",
        zh: "计数比率写作 `rate of X per Y`,Y 为事件(`per event order_placed`、`per message from seller`);"
          + "`buyer day` 与 `conversation` 是时限规则义务的单位"))
  }

  /// The longest sliding window, in days: a day's units count in this many windows.
  static let maximumSlidingDays = 366

  /// The days of `over last D` (E0522 when D is not whole days or the units cannot slide; E0410
  /// past `maximumSlidingDays`); 1 after an error.
  mutating func slidingDays(_ value: ValueExpr, unit: RateUnit) -> Int {
    if unit == .conversation {
      report(
        Diagnostic(
          .rateWindowCannotSlide,
          LocalizedText(
            "`per conversation` cannot slide: a conversation may span several windows",
            zh: "`per conversation` 不能滑动:一个会话可能跨越多个窗口"),
          at: value.span,
          help: LocalizedText(
            "count `per message` or `per buyer day`, or cut time into spans with `over rolling D`",
            zh: "改为 `per message` 或 `per buyer day`,或用 `over rolling D` 切分时间")))
    }
    guard let seconds = duration(value) else { return 1 }
    guard seconds % 86400 == 0 else {
      report(
        Diagnostic(
          .rateWindowCannotSlide,
          LocalizedText(
            "a sliding window is whole days, found \(Self.spelled(seconds))",
            zh: "滑动窗口必须是整天数,实际为 \(Self.spelled(seconds))"),
          at: value.span,
          help: LocalizedText(
            "write whole days, such as `over last 7d`", zh: "请写整天数,例如 `over last 7d`")))
      return 1
    }
    let days = seconds / 86400
    guard days <= Int64(Self.maximumSlidingDays) else {
      report(
        Diagnostic(
          .valueOutOfRange,
          LocalizedText(
            "a sliding window is at most \(Self.maximumSlidingDays) days, found \(days)",
            zh: "滑动窗口最多 \(Self.maximumSlidingDays) 天,实际为 \(days) 天"),
          at: value.span,
          help: LocalizedText(
            "judge longer spans with `over month` or `over rolling D`",
            zh: "更长的区间请用 `over month` 或 `over rolling D`")))
      return Self.maximumSlidingDays
    }
    return Int(days)
  }

  /// A duration as the largest units spell it: `1d12h`, `90s` is `1m30s`.
  static func spelled(_ seconds: Int64) -> String {
    var rest = seconds
    var out = ""
    for (unit, size) in [("d", Int64(86400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
      out += "\(rest / size)\(unit)"
      rest %= size
    }
    return out.isEmpty ? "0s" : out
  }

  /// Reports a threshold no period can meet (`more than 100%`, `less than 0%`): every period with
  /// units would be a verdict.
  mutating func checkThreshold(
    _ comparison: RateComparison, _ millionths: Int64, _ value: ValueExpr, ratio: Bool = false
  ) {
    // A count ratio may exceed 1, so only `less than 0%` is impossible for it.
    let impossible =
      (comparison == .moreThan && millionths >= 1_000_000 && !ratio)
      || (comparison == .lessThan && millionths <= 0)
    guard impossible else { return }
    report(
      Diagnostic(
        .valueOutOfRange,
        LocalizedText(
          "no share is `\(comparison.rawValue)` this: every period would fall short",
          zh: "没有比例能满足 `\(comparison.rawValue)` 该值:每个周期都会不达标"),
        at: value.span,
        help: LocalizedText(
          "a share lies from 0% to 100%: `more than` needs less than 100%, `less than` more than 0%",
          zh: "比例在 0% 到 100% 之间:`more than` 需小于 100%,`less than` 需大于 0%")))
  }

  /// Resolves a rule's condition and reports E0506 when it can never hold.
  private mutating func firingCondition(_ condition: Condition, rule: RuleDecl) -> CheckedCondition {
    let (checked, facts) = resolveCondition(condition, depth: 0)
    if facts.truth == .never {
      var diagnostic = Diagnostic(
        .ruleNeverFires,
        LocalizedText("rule `\(rule.name.name)` can never fire", zh: "规则 `\(rule.name.name)` 永远不会触发"),
        at: condition.span,
        help: LocalizedText(
          "remove the contradiction; use `or` where either one is meant",
          zh: "去掉矛盾的部分;若指其中任一个,请用 `or`"))
      if let reason = facts.reason {
        diagnostic.labels = reason.labels
        diagnostic.notes = [reason.note]
      }
      report(diagnostic)
    }
    return checked
  }

  // MARK: - Conditions

  /// Resolves names and values of a condition and works out whether it can hold.
  mutating func resolveCondition(_ condition: Condition, depth: Int) -> (CheckedCondition, ConditionFacts) {
    guard depth < Self.maximumConditionDepth else {
      report(
        Diagnostic(
          .conditionTooDeep,
          LocalizedText("condition nested too deeply", zh: "条件嵌套过深"), at: condition.span,
          help: LocalizedText("flatten it with `and` / `or` lists", zh: "用 `and` / `or` 把条件展平")))
      return (.constant(false), ConditionFacts())
    }
    var facts = ConditionFacts()
    switch condition {
    case .and(let children, _):
      var parts: [CheckedCondition] = []
      var allAlways = true
      for child in children {
        let (part, f) = resolveCondition(child, depth: depth + 1)
        parts.append(part)
        if f.truth == .never && facts.truth != .never {
          facts.truth = .never
          facts.reason = f.reason
        }
        if f.truth != .always { allAlways = false }
        facts.senders += f.senders
        if let low = f.atLeast, low.chars > (facts.atLeast?.chars ?? -1) { facts.atLeast = low }
        if let high = f.atMost, high.chars < (facts.atMost?.chars ?? Int.max) { facts.atMost = high }
      }
      if facts.truth != .never, let conflict = Self.senderConflict(facts.senders) {
        facts.truth = .never
        facts.reason = conflict
      }
      if facts.truth != .never, let low = facts.atLeast, let high = facts.atMost, low.chars > high.chars {
        facts.truth = .never
        facts.reason = (
          LocalizedText(
            "no text is at least \(low.chars) and at most \(high.chars) characters long",
            zh: "没有文本能同时至少 \(low.chars) 个字符且至多 \(high.chars) 个字符"),
          [
            DiagnosticLabel(low.span, LocalizedText("at least \(low.chars)", zh: "至少 \(low.chars)")),
            DiagnosticLabel(high.span, LocalizedText("at most \(high.chars)", zh: "至多 \(high.chars)")),
          ]
        )
      }
      if facts.truth == .maybe && allAlways { facts.truth = .always }
      return (.and(parts), facts)
    case .or(let children, _):
      var parts: [CheckedCondition] = []
      var allNever = true
      var anyAlways = false
      var firstReason: (note: LocalizedText, labels: [DiagnosticLabel])?
      for child in children {
        let (part, f) = resolveCondition(child, depth: depth + 1)
        parts.append(part)
        if f.truth != .never { allNever = false } else if firstReason == nil { firstReason = f.reason }
        if f.truth == .always { anyAlways = true }
      }
      facts.truth = anyAlways ? .always : (allNever && !children.isEmpty ? .never : .maybe)
      if facts.truth == .never { facts.reason = firstReason }
      return (.or(parts), facts)
    case .not(let inner, let span):
      let (part, f) = resolveCondition(inner, depth: depth + 1)
      switch f.truth {
      case .always:
        facts.truth = .never
        facts.reason = (
          LocalizedText("`not` of a condition that always holds never holds", zh: "对恒真条件取 `not` 恒为假"),
          [DiagnosticLabel(span, LocalizedText("always false", zh: "恒为假"))]
        )
      case .never: facts.truth = .always
      case .maybe: break
      }
      return (.not(part), facts)
    case .from(let spec):
      facts.senders = [spec]
      return (.from(spec.role, spec.kind), facts)
    case .containsAny(let list, _):
      return (.containsAny(list: lookup(list, as: .terms) ?? 0), facts)
    case .containsTerm(let term, _):
      if term.value.isEmpty {
        report(
          Diagnostic(
            .emptyEntry, LocalizedText("empty term", zh: "空词"), at: term.span,
            help: LocalizedText("write the word to look for", zh: "写出要查找的词")))
      }
      return (.containsTerm(term.value), facts)
    case .containsAtLeast(let count, let list, _):
      let n = self.count(count, atLeast: 1) ?? 1
      return (.containsAtLeast(count: n, list: lookup(list, as: .terms) ?? 0), facts)
    case .detector(let kind, let allowed, _):
      return (.detector(kind, allowed: allowed.flatMap { lookup($0, as: .domains) }), facts)
    case .near(let list, let distance, _):
      let index = lookup(list, as: .terms) ?? 0
      return (.near(list: index, distance: length(distance) ?? 0), facts)
    case .phoneIn(let regions, _):
      // The parser let only known plans through.
      return (.phones(regions: Set(regions.compactMap { PhoneRegion(rawValue: $0.name) }).sorted()), facts)
    case .nearWords(let list, let other, let distance, _):
      let first = lookup(list, as: .terms) ?? 0
      let second = lookup(other, as: .terms) ?? 0
      return (.nearWords(list: first, other: second, distance: length(distance) ?? 0), facts)
    case .matches(let pattern, _):
      _ = checkPattern(pattern)
      return (.matches(pattern.value), facts)
    case .matchesNamed(let name, _):
      guard let index = lookup(name, as: .pattern), patternDecls.indices.contains(index) else {
        return (.matches("", name: name.name), facts)
      }
      return (.matches(patternDecls[index].pattern.value, name: name.name), facts)
    case .length(let atMost, let value, let span):
      let n = length(value) ?? 1
      if atMost {
        facts.atMost = (n, span)
        if n == 0 {
          facts.truth = .never
          facts.reason = (
            LocalizedText(
              "`length at most 0 chars` asks for a text with no characters; text conditions apply to text",
              zh: "`length at most 0 chars` 要求没有字符的文本;文本条件只适用于有文本的消息"),
            [DiagnosticLabel(span, LocalizedText("never holds", zh: "恒不成立"))]
          )
        }
      } else {
        facts.atLeast = (n, span)
        if n == 0 { facts.truth = .always }
      }
      return (.length(atMost: atMost, n), facts)
    case .hasAttachment(let type, _):
      if let type, !Self.attachmentTypes.contains(type.name) {
        report(unknownAttachment(type))
      }
      return (.hasAttachment(type: type?.name), facts)
    case .attachmentOfType(let type, let negated, let fileTypes, _):
      if let type, !Self.attachmentTypes.contains(type.name) {
        report(unknownAttachment(type))
      }
      var checked: [String] = []
      for fileType in fileTypes {
        guard let normalized = FileType.normalized(fileType.value) else {
          report(
            Diagnostic(
              .unknownAttachmentType,
              LocalizedText(
                "`\(fileType.value)` is neither an extension nor a media type",
                zh: "`\(fileType.value)` 既不是扩展名也不是媒体类型"),
              at: fileType.span,
              help: LocalizedText(
                "write an extension with its dot (`\".pdf\"`) or a media type (`\"application/pdf\"`, "
                  + "`\"image/*\"`)",
                zh: "写带点的扩展名(`\".pdf\"`)或媒体类型(`\"application/pdf\"`、`\"image/*\"`)")))
          continue
        }
        if !checked.contains(normalized) { checked.append(normalized) }
      }
      return (.attachmentOfType(type: type?.name, negated: negated, fileTypes: checked), facts)
    case .history(let h):
      return (.history(resolveHistory(h, depth: depth)), facts)
    case .conversation(let word):
      return resolveConversationWord(word)
    }
  }

  /// A conversation word as the history condition it stands for (Grammar.md 6.4): `after D
  /// idle` is `not within D after any event`; `unanswered` is `after message from buyer without
  /// message from seller`; `proactive` is `from seller and not after message from buyer`;
  /// `answered within D` is `from seller and within D after first message from buyer without
  /// message from seller`.
  mutating func resolveConversationWord(_ word: ConversationWord) -> (CheckedCondition, ConditionFacts) {
    var facts = ConditionFacts()
    let buyer = CheckedHappening.message(.from(.buyer, .any))
    let seller = CheckedHappening.message(.from(.seller, .any))
    switch word {
    case .idle(let value, _):
      let active = CheckedHistory(
        kind: .within(seconds: nonNegativeDuration(value)), happening: .anyEvent, without: nil)
      return (.not(.history(active)), facts)
    case .unanswered:
      return (.history(CheckedHistory(kind: .after, happening: buyer, without: seller)), facts)
    case .proactive(let span):
      facts.senders = [SenderSpec(role: .seller, kind: .any, span: span)]
      let afterBuyer = CheckedHistory(kind: .after, happening: buyer, without: nil)
      return (.and([.from(.seller, .any), .not(.history(afterBuyer))]), facts)
    case .answered(let value, let span):
      facts.senders = [SenderSpec(role: .seller, kind: .any, span: span)]
      let seconds = duration(value) ?? 1
      let first = CheckedHistory(
        kind: .within(seconds: seconds), first: true, happening: buyer, without: seller)
      return (.and([.from(.seller, .any), .history(first)]), facts)
    }
  }

  /// A duration that may be zero (`after 0s idle`: any gap at all).
  mutating func nonNegativeDuration(_ expr: ValueExpr) -> Int64 {
    number(expr, .duration) ?? 0
  }

  /// The largest count a history condition may name: a count within a window keeps that many
  /// times per conversation.
  static let maximumHistoryCount = 1000

  /// Resolves a history condition: its values, and its happenings' conditions (one level deeper).
  mutating func resolveHistory(_ h: HistoryCondition, depth: Int) -> CheckedHistory {
    let kind: CheckedHistoryKind
    switch h.kind {
    case .after: kind = .after
    case .within(let value): kind = .within(seconds: duration(value) ?? 1)
    case .moreThan(let value): kind = .moreThan(seconds: duration(value) ?? 1)
    case .count(let comparison, let value, let window):
      var n = count(value, atLeast: 0) ?? 0
      if n > Self.maximumHistoryCount {
        report(
          Diagnostic(
            .valueOutOfRange,
            LocalizedText(
              "a history count is at most \(Self.maximumHistoryCount), found \(n)",
              zh: "历史计数最多为 \(Self.maximumHistoryCount),实际为 \(n)"),
            at: value.span,
            help: LocalizedText(
              "count fewer events, or judge the volume with a rate (`rate of ... per ...`)",
              zh: "减少计数,或用比率(`rate of ... per ...`)判断数量")))
        n = Self.maximumHistoryCount
      }
      kind = .count(comparison, n, withinSeconds: window.flatMap { duration($0) })
    }
    return CheckedHistory(
      kind: kind, first: h.first, happening: resolveHappening(h.happening, depth: depth),
      without: h.without.map { resolveHappening($0, depth: depth) })
  }

  mutating func resolveHappening(_ happening: Happening, depth: Int) -> CheckedHappening {
    switch happening {
    case .message(let condition, _, _):
      guard let condition else { return .message(.constant(true)) }
      return .message(resolveCondition(condition, depth: depth + 1).0)
    case .event(let names, _, _):
      return .event(names.map(\.name))
    }
  }

  func unknownAttachment(_ type: Identifier) -> Diagnostic {
    let diagnostic = Diagnostic(
      .unknownAttachmentType,
      LocalizedText("unknown attachment type `\(type.name)`", zh: "未知附件类型 `\(type.name)`"),
      at: type.span,
      help: LocalizedText(
        "the types are `image`, `file`, `link`, `card`, `video` and `qr_code`",
        zh: "附件类型为 `image`、`file`、`link`、`card`、`video` 和 `qr_code`"))
    let near = Suggest.nearest(to: type.name, among: Self.attachmentTypes)
    return near.map { diagnostic.suggesting($0) } ?? diagnostic
  }

  /// The first pair of `from` atoms that no one message can satisfy together.
  static func senderConflict(_ senders: [SenderSpec]) -> (note: LocalizedText, labels: [DiagnosticLabel])? {
    for (i, a) in senders.enumerated() {
      for b in senders[(i + 1)...] {
        let kinds = Set([a.kind, b.kind])
        guard a.role != b.role || kinds.isSuperset(of: [.human, .auto]) else { continue }
        let left = describe(a)
        let right = describe(b)
        return (
          LocalizedText(
            "a message has one sender: it cannot be both `from \(left)` and `from \(right)`",
            zh: "一条消息只有一个发送者:不能既是 `from \(left)` 又是 `from \(right)`"),
          [
            DiagnosticLabel(a.span, LocalizedText("`from \(left)`", zh: "`from \(left)`")),
            DiagnosticLabel(b.span, LocalizedText("contradicts this", zh: "与此矛盾")),
          ]
        )
      }
    }
    return nil
  }

  private static func describe(_ spec: SenderSpec) -> String {
    spec.kind == .any ? spec.role.rawValue : "\(spec.kind.rawValue) \(spec.role.rawValue)"
  }

  /// Whether the parser reported an error inside `span`.
  func hasSyntaxError(in span: SourceSpan) -> Bool {
    loaded.diagnostics.items.contains { d in
      guard d.severity == .error, let at = d.span else { return false }
      return at.file == span.file && at.start >= span.start && at.start <= span.end
    }
  }
}
