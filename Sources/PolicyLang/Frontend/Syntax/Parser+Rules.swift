// Rules and their bodies (Grammar.md section 3).

import PolicyLangCore

extension Parser {
  /// What a rule block has collected so far.
  struct RuleItems {
    var clause: ClauseRef?
    var severity: Identifier?
    var body: RuleBody?
    var tests: [TestDecl] = []
  }

  /// ```ebnf
  /// RuleDecl = [ "override" ] "rule" Ident String "{" { RuleItem } "}" .
  /// ```
  /// A missing title is reported (E0208) and the rule read on. Recovery inside the block: `}` or
  /// the next rule item keyword at the start of a line; a declaration keyword at the start of a
  /// line ends the block (reported as unclosed).
  mutating func parseRuleDecl(isOverride: Bool, start: Int) -> RuleDecl? {
    advance()  // rule
    guard let name = expectName() else { return nil }
    var title: StringLiteral?
    if let string = eat(.string) {
      title = stringLiteral(string)
    } else if at(.leftBrace) {
      error(
        .missingTitle,
        LocalizedText("rule `\(name.name)` has no title", zh: "规则 `\(name.name)` 缺少标题"),
        at: current.span,
        help: LocalizedText(
          "write the rule's title before `{`: `rule \(name.name) \"...\" {`",
          zh: "在 `{` 之前写出规则标题:`rule \(name.name) \"...\" {`"))
    } else {
      errorExpected()
      return nil
    }
    guard let open = expectBlockOpen() else { return nil }
    var items = RuleItems()
    var progress = Progress()
    var closed = false
    while !atEOF && !endsBlock(current, in: .rule) {
      if at(.rightBrace) {
        advance()
        closed = true
        break
      }
      if !progress.advanced(self) { advance() }
      if !parseRuleItem(into: &items) { synchronize(.rule) }
    }
    if !closed {
      reportUnclosed(open, what: LocalizedText("rule `\(name.name)`", zh: "规则 `\(name.name)`"))
    }
    return RuleDecl(
      isOverride: isOverride, name: name, title: title, clause: items.clause,
      severity: items.severity, body: items.body, tests: items.tests, span: span(from: start))
  }

  /// ```ebnf
  /// RuleItem = "clause" ClauseId
  ///          | "severity" Ident
  ///          | RuleBody
  ///          | TestDecl .
  /// RuleBody = MessageBody | AfterStopBody | BurstBody | ObligationBody | RateBody | ManualBody .
  /// ```
  /// A second `clause`, `severity` or body is reported (E0206); the first one is kept.
  mutating func parseRuleItem(into items: inout RuleItems) -> Bool {
    let keyword = current.kind == .identifier ? current.keyword : nil
    switch keyword {
    case .clause?:
      let token = advance()
      skipMisplacedEqual(after: token)
      guard let id = expectClauseID() else { return false }
      if items.clause != nil {
        reportDuplicate(token, LocalizedText("`clause`", zh: "`clause`"))
      } else {
        items.clause = id
      }
    case .severity?:
      let token = advance()
      skipMisplacedEqual(after: token)
      guard let name = expectName() else { return false }
      if items.severity != nil {
        reportDuplicate(token, LocalizedText("`severity`", zh: "`severity`"))
      } else {
        items.severity = name
      }
    case .test?:
      guard let test = parseTestDecl() else { return false }
      items.tests.append(test)
    case .when?, .every?, .rate?, .manual?:
      let first = current
      guard let body = parseRuleBody() else { return false }
      if items.body != nil {
        reportDuplicate(
          first, LocalizedText("body", zh: "规则体"),
          help: LocalizedText(
            "a rule has one body: combine conditions with `or`, or write a second rule",
            zh: "一条规则只有一个规则体:用 `or` 合并条件,或另写一条规则"))
      } else {
        items.body = body
      }
    default:
      errorExpected(["clause", "severity", "when", "every", "rate", "manual", "test", "}"].map(Self.quoted))
      return false
    }
    return true
  }

