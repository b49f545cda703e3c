// Hand-built checked policies and events for the compile and evaluate tests (Asia/Shanghai).

@testable import PolicyLang

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

  static func program(_ policy: CheckedPolicy) throws -> Program { try Program(compiling: policy) }

  static func evaluator(_ policy: CheckedPolicy) throws -> Evaluator {
    try Evaluator(program: try Program(compiling: policy))
  }

  /// `"2026-11-20 10:00"` or `"2026-11-20 10:00:30"` (optionally `.NNNNNNNNN`) in Shanghai.
  static func at(_ text: String) -> Timestamp {
    let parts = text.split(separator: " ")
    let date = parts[0].split(separator: "-").compactMap { Int($0) }
    let clockAndFraction = parts[1].split(separator: ".")
    let clock = clockAndFraction[0].split(separator: ":").compactMap { Int64($0) }
    let nanos = clockAndFraction.count > 1 ? Int32(clockAndFraction[1]) ?? 0 : 0
    let day = daysFromCivil(CivilDate(year: date[0], month: date[1], day: date[2]))
    let local = day * 86400 + clock[0] * 3600 + clock[1] * 60 + (clock.count > 2 ? clock[2] : 0)
    return Timestamp(seconds: local - 8 * 3600, nanos: nanos)
  }

  static func message(
    _ role: SenderRole, _ time: String, _ text: String? = nil, auto: Bool = false,
    conversation: String = "c-1", shop: String? = "s-1", agent: String? = nil,
    attachments: [Attachment] = [], buyer: String? = nil, line: Int = 0
  ) -> Event {
    Event(
      conversation: ByteString(conversation), shop: shop.map(ByteString.init),
      buyer: buyer.map(ByteString.init), at: at(time),
      body: .message(
        from: role, auto: auto, agent: agent.map(ByteString.init), text: text,
        attachments: attachments),
      lineOrder: line)
  }

  static func event(_ name: String, _ time: String, conversation: String = "c-1", line: Int = 0)
    -> Event
  {
    Event(
      conversation: ByteString(conversation), shop: nil, at: at(time), body: .event(name: name),
      lineOrder: line)
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
    agent: String? = nil, attachments: [Attachment] = [], buyer: String? = nil
  ) {
    events.append(
      Fixture.message(
        role, time, text, auto: auto, conversation: conversation, shop: shop, agent: agent,
        attachments: attachments, buyer: buyer, line: events.count))
  }

  mutating func event(_ name: String, _ time: String) {
    events.append(Fixture.event(name, time, conversation: conversation, line: events.count))
  }
}
