// The syntax tree of a `.policy` file. Value types only; every node carries the span of the
// source it came from. Grammar.md gives the production each node comes from.

import PolicyLangCore

/// A name as written: a policy, list, constant, hours, rule, severity or event name.
public struct Identifier: Hashable, Sendable {
  public var name: String
  public var span: SourceSpan
  public init(_ name: String, span: SourceSpan) {
    self.name = name
    self.span = span
  }
}

/// A string literal with its escapes resolved.
public struct StringLiteral: Hashable, Sendable {
  public var value: String
  public var span: SourceSpan
  public init(_ value: String, span: SourceSpan) {
    self.value = value
    self.span = span
  }
}

/// A clause number such as `AE-1.2.1` or `PDD-2.1`.
public struct ClauseRef: Hashable, Sendable {
  public var id: String
  public var span: SourceSpan
  public init(_ id: String, span: SourceSpan) {
    self.id = id
    self.span = span
  }
}

/// A whole file: a platform policy (it has a `policy` header) or a library it imports.
public struct PolicyFile: Sendable, Equatable {
  public var file: FileID
  public var declarations: [Declaration]
  public var span: SourceSpan
  public init(file: FileID, declarations: [Declaration], span: SourceSpan) {
    self.file = file
    self.declarations = declarations
    self.span = span
  }
}

/// One top-level declaration.
public enum Declaration: Sendable, Equatable {
  case policy(PolicyHeader)
  case `import`(ImportDecl)
  case clause(ClauseDecl)
  case terms(TermsDecl)
  case domains(DomainsDecl)
  case constant(ConstDecl)
  case hours(HoursDecl)
  case dates(DatesDecl)
  case pattern(PatternDecl)
  case severity(SeverityDecl)
  case escalation(EscalationDecl)
  case rule(RuleDecl)
  case test(TestDecl)

  public var span: SourceSpan {
    switch self {
    case .policy(let d): return d.span
    case .import(let d): return d.span
    case .clause(let d): return d.span
    case .terms(let d): return d.span
    case .domains(let d): return d.span
    case .constant(let d): return d.span
    case .hours(let d): return d.span
    case .dates(let d): return d.span
    case .pattern(let d): return d.span
    case .severity(let d): return d.span
    case .escalation(let d): return d.span
    case .rule(let d): return d.span
    case .test(let d): return d.span
    }
  }
}

// MARK: - Header and imports

/// `policy NAME "TITLE" { source ... zone ... normalize ... }`
public struct PolicyHeader: Sendable, Equatable {
  public var name: Identifier
  public var title: StringLiteral?
  public var source: StringLiteral?
  /// `dated 2024-11-17` after the source.
  public var sourceDate: DateLiteral?
  /// The zone name as written, e.g. `Asia/Shanghai`.
  public var zone: ZoneName?
  public var normalize: [NormalizeOption]
  public var span: SourceSpan
  public init(
    name: Identifier, title: StringLiteral?, source: StringLiteral?, sourceDate: DateLiteral?,
    zone: ZoneName?, normalize: [NormalizeOption], span: SourceSpan
  ) {
    self.name = name
    self.title = title
    self.source = source
    self.sourceDate = sourceDate
    self.zone = zone
    self.normalize = normalize
    self.span = span
  }
}

/// An IANA zone name such as `Asia/Shanghai` (written bare or as a string).
public struct ZoneName: Hashable, Sendable {
  public var name: String
  public var span: SourceSpan
  public init(_ name: String, span: SourceSpan) {
    self.name = name
    self.span = span
  }
}

/// One word of `normalize`: `all`, `none`, `nfkc`, `casefold`, `simplified`, `separators`, `digits`.
public struct NormalizeOption: Hashable, Sendable {
  public var name: String
  public var span: SourceSpan
  public init(_ name: String, span: SourceSpan) {
    self.name = name
    self.span = span
  }
}