  mutating func reportDuplicate(_ token: Token, _ what: LocalizedText, help: LocalizedText? = nil) {
    error(
      .duplicateItem,
      LocalizedText("this rule already has a \(what.english)", zh: "这条规则已经有\(what.chinese)"),
      at: token.span,
      help: help ?? LocalizedText("remove one of them", zh: "删除其中一个"))
  }

  /// Dispatches on the first words of a body.
  mutating func parseRuleBody() -> RuleBody? {
    let start = currentStart
    if at(.every) { return parseObligationBody().map(RuleBody.obligation) }
    if at(.rate) { return parseRateBody().map(RuleBody.rate) }
    if at(.manual) {
      advance()
      let note = eat(.string).map(stringLiteral)
      return .manual(ManualBody(note: note, span: span(from: start)))
    }
    advance()  // when
    if at(.more) { return parseBurstBody(start: start).map(RuleBody.burst) }
    return parseMessageBody(start: start)
  }

  /// ```ebnf
  /// MessageBody   = "when" "message" Condition .
  /// AfterStopBody = "when" "message" Condition "after" "buyer" "says" "any" Ident [ Allowance ] .
  /// ```
  mutating func parseMessageBody(start: Int) -> RuleBody? {
    guard
      expect(
        .message,
        help: LocalizedText(
          "a message rule reads `when message CONDITION`; a burst `when more than N messages ...`",
          zh: "消息规则写作 `when message 条件`;频繁消息写作 `when more than N messages ...`"))
        != nil
    else {
      return nil
    }
    guard let condition = parseCondition() else { return nil }
    guard eat(.after) != nil else {
      return .message(MessageBody(condition: condition, span: span(from: start)))
    }
    guard expect(.buyer) != nil, expect(.says) != nil, expect(.any) != nil,
      let list = expectName()
    else { return nil }
    var allowance: Allowance?
    if at(.allow) {
      guard let parsed = parseAllowance() else { return nil }
      allowance = parsed
    }
    return .afterStop(
      AfterStopBody(condition: condition, stopList: list, allowance: allowance, span: span(from: start)))
  }

  /// ```ebnf
  /// Allowance     = "allow" "reply" "within" Value [ "up" "to" Value ] [ "containing" "any" Ident ]
  ///                 [ "not" "containing" "any" Ident ] .
  /// ```
  mutating func parseAllowance() -> Allowance? {
    let start = currentStart
    advance()  // allow
    guard expect(.reply) != nil, expect(.within) != nil, let window = parseValue() else { return nil }
    var maxLength: ValueExpr?
    if eat(.up) != nil {
      guard expect(.to) != nil, let value = parseValue() else { return nil }
      maxLength = value
    }
    var containing: Identifier?
    if eat(.containing) != nil {
      guard expect(.any) != nil, let list = expectName() else { return nil }
      containing = list
    }
    var notContaining: Identifier?
    if eat(.not) != nil {
      guard expect(.containing) != nil, expect(.any) != nil, let list = expectName() else { return nil }
      notContaining = list
    }
    return Allowance(
      window: window, maxLength: maxLength, containing: containing, notContaining: notContaining,
      span: span(from: start))
  }

  /// ```ebnf
  /// BurstBody = "when" "more" "than" Value "messages" "from" Sender "within" Value
  ///             "without" "message" "from" Sender .
  /// ```
  mutating func parseBurstBody(start: Int) -> BurstBody? {
    advance()  // more
    guard expect(.than) != nil, let count = parseValue() else { return nil }
    guard expect(.messages) != nil, expect(.from) != nil, let sender = parseSender() else { return nil }
    guard expect(.within) != nil, let window = parseValue() else { return nil }
    guard expect(.without) != nil, expect(.message) != nil, expect(.from) != nil,
      let breaker = parseSender()
    else { return nil }
    return BurstBody(count: count, sender: sender, window: window, breaker: breaker, span: span(from: start))
  }

