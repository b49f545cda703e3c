// Tests written inside policies: event times filled in and in order, attachments of known
// types, and expectations that name a rule and an event that exist.

import PolicyLangCore

extension Checker {
  /// The date of a test's first event when it gives none: a Monday.
  static let defaultTestDate = CivilDate(year: 2026, month: 1, day: 5)

  mutating func resolveTest(_ test: TestDecl, enclosingRule: Int?) -> CheckedTest {
    var events: [CheckedTestEvent] = []
    var date = Self.defaultTestDate
    var previous: (at: LocalMoment, span: SourceSpan)?
    for event in test.events {
      let time: TestTime
      let kind: CheckedTestEventKind
      switch event {
      case .message(let role, let auto, let t, let text, let attachments, _):
        time = t
        var checked: [CheckedTestAttachment] = []
        for attachment in attachments {
          if !Self.attachmentTypes.contains(attachment.type.name) {
            report(unknownAttachment(attachment.type))
          }
          checked.append(
            CheckedTestAttachment(
              type: attachment.type.name, qr: attachment.qr, url: attachment.url?.value,
              name: attachment.name?.value, mime: attachment.mime?.value))
        }
        kind = .message(role: role, auto: auto, text: text?.value, attachments: checked)
      case .event(let name, let t, _):
        time = t
        kind = .event(name: name.name)
      }
      let at = localTime(time, defaultDate: date)
      date = at.date
      if let previous, (at.date, at.secondsOfDay) < (previous.at.date, previous.at.secondsOfDay) {
        report(
          Diagnostic(
            .testEventsOutOfOrder,
            LocalizedText("this event is earlier than the one before it", zh: "此事件早于它前面的事件"),
            at: time.span,
            labels: [DiagnosticLabel(previous.span, LocalizedText("the event before", zh: "前一个事件"))],
            help: LocalizedText(
              "list events in time order; an event without a date is on the previous event's date",
              zh: "按时间顺序列出事件;没有日期的事件与前一个事件同一天")))
      }
      previous = (at, time.span)
      events.append(CheckedTestEvent(kind: kind, at: at, span: event.span))
    }
    var expectations: [CheckedExpectation] = []
    for expectation in test.expectations {
      var rule = enclosingRule ?? 0
      var known = enclosingRule != nil
      if let name = expectation.rule {
        let found = lookupRule(name)
        rule = found ?? 0
        known = found != nil
      } else if enclosingRule == nil {
        report(
          Diagnostic(
            .expectationWithoutRule,
            LocalizedText(
              "this expectation does not say which rule it is about",
              zh: "此预期没有指明是哪条规则"),
            at: expectation.span,
            help: LocalizedText(
              "in a test outside a rule, write `expect violation of RULE`",
              zh: "在规则外的测试中,写 `expect violation of 规则名`")))
      }
      if let index = expectation.at, !events.indices.contains(index) {
        report(
          Diagnostic(
            .eventIndexOutOfRange,
            LocalizedText(
              "`at \(index)`: this test has \(events.count) events, numbered from 0",
              zh: "`at \(index)`:此测试有 \(events.count) 个事件,从 0 开始编号"),
            at: expectation.span,
            help: events.isEmpty
              ? LocalizedText("add the events the expectation is about", zh: "加上预期所指的事件")
              : LocalizedText(
                "the last event is `at \(events.count - 1)`", zh: "最后一个事件是 `at \(events.count - 1)`")))
      }
      if known, let body = rules.indices.contains(rule) ? rules[rule].decl.body : nil {
        checkExpectation(expectation, against: body)
      }
      expectations.append(
        CheckedExpectation(
          negated: expectation.negated, rule: rule, at: expectation.at, matching: expectation.matching?.value,
          span: expectation.span))
    }
    let asOf = test.asOf.map { localTime($0, defaultDate: date) }
    return CheckedTest(
      name: test.name.value, enclosingRule: enclosingRule, events: events, expectations: expectations,
      asOf: asOf, span: test.span)
  }

  /// Reports an expectation that no verdict of a rule with `body` can meet (E0512).
  private mutating func checkExpectation(_ expectation: Expectation, against body: RuleBody) {
    var problem: LocalizedText?
    switch body {
    case .rate:
      if expectation.at != nil {
        problem = LocalizedText(
          "a rate's verdict is about a shop's period, never about one event: `at N` cannot hold",
          zh: "比率判定针对店铺的一个周期,而不是某个事件:`at N` 不会成立")
      } else if expectation.matching != nil {
        problem = LocalizedText(
          "a rate's verdict has no text evidence: `matching` cannot hold",
          zh: "比率判定没有文本证据:`matching` 不会成立")
      }
    case .obligation, .manual, .burst:
      if expectation.matching != nil {
        problem = LocalizedText(
          "this rule's verdicts have no text evidence: `matching` cannot hold",
          zh: "此规则的判定没有文本证据:`matching` 不会成立")
      }
    case .message, .afterStop:
      break
    }
    guard let problem else { return }
    report(
      Diagnostic(
        .expectationNeverHolds, problem, at: expectation.span,
        help: LocalizedText(
          "expect what the rule's verdicts carry: drop `at N` for rates, `matching` for rules without text evidence",
          zh: "只预期规则判定会带有的内容:比率规则去掉 `at N`,没有文本证据的规则去掉 `matching`")))
  }

  /// A test time with its date filled in; the time and date are checked.
  private mutating func localTime(_ time: TestTime, defaultDate: CivilDate) -> LocalMoment {
    var date = defaultDate
    if let written = time.date, checkDate(written) {
      date = CivilDate(year: Int64(written.year), month: written.month, day: written.day)
    }
    let seconds = checkTime(time.time, allowEndOfDay: false) ? time.time.secondsOfDay : 0
    return LocalMoment(date: date, secondsOfDay: seconds)
  }
}
