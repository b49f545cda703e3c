// Hand-built checked policies and events for the compile and evaluate tests (Asia/Shanghai).

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

enum Fixture {
  static let severities = ["review", "minor", "major", "severe"].map {
    CheckedSeverity(name: $0, title: nil, sanction: $0, clause: nil, span: .none)
  }
  static let minor = 1
  static let major = 2

  static func list(_ name: String, _ terms: [String]) -> CheckedTermList {
    CheckedTermList(
      name: name, title: nil,
      terms: terms.map { entry in
        let parts = entry.split(separator: "|").map(String.init)
        return CheckedTerm(term: parts.first ?? entry, variants: Array(parts.dropFirst()), span: .none)
      }, span: .none)
  }

  /// Hours holding the same windows every day; `(start, end)` in hours (24 = midnight).
  static func hours(_ name: String, _ ranges: [(Int, Int)], except: [CivilDate] = []) -> CheckedHours {
    let windows = ranges.map { SecondsRange(start: $0.0 * 3600, end: $0.1 * 3600) }
    return CheckedHours(
      name: name, windowsByWeekday: Array(repeating: windows, count: 7), excludedDates: except,
      span: .none)
  }

  static func rule(_ name: String, _ body: CheckedRuleBody, severity: Int? = 1) -> CheckedRule {
    if case .manual = body {
      return CheckedRule(name: name, title: name, clause: 0, severity: nil, body: body, span: .none)
    }
    return CheckedRule(name: name, title: name, clause: 0, severity: severity, body: body, span: .none)
  }

  static func policy(
    _ rules: [CheckedRule], lists: [CheckedTermList] = [], hours: [CheckedHours] = [],
    domains: [CheckedDomainList] = [], escalations: [CheckedEscalation] = []
  ) -> CheckedPolicy {
    CheckedPolicy(
      name: "demo", title: "demo", source: "demo.txt", sourceDate: nil, zone: "Asia/Shanghai",
      normalization: Set(NormalizationStep.allCases),
      clauses: [CheckedClause(id: "C-1", title: "c", kind: .content, span: .none)],
      severities: severities, escalations: escalations, termLists: lists, domainLists: domains,
      hours: hours, rules: rules, tests: [], sources: SourceMap(), span: .none)
  }

  static func program(_ policy: CheckedPolicy) throws -> RuleProgram { try RuleProgram(compiling: policy) }

  static func evaluator(_ policy: CheckedPolicy) throws -> Evaluator {
    try Evaluator(program: try RuleProgram(compiling: policy))
  }

  /// `"2026-11-20 10:00"` or `"2026-11-20 10:00:30"` (optionally `.NNNNNNNNN`) in Shanghai.
  static func at(_ text: String) -> Timestamp {
    let parts = text.split(separator: " ")
    let date = parts[0].split(separator: "-").compactMap { Int($0) }
    let clockAndFraction = parts[1].split(separator: ".")
    let clock = clockAndFraction[0].split(separator: ":").compactMap { Int64($0) }
    let nanos = clockAndFraction.count > 1 ? Int32(clockAndFraction[1]) ?? 0 : 0
    let day = CivilDate(year: Int64(date[0]), month: date[1], day: date[2]).daysSinceEpoch
    let local = day * 86400 + clock[0] * 3600 + clock[1] * 60 + (clock.count > 2 ? clock[2] : 0)
    return Timestamp(seconds: local - 8 * 3600, nanoseconds: nanos)
  }

  static func message(
    _ role: SenderRole, _ time: String, _ text: String? = nil, auto: Bool = false,
    conversation: String = "c-1", shop: String? = "s-1", agent: String? = nil,
    attachments: [PolicyLang.Attachment] = [], buyer: String? = nil
  ) -> Event {
    let message =
      text.map { Message(role: role, auto: auto, text: $0, attachments: attachments) }
      ?? Message(role: role, auto: auto, attachments: attachments)
    return Event(
      conversation: ByteString(conversation), shop: shop.map { ByteString($0) },
      buyer: buyer.map { ByteString($0) }, agent: agent.map { ByteString($0) }, at: at(time),
      kind: .message(message))
  }

  static func event(_ name: String, _ time: String, conversation: String = "c-1") -> Event {
    Event(conversation: ByteString(conversation), at: at(time), kind: .event(name: ByteString(name)))
  }

  static func attachment(
    _ kind: AttachmentKind, url: String? = nil, qr: Bool = false
  )
    -> PolicyLang.Attachment
  {
    PolicyLang.Attachment(kind: kind, url: url.map { Array($0.utf8) }, qr: qr)
  }

  static let fromSeller = CheckedCondition.from(.seller, .any)
  static let fromBuyer = CheckedCondition.from(.buyer, .any)

  /// AE-1.2.1: every buyer message needs a human reply within 24h, 1h when opened in 08:00-24:00.
  static func replySpeed(countingOnly: Bool = false) -> CheckedPolicy {
    policy(
      [
        rule(
          "reply_speed",
          .obligation(
            CheckedObligation(
              trigger: .message(fromBuyer), during: nil, response: .reply(.human),
              limits: [
                CheckedLimit(seconds: 86400, ifDuring: nil), CheckedLimit(seconds: 3600, ifDuring: 0),
              ], countingOnly: countingOnly ? 0 : nil)))
      ], hours: [hours("peak", [(8, 24)])])
  }
}

/// Events in the order written; line order is the order of `add` calls.
struct Transcript {
  var events: [Event] = []
  var conversation = "c-1"
  var shop: String? = "s-1"

  init(_ conversation: String = "c-1", shop: String? = "s-1") {
    self.conversation = conversation
    self.shop = shop
  }

  mutating func add(
    _ role: SenderRole, _ time: String, _ text: String? = nil, auto: Bool = false,
    agent: String? = nil, attachments: [PolicyLang.Attachment] = [], buyer: String? = nil
  ) {
    events.append(
      Fixture.message(
        role, time, text, auto: auto, conversation: conversation, shop: shop, agent: agent,
        attachments: attachments, buyer: buyer))
  }

  mutating func event(_ name: String, _ time: String) {
    events.append(Fixture.event(name, time, conversation: conversation))
  }
}

/// Short reads of a verdict's fields for assertions.
extension Verdict {
  var reference: VerdictEvent? {
    switch detail {
    case .content(let e, _), .timing(let e, _, _, _): return e
    case .aggregate: return nil
    }
  }
  var event: Int? { reference?.event }
  var at: Timestamp? { reference?.at }
  var conversation: ByteString? { reference?.conversation }
  var agent: ByteString? { reference?.agent }
  var evidence: [Evidence]? {
    if case .content(_, let evidence) = detail { return evidence }
    return nil
  }
  var openedAt: Timestamp? {
    if case .timing(_, let openedAt, _, _) = detail { return openedAt }
    return nil
  }
  var deadline: Timestamp? {
    if case .timing(_, _, let deadline, _) = detail { return deadline }
    return nil
  }
  var answeredAt: Timestamp? {
    if case .timing(_, _, _, let answeredAt) = detail { return answeredAt }
    return nil
  }
  var aggregate: AggregateResult? {
    if case .aggregate(let a) = detail { return a }
    return nil
  }
  var escalatedTo: String? { escalation?.escalatedTo }
}
