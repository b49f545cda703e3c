// Tests inside policies (Grammar.md section 4): one item a line, the first words of the
// conversation's lines (`buyer`, `seller`, `event`, ...) padded so that the times line up.

extension FormatPrinter {
  enum TestItem {
    case event(TestEvent)
    case expectation(Expectation)
    case asOf(TestTime)

    var start: UInt32 {
      switch self {
      case .event(let e): return e.span.start
      case .expectation(let e): return e.span.start
      case .asOf(let t): return t.span.start
      }
    }
  }

  mutating func test(_ test: TestDecl, indent: Int) {
    word("test")
    string(test.name)
    var items = test.events.map(TestItem.event) + test.expectations.map(TestItem.expectation)
    if let asOf = test.asOf { items.append(.asOf(asOf)) }
    items.sort { $0.start < $1.start }
    let leadWidth =
      test.events.map { event -> Int in
        switch event {
        case .message(let role, _, _, _, _, _): return role.rawValue.count
        case .event: return "event".count
        }
      }.max() ?? 0
    block(indent: indent, span: test.span, isEmpty: items.isEmpty) { printer, inner in
      for (i, item) in items.enumerated() {
        if i > 0 { printer.writer.newline(indent: inner, blank: .preserve) }
        printer.writer.continuation = inner + 4
        printer.testItem(item, leadColumn: inner + leadWidth + 1)
      }
    }
  }

  mutating func testItem(_ item: TestItem, leadColumn: Int) {
    switch item {
    case .event(.message(let role, let auto, let time, let text, let attachments, _)):
      word(role.rawValue)
      writer.pad(to: leadColumn)
      if auto { word("auto") }
      testTime(time)
      if let text { string(text) }
      for attachment in attachments {
        word("with")
        name(attachment.type)
        if attachment.qr { word("qr") }
        if let url = attachment.url { string(url) }
        if let fileName = attachment.name {
          word("name")
          string(fileName)
        }
        if let mime = attachment.mime {
          word("mime")
          string(mime)
        }
      }
    case .event(.event(let eventName, let time, _)):
      word("event")
      writer.pad(to: leadColumn)
      name(eventName)
      testTime(time)
    case .expectation(let e):
      word("expect")
      if e.negated { word("no") }
      word("violation")
      if let rule = e.rule {
        word("of")
        name(rule)
      }
      if let at = e.at {
        word("at")
        // The index as spelled (`007` stays `007`), when the source token is where expected.
        var token: Int?
        if writer.cursor < writer.tokens.count && writer.tokens[writer.cursor].kind == .integer {
          token = writer.takeAny()
        }
        writer.write(token.map { writer.text(ofToken: $0) } ?? String(at), token: token)
      }
      if let matching = e.matching {
        word("matching")
        string(matching)
      }
    case .asOf(let time):
      word("as")
      word("of")
      testTime(time)
    }
  }

  mutating func testTime(_ time: TestTime) {
    if let date = time.date { spelled(date.span) }
    spelled(time.time.span)
  }
}
