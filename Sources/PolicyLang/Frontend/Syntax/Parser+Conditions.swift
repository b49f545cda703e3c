// Conditions on one message (Grammar.md section 3, "Message rules"). Nesting of parentheses and
// `not` is bounded by `Parser.maxNestingDepth`, so recursion here is at most that deep.

import PolicyLangCore
import PolicyLangText

extension Parser {
  /// ```ebnf
  /// Condition   = AndCond { "or" AndCond } .
  /// ```
  mutating func parseCondition() -> Condition? {
    let start = currentStart
    guard let first = parseAndCondition() else { return nil }
    var operands = [first]
    var progress = Progress()
    while progress.advanced(self), eat(.or) != nil {
      guard let next = parseAndCondition() else { return nil }
      operands.append(next)
    }
    return operands.count == 1 ? first : .or(operands, span: span(from: start))
  }

  /// ```ebnf
  /// AndCond     = NotCond { "and" NotCond } .
  /// ```
  mutating func parseAndCondition() -> Condition? {
    let start = currentStart
    guard let first = parseNotCondition() else { return nil }
    var operands = [first]
    var progress = Progress()
    while progress.advanced(self), eat(.and) != nil {
      guard let next = parseNotCondition() else { return nil }
      operands.append(next)
    }
    return operands.count == 1 ? first : .and(operands, span: span(from: start))
  }

  /// ```ebnf
  /// NotCond     = "not" NotCond | Atom .
  /// ```
  /// Read as a loop: a chain of `not` counts towards the nesting limit.
  mutating func parseNotCondition() -> Condition? {
    var nots: [Int] = []
    while at(.not) {
      if nesting + nots.count >= Self.maxNestingDepth {
        reportTooDeep()
        skipNested()
        return nil
      }
      nots.append(Int(advance().span.start))
    }
    nesting += nots.count
    defer { nesting -= nots.count }
    guard var condition = parseAtom() else { return nil }
    for start in nots.reversed() {
      condition = .not(condition, span: span(from: start))
    }
    return condition
  }

  mutating func reportTooDeep() {
    error(
      .nestingTooDeep,
      LocalizedText(
        "condition nested more than \(Self.maxNestingDepth) deep",
        zh: "条件嵌套超过 \(Self.maxNestingDepth) 层"),
      at: current.span,
      help: LocalizedText(
        "simplify the condition: `not not C` is `C`, and `and`/`or` need no parentheses",
        zh: "请简化条件:`not not C` 即 `C`,`and`/`or` 连写不需要括号"))
  }

  /// After a too-deep nesting: skips `not`s and parentheses (balanced) without recursing.
  mutating func skipNested() {
    var open = 0
    while !atEOF {
      if at(.leftParen) {
        open += 1
      } else if at(.rightParen) {
        if open == 0 { return }
        open -= 1
        if open == 0 {
          advance()
          return
        }
      } else if open == 0 && !at(.not) {
        return
      } else if current.isReservedKeyword && current.isAtLineStart {
        return
      }
      advance()
    }
  }