/// `import "common/shared.policy"`
public struct ImportDecl: Sendable, Equatable {
  public var path: StringLiteral
  public var span: SourceSpan
  public init(path: StringLiteral, span: SourceSpan) {
    self.path = path
    self.span = span
  }
}

// MARK: - Catalog, lists, constants, calendars

/// The kind of a catalog clause, as clauses.md classifies it.
public enum ClauseKind: String, Sendable, CaseIterable {
  case content, timeline, aggregate, sanction, manual, definition, informational
}

/// `clause AE-1.2.1 "回复速度" timeline`
public struct ClauseDecl: Sendable, Equatable {
  public var id: ClauseRef
  public var title: StringLiteral
  /// `nil` when the kind word is missing or unknown (the parser reported it).
  public var kind: ClauseKind?
  public var kindSpan: SourceSpan
  public var span: SourceSpan
  public init(
    id: ClauseRef, title: StringLiteral, kind: ClauseKind?, kindSpan: SourceSpan, span: SourceSpan
  ) {
    self.id = id
    self.title = title
    self.kind = kind
    self.kindSpan = kindSpan
    self.span = span
  }
}

/// How a declaration relates to an imported one of the same name.
public enum DeclMode: String, Sendable {
  /// `terms x = ...`: a new name.
  case define
  /// `terms x += ...`: adds to an imported or earlier list.
  case extend
  /// `terms x -= ...`: removes entries from an imported or earlier list.
  case remove
  /// `override terms x = ...`: replaces an imported one.
  case override
}

/// A term and the look-alike spellings reported as it: `"微信" | "薇信" | "威信"`.
public struct TermEntry: Sendable, Equatable {
  public var term: StringLiteral
  public var variants: [StringLiteral]
  public var span: SourceSpan
  public init(term: StringLiteral, variants: [StringLiteral], span: SourceSpan) {
    self.term = term
    self.variants = variants
    self.span = span
  }
}

/// Where a list's terms come from.
public enum TermSource: Sendable, Equatable {
  /// `[ "a", "b" | "c" ]`
  case inline([TermEntry], span: SourceSpan)
  /// `file "contact_apps.txt"`, relative to the declaring file.
  case file(StringLiteral)
}

/// `terms contact_apps "联系方式" = file "contact_apps.txt"` and its `+=` and `override` forms.
public struct TermsDecl: Sendable, Equatable {
  public var mode: DeclMode
  public var name: Identifier
  public var title: StringLiteral?
  public var source: TermSource
  public var span: SourceSpan
  public init(
    mode: DeclMode, name: Identifier, title: StringLiteral?, source: TermSource, span: SourceSpan
  ) {
    self.mode = mode
    self.name = name
    self.title = title
    self.source = source
    self.span = span
  }
}

/// `domains allowed = ["pinduoduo.com", "yangkeduo.com"]`
public struct DomainsDecl: Sendable, Equatable {
  public var mode: DeclMode
  public var name: Identifier
  public var domains: [StringLiteral]
  public var span: SourceSpan
  public init(mode: DeclMode, name: Identifier, domains: [StringLiteral], span: SourceSpan) {
    self.mode = mode
    self.name = name
    self.domains = domains
    self.span = span
  }
}

/// `const reply_limit = 60m`
public struct ConstDecl: Sendable, Equatable {
  public var mode: DeclMode
  public var name: Identifier
  public var value: Literal
  public var span: SourceSpan
  public init(mode: DeclMode, name: Identifier, value: Literal, span: SourceSpan) {
    self.mode = mode
    self.name = name
    self.value = value
    self.span = span
  }
}

/// A day of the week, Monday first.
public enum Weekday: Int, Sendable, CaseIterable, Comparable {
  case mon = 1, tue, wed, thu, fri, sat, sun
  public static func < (a: Weekday, b: Weekday) -> Bool { a.rawValue < b.rawValue }
  public init?(name: String) {
    switch name {
    case "mon": self = .mon
    case "tue": self = .tue
    case "wed": self = .wed
    case "thu": self = .thu
    case "fri": self = .fri
    case "sat": self = .sat
    case "sun": self = .sun
    default: return nil
    }
  }
  public var name: String { ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][rawValue - 1] }
}