  /// ```ebnf
  /// ObligationBody = "every" Trigger [ "during" Ident ]
  ///                  "expect" Response "within" Value { "," "within" Value "if" "during" Ident }
  ///                  [ "counting" "only" "during" Ident ] .
  /// ```
  mutating func parseObligationBody() -> ObligationBody? {
    let start = currentStart
    advance()  // every
    guard let trigger = parseTrigger() else { return nil }
    var during: Identifier?
    if eat(.during) != nil {
      guard let hours = expectName() else { return nil }
      during = hours
    }
    guard expect(.expect) != nil, let response = parseResponse() else { return nil }
    guard expect(.within) != nil, let limit = parseValue() else { return nil }
    var conditional: [ConditionalLimit] = []
    var progress = Progress()
    while at(.comma) && progress.advanced(self) {
      advance()  // ,
      let within = current
      guard expect(.within) != nil, let value = parseValue() else { return nil }
      guard expect(.if) != nil, expect(.during) != nil, let hours = expectName() else { return nil }
      conditional.append(
        ConditionalLimit(limit: value, hours: hours, span: span(from: Int(within.span.start))))
    }
    var countingOnly: Identifier?
    if eat(.counting) != nil {
      guard expect(.only) != nil, expect(.during) != nil, let hours = expectName() else { return nil }
      countingOnly = hours
    }
    return ObligationBody(
      trigger: trigger, during: during, response: response, limit: limit,
      conditionalLimits: conditional, countingOnly: countingOnly, span: span(from: start))
  }

  /// ```ebnf
  /// Trigger        = "message" Condition | "event" Ident { "or" Ident } .
  /// ```
  mutating func parseTrigger() -> Trigger? {
    let start = currentStart
    if eat(.message) != nil {
      guard let condition = parseCondition() else { return nil }
      return .message(condition, span: span(from: start))
    }
    if eat(.event) != nil {
      guard let names = parseEventNames() else { return nil }
      return .event(names, span: span(from: start))
    }
    errorExpected()
    return nil
  }

  /// `Ident { "or" Ident }`; an `or` followed by a word of `stopBefore` is left for the caller.
  mutating func parseEventNames(stopBefore: Set<Keyword> = []) -> [Identifier]? {
    guard let first = expectName() else { return nil }
    var names = [first]
    var progress = Progress()
    while at(.or) && !stopBefore.contains(peek().keyword ?? .override) && progress.advanced(self) {
      advance()
      guard let name = expectName() else { return nil }
      names.append(name)
    }
    return names
  }

  /// ```ebnf
  /// Response       = ResponseAlt { "or" ResponseAlt } .
  /// ResponseAlt    = [ "human" ] "reply" | "event" Ident { "or" Ident } .
  /// ```
  /// After `event`, names joined by `or` are that event's until `human`, `reply` or `event`
  /// starts the next alternative.
  mutating func parseResponse() -> Response? {
    let start = currentStart
    guard let first = parseResponseAlternative() else { return nil }
    var alternatives = [first]
    var progress = Progress()
    while at(.or) && progress.advanced(self) {
      advance()
      guard let next = parseResponseAlternative() else { return nil }
      alternatives.append(next)
    }
    return alternatives.count == 1 ? first : .anyOf(alternatives, span: span(from: start))
  }

  private mutating func parseResponseAlternative() -> Response? {
    let start = currentStart
    if eat(.event) != nil {
      guard let names = parseEventNames(stopBefore: [.human, .reply, .event]) else { return nil }
      return .event(names, span: span(from: start))
    }
    let human = eat(.human) != nil
    guard expect(.reply) != nil else { return nil }
    return .reply(human ? .human : .any, span: span(from: start))
  }

