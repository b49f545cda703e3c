// Rules, their bodies and conditions (Grammar.md section 3). A long condition is broken before
// `and`/`or`: a group of operands breaks before every operator when it does not fit on the line,
// and wherever the author broke it; the top-level group continues one column deeper than the
// item (`   and ...`), a group in parentheses at the column of its first operand.

import PolicyLangCore

extension FormatPrinter {
  /// A rule item, in source order.
  enum RuleItem {
    case clause(ClauseRef)
    case severity(Identifier)
    case body(RuleBody)
    case test(TestDecl)

    var start: UInt32 {
      switch self {
      case .clause(let c): return c.span.start
      case .severity(let s): return s.span.start
      case .body(let b): return b.span.start
      case .test(let t): return t.span.start
      }
    }
  }

  /// `[override] rule NAME "TITLE" {` with `clause` and `severity` values aligned.
  mutating func rule(_ rule: RuleDecl, indent: Int) {
    if rule.isOverride { word("override") }
    word("rule")
    name(rule.name)
    if let title = rule.title { string(title) }
    var items: [RuleItem] = []
    if let clause = rule.clause { items.append(.clause(clause)) }
    if let severity = rule.severity { items.append(.severity(severity)) }
    if let body = rule.body { items.append(.body(body)) }
    items += rule.tests.map(RuleItem.test)
    items.sort { $0.start < $1.start }
    let alignClause = rule.severity != nil
    block(indent: indent, span: rule.span, isEmpty: items.isEmpty) { printer, inner in
      for (i, item) in items.enumerated() {
        if i > 0 { printer.writer.newline(indent: inner, blank: .preserve) }
        printer.writer.continuation = inner + 4
        switch item {
        case .clause(let clause):
          printer.word("clause")
          if alignClause { printer.writer.pad(to: inner + "severity ".count) }
          printer.spelled(clause.span)
        case .severity(let severity):
          printer.word("severity")
          printer.name(severity)
        case .body(let body):
          printer.body(body, indent: inner)
        case .test(let test):
          printer.test(test, indent: inner)
        }
      }
    }
  }

  // MARK: - Bodies

  mutating func body(_ body: RuleBody, indent: Int) {
    let continuation = indent + 4
    switch body {
    case .message(let b):
      word("when")
      word("message")
      condition(b.condition, continuation: indent + 1, suffix: 0)
    case .afterStop(let b):
      word("when")
      word("message")
      condition(b.condition, continuation: indent + 1, suffix: 0)
      softBreak("after", width: "after buyer says any \(b.stopList.name)".count, indent: indent + 1)
      for w in ["after", "buyer", "says", "any"] { word(w) }
      name(b.stopList)
      if let allowance = b.allowance {
        writer.newline(indent: indent, blank: .never)
        word("allow")
        word("reply")
        word("within")
        value(allowance.window)
        if let length = allowance.maxLength {
          softBreak("up", width: 6 + text(of: length).count, indent: continuation)
          word("up")
          word("to")
          value(length)
        }
        if let list = allowance.containing {
          softBreak("containing", width: 15 + list.name.count, indent: continuation)
          word("containing")
          word("any")
          name(list)
        }
        if let list = allowance.notContaining {
          softBreak("not", width: 19 + list.name.count, indent: continuation)
          word("not")
          word("containing")
          word("any")
          name(list)
        }
      }
    case .burst(let b):
      for w in ["when", "more", "than"] { word(w) }
      value(b.count)
      word("messages")
      word("from")
      sender(b.sender)
      softBreak("within", width: 7 + DisplayWidth.columns(text(of: b.window)), indent: continuation)
      word("within")
      value(b.window)
      softBreak("without", width: 22 + senderText(b.breaker).count, indent: continuation)
      for w in ["without", "message", "from"] { word(w) }
      sender(b.breaker)
    case .obligation(let b):
      obligation(b, indent: indent)
    case .rate(let b):
      rate(b, indent: indent)
    case .manual(let b):
      word("manual")
      if let note = b.note { string(note) }
    }
  }