  /// ```ebnf
  /// Atom        = "(" Condition ")"
  ///             | "from" Sender
  ///             | "contains" "any" Ident [ "near" ( "account" | "any" Ident ) "within" Value ]
  ///             | "contains" "at" "least" Value "of" Ident
  ///             | "contains" String
  ///             | "contains" Detector
  ///             | "matches" ( String | Ident )
  ///             | "length" ( "at" "most" | "at" "least" ) Value
  ///             | "has" "attachment" [ Ident ] [ [ "not" ] "of" "type" "[" String { "," String } "]" ]
  ///             | History | Conversation .
  /// ```
  mutating func parseAtom() -> Condition? {
    let start = currentStart
    if startsHistory { return parseHistory(start: start) }
    if startsConversationWord { return parseConversationWord(start: start) }
    if at(.leftParen) {
      if nesting >= Self.maxNestingDepth {
        reportTooDeep()
        skipNested()
        return nil
      }
      let open = advance()
      nesting += 1
      defer { nesting -= 1 }
      guard let inner = parseCondition() else { return nil }
      guard eat(.rightParen) != nil else {
        errorExpected(
          label: DiagnosticLabel(open.span, LocalizedText("this `(` is not closed", zh: "这个 `(` 没有闭合")))
        return nil
      }
      return inner
    }
    if eat(.from) != nil {
      return parseSender(start: start).map(Condition.from)
    }
    if eat(.contains) != nil { return parseContains(start: start) }
    if eat(.matches) != nil {
      if let pattern = eat(.string) { return .matches(stringLiteral(pattern), span: span(from: start)) }
      guard let name = expectName() else { return nil }
      return .matchesNamed(name, span: span(from: start))
    }
    if eat(.length) != nil {
      guard expect(.at) != nil else { return nil }
      let atMost: Bool
      if eat(.most) != nil {
        atMost = true
      } else if eat(.least) != nil {
        atMost = false
      } else {
        errorExpected()
        return nil
      }
      guard let value = parseValue() else { return nil }
      return .length(atMost: atMost, value, span: span(from: start))
    }
    if eat(.has) != nil {
      guard expect(.attachment) != nil else { return nil }
      var type: Identifier?
      if current.kind == .identifier && !current.isReservedKeyword
        && !Self.conditionFollowers.contains(current.keyword ?? .override)
      {
        let token = advance()
        type = Identifier(text(token), span: token.span)
      }
      let negated = at(.not) && peek().is(.of) && peek(2).is(.type)
      if negated || (at(.of) && peek().is(.type)) {
        if negated { advance() }
        advance()  // of
        advance()  // type
        guard let fileTypes = parseFileTypes() else { return nil }
        return .attachmentOfType(type: type, negated: negated, fileTypes: fileTypes, span: span(from: start))
      }
      return .hasAttachment(type: type, span: span(from: start))
    }
    errorExpected(
      [
        LocalizedText(
          "a condition (`from`, `contains`, `matches`, `length`, `has`, `after`, `unanswered`, "
            + "`proactive`, `answered`, `not`, `(`)",
          zh: "条件(`from`、`contains`、`matches`、`length`、`has`、`after`、`unanswered`、"
            + "`proactive`、`answered`、`not`、`(`)")
      ])
    return nil
  }

  /// Words that start a condition atom a happening's condition may begin with (a history
  /// condition there needs parentheses, so that `within` and `more` after `message` are read
  /// as the history condition's own words).
  static let happeningConditionStarts: Set<Keyword> = [.from, .contains, .matches, .length, .has, .not]

  /// ```ebnf
  /// History   = [ "within" Value | "more" "than" Value ] "after" [ "first" ] Happening
  ///             [ "without" Happening ]
  ///           | Count Happening [ "within" Value ] [ "without" Happening ] .
  /// Count     = ( "more" "than" | "at" "least" | "at" "most" ) Value .
  /// ```
  /// Whether the current token starts a history condition.
  var startsHistory: Bool {
    at(.after) || at(.within) || at(.more) || (at(.at) && (peek().is(.least) || peek().is(.most)))
  }

  /// A history condition (`startsHistory` holds); nil when an error was reported.
  mutating func parseHistory(start: Int) -> Condition? {
    var kind: HistoryKind
    if eat(.after) != nil {
      if !startsHappening && !at(.first) { return parseIdle(start: start) }
      kind = .after
    } else if eat(.within) != nil {
      guard let duration = parseValue(), expect(.after) != nil else { return nil }
      kind = .within(duration)
    } else if eat(.more) != nil {
      guard expect(.than) != nil, let value = parseValue() else { return nil }
      kind = eat(.after) != nil ? .moreThan(value) : .count(.moreThan, value, window: nil)
    } else {
      advance()  // at
      let comparison: CountComparison = advance().is(.least) ? .atLeast : .atMost
      guard let value = parseValue() else { return nil }
      kind = .count(comparison, value, window: nil)
    }
    let first = !kind.isCount && eat(.first) != nil
    guard let happening = parseHappening() else { return nil }
    if case .count(let comparison, let value, _) = kind, eat(.within) != nil {
      guard let window = parseValue() else { return nil }
      kind = .count(comparison, value, window: window)
    }
    var without: Happening?
    if eat(.without) != nil {
      guard let reset = parseHappening() else { return nil }
      without = reset
    }
    return .history(
      HistoryCondition(
        kind: kind, first: first, happening: happening, without: without, span: span(from: start)))
  }