/// `mon-fri` or `sat`.
public struct DayRange: Sendable, Equatable {
  public var first: Weekday
  public var last: Weekday
  public var span: SourceSpan
  public init(first: Weekday, last: Weekday, span: SourceSpan) {
    self.first = first
    self.last = last
    self.span = span
  }
}

/// `08:00-24:00`; may cross midnight (`22:00-06:00`).
public struct TimeRange: Sendable, Equatable {
  public var start: TimeOfDayLiteral
  public var end: TimeOfDayLiteral
  public var span: SourceSpan
  public init(start: TimeOfDayLiteral, end: TimeOfDayLiteral, span: SourceSpan) {
    self.start = start
    self.end = end
    self.span = span
  }
}

/// `mon-fri 09:00-12:00, 13:00-18:00` (no days: every day).
public struct HoursPart: Sendable, Equatable {
  public var days: [DayRange]
  public var ranges: [TimeRange]
  public var span: SourceSpan
  public init(days: [DayRange], ranges: [TimeRange], span: SourceSpan) {
    self.days = days
    self.ranges = ranges
    self.span = span
  }
}

/// What `except` names: a `dates` declaration or dates written in place.
public enum DateExclusion: Sendable, Equatable {
  case named(Identifier)
  case dates([DateLiteral], span: SourceSpan)
}

/// `hours office = mon-fri 09:00-18:00; sat 10:00-14:00 except holidays`
public struct HoursDecl: Sendable, Equatable {
  public var mode: DeclMode
  public var name: Identifier
  public var parts: [HoursPart]
  public var except: DateExclusion?
  public var span: SourceSpan
  public init(
    mode: DeclMode, name: Identifier, parts: [HoursPart], except: DateExclusion?, span: SourceSpan
  ) {
    self.mode = mode
    self.name = name
    self.parts = parts
    self.except = except
    self.span = span
  }
}

/// `dates holidays = [2026-10-01, 2026-10-02]`
public struct DatesDecl: Sendable, Equatable {
  public var mode: DeclMode
  public var name: Identifier
  public var dates: [DateLiteral]
  public var span: SourceSpan
  public init(mode: DeclMode, name: Identifier, dates: [DateLiteral], span: SourceSpan) {
    self.mode = mode
    self.name = name
    self.dates = dates
    self.span = span
  }
}

/// `pattern order_number "订单号" = "\\d{18}"`: a pattern with a name, used as `matches NAME`.
public struct PatternDecl: Sendable, Equatable {
  public var mode: DeclMode
  public var name: Identifier
  public var title: StringLiteral?
  public var pattern: StringLiteral
  public var span: SourceSpan
  public init(
    mode: DeclMode, name: Identifier, title: StringLiteral?, pattern: StringLiteral, span: SourceSpan
  ) {
    self.mode = mode
    self.name = name
    self.title = title
    self.pattern = pattern
    self.span = span
  }
}

// MARK: - Severities

/// `severity minor "轻微" sanction "警告" clause AE-1.3.1`
///
/// Severities are ordered as declared: later is more severe.
public struct SeverityDecl: Sendable, Equatable {
  public var name: Identifier
  public var title: StringLiteral?
  public var sanction: StringLiteral?
  public var clause: ClauseRef?
  public var span: SourceSpan
  public init(
    name: Identifier, title: StringLiteral?, sanction: StringLiteral?, clause: ClauseRef?,
    span: SourceSpan
  ) {
    self.name = name
    self.title = title
    self.sanction = sanction
    self.clause = clause
    self.span = span
  }
}