  /// `every TRIGGER [during H]` and, on the next line, `expect RESPONSE within ...`.
  mutating func obligation(_ b: ObligationBody, indent: Int) {
    let continuation = indent + 4
    word("every")
    switch b.trigger {
    case .message(let trigger, _):
      word("message")
      condition(trigger, continuation: indent + 1, suffix: 0)
    case .event(let names, _):
      word("event")
      eventNames(names)
    }
    if let during = b.during {
      softBreak("during", width: 7 + during.name.count, indent: indent + 1)
      word("during")
      name(during)
    }
    writer.newline(indent: indent, blank: .never)
    word("expect")
    response(b.response)
    word("within")
    value(b.limit)
    for limit in b.conditionalLimits {
      word(",", glued: true)
      let width =
        "within  if during ".count + DisplayWidth.columns(text(of: limit.limit)) + limit.hours.name.count
      softBreak("within", width: width, indent: continuation)
      word("within")
      value(limit.limit)
      word("if")
      word("during")
      name(limit.hours)
    }
    if let counting = b.countingOnly {
      softBreak("counting", width: "counting only during ".count + counting.name.count, indent: indent)
      word("counting")
      word("only")
      word("during")
      name(counting)
    }
  }

  /// `a or b or c` (event names).
  mutating func response(_ response: Response) {
    switch response {
    case .reply(let kind, _):
      if kind == .human { word("human") }
      word("reply")
    case .event(let names, _):
      word("event")
      eventNames(names)
    case .anyOf(let alternatives, _):
      for (i, alternative) in alternatives.enumerated() {
        if i > 0 { word("or") }
        self.response(alternative)
      }
    }
  }

  mutating func eventNames(_ names: [Identifier]) {
    for (i, event) in names.enumerated() {
      if i > 0 { word("or") }
      name(event)
    }
  }

  /// `rate of R per UNIT over PERIOD [during H]` and, on the next line, `at least V [when ...]`
  /// (or `at most`, `more than`, `less than`).
  mutating func rate(_ b: RateBody, indent: Int) {
    let continuation = indent + 4
    word("rate")
    word("of")
    switch b.of {
    case .rule(let rule): name(rule)
    case .happening(let h): happening(h)
    }
    word("per")
    switch b.per {
    case .unit(.message): word("message")
    case .unit(.conversation): word("conversation")
    case .unit(.buyerDay):
      word("buyer")
      word("day")
    case .happening(let h): happening(h)
    }
    word("over")
    switch b.period {
    case .day: word("day")
    case .month: word("month")
    case .rolling(let length):
      word("rolling")
      value(length)
    case .last(let length):
      word("last")
      value(length)
    }
    if let during = b.during {
      softBreak("during", width: 7 + during.name.count, indent: continuation)
      word("during")
      name(during)
    }
    writer.newline(indent: indent, blank: .never)
    for w in b.comparison.rawValue.split(separator: " ") { word(String(w)) }
    value(b.threshold)
    if let minimum = b.minimum {
      // The closing word (`buyers`) is not in the tree: it is the token after the minimum.
      let closing = writer.tokenIndex(atOrAfter: Int(minimum.span.end))
      let closingText = writer.text(ofToken: closing)
      let width = "when more than  ".count + DisplayWidth.columns(text(of: minimum)) + closingText.count
      softBreak("when", width: width, indent: continuation)
      for w in ["when", "more", "than"] { word(w) }
      value(minimum)
      if closing < writer.tokens.count && writer.tokens[closing].kind == .identifier {
        _ = writer.take(span: writer.tokens[closing].span)
        writer.write(closingText, token: closing)
      }
    }
  }

  /// Breaks the line before the word `text` when the author did, or when the `width` columns
  /// from it on would not fit.
  mutating func softBreak(_ text: String, width: Int, indent: Int) {
    // A comment breaking the line here continues where a break here would.
    writer.continuation = indent
    let token = writer.find(text)
    if writer.isAtLineStart(token) || writer.nextColumn() + width > FormatWriter.lineWidth {
      writer.newline(indent: indent, blank: .never)
    }
  }