  /// Whether the current token starts a happening (`message`, `messages`, `event`, `events`).
  var startsHappening: Bool {
    at(.message) || at(.messages) || at(.event) || at(.events)
  }

  /// ```ebnf
  /// Idle = "after" Value "idle" .
  /// ```
  /// The rest of `after D idle`, after `after`; nil when an error was reported.
  mutating func parseIdle(start: Int) -> Condition? {
    let valueStarts: Set<TokenKind> = [.integer, .duration, .percent, .string, .timeOfDay, .date]
    guard valueStarts.contains(current.kind) || (current.kind == .identifier && !current.isReservedKeyword)
    else {
      _ = parseHappening()  // reports what a history condition expects here
      return nil
    }
    guard let value = parseValue() else { return nil }
    guard
      expect(
        .idle,
        help: LocalizedText(
          "`after D idle` holds at an event that comes more than D after the previous one "
            + "(`after 30m idle`); `after H` names a happening (`after message from buyer`)",
          zh: "`after D idle` 在距上一个事件超过 D 的事件上成立(`after 30m idle`);"
            + "`after H` 后接事件(`after message from buyer`)"))
        != nil
    else { return nil }
    return .conversation(.idle(value, span: span(from: start)))
  }

  /// ```ebnf
  /// Conversation = "unanswered" | "proactive" | "answered" "within" Value | Idle .
  /// ```
  /// Whether the current token starts a conversation word other than `after D idle`.
  var startsConversationWord: Bool {
    at(.unanswered) || at(.proactive) || at(.answered)
  }

  /// `unanswered`, `proactive` or `answered within D` (`startsConversationWord` holds).
  mutating func parseConversationWord(start: Int) -> Condition? {
    if eat(.unanswered) != nil { return .conversation(.unanswered(span: span(from: start))) }
    if eat(.proactive) != nil { return .conversation(.proactive(span: span(from: start))) }
    advance()  // answered
    guard
      expect(
        .within,
        help: LocalizedText(
          "write `answered within D`: a seller message at most D after the first buyer message it "
            + "answers (`answered within 5m`)",
          zh: "写作 `answered within D`:距其回复的第一条买家消息不超过 D 的卖家消息(`answered within 5m`)"))
        != nil,
      let value = parseValue()
    else { return nil }
    return .conversation(.answered(within: value, span: span(from: start)))
  }

  /// ```ebnf
  /// Happening = ( "message" | "messages" ) [ NotCond ]
  ///           | ( "event" | "events" ) ( Ident | "(" Ident { "or" Ident } ")" ) .
  /// ```
  mutating func parseHappening() -> Happening? {
    let start = currentStart
    if at(.message) || at(.messages) {
      let plural = advance().is(.messages)
      var condition: Condition?
      let startsCondition =
        at(.leftParen)
        || (current.kind == .identifier
          && Self.happeningConditionStarts.contains(current.keyword ?? .override))
      if startsCondition {
        guard let parsed = parseNotCondition() else { return nil }
        condition = parsed
      } else if startsConversationWord {
        // A conversation word is a history condition: after `message` it needs parentheses.
        let word = text(current)
        errorExpected(
          [LocalizedText("`(`", zh: "`(`")],
          help: LocalizedText(
            "a history condition after `message` is written in parentheses: `message (\(word))`",
            zh: "`message` 后的历史条件要加括号:`message (\(word))`"))
        return nil
      }
      return .message(condition, plural: plural, span: span(from: start))
    }
    if at(.event) || at(.events) {
      let plural = advance().is(.events)
      if let open = eat(.leftParen) {
        guard let names = parseEventNames() else { return nil }
        guard eat(.rightParen) != nil else {
          errorExpected(
            label: DiagnosticLabel(open.span, LocalizedText("this `(` is not closed", zh: "这个 `(` 没有闭合")))
          return nil
        }
        return .event(names, plural: plural, span: span(from: start))
      }
      guard let name = expectName() else { return nil }
      return .event([name], plural: plural, span: span(from: start))
    }
    errorExpected(
      [LocalizedText("`message` or `event`", zh: "`message` 或 `event`")],
      help: LocalizedText(
        "a history condition looks for a message (`after message from buyer`) or an event "
          + "(`after event order_delivered`)",
        zh: "历史条件查找的是消息(`after message from buyer`)或事件(`after event order_delivered`)"))
    return nil
  }