/// `escalate 3 minor within 30d to major clause AE-1.3.2`
public struct EscalationDecl: Sendable, Equatable {
  public var count: ValueExpr
  public var from: Identifier
  public var window: ValueExpr
  public var to: Identifier
  public var clause: ClauseRef?
  public var span: SourceSpan
  public init(
    count: ValueExpr, from: Identifier, window: ValueExpr, to: Identifier, clause: ClauseRef?,
    span: SourceSpan
  ) {
    self.count = count
    self.from = from
    self.window = window
    self.to = to
    self.clause = clause
    self.span = span
  }
}

// MARK: - Literals and values

public struct DateLiteral: Hashable, Sendable {
  public var year: Int
  public var month: Int
  public var day: Int
  public var span: SourceSpan
  public init(year: Int, month: Int, day: Int, span: SourceSpan) {
    self.year = year
    self.month = month
    self.day = day
    self.span = span
  }
}

/// `08:00`, `24:00` or `08:00:30`, unvalidated (the checker rejects `25:00`).
public struct TimeOfDayLiteral: Hashable, Sendable {
  public var hour: Int
  public var minute: Int
  public var second: Int
  public var span: SourceSpan
  public init(hour: Int, minute: Int, second: Int, span: SourceSpan) {
    self.hour = hour
    self.minute = minute
    self.second = second
    self.span = span
  }
  /// Seconds since midnight (86,400 for `24:00`).
  public var secondsOfDay: Int { hour * 3600 + minute * 60 + second }
}

/// A literal value with its unit.
public enum LiteralValue: Hashable, Sendable {
  /// A bare integer: a count.
  case integer(Int64)
  /// `30s 3m 1h 24h 30d 1h30m`, in seconds.
  case duration(seconds: Int64)
  /// `80%` or `99.5%`, in millionths (800,000 for 80%).
  case percent(millionths: Int64)
  /// `20 chars`: a length in characters of normalized text.
  case chars(Int64)
  case string(String)
  case timeOfDay(TimeOfDayLiteral)
  case date(DateLiteral)
}

public struct Literal: Hashable, Sendable {
  public var value: LiteralValue
  public var span: SourceSpan
  public init(_ value: LiteralValue, span: SourceSpan) {
    self.value = value
    self.span = span
  }
}

/// A value written in place or named by a constant.
public enum ValueExpr: Hashable, Sendable {
  case literal(Literal)
  case reference(Identifier)
  public var span: SourceSpan {
    switch self {
    case .literal(let l): return l.span
    case .reference(let r): return r.span
    }
  }
}

// MARK: - Rules

/// `rule ID "TITLE" { clause ... severity ... BODY test ... }`
public struct RuleDecl: Sendable, Equatable {
  public var isOverride: Bool
  public var name: Identifier
  public var title: StringLiteral?
  public var clause: ClauseRef?
  public var severity: Identifier?
  /// `nil` when the rule has no body (the checker reports it).
  public var body: RuleBody?
  public var tests: [TestDecl]
  public var span: SourceSpan
  public init(
    isOverride: Bool, name: Identifier, title: StringLiteral?, clause: ClauseRef?,
    severity: Identifier?, body: RuleBody?, tests: [TestDecl], span: SourceSpan
  ) {
    self.isOverride = isOverride
    self.name = name
    self.title = title
    self.clause = clause
    self.severity = severity
    self.body = body
    self.tests = tests
    self.span = span
  }
}

/// What a rule decides.
public enum RuleBody: Sendable, Equatable {
  /// `when message COND`
  case message(MessageBody)
  /// `every TRIGGER expect RESPONSE within ...`
  case obligation(ObligationBody)
  /// `when more than N messages from seller within D without message from buyer`
  case burst(BurstBody)
  /// `when message COND after buyer says any LIST [allow ...]`
  case afterStop(AfterStopBody)
  /// `rate of RULE per UNIT over PERIOD [during H] at least P [when more than N UNIT]`
  case rate(RateBody)
  /// `manual ["why"]`: a clause only a person can judge.
  case manual(ManualBody)

  public var span: SourceSpan {
    switch self {
    case .message(let b): return b.span
    case .obligation(let b): return b.span
    case .burst(let b): return b.span
    case .afterStop(let b): return b.span
    case .rate(let b): return b.span
    case .manual(let b): return b.span
    }
  }
}

