// Lists, constants, calendars, severities and the shared pieces: names, literals, values and
// bracketed lists (Grammar.md section 2).

import PolicyLangCore

extension Parser {
  // MARK: - Names and literals

  /// An identifier as a name. A reserved keyword is reported (E0204) and accepted, so that the
  /// rest of the declaration still parses.
  mutating func expectName() -> Identifier? {
    guard current.kind == .identifier else {
      errorExpected([Self.expectedName(.identifier)])
      return nil
    }
    let token = advance()
    if token.isReservedKeyword {
      error(
        .reservedKeywordAsName,
        LocalizedText(
          "`\(text(token))` is a reserved keyword and cannot be a name",
          zh: "`\(text(token))` 是保留关键字,不能用作名称"),
        at: token.span,
        help: LocalizedText(
          "choose another name, such as `\(text(token))_list`", zh: "请换一个名称,如 `\(text(token))_list`"))
    }
    return Identifier(text(token), span: token.span)
  }

  /// A clause id such as `AE-1.2.1`.
  mutating func expectClauseID() -> ClauseRef? {
    guard let token = expect(.clauseID) else { return nil }
    return ClauseRef(text(token), span: token.span)
  }

  func stringValue(_ token: Token) -> String {
    if case .string(let value) = token.value { return value }
    return ""
  }

  func stringLiteral(_ token: Token) -> StringLiteral { StringLiteral(stringValue(token), span: token.span) }

  func dateLiteral(_ token: Token) -> DateLiteral {
    if case .date(let year, let month, let day) = token.value {
      return DateLiteral(year: year, month: month, day: day, span: token.span)
    }
    return DateLiteral(year: 0, month: 0, day: 0, span: token.span)
  }

  func timeLiteral(_ token: Token) -> TimeOfDayLiteral {
    if case .timeOfDay(let hour, let minute, let second) = token.value {
      return TimeOfDayLiteral(hour: hour, minute: minute, second: second, span: token.span)
    }
    return TimeOfDayLiteral(hour: 0, minute: 0, second: 0, span: token.span)
  }

  /// `severity = minor` inside a rule, `zone = ...` in a header: reported (E0205) and skipped.
  mutating func skipMisplacedEqual(after field: Token) {
    guard at(.equal) || at(.equalEqual) else { return }
    let equal = advance()
    error(
      .misusedOperator,
      LocalizedText(
        "no `=` is written after `\(text(field))`", zh: "`\(text(field))` 之后不写 `=`"),
      at: equal.span,
      help: LocalizedText(
        "remove the `=`: write `\(text(field)) ...`", zh: "删除 `=`:写作 `\(text(field)) ...`"))
  }

  /// `=` (or `+=` when `allowExtend`). `==` is reported (E0205) and read as `=`.
  mutating func parseAssignment(allowExtend: Bool) -> DeclMode? {
    if eat(.equal) != nil { return .define }
    if allowExtend, eat(.plusEqual) != nil { return .extend }
    if at(.equalEqual) {
      let token = advance()
      error(
        .misusedOperator,
        LocalizedText("`==` is not an operator here; write `=`", zh: "此处不能用 `==`,应写 `=`"),
        at: token.span, help: LocalizedText("write `=`", zh: "应写 `=`"))
      return .define
    }
    errorExpected()
    return nil
  }

  /// ```ebnf
  /// Literal   = Integer | Duration | Percent | Integer "chars" | String | TimeOfDay | Date .
  /// ```
  mutating func parseLiteral() -> Literal? {
    let token = current
    let value: LiteralValue
    switch (token.kind, token.value) {
    case (.integer, .integer(let n)):
      advance()
      if at(.chars) {
        advance()
        return Literal(.chars(n), span: span(from: Int(token.span.start)))
      }
      value = .integer(n)
    case (.duration, .duration(let seconds)):
      advance()
      value = .duration(seconds: seconds)
    case (.percent, .percent(let millionths)):
      advance()
      value = .percent(millionths: millionths)
    case (.string, .string(let text)):
      advance()
      value = .string(text)
    case (.timeOfDay, _):
      advance()
      value = .timeOfDay(timeLiteral(token))
    case (.date, _):
      advance()
      value = .date(dateLiteral(token))
    default:
      errorExpected([
        LocalizedText(
          "a literal (`8`, `30m`, `80%`, `20 chars`, a string, a time or a date)",
          zh: "字面量(`8`、`30m`、`80%`、`20 chars`、字符串、时刻或日期)")
      ])
      return nil
    }
    return Literal(value, span: token.span)
  }