  mutating func sender(_ sender: SenderSpec) {
    switch sender.kind {
    case .human: word("human")
    case .auto: word("auto")
    case .any: break
    }
    word(sender.role.rawValue)
  }

  func senderText(_ sender: SenderSpec) -> String {
    switch sender.kind {
    case .human: return "human " + sender.role.rawValue
    case .auto: return "auto " + sender.role.rawValue
    case .any: return sender.role.rawValue
    }
  }

  // MARK: - Conditions

  /// Whether `child` needs parentheses as an operand of `parent` for the tree to read back the
  /// same: `or` inside `and`, `or` or `not`; `and` inside `and` or `not`.
  static func needsParentheses(_ child: Condition, in parent: Condition) -> Bool {
    switch (child, parent) {
    case (.or, .and), (.or, .or), (.or, .not), (.and, .and), (.and, .not): return true
    default: return false
    }
  }

  /// Parentheses are written where the tree needs them, and around an `and` inside `or` where
  /// the author wrote them (they make the precedence plain); other redundant ones are dropped.
  func wantsParentheses(_ child: Condition, in parent: Condition) -> Bool {
    if Self.needsParentheses(child, in: parent) { return true }
    guard case .and = child, case .or = parent else { return false }
    guard let first = writer.tokenIndex(of: child.span), first > 0 else { return false }
    return writer.tokens[first - 1].kind == .leftParen
  }

  /// A condition on one line, as the printer writes it.
  func flat(_ condition: Condition) -> String {
    switch condition {
    case .and(let operands, _), .or(let operands, _):
      let op = Self.isAnd(condition) ? " and " : " or "
      return operands.map { operandText($0, in: condition) }.joined(separator: op)
    case .not(let inner, _):
      return "not " + operandText(inner, in: condition)
    case .from(let s):
      return "from " + senderText(s)
    case .containsAny(let list, _):
      return "contains any " + list.name
    case .containsTerm(let s, _):
      return "contains " + StringLiteralSpelling.quoted(s.value)
    case .containsAtLeast(let count, let list, _):
      return "contains at least \(text(of: count)) of \(list.name)"
    case .detector(let kind, let allowed, _):
      return "contains " + kind.rawValue + (allowed.map { " outside " + $0.name } ?? "")
    case .near(let list, let distance, _):
      return "contains any \(list.name) near account within \(text(of: distance))"
    case .phoneIn(let regions, _):
      return "contains phone in [" + regions.map(\.name).joined(separator: ", ") + "]"
    case .nearWords(let list, let other, let distance, _):
      return "contains any \(list.name) near any \(other.name) within \(text(of: distance))"
    case .matches(let s, _):
      return "matches " + StringLiteralSpelling.quoted(s.value)
    case .matchesNamed(let n, _):
      return "matches " + n.name
    case .length(let atMost, let v, _):
      return "length at \(atMost ? "most" : "least") \(text(of: v))"
    case .hasAttachment(let type, _):
      return "has attachment" + (type.map { " " + $0.name } ?? "")
    case .attachmentOfType(let type, let negated, let fileTypes, _):
      return "has attachment" + (type.map { " " + $0.name } ?? "") + (negated ? " not" : "") + " of type ["
        + fileTypes.map { StringLiteralSpelling.quoted($0.value) }.joined(separator: ", ") + "]"
    case .history(let h):
      return historyWords(h).joined(separator: " ")
    case .conversation(let w):
      return conversationWords(w).joined(separator: " ")
    }
  }

  /// A conversation word's words.
  func conversationWords(_ w: ConversationWord) -> [String] {
    switch w {
    case .idle(let v, _): return ["after", text(of: v), "idle"]
    case .unanswered: return ["unanswered"]
    case .proactive: return ["proactive"]
    case .answered(let v, _): return ["answered", "within", text(of: v)]
    }
  }