  /// ```ebnf
  /// RateBody  = "rate" "of" ( Ident | Happening ) "per" ( Unit | Happening ) "over" Period
  ///             [ "during" Ident ] Threshold [ "when" "more" "than" Value Ident ] .
  /// Unit      = "message" | "buyer" "day" | "conversation" .
  /// Period    = "day" | "month" | "rolling" Value | "last" Value .
  /// Threshold = ( "at" "least" | "at" "most" | "more" "than" | "less" "than" ) Value .
  /// ```
  /// `when more than` after a rate always belongs to the rate.
  mutating func parseRateBody() -> RateBody? {
    let start = currentStart
    advance()  // rate
    guard expect(.of) != nil else { return nil }
    let of: RateSubject
    if startsHappening {
      guard let happening = parseHappening() else { return nil }
      of = .happening(happening)
    } else {
      guard let name = expectName() else { return nil }
      of = .rule(name)
    }
    guard expect(.per) != nil else { return nil }
    let per: RateDivisor
    let bareMessage =
      at(.message)
      && !(peek().kind == .leftParen || Self.happeningConditionStarts.contains(peek().keyword ?? .override))
    if bareMessage {
      advance()
      per = .unit(.message)
    } else if startsHappening {
      guard let happening = parseHappening() else { return nil }
      per = .happening(happening)
    } else if eat(.conversation) != nil {
      per = .unit(.conversation)
    } else if eat(.buyer) != nil {
      guard expect(.day) != nil else { return nil }
      per = .unit(.buyerDay)
    } else {
      errorExpected()
      return nil
    }
    guard expect(.over) != nil else { return nil }
    let period: RatePeriod
    if eat(.day) != nil {
      period = .day
    } else if eat(.month) != nil {
      period = .month
    } else if eat(.rolling) != nil {
      guard let length = parseValue() else { return nil }
      period = .rolling(length)
    } else if eat(.last) != nil {
      guard let length = parseValue() else { return nil }
      period = .last(length)
    } else {
      errorExpected()
      return nil
    }
    var during: Identifier?
    if eat(.during) != nil {
      guard let hours = expectName() else { return nil }
      during = hours
    }
    guard let comparison = parseRateComparison() else { return nil }
    // `at least more than 20%` reads like English but is not a threshold: say what is.
    if current.is(.more) || current.is(.than) || current.is(.less) {
      errorExpected(
        [LocalizedText("a percentage such as `90%`", zh: "百分比(如 `90%`)")],
        help: LocalizedText(
          "a rate is written `at least 90%` (or `at most`, `more than`, `less than`): the share that"
            + " must hold; a second `more than` belongs after it, for the minimum count (`at least 90%"
            + " when more than 5 messages`)",
          zh: "比率写作 `at least 90%`,即必须达标的比例;`more than` 只用于其后的最少数量"
            + "(`at least 90% when more than 5 messages`)"))
      return nil
    }
    guard let threshold = parseValue() else { return nil }
    var minimum: ValueExpr?
    if at(.when) && peek().is(.more) {
      advance()
      advance()
      guard expect(.than) != nil, let value = parseValue(), expectName() != nil else { return nil }
      minimum = value
    }
    return RateBody(
      of: of, per: per, period: period, during: during, comparison: comparison, threshold: threshold,
      minimum: minimum, span: span(from: start))
  }

  /// `at least`, `at most`, `more than` or `less than`; nil when an error was reported.
  mutating func parseRateComparison() -> RateComparison? {
    let help = LocalizedText(
      "a rate's threshold is `at least P`, `at most P`, `more than P` or `less than P`",
      zh: "比率的阈值写作 `at least P`、`at most P`、`more than P` 或 `less than P`")
    if eat(.at) != nil {
      if eat(.least) != nil { return .atLeast }
      if eat(.most) != nil { return .atMost }
      errorExpected(help: help)
      return nil
    }
    if eat(.more) != nil { return expect(.than, help: help) != nil ? .moreThan : nil }
    if eat(.less) != nil { return expect(.than, help: help) != nil ? .lessThan : nil }
    errorExpected(
      [
        LocalizedText(
          "`at least`, `at most`, `more than` or `less than`",
          zh: "`at least`、`at most`、`more than` 或 `less than`")
      ],
      help: help)
    return nil
  }
}