  /// ```ebnf
  /// Value = Literal | Ident .
  /// ```
  /// A bare integer is accepted wherever a value is (`within 24`): the checker explains the unit.
  mutating func parseValue() -> ValueExpr? {
    if current.kind == .identifier && !current.isReservedKeyword {
      let token = advance()
      return .reference(Identifier(text(token), span: token.span))
    }
    let literalKinds: Set<TokenKind> = [.integer, .duration, .percent, .string, .timeOfDay, .date]
    guard literalKinds.contains(current.kind) else {
      errorExpected([Self.aValue])
      return nil
    }
    return parseLiteral().map(ValueExpr.literal)
  }

  /// `"[" [ Element { "," Element } [ "," ] ] "]"`. A missing `,` between two elements is reported
  /// and the list goes on; a missing `]` is reported as unclosed.
  mutating func parseBracketList<Element>(
    what: LocalizedText, element: (inout Parser) -> Element?
  ) -> (elements: [Element], span: SourceSpan)? {
    let start = currentStart
    guard let open = expect(.leftBracket) else { return nil }
    var elements: [Element] = []
    var progress = Progress()
    while !at(.rightBracket) {
      if atEOF || (current.isReservedKeyword && current.isAtLineStart) {
        report(
          Diagnostic(
            .unclosedDelimiter,
            LocalizedText(
              "expected `]` to close the list, found \(describe(current).english)",
              zh: "应为 `]` 以闭合列表,实际为 \(describe(current).chinese)"),
            at: current.span,
            labels: [
              DiagnosticLabel(open.span, LocalizedText("this `[` is not closed", zh: "这个 `[` 没有闭合"))
            ]))
        return (elements, span(from: start))
      }
      guard progress.advanced(self), let item = element(&self) else { return nil }
      elements.append(item)
      if eat(.comma) != nil { continue }
      if at(.rightBracket) { break }
      if !atEOF && !current.isReservedKeyword && current.kind != .invalid
        && [.string, .date].contains(current.kind)
      {
        error(
          .unexpectedToken,
          LocalizedText(
            "expected `,` or `]`, found \(describe(current).english)",
            zh: "应为 `,` 或 `]`,实际为 \(describe(current).chinese)"),
          at: current.span,
          help: LocalizedText("separate \(what.english) with `,`", zh: "\(what.chinese)之间用 `,` 分隔"))
        continue
      }
      if atEOF || current.isReservedKeyword { continue }
      errorExpected()
      return nil
    }
    advance()  // ]
    return (elements, span(from: start))
  }

  // MARK: - Terms, domains, constants

  /// ```ebnf
  /// TermsDecl  = [ "override" ] "terms" Ident [ String ] ( "=" | "+=" ) TermSource .
  /// TermSource = "file" String
  ///            | "[" [ TermEntry { "," TermEntry } [ "," ] ] "]" .
  /// TermEntry  = String { "|" String } .
  /// ```
  mutating func parseTermsDecl(isOverride: Bool, start: Int) -> TermsDecl? {
    advance()  // terms
    guard let name = expectName() else { return nil }
    let title = eat(.string).map(stringLiteral)
    guard let mode = parseDeclMode(isOverride: isOverride, allowExtend: true) else { return nil }
    let termSource: TermSource
    if eat(.file) != nil {
      guard let path = expect(.string) else { return nil }
      termSource = .file(stringLiteral(path))
    } else {
      guard
        let list = parseBracketList(
          what: LocalizedText("terms", zh: "词条"), element: { $0.parseTermEntry() })
      else { return nil }
      termSource = .inline(list.elements, span: list.span)
    }
    return TermsDecl(mode: mode, name: name, title: title, source: termSource, span: span(from: start))
  }

  /// `String { "|" String }`
  mutating func parseTermEntry() -> TermEntry? {
    let start = currentStart
    guard let term = expect(.string) else { return nil }
    var variants: [StringLiteral] = []
    while eat(.pipe) != nil {
      guard let variant = expect(.string) else { return nil }
      variants.append(stringLiteral(variant))
    }
    return TermEntry(term: stringLiteral(term), variants: variants, span: span(from: start))
  }