public struct MessageBody: Sendable, Equatable {
  public var condition: Condition
  public var span: SourceSpan
  public init(condition: Condition, span: SourceSpan) {
    self.condition = condition
    self.span = span
  }
}

/// Who sent a message. `human` and `auto` narrow a seller message by its `auto` flag.
/// `from [human|auto] ROLE`
public struct SenderSpec: Hashable, Sendable {
  public var role: SenderRole
  public var kind: ReplyKind
  public var span: SourceSpan
  public init(role: SenderRole, kind: ReplyKind, span: SourceSpan) {
    self.role = role
    self.kind = kind
    self.span = span
  }
}

/// A condition on one message. Depth is bounded by the parser's nesting limit.
public indirect enum Condition: Sendable, Equatable {
  case and([Condition], span: SourceSpan)
  case or([Condition], span: SourceSpan)
  case not(Condition, span: SourceSpan)
  /// `from [human|auto] ROLE`
  case from(SenderSpec)
  /// `contains any LIST`
  case containsAny(list: Identifier, span: SourceSpan)
  /// `contains "term"`
  case containsTerm(StringLiteral, span: SourceSpan)
  /// `contains at least N of LIST`
  case containsAtLeast(count: ValueExpr, list: Identifier, span: SourceSpan)
  /// `contains url [outside DOMAINS]`, `contains email`, ...; `allowed` only for `url`.
  case detector(DetectorKind, allowed: Identifier?, span: SourceSpan)
  /// `contains any LIST near account within N chars`
  case near(list: Identifier, distance: ValueExpr, span: SourceSpan)
  /// `contains phone in [us, sg]`: phone numbers of these numbering plans.
  case phoneIn(regions: [Identifier], span: SourceSpan)
  /// `contains any LIST near any OTHER within N chars`
  case nearWords(list: Identifier, other: Identifier, distance: ValueExpr, span: SourceSpan)
  /// `matches "pattern"`
  case matches(StringLiteral, span: SourceSpan)
  /// `matches NAME`: a declared pattern.
  case matchesNamed(Identifier, span: SourceSpan)
  /// `length at most N chars` / `length at least N chars`
  case length(atMost: Bool, ValueExpr, span: SourceSpan)
  /// `has attachment [TYPE]`
  case hasAttachment(type: Identifier?, span: SourceSpan)
  /// `has attachment [TYPE] [not] of type [".pdf", "image/*"]`: by file type.
  case attachmentOfType(type: Identifier?, negated: Bool, fileTypes: [StringLiteral], span: SourceSpan)
  /// `after H`, `within D after H`, `more than N H within D`, ...: a condition on the events
  /// before the message.
  case history(HistoryCondition)
  /// `after D idle`, `unanswered`, `proactive`, `answered within D`: the conversation words,
  /// shorthands for history conditions (Grammar.md 3, "Conversation words").
  case conversation(ConversationWord)

  public var span: SourceSpan {
    switch self {
    case .and(_, let s), .or(_, let s), .not(_, let s): return s
    case .from(let f): return f.span
    case .containsAny(_, let s), .containsTerm(_, let s), .containsAtLeast(_, _, let s): return s
    case .detector(_, _, let s), .near(_, _, let s), .matches(_, let s), .matchesNamed(_, let s): return s
    case .nearWords(_, _, _, let s), .phoneIn(_, let s), .attachmentOfType(_, _, _, let s): return s
    case .length(_, _, let s), .hasAttachment(_, let s): return s
    case .history(let h): return h.span
    case .conversation(let w): return w.span
    }
  }
}

/// A conversation word: a history condition with a name of its own.
public enum ConversationWord: Sendable, Equatable {
  /// `after D idle`: the conversation's first event, or more than D after its previous event.
  case idle(ValueExpr, span: SourceSpan)
  /// `unanswered`: a buyer message came with no seller message since.
  case unanswered(span: SourceSpan)
  /// `proactive`: a seller message with no buyer message before it in the conversation.
  case proactive(span: SourceSpan)
  /// `answered within D`: a seller message at most D after the first buyer message it answers.
  case answered(within: ValueExpr, span: SourceSpan)