  /// A history condition's words, as `flat` writes it.
  func historyWords(_ h: HistoryCondition) -> [String] {
    var words: [String]
    switch h.kind {
    case .after: words = ["after"]
    case .within(let v): words = ["within", text(of: v), "after"]
    case .moreThan(let v): words = ["more than", text(of: v), "after"]
    case .count(let comparison, let v, _): words = [comparison.rawValue, text(of: v)]
    }
    if h.first { words.append("first") }
    words.append(happeningText(h.happening))
    if case .count(_, _, let window?) = h.kind { words += ["within", text(of: window)] }
    if let without = h.without { words += ["without", happeningText(without)] }
    return words
  }

  func happeningText(_ happening: Happening) -> String {
    switch happening {
    case .message(let condition, let plural, _):
      let word = plural ? "messages" : "message"
      guard let condition else { return word }
      let inner = flat(condition)
      return word + " " + (Self.happeningNeedsParentheses(condition) ? "(" + inner + ")" : inner)
    case .event(let names, let plural, _):
      let word = plural ? "events" : "event"
      if names.count == 1, let only = names.first { return word + " " + only.name }
      return word + " (" + names.map(\.name).joined(separator: " or ") + ")"
    }
  }

  /// The condition after `message` is one `NotCond`: an `and`, an `or` and a history condition
  /// need parentheses there.
  static func happeningNeedsParentheses(_ condition: Condition) -> Bool {
    switch condition {
    case .and, .or, .history: return true
    default: return false
    }
  }

  func operandText(_ operand: Condition, in parent: Condition) -> String {
    wantsParentheses(operand, in: parent) ? "(" + flat(operand) + ")" : flat(operand)
  }

  static func isAnd(_ condition: Condition) -> Bool {
    if case .and = condition { return true }
    return false
  }

  /// True when the author broke the line at the operator before `operand` (before or after it).
  func sourceBreaksBefore(_ operand: Condition) -> Bool {
    guard let first = writer.tokenIndex(of: operand.span), first > 0 else { return false }
    var i = first - 1
    while i > 0 && writer.tokens[i].kind == .leftParen { i -= 1 }
    let op = writer.tokens[i]
    guard op.is(.and) || op.is(.or) else { return false }
    // Before the operator, or after it (before a `(` or the operand itself).
    return (i...first).contains { writer.isAtLineStart($0) }
  }

  /// Writes a condition starting at the current column. `continuation` is the column its broken
  /// lines start at (`nil`: the column of its first operand); `suffix` counts the `)` that follow.
  mutating func condition(_ condition: Condition, continuation: Int?, suffix: Int) {
    switch condition {
    case .and(let operands, _), .or(let operands, _):
      let op = Self.isAnd(condition) ? "and" : "or"
      let start = writer.nextColumn()
      let column = continuation ?? start
      let saved = writer.continuation
      writer.continuation = column
      let texts = operands.map { operandText($0, in: condition) }
      let broken = operands.indices.map { $0 > 0 && sourceBreaksBefore(operands[$0]) }
      let breakAll =
        !broken.contains(true)
        && start + DisplayWidth.columns(flat(condition)) + suffix > FormatWriter.lineWidth
      for (i, operand) in operands.enumerated() {
        let last = i == operands.count - 1
        let tail = last ? suffix : 0
        if i > 0 {
          let width = op.count + 2 + DisplayWidth.columns(texts[i]) + tail
          if breakAll || broken[i] || writer.nextColumn() + width - 1 > FormatWriter.lineWidth {
            writer.newline(indent: column, blank: .never)
          }
          word(op)
        }
        self.operand(operand, in: condition, suffix: tail, nested: column + op.count + 1)
      }
      writer.continuation = saved
    case .not(let inner, _):
      word("not")
      operand(inner, in: condition, suffix: suffix, nested: nil)
    default:
      atom(condition)
    }
  }

  /// Writes an operand of `parent`; a group without parentheses (an `and` inside `or`) continues
  /// at `nested`, under the operands that follow the parent's operators.
  mutating func operand(_ operand: Condition, in parent: Condition, suffix: Int, nested: Int?) {
    guard wantsParentheses(operand, in: parent) else {
      condition(operand, continuation: nested, suffix: suffix)
      return
    }
    word("(")
    writer.glueNext = true
    condition(operand, continuation: nil, suffix: suffix + 1)
    word(")", glued: true)
  }