  /// Words that end or continue a condition; an attachment type cannot be one of them.
  static let conditionFollowers: Set<Keyword> = [
    .and, .or, .not, .of, .after, .during, .expect, .allow, .when, .every, .rate, .manual, .within,
    .without,
  ]

  /// The rest of a `contains` atom.
  mutating func parseContains(start: Int) -> Condition? {
    if let string = eat(.string) { return .containsTerm(stringLiteral(string), span: span(from: start)) }
    if eat(.any) != nil {
      guard let list = expectName() else { return nil }
      if eat(.near) != nil {
        if eat(.any) != nil {
          guard let other = expectName(), expect(.within) != nil, let distance = parseValue() else {
            return nil
          }
          return .nearWords(list: list, other: other, distance: distance, span: span(from: start))
        }
        guard at(.account) else {
          errorExpected(
            [LocalizedText("`account`", zh: "`account`")],
            help: LocalizedText(
              "write `near account within N chars` for an account token, or `near any LIST within N "
                + "chars` for a term of another list",
              zh: "账号串写 `near account within N chars`,另一个列表的词写 `near any LIST within N chars`"))
          return nil
        }
        guard expect(.account) != nil, expect(.within) != nil, let distance = parseValue() else {
          return nil
        }
        return .near(list: list, distance: distance, span: span(from: start))
      }
      return .containsAny(list: list, span: span(from: start))
    }
    if eat(.at) != nil {
      guard expect(.least) != nil, let count = parseValue() else { return nil }
      guard expect(.of) != nil, let list = expectName() else { return nil }
      return .containsAtLeast(count: count, list: list, span: span(from: start))
    }
    let detectors: [(Keyword, DetectorKind)] = [
      (.url, .url), (.email, .email), (.phone, .phone), (.bankCard, .bankCard), (.qrCode, .qrCode),
      (.address, .address),
    ]
    for (keyword, detector) in detectors {
      guard eat(keyword) != nil else { continue }
      if detector == .phone, eat(.in) != nil { return parsePhoneRegions(start: start) }
      var allowed: Identifier?
      if detector == .url, eat(.outside) != nil {
        guard let domains = expectName() else { return nil }
        allowed = domains
      }
      return .detector(detector, allowed: allowed, span: span(from: start))
    }
    if current.kind == .identifier && !current.isReservedKeyword {
      let word = text(current)
      error(
        .unknownWord,
        LocalizedText(
          "`contains \(word)`: `\(word)` is not a detector", zh: "`contains \(word)`:`\(word)` 不是检测器"),
        at: current.span,
        help: LocalizedText(
          "to look for the terms of a list write `contains any \(word)`; detectors are `url`, "
            + "`email`, `phone`, `bank_card`, `qr_code`, `address`",
          zh: "要查找列表中的词,写 `contains any \(word)`;检测器有 `url`、`email`、`phone`、"
            + "`bank_card`、`qr_code`、`address`"))
      return nil
    }
    errorExpected()
    return nil
  }