  public var span: SourceSpan {
    switch self {
    case .idle(_, let s), .unanswered(let s), .proactive(let s), .answered(_, let s): return s
    }
  }
}

/// What a history condition looks for in the conversation: a message satisfying a condition, or
/// a non-message event by name.
public enum Happening: Sendable, Equatable {
  /// `message [COND]`; `plural` when written `messages`.
  case message(Condition?, plural: Bool, span: SourceSpan)
  /// `event NAME` or `event (A or B)`; `plural` when written `events`.
  case event([Identifier], plural: Bool, span: SourceSpan)

  public var span: SourceSpan {
    switch self {
    case .message(_, _, let s), .event(_, _, let s): return s
    }
  }
}

/// How a count compares: `more than N`, `at least N`, `at most N`.
public enum CountComparison: String, Sendable, Equatable {
  case moreThan = "more than"
  case atLeast = "at least"
  case atMost = "at most"
}

/// Which history condition.
public enum HistoryKind: Sendable, Equatable {
  /// `after H`
  case after
  /// `within D after H`
  case within(ValueExpr)
  /// `more than D after H`
  case moreThan(ValueExpr)
  /// `more than N H [within D]`, `at least N H ...`, `at most N H ...`
  case count(CountComparison, ValueExpr, window: ValueExpr?)

  /// Whether it is a count (no `after`, so no `first`).
  public var isCount: Bool {
    if case .count = self { return true }
    return false
  }
}

/// `[within D | more than D] after [first] H [without Y]` or `COUNT H [within D] [without Y]`.
public struct HistoryCondition: Sendable, Equatable {
  public var kind: HistoryKind
  /// `after first H`: measured from the first H since the latest `without` (not the latest H).
  public var first: Bool
  public var happening: Happening
  /// The events that end or reset it.
  public var without: Happening?
  public var span: SourceSpan
  public init(
    kind: HistoryKind, first: Bool = false, happening: Happening, without: Happening?, span: SourceSpan
  ) {
    self.kind = kind
    self.first = first
    self.happening = happening
    self.without = without
    self.span = span
  }
}

/// What opens an obligation.
public enum Trigger: Sendable, Equatable {
  /// `message COND` (usually `message from buyer`)
  case message(Condition, span: SourceSpan)
  /// `event refund_requested or dispute_opened`
  case event([Identifier], span: SourceSpan)
  public var span: SourceSpan {
    switch self {
    case .message(_, let s), .event(_, let s): return s
    }
  }
}

/// What discharges an obligation.
public enum Response: Sendable, Equatable {
  /// `human reply` (a seller message that is not auto) or `reply` (any seller message).
  case reply(ReplyKind, span: SourceSpan)
  /// `event order_shipped or ...`
  case event([Identifier], span: SourceSpan)
  /// `human reply or event marked_no_response`: any of the alternatives answers.
  case anyOf([Response], span: SourceSpan)
  public var span: SourceSpan {
    switch self {
    case .reply(_, let s), .event(_, let s), .anyOf(_, let s): return s
    }
  }
}

/// `within 1h if during peak`: a limit that applies when the obligation opens inside `hours`.
public struct ConditionalLimit: Sendable, Equatable {
  public var limit: ValueExpr
  public var hours: Identifier
  public var span: SourceSpan
  public init(limit: ValueExpr, hours: Identifier, span: SourceSpan) {
    self.limit = limit
    self.hours = hours
    self.span = span
  }
}