  /// `=` or `+=`, combined with a leading `override` (which `+=` cannot take: E0209).
  mutating func parseDeclMode(isOverride: Bool, allowExtend: Bool) -> DeclMode? {
    let operatorToken = current
    guard let mode = parseAssignment(allowExtend: allowExtend) else { return nil }
    guard isOverride else { return mode }
    if mode == .extend {
      error(
        .invalidOverride,
        LocalizedText(
          "`override` replaces a list and `+=` adds to it: use one of them",
          zh: "`override` 替换列表,`+=` 向列表追加:两者只能选其一"),
        at: operatorToken.span,
        help: LocalizedText(
          "remove `override` to add entries, or write `=` to replace the list",
          zh: "要追加请删除 `override`,要替换请写 `=`"))
    }
    return .override
  }

  /// ```ebnf
  /// DomainsDecl = [ "override" ] "domains" Ident ( "=" | "+=" ) "[" [ String { "," String } [ "," ] ] "]" .
  /// ```
  mutating func parseDomainsDecl(isOverride: Bool, start: Int) -> DomainsDecl? {
    advance()  // domains
    guard let name = expectName() else { return nil }
    guard let mode = parseDeclMode(isOverride: isOverride, allowExtend: true) else { return nil }
    guard
      let list = parseBracketList(
        what: LocalizedText("domains", zh: "域名"),
        element: { parser in parser.expect(.string).map(parser.stringLiteral) })
    else { return nil }
    return DomainsDecl(mode: mode, name: name, domains: list.elements, span: span(from: start))
  }

  /// ```ebnf
  /// ConstDecl = [ "override" ] "const" Ident "=" Literal .
  /// ```
  mutating func parseConstDecl(isOverride: Bool, start: Int) -> ConstDecl? {
    advance()  // const
    guard let name = expectName() else { return nil }
    guard let mode = parseDeclMode(isOverride: isOverride, allowExtend: false) else { return nil }
    guard let value = parseLiteral() else { return nil }
    return ConstDecl(mode: mode, name: name, value: value, span: span(from: start))
  }

  // MARK: - Hours and dates

  /// ```ebnf
  /// HoursDecl = [ "override" ] "hours" Ident "=" HoursPart { ";" HoursPart } [ "except" DateSet ] .
  /// ```
  mutating func parseHoursDecl(isOverride: Bool, start: Int) -> HoursDecl? {
    advance()  // hours
    guard let name = expectName() else { return nil }
    guard let mode = parseDeclMode(isOverride: isOverride, allowExtend: false) else { return nil }
    var parts: [HoursPart] = []
    var progress = Progress()
    repeat {
      guard progress.advanced(self), let part = parseHoursPart() else { return nil }
      parts.append(part)
    } while eat(.semicolon) != nil
    var exclusion: DateExclusion?
    if eat(.except) != nil {
      guard let dates = parseDateSet() else { return nil }
      exclusion = dates
    }
    return HoursDecl(mode: mode, name: name, parts: parts, except: exclusion, span: span(from: start))
  }

  /// ```ebnf
  /// HoursPart = [ DayRange { "," DayRange } ] TimeRange { "," TimeRange } .
  /// ```
  mutating func parseHoursPart() -> HoursPart? {
    let start = currentStart
    var days: [DayRange] = []
    if current.kind == .identifier && !current.isReservedKeyword {
      var progress = Progress()
      repeat {
        guard progress.advanced(self), let range = parseDayRange() else { return nil }
        days.append(range)
      } while at(.comma) && peek().kind == .identifier && advance().kind == .comma
    }
    var ranges: [TimeRange] = []
    var progress = Progress()
    repeat {
      guard progress.advanced(self), let range = parseTimeRange() else { return nil }
      ranges.append(range)
      if at(.comma) && peek().kind == .identifier && !peek().isReservedKeyword {
        // `mon-fri 09:00-18:00, sat 10:00-14:00`: a new part needs `;`.
        let comma = advance()
        error(
          .unexpectedToken,
          LocalizedText(
            "days after `,` start a new part, which is separated by `;`",
            zh: "`,` 之后的星期开始了新的一段,各段之间要用 `;` 分隔"),
          at: comma.span, help: LocalizedText("write `;` here", zh: "此处应写 `;`"))
        return HoursPart(days: days, ranges: ranges, span: span(from: start))
      }
    } while at(.comma) && peek().kind == .timeOfDay && advance().kind == .comma
    return HoursPart(days: days, ranges: ranges, span: span(from: start))
  }

