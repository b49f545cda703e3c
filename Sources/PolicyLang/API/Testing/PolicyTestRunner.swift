// Runs the tests written inside a policy (`test "..." { ... }`) on its compiled program: each
// test's events become one conversation, every obligation is judged (or judged at `as of`), and
// each expectation is compared with the verdicts.

/// One expectation of a policy test that did not hold.
public struct PolicyTestFailure: Sendable, Equatable {
  /// The `expect` line.
  public var span: SourceSpan
  /// What the expectation asked for, e.g. `violation of third_party_info at 1 matching "薇信"`.
  public var expected: String
  /// Every verdict the test's conversation produced, one short line each.
  public var actual: [String]
}

/// The outcome of one policy test.
public struct PolicyTestOutcome: Sendable, Equatable {
  public var name: String
  /// The `test` declaration.
  public var span: SourceSpan
  /// The rule the test is written inside, if any.
  public var rule: String?
  public var failures: [PolicyTestFailure]
  public var passed: Bool { failures.isEmpty }
}

/// Runs a policy's inline tests on the program compiled from it.
public enum PolicyTestRunner {
  /// The conversation id and shop every test conversation is evaluated under.
  public static let conversation: ByteString = "test"
  public static let shop: ByteString = "test-shop"

  public static func run(_ policy: CheckedPolicy) throws(CompileError) -> [PolicyTestOutcome] {
    let evaluator = try Evaluator(program: try RuleProgram(compiling: policy))
    return policy.tests.map { run($0, policy: policy, evaluator: evaluator) }
  }

  /// The events of a test as the evaluator receives them, times read in the policy's zone.
  public static func events(of test: CheckedTest, zone: PolicyZone) -> [Event] {
    test.events.map { e in
      let at = zone.instant(of: e.at.date, secondsOfDay: Int64(e.at.secondsOfDay))
      switch e.kind {
      case .message(let role, let auto, let text, let attachments):
        let converted = attachments.map {
          Attachment(
            kind: attachmentKind($0.type), url: $0.url.map { Array($0.utf8) }, qr: $0.qr,
            name: $0.name.map { Array($0.utf8) }, mime: $0.mime.map { Array($0.utf8) })
        }
        let message =
          text.map { Message(role: role, auto: auto, text: $0, attachments: converted) }
          ?? Message(role: role, auto: auto, attachments: converted)
        return Event(conversation: conversation, shop: shop, at: at, kind: .message(message))
      case .event(let name):
        return Event(conversation: conversation, shop: shop, at: at, kind: .event(name: ByteString(name)))
      }
    }
  }

  static func run(_ test: CheckedTest, policy: CheckedPolicy, evaluator: Evaluator) -> PolicyTestOutcome {
    let zone = evaluator.calendar.zone
    let asOf = test.asOf.map { zone.instant(of: $0.date, secondsOfDay: Int64($0.secondsOfDay)) }
    let session = EvaluationSession(evaluators: [evaluator])
    let verdicts = session.run(
      events: events(of: test, zone: zone), options: EvaluationOptions(asOf: asOf, jobs: 1)
    ).verdicts.map(\.verdict)
    var failures: [PolicyTestFailure] = []
    for expectation in test.expectations {
      let rule = policy.rules[expectation.rule].name
      let hits = verdicts.filter { verdict in
        guard verdict.rule == rule else { return false }
        if let at = expectation.at, eventIndex(verdict) != at { return false }
        if let text = expectation.matching {
          return evidence(verdict).contains { $0.match?.contains(text) ?? false }
        }
        return true
      }
      if expectation.negated != hits.isEmpty {
        failures.append(
          PolicyTestFailure(
            span: expectation.span, expected: describe(expectation, rule: rule),
            actual: verdicts.map { summary($0, zone: zone) }))
      }
    }
    return PolicyTestOutcome(
      name: test.name, span: test.span, rule: test.enclosingRule.map { policy.rules[$0].name },
      failures: failures)
  }

  static func attachmentKind(_ type: String) -> AttachmentKind {
    AttachmentKind.allCases.first { $0.name == type } ?? .file
  }

  static func eventIndex(_ verdict: Verdict) -> Int? {
    switch verdict.detail {
    case .content(let e, _), .timing(let e, _, _, _): return e.event
    case .aggregate: return nil
    }
  }

  static func evidence(_ verdict: Verdict) -> [Evidence] {
    if case .content(_, let evidence) = verdict.detail { return evidence }
    return []
  }

  static func describe(_ e: CheckedExpectation, rule: String) -> String {
    var text = (e.negated ? "no violation of " : "violation of ") + rule
    if let at = e.at { text += " at \(at)" }
    if let m = e.matching { text += " matching \"\(m)\"" }
    return text
  }

  /// `rule at N [kind:match, ...]`, for failure reports; times in `zone` (the policy's) when given.
  public static func summary(_ verdict: Verdict, zone: PolicyZone? = nil) -> String {
    var text = verdict.rule
    if let at = eventIndex(verdict) { text += " at \(at)" }
    let found = evidence(verdict).map { "\($0.kind):\($0.match ?? "#\($0.attachment ?? 0)")" }
    if !found.isEmpty { text += " [" + found.joined(separator: ", ") + "]" }
    if case .timing(_, _, let deadline, let answered) = verdict.detail {
      let time = { (t: Timestamp) in zone.map { $0.rfc3339(t) } ?? "\(t)" }
      text += " deadline \(time(deadline))" + (answered.map { " answered \(time($0))" } ?? " unanswered")
    }
    return text
  }
}