/// `every message from buyer [during H] expect human reply within 24h, within 1h if during peak
/// [counting only during H]`
public struct ObligationBody: Sendable, Equatable {
  public var trigger: Trigger
  /// Only obligations opened inside these hours count.
  public var during: Identifier?
  public var response: Response
  public var limit: ValueExpr
  public var conditionalLimits: [ConditionalLimit]
  /// The clock runs only inside these hours (a paused clock).
  public var countingOnly: Identifier?
  public var span: SourceSpan
  public init(
    trigger: Trigger, during: Identifier?, response: Response, limit: ValueExpr,
    conditionalLimits: [ConditionalLimit], countingOnly: Identifier?, span: SourceSpan
  ) {
    self.trigger = trigger
    self.during = during
    self.response = response
    self.limit = limit
    self.conditionalLimits = conditionalLimits
    self.countingOnly = countingOnly
    self.span = span
  }
}

/// `when more than N messages from SENDER within D without message from SENDER`
public struct BurstBody: Sendable, Equatable {
  public var count: ValueExpr
  public var sender: SenderSpec
  public var window: ValueExpr
  public var breaker: SenderSpec
  public var span: SourceSpan
  public init(
    count: ValueExpr, sender: SenderSpec, window: ValueExpr, breaker: SenderSpec, span: SourceSpan
  ) {
    self.count = count
    self.sender = sender
    self.window = window
    self.breaker = breaker
    self.span = span
  }
}

/// `allow reply within 10m up to 20 chars containing any acknowledgements [not containing any L]`
public struct Allowance: Sendable, Equatable {
  public var window: ValueExpr
  public var maxLength: ValueExpr?
  public var containing: Identifier?
  /// `not containing any L`: an allowed reply holds no term of L.
  public var notContaining: Identifier?
  public var span: SourceSpan
  public init(
    window: ValueExpr, maxLength: ValueExpr?, containing: Identifier?, notContaining: Identifier? = nil,
    span: SourceSpan
  ) {
    self.window = window
    self.maxLength = maxLength
    self.containing = containing
    self.notContaining = notContaining
    self.span = span
  }
}

/// `when message COND after buyer says any LIST [allow ...]`
public struct AfterStopBody: Sendable, Equatable {
  public var condition: Condition
  public var stopList: Identifier
  public var allowance: Allowance?
  public var span: SourceSpan
  public init(condition: Condition, stopList: Identifier, allowance: Allowance?, span: SourceSpan) {
    self.condition = condition
    self.stopList = stopList
    self.allowance = allowance
    self.span = span
  }
}

/// The unit an aggregate rule counts.
public enum RateUnit: String, Sendable {
  case message
  case buyerDay = "buyer day"
  case conversation
}

/// The period an aggregate rule judges.
public enum RatePeriod: Sendable, Equatable {
  case day
  case month
  case rolling(ValueExpr)
  /// `last D`: the sliding window of D (whole days) ending with each local day.
  case last(ValueExpr)
}

/// What a rate's share must be: `at least P` (the default), `at most P`, `more than P`,
/// `less than P`.
public enum RateComparison: String, Sendable, Equatable, CaseIterable {
  case atLeast = "at least"
  case atMost = "at most"
  case moreThan = "more than"
  case lessThan = "less than"
}

/// What a rate counts: a rule (an obligation rule's units, or a message rule's verdicts), or
/// events (`event order_cancelled`, `message from seller`).
public enum RateSubject: Sendable, Equatable {
  case rule(Identifier)
  case happening(Happening)
}

/// What a rate divides by: a unit of an obligation rule's obligations, or events (a count ratio).
/// `per message` is written the same for both; the checker decides by what the rate counts.
public enum RateDivisor: Sendable, Equatable {
  case unit(RateUnit)
  case happening(Happening)
}

