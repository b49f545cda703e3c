// Tests inside policies (Grammar.md section 4).

import PolicyLangCore

extension Parser {
  /// ```ebnf
  /// TestDecl    = "test" String "{" { TestItem } "}" .
  /// TestItem    = TestMessage | TestEvent | Expectation | "as" "of" TestTime .
  /// ```
  /// Recovery inside the block: `}` or the next test item at the start of a line; a declaration
  /// keyword at the start of a line ends the block (reported as unclosed).
  mutating func parseTestDecl() -> TestDecl? {
    let start = currentStart
    advance()  // test
    var name = StringLiteral("", span: SourceSpan(file: source.id, start: previousEnd, end: previousEnd))
    if let string = eat(.string) {
      name = stringLiteral(string)
    } else if at(.leftBrace) {
      error(
        .missingTitle, LocalizedText("the test has no name", zh: "测试缺少名称"), at: current.span,
        help: LocalizedText(
          "write its name before `{`: `test \"...\" {`", zh: "在 `{` 之前写出名称:`test \"...\" {`"))
    } else {
      errorExpected()
      return nil
    }
    guard let open = expectBlockOpen() else { return nil }
    var test = TestDecl(name: name, events: [], expectations: [], asOf: nil, span: span(from: start))
    var progress = Progress()
    var closed = false
    while !atEOF && !endsBlock(current, in: .test) {
      if at(.rightBrace) {
        advance()
        closed = true
        break
      }
      if !progress.advanced(self) { advance() }
      if !parseTestItem(into: &test) { synchronize(.test) }
    }
    if !closed {
      reportUnclosed(open, what: LocalizedText("test \"\(name.value)\"", zh: "测试 \"\(name.value)\""))
    }
    test.span = span(from: start)
    return test
  }

  mutating func parseTestItem(into test: inout TestDecl) -> Bool {
    let start = currentStart
    let keyword = current.kind == .identifier ? current.keyword : nil
    switch keyword {
    case .buyer?, .seller?, .platform?, .system?:
      guard let event = parseTestMessage() else { return false }
      test.events.append(event)
    case .event?:
      advance()
      guard let name = expectName(), let time = parseTestTime() else { return false }
      test.events.append(.event(name: name, time: time, span: span(from: start)))
    case .expect?:
      guard let expectation = parseExpectation() else { return false }
      test.expectations.append(expectation)
    case .as?:
      let first = current
      advance()
      guard expect(.of) != nil, let time = parseTestTime() else { return false }
      if test.asOf != nil {
        // Keeping either silently would change what the test means (and `fmt` would drop one).
        error(
          .duplicateItem,
          LocalizedText("this test already has an `as of`", zh: "这个测试已经有 `as of`"),
          at: first.span,
          help: LocalizedText("a test is judged at one moment: remove one of them", zh: "一个测试只在一个时刻评判:删除其中一个")
        )
      }
      test.asOf = time
    default:
      errorExpected(
        ["buyer", "seller", "platform", "system", "event", "expect", "as", "}"].map(Self.quoted))
      return false
    }
    return true
  }

  /// ```ebnf
  /// TestMessage = ( "buyer" | "seller" | "platform" | "system" ) [ "auto" ] TestTime [ String ]
  ///               { "with" Attachment } .
  /// ```
  mutating func parseTestMessage() -> TestEvent? {
    let start = currentStart
    let roleToken = advance()
    let role = SenderRole(rawValue: text(roleToken)) ?? .buyer
    let auto = eat(.auto) != nil
    guard let time = parseTestTime() else { return nil }
    let text = eat(.string).map(stringLiteral)
    var attachments: [TestAttachment] = []
    var progress = Progress()
    while at(.with) && progress.advanced(self) {
      advance()
      guard let attachment = parseAttachment() else { return nil }
      attachments.append(attachment)
    }
    return .message(
      role: role, auto: auto, time: time, text: text, attachments: attachments, span: span(from: start))
  }

  /// ```ebnf
  /// TestTime    = [ Date ] TimeOfDay .
  /// ```
  mutating func parseTestTime() -> TestTime? {
    let start = currentStart
    let date = eat(.date).map(dateLiteral)
    guard let time = expect(.timeOfDay) else { return nil }
    return TestTime(date: date, time: timeLiteral(time), span: span(from: start))
  }

  /// ```ebnf
  /// Attachment  = Ident [ "qr" ] [ String ] [ "name" String ] [ "mime" String ] .
  /// ```
  /// `with qr_code` is an attachment of type `qr_code`; `with image qr` an image carrying a QR code;
  /// `with file name "invoice.pdf" mime "application/pdf"` a file with its name and media type.
  mutating func parseAttachment() -> TestAttachment? {
    let start = currentStart
    guard let type = expectName() else { return nil }
    let qr = eat(.qr) != nil
    let url = eat(.string).map(stringLiteral)
    var name: StringLiteral?
    if eat(.name) != nil {
      guard let string = expect(.string) else { return nil }
      name = stringLiteral(string)
    }
    var mime: StringLiteral?
    if eat(.mime) != nil {
      guard let string = expect(.string) else { return nil }
      mime = stringLiteral(string)
    }
    return TestAttachment(type: type, qr: qr, url: url, name: name, mime: mime, span: span(from: start))
  }

  /// ```ebnf
  /// Expectation = "expect" [ "no" ] "violation" [ "of" Ident ] [ "at" Integer ] [ "matching" String ] .
  /// ```
  mutating func parseExpectation() -> Expectation? {
    let start = currentStart
    advance()  // expect
    let negated = eat(.no) != nil
    guard expect(.violation) != nil else { return nil }
    var rule: Identifier?
    if eat(.of) != nil {
      guard let name = expectName() else { return nil }
      rule = name
    }
    var index: Int?
    if eat(.at) != nil {
      guard let token = expect(.integer) else { return nil }
      if case .integer(let n) = token.value { index = Int(clamping: n) }
    }
    var matching: StringLiteral?
    if eat(.matching) != nil {
      guard let string = expect(.string) else { return nil }
      matching = stringLiteral(string)
    }
    return Expectation(negated: negated, rule: rule, at: index, matching: matching, span: span(from: start))
  }
}