  mutating func atom(_ condition: Condition) {
    switch condition {
    case .from(let s):
      word("from")
      sender(s)
    case .containsAny(let list, _):
      word("contains")
      word("any")
      name(list)
    case .containsTerm(let s, _):
      word("contains")
      string(s)
    case .containsAtLeast(let count, let list, _):
      for w in ["contains", "at", "least"] { word(w) }
      value(count)
      word("of")
      name(list)
    case .detector(let kind, let allowed, _):
      word("contains")
      word(kind.rawValue)
      if let allowed {
        word("outside")
        name(allowed)
      }
    case .near(let list, let distance, _):
      word("contains")
      word("any")
      name(list)
      for w in ["near", "account", "within"] { word(w) }
      value(distance)
    case .phoneIn(let regions, _):
      for w in ["contains", "phone", "in", "["] { word(w) }
      writer.glueNext = true
      for (k, region) in regions.enumerated() {
        if k > 0 { word(",", glued: true) }
        name(region)
      }
      word("]", glued: true)
    case .nearWords(let list, let other, let distance, _):
      word("contains")
      word("any")
      name(list)
      word("near")
      word("any")
      name(other)
      word("within")
      value(distance)
    case .matches(let s, _):
      word("matches")
      string(s)
    case .matchesNamed(let n, _):
      word("matches")
      name(n)
    case .length(let atMost, let v, _):
      word("length")
      word("at")
      word(atMost ? "most" : "least")
      value(v)
    case .hasAttachment(let type, _):
      word("has")
      word("attachment")
      if let type { name(type) }
    case .attachmentOfType(let type, let negated, let fileTypes, _):
      word("has")
      word("attachment")
      if let type { name(type) }
      if negated { word("not") }
      for w in ["of", "type", "["] { word(w) }
      writer.glueNext = true
      for (k, fileType) in fileTypes.enumerated() {
        if k > 0 { word(",", glued: true) }
        string(fileType)
      }
      word("]", glued: true)
    case .history(let h):
      history(h)
    case .conversation(.idle(let v, _)):
      word("after")
      value(v)
      word("idle")
    case .conversation(.unanswered):
      word("unanswered")
    case .conversation(.proactive):
      word("proactive")
    case .conversation(.answered(let v, _)):
      word("answered")
      word("within")
      value(v)
    case .and, .or, .not:
      self.condition(condition, continuation: nil, suffix: 0)
    }
  }

  mutating func history(_ h: HistoryCondition) {
    switch h.kind {
    case .after:
      word("after")
    case .within(let v):
      word("within")
      value(v)
      word("after")
    case .moreThan(let v):
      word("more")
      word("than")
      value(v)
      word("after")
    case .count(let comparison, let v, _):
      for w in comparison.rawValue.split(separator: " ") { word(String(w)) }
      value(v)
    }
    if h.first { word("first") }
    happening(h.happening)
    if case .count(_, _, let window?) = h.kind {
      word("within")
      value(window)
    }
    if let without = h.without {
      word("without")
      happening(without)
    }
  }

  mutating func happening(_ happening: Happening) {
    switch happening {
    case .message(let condition, let plural, _):
      word(plural ? "messages" : "message")
      guard let condition else { return }
      guard Self.happeningNeedsParentheses(condition) else {
        self.condition(condition, continuation: nil, suffix: 0)
        return
      }
      word("(")
      writer.glueNext = true
      self.condition(condition, continuation: nil, suffix: 1)
      word(")", glued: true)
    case .event(let names, let plural, _):
      word(plural ? "events" : "event")
      guard names.count > 1 else {
        if let only = names.first { name(only) }
        return
      }
      word("(")
      writer.glueNext = true
      for (i, n) in names.enumerated() {
        if i > 0 { word("or") }
        name(n)
      }
      word(")", glued: true)
    }
  }
}