  /// ```ebnf
  /// DayRange  = Day [ "-" Day ] .
  /// Day       = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun" .
  /// ```
  mutating func parseDayRange() -> DayRange? {
    let start = currentStart
    guard let first = parseDay() else { return nil }
    var last = first
    if eat(.minus) != nil {
      guard let day = parseDay() else { return nil }
      last = day
    }
    return DayRange(first: first, last: last, span: span(from: start))
  }

  mutating func parseDay() -> Weekday? {
    guard current.kind == .identifier else {
      errorExpected([LocalizedText("a day (`mon` ... `sun`)", zh: "星期(`mon` ... `sun`)")])
      return nil
    }
    let token = advance()
    guard let day = Weekday(name: text(token)) else {
      error(
        .unknownWord, LocalizedText("unknown day `\(text(token))`", zh: "未知的星期 `\(text(token))`"),
        at: token.span,
        help: LocalizedText(
          "days are `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`",
          zh: "星期写作 `mon`、`tue`、`wed`、`thu`、`fri`、`sat`、`sun`"))
      return nil
    }
    return day
  }

  /// ```ebnf
  /// TimeRange = TimeOfDay "-" TimeOfDay .
  /// ```
  mutating func parseTimeRange() -> TimeRange? {
    let start = currentStart
    guard let from = expect(.timeOfDay) else { return nil }
    guard expect(.minus) != nil, let to = expect(.timeOfDay) else { return nil }
    return TimeRange(start: timeLiteral(from), end: timeLiteral(to), span: span(from: start))
  }

  /// ```ebnf
  /// DateSet   = Ident | "[" Date { "," Date } [ "," ] "]" .
  /// ```
  mutating func parseDateSet() -> DateExclusion? {
    if at(.leftBracket) {
      guard let list = parseDateList() else { return nil }
      return .dates(list.elements, span: list.span)
    }
    guard let name = expectName() else { return nil }
    return .named(name)
  }

  mutating func parseDateList() -> (elements: [DateLiteral], span: SourceSpan)? {
    parseBracketList(
      what: LocalizedText("dates", zh: "日期"),
      element: { parser in parser.expect(.date).map(parser.dateLiteral) })
  }

  /// ```ebnf
  /// DatesDecl = [ "override" ] "dates" Ident "=" "[" [ Date { "," Date } [ "," ] ] "]" .
  /// ```
  mutating func parseDatesDecl(isOverride: Bool, start: Int) -> DatesDecl? {
    advance()  // dates
    guard let name = expectName() else { return nil }
    guard let mode = parseDeclMode(isOverride: isOverride, allowExtend: false) else { return nil }
    guard let list = parseDateList() else { return nil }
    return DatesDecl(mode: mode, name: name, dates: list.elements, span: span(from: start))
  }

  // MARK: - Severities

  /// The optional trailing `clause ClauseId` of a severity or escalation. It is taken only when
  /// no string follows the id: `clause X "title" kind` on the next line is a clause declaration.
  mutating func parseTrailingClause() -> ClauseRef? {
    guard at(.clause), peek().kind == .clauseID, peek(2).kind != .string else { return nil }
    advance()  // clause
    let id = advance()
    return ClauseRef(text(id), span: id.span)
  }

  /// ```ebnf
  /// SeverityDecl = "severity" Ident [ String ] "sanction" String [ "clause" ClauseId ] .
  /// ```
  mutating func parseSeverityDecl() -> SeverityDecl? {
    let start = currentStart
    advance()  // severity
    guard let name = expectName() else { return nil }
    let title = eat(.string).map(stringLiteral)
    guard expect(.sanction) != nil, let sanction = expect(.string) else { return nil }
    let clause = parseTrailingClause()
    return SeverityDecl(
      name: name, title: title, sanction: stringLiteral(sanction), clause: clause,
      span: span(from: start))
  }

  /// ```ebnf
  /// EscalateDecl = "escalate" Value Ident "within" Value "to" Ident [ "clause" ClauseId ] .
  /// ```
  mutating func parseEscalateDecl() -> EscalationDecl? {
    let start = currentStart
    advance()  // escalate
    guard let count = parseValue(), let from = expectName() else { return nil }
    guard expect(.within) != nil, let window = parseValue() else { return nil }
    guard expect(.to) != nil, let to = expectName() else { return nil }
    let clause = parseTrailingClause()
    return EscalationDecl(
      count: count, from: from, window: window, to: to, clause: clause, span: span(from: start))
  }
}