  /// ```ebnf
  /// Detector    = ... | "phone" [ "in" "[" Ident { "," Ident } "]" ] | ... .
  /// ```
  /// The rest of `contains phone in`: the plans, each one `PhoneRegion` names.
  mutating func parsePhoneRegions(start: Int) -> Condition? {
    guard let open = expect(.leftBracket) else { return nil }
    var regions: [Identifier] = []
    var progress = Progress()
    while progress.advanced(self) {
      guard current.kind == .identifier else {
        errorExpected(
          [LocalizedText("a numbering plan", zh: "号码区域")], help: Self.phoneRegionHelp,
          label: DiagnosticLabel(open.span, LocalizedText("the list starts here", zh: "列表从这里开始")))
        return nil
      }
      let token = advance()
      let name = text(token)
      guard PhoneRegion(rawValue: name) != nil else {
        var diagnostic = Diagnostic(
          .unknownWord,
          LocalizedText("unknown numbering plan `\(name)`", zh: "未知的号码区域 `\(name)`"),
          at: token.span, help: Self.phoneRegionHelp)
        if let near = Suggest.nearest(to: name, among: PhoneRegion.allCases.map(\.rawValue)) {
          diagnostic = diagnostic.suggesting(near)
        }
        report(diagnostic)
        return nil
      }
      regions.append(Identifier(name, span: token.span))
      if eat(.comma) == nil { break }
    }
    guard expect(.rightBracket) != nil else { return nil }
    return .phoneIn(regions: regions, span: span(from: start))
  }

  /// `[".pdf", "image/*"]` after `of type`: at least one string.
  mutating func parseFileTypes() -> [StringLiteral]? {
    guard let open = expect(.leftBracket) else { return nil }
    var out: [StringLiteral] = []
    var progress = Progress()
    while progress.advanced(self) {
      guard let string = eat(.string) else {
        errorExpected(
          [LocalizedText("a file type", zh: "文件类型")],
          help: LocalizedText(
            "write extensions with their dot and media types as strings: `[\".pdf\", \"image/*\"]`",
            zh: "扩展名带点、媒体类型都写成字符串:`[\".pdf\", \"image/*\"]`"),
          label: DiagnosticLabel(open.span, LocalizedText("the list starts here", zh: "列表从这里开始")))
        return nil
      }
      out.append(stringLiteral(string))
      if eat(.comma) == nil { break }
    }
    guard expect(.rightBracket) != nil else { return nil }
    return out
  }

  static let phoneRegionHelp = LocalizedText(
    "the plans are `cn` (mainland China, as `contains phone`), `us` (+1), `sg` (+65), `my` (+60), "
      + "`ph` (+63), `tw` (+886) and `intl` (any number written with `+`)",
    zh: "号码区域有 `cn`(中国大陆,同 `contains phone`)、`us`(+1)、`sg`(+65)、`my`(+60)、`ph`(+63)、"
      + "`tw`(+886)和 `intl`(任何以 `+` 开头的号码)")

  /// ```ebnf
  /// Sender      = [ "human" | "auto" ] ( "buyer" | "seller" | "platform" | "system" ) .
  /// ```
  mutating func parseSender(start: Int? = nil) -> SenderSpec? {
    let start = start ?? currentStart
    var kind = ReplyKind.any
    if eat(.human) != nil {
      kind = .human
    } else if eat(.auto) != nil {
      kind = .auto
    }
    for role in SenderRole.allCases {
      if let keyword = Keyword(spelling: role.rawValue), eat(keyword) != nil {
        return SenderSpec(role: role, kind: kind, span: span(from: start))
      }
    }
    if current.kind == .identifier && !current.isReservedKeyword {
      error(
        .unknownWord,
        LocalizedText("unknown sender `\(text(current))`", zh: "未知的发送方 `\(text(current))`"),
        at: current.span,
        help: LocalizedText(
          "senders are `buyer`, `seller`, `platform` and `system`",
          zh: "发送方为 `buyer`、`seller`、`platform` 和 `system`"))
      return nil
    }
    errorExpected()
    return nil
  }
}