/// `rate of SUBJECT per DIVISOR over PERIOD [during H] THRESHOLD P [when more than N UNIT]`
public struct RateBody: Sendable, Equatable {
  /// What is counted: an obligation rule (a pass rate), a message rule or events (a count ratio).
  public var of: RateSubject
  public var per: RateDivisor
  public var period: RatePeriod
  public var during: Identifier?
  /// How the share compares with `threshold`.
  public var comparison: RateComparison
  public var threshold: ValueExpr
  /// No verdict unless the period has more than this many units.
  public var minimum: ValueExpr?
  public var span: SourceSpan
  public init(
    of: RateSubject, per: RateDivisor, period: RatePeriod, during: Identifier?,
    comparison: RateComparison = .atLeast, threshold: ValueExpr, minimum: ValueExpr?, span: SourceSpan
  ) {
    self.of = of
    self.per = per
    self.period = period
    self.during = during
    self.comparison = comparison
    self.threshold = threshold
    self.minimum = minimum
    self.span = span
  }
}

/// `manual "why a person must judge it"`
public struct ManualBody: Sendable, Equatable {
  public var note: StringLiteral?
  public var span: SourceSpan
  public init(note: StringLiteral?, span: SourceSpan) {
    self.note = note
    self.span = span
  }
}

// MARK: - Tests

/// `test "name" { EVENTS EXPECTATIONS }`, at top level or inside a rule.
public struct TestDecl: Sendable, Equatable {
  public var name: StringLiteral
  public var events: [TestEvent]
  public var expectations: [Expectation]
  /// `as of [DATE] TIME`: the evaluation moment; default: after every deadline.
  public var asOf: TestTime?
  public var span: SourceSpan
  public init(
    name: StringLiteral, events: [TestEvent], expectations: [Expectation], asOf: TestTime?,
    span: SourceSpan
  ) {
    self.name = name
    self.events = events
    self.expectations = expectations
    self.asOf = asOf
    self.span = span
  }
}

/// `[DATE] TIME`; an event without a date is on the previous event's date.
public struct TestTime: Sendable, Equatable {
  public var date: DateLiteral?
  public var time: TimeOfDayLiteral
  public var span: SourceSpan
  public init(date: DateLiteral?, time: TimeOfDayLiteral, span: SourceSpan) {
    self.date = date
    self.time = time
    self.span = span
  }
}

/// `with image qr`, `with qr_code`, `with link "https://..."`
public struct TestAttachment: Sendable, Equatable {
  public var type: Identifier
  public var qr: Bool
  public var url: StringLiteral?
  /// `name "invoice.pdf"`: the file's name.
  public var name: StringLiteral?
  /// `mime "application/pdf"`: the media type.
  public var mime: StringLiteral?
  public var span: SourceSpan
  public init(
    type: Identifier, qr: Bool, url: StringLiteral?, name: StringLiteral? = nil, mime: StringLiteral? = nil,
    span: SourceSpan
  ) {
    self.type = type
    self.qr = qr
    self.url = url
    self.name = name
    self.mime = mime
    self.span = span
  }
}

/// One line of a test conversation.
public enum TestEvent: Sendable, Equatable {
  /// `buyer 10:00 "在吗"`, `seller auto 10:01 "欢迎"`, `seller 10:02 with image qr`
  case message(
    role: SenderRole, auto: Bool, time: TestTime, text: StringLiteral?,
    attachments: [TestAttachment], span: SourceSpan)
  /// `event refund_requested 10:00`
  case event(name: Identifier, time: TestTime, span: SourceSpan)
  public var span: SourceSpan {
    switch self {
    case .message(_, _, _, _, _, let s), .event(_, _, let s): return s
    }
  }
}

/// `expect violation [of RULE] [at N] [matching "text"]` or `expect no violation [of RULE]`.
public struct Expectation: Sendable, Equatable {
  public var negated: Bool
  /// `nil` inside a rule: the enclosing rule.
  public var rule: Identifier?
  /// 0-based event index the verdict must carry.
  public var at: Int?
  /// An evidence `match` the verdict must contain.
  public var matching: StringLiteral?
  public var span: SourceSpan
  public init(
    negated: Bool, rule: Identifier?, at: Int?, matching: StringLiteral?, span: SourceSpan
  ) {
    self.negated = negated
    self.rule = rule
    self.at = at
    self.matching = matching
    self.span = span
  }
}
