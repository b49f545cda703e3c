// The checked policy: what the checker produces from a policy and its imports once names are
// resolved, values have their units, and imports, additions and overrides are applied. The
// compiler lowers it to a rule program; the reference evaluator in the tests reads it directly.
// References between parts are indexes into the arrays of `CheckedPolicy`.

import PolicyLangCore
import PolicyLangText

/// One step of text normalization a policy can choose (`normalize ...`).
public enum NormalizationStep: String, Sendable, CaseIterable, Hashable {
  case nfkc, casefold, simplified, separators, digits
}

/// A policy that passed the checker, self-contained (imports merged in).
public struct CheckedPolicy: Sendable {
  /// The policy's name: verdicts' `policy`, events' `platform`.
  public var name: String
  public var title: String
  public var source: String
  public var sourceDate: CivilDate?
  /// The IANA zone every window, day and period is read in.
  public var zone: String
  public var normalization: Set<NormalizationStep>
  public var clauses: [CheckedClause]
  /// Least severe first.
  public var severities: [CheckedSeverity]
  public var escalations: [CheckedEscalation]
  public var termLists: [CheckedTermList]
  public var domainLists: [CheckedDomainList]
  public var hours: [CheckedHours]
  /// In declaration order (imports first); verdicts are ordered by this index.
  public var rules: [CheckedRule]
  /// Tests at top level and inside rules, in source order.
  public var tests: [CheckedTest]
  /// Every file read for this policy: the policy, its imports and word lists.
  public var sources: SourceMap
  /// The span of the `policy` header.
  public var span: SourceSpan

  public init(
    name: String, title: String, source: String, sourceDate: CivilDate?, zone: String,
    normalization: Set<NormalizationStep>, clauses: [CheckedClause], severities: [CheckedSeverity],
    escalations: [CheckedEscalation], termLists: [CheckedTermList],
    domainLists: [CheckedDomainList], hours: [CheckedHours], rules: [CheckedRule],
    tests: [CheckedTest], sources: SourceMap, span: SourceSpan
  ) {
    self.name = name
    self.title = title
    self.source = source
    self.sourceDate = sourceDate
    self.zone = zone
    self.normalization = normalization
    self.clauses = clauses
    self.severities = severities
    self.escalations = escalations
    self.termLists = termLists
    self.domainLists = domainLists
    self.hours = hours
    self.rules = rules
    self.tests = tests
    self.sources = sources
    self.span = span
  }
}

public struct CheckedClause: Sendable, Equatable {
  public var id: String
  public var title: String
  public var kind: ClauseKind
  public var span: SourceSpan
  public init(id: String, title: String, kind: ClauseKind, span: SourceSpan) {
    self.id = id
    self.title = title
    self.kind = kind
    self.span = span
  }
}

public struct CheckedSeverity: Sendable, Equatable {
  public var name: String
  public var title: String?
  public var sanction: String
  /// Index into `clauses`.
  public var clause: Int?
  public var span: SourceSpan
  public init(name: String, title: String?, sanction: String, clause: Int?, span: SourceSpan) {
    self.name = name
    self.title = title
    self.sanction = sanction
    self.clause = clause
    self.span = span
  }
}

/// The `count`-th violation of severity `from` by one shop within `windowSeconds` counts as `to`.
public struct CheckedEscalation: Sendable, Equatable {
  public var count: Int
  /// Indexes into `severities`.
  public var from: Int
  public var to: Int
  public var windowSeconds: Int64
  public var clause: Int?
  public var span: SourceSpan
  public init(count: Int, from: Int, to: Int, windowSeconds: Int64, clause: Int?, span: SourceSpan) {
    self.count = count
    self.from = from
    self.to = to
    self.windowSeconds = windowSeconds
    self.clause = clause
    self.span = span
  }
}

/// A term as the author wrote it and its look-alike variants.
public struct CheckedTerm: Sendable, Equatable {
  public var term: String
  public var variants: [String]
  /// Where it was written: the policy, a library or a word-list file.
  public var span: SourceSpan
  public init(term: String, variants: [String], span: SourceSpan) {
    self.term = term
    self.variants = variants
    self.span = span
  }
}

public struct CheckedTermList: Sendable, Equatable {
  public var name: String
  public var title: String?
  /// Entries after `+=` additions and overrides, duplicates removed (first kept).
  public var terms: [CheckedTerm]
  public var span: SourceSpan
  /// The word-list files the entries were read from, relative to the policy's root, in the order
  /// of their first entry: what a compiled program says it embeds.
  public var files: [String]
  public init(
    name: String, title: String?, terms: [CheckedTerm], span: SourceSpan, files: [String] = []
  ) {
    self.name = name
    self.title = title
    self.terms = terms
    self.span = span
    self.files = files
  }
}

public struct CheckedDomainList: Sendable, Equatable {
  public var name: String
  /// Lower-cased hosts or registrable domains.
  public var domains: [String]
  public var span: SourceSpan
  public init(name: String, domains: [String], span: SourceSpan) {
    self.name = name
    self.domains = domains
    self.span = span
  }
}

/// A window of one day: seconds since local midnight, half-open. `end > start` always; a window
/// written across midnight (`22:00-06:00`) is stored as `22:00-24:00` on its day plus
/// `00:00-06:00` on the next day (see `CheckedHours.Part`).
public struct SecondsRange: Sendable, Equatable, Hashable {
  public var start: Int
  public var end: Int
  public init(start: Int, end: Int) {
    self.start = start
    self.end = end
  }
}

/// An hours declaration, resolved: for each weekday, the sorted, merged windows of that day.
public struct CheckedHours: Sendable, Equatable {
  public var name: String
  /// Index 0 is Monday ... 6 Sunday. Windows crossing midnight have been split onto both days.
  public var windowsByWeekday: [[SecondsRange]]
  /// Local dates on which the hours hold no time at all.
  public var excludedDates: [CivilDate]
  public var span: SourceSpan
  public init(
    name: String, windowsByWeekday: [[SecondsRange]], excludedDates: [CivilDate], span: SourceSpan
  ) {
    self.name = name
    self.windowsByWeekday = windowsByWeekday
    self.excludedDates = excludedDates
    self.span = span
  }
}

/// A condition on one message with every name resolved.
public indirect enum CheckedCondition: Sendable, Equatable {
  case and([CheckedCondition])
  case or([CheckedCondition])
  case not(CheckedCondition)
  case constant(Bool)
  case from(SenderRole, ReplyKind)
  /// Index into `termLists`.
  case containsAny(list: Int)
  /// A single term written in place.
  case containsTerm(String)
  case containsAtLeast(count: Int, list: Int)
  /// `allowed`: index into `domainLists`, only for `url`.
  case detector(DetectorKind, allowed: Int?)
  case near(list: Int, distance: Int)
  /// `contains phone in [...]`: the plans, sorted, each once.
  case phones(regions: [PhoneRegion])
  /// `contains any LIST near any OTHER within N`: indexes into `termLists`; `distance` in scalars
  /// of the original text.
  case nearWords(list: Int, other: Int, distance: Int)
  /// A pattern; `name` when it was declared (`pattern NAME = ...`), for its evidence.
  case matches(String, name: String? = nil)
  case length(atMost: Bool, Int)
  /// `nil`: any attachment.
  case hasAttachment(type: String?)
  /// `has attachment [TYPE] [not] of type [...]`: extensions (`.pdf`) and media types
  /// (`image/*`), lower-cased.
  case attachmentOfType(type: String?, negated: Bool, fileTypes: [String])
  /// A condition on the conversation before the message (Grammar.md 6.4).
  case history(CheckedHistory)
}

/// What a history condition looks for (Grammar.md 6.4).
public enum CheckedHappening: Sendable, Equatable {
  /// A message for which the condition holds (`.constant(true)`: any message).
  case message(CheckedCondition)
  /// A non-message event with one of these names.
  case event([String])
  /// Every event, message or not (`after D idle`).
  case anyEvent
}

/// Which history condition, with its values.
public enum CheckedHistoryKind: Sendable, Equatable {
  /// `after H`: an earlier H.
  case after
  /// `within D after H`: the latest earlier H at most D before.
  case within(seconds: Int64)
  /// `more than D after H`: the latest earlier H more than D before.
  case moreThan(seconds: Int64)
  /// `more than N H`, `at least N H`, `at most N H`, this event included, optionally only those
  /// at most `withinSeconds` before.
  case count(CountComparison, Int, withinSeconds: Int64?)
}

/// `[within D | more than D] after H [without Y]` or `COUNT H [within D] [without Y]`.
public struct CheckedHistory: Sendable, Equatable {
  public var kind: CheckedHistoryKind
  /// `after first H`: from the first H since the latest `without` (not a count).
  public var first: Bool
  public var happening: CheckedHappening
  public var without: CheckedHappening?
  public init(
    kind: CheckedHistoryKind, first: Bool = false, happening: CheckedHappening, without: CheckedHappening?
  ) {
    self.kind = kind
    self.first = first
    self.happening = happening
    self.without = without
  }
}

public enum CheckedTrigger: Sendable, Equatable {
  case message(CheckedCondition)
  case event([String])
}

public enum CheckedResponse: Sendable, Equatable {
  case reply(ReplyKind)
  case event([String])
  /// A reply of this kind or a non-message event of these names.
  case replyOrEvent(ReplyKind, [String])
}

public struct CheckedLimit: Sendable, Equatable {
  public var seconds: Int64
  /// Index into `hours`; `nil` for the default limit.
  public var ifDuring: Int?
  public init(seconds: Int64, ifDuring: Int?) {
    self.seconds = seconds
    self.ifDuring = ifDuring
  }
}

public struct CheckedObligation: Sendable, Equatable {
  public var trigger: CheckedTrigger
  /// Only obligations opened inside these hours (index into `hours`).
  public var during: Int?
  public var response: CheckedResponse
  /// The default limit first (`ifDuring == nil`), then conditional ones in order.
  public var limits: [CheckedLimit]
  /// The clock runs only inside these hours.
  public var countingOnly: Int?
  public init(
    trigger: CheckedTrigger, during: Int?, response: CheckedResponse, limits: [CheckedLimit],
    countingOnly: Int?
  ) {
    self.trigger = trigger
    self.during = during
    self.response = response
    self.limits = limits
    self.countingOnly = countingOnly
  }
  /// The longest limit: how long after a period an aggregate must wait.
  public var longestLimitSeconds: Int64 { limits.map(\.seconds).max() ?? 0 }
}

public struct CheckedBurst: Sendable, Equatable {
  /// More than `count` messages is a violation.
  public var count: Int
  public var sender: SenderSpecValue
  public var windowSeconds: Int64
  public var breaker: SenderSpecValue
  public init(count: Int, sender: SenderSpecValue, windowSeconds: Int64, breaker: SenderSpecValue) {
    self.count = count
    self.sender = sender
    self.windowSeconds = windowSeconds
    self.breaker = breaker
  }
}

/// A sender without a span.
public struct SenderSpecValue: Sendable, Equatable, Hashable {
  public var role: SenderRole
  public var kind: ReplyKind
  public init(role: SenderRole, kind: ReplyKind) {
    self.role = role
    self.kind = kind
  }
}

public struct CheckedAllowance: Sendable, Equatable {
  public var windowSeconds: Int64
  public var maxLength: Int?
  /// Index into `termLists`.
  public var containing: Int?
  /// Index into `termLists`: an allowed reply holds none of its terms.
  public var notContaining: Int?
  public init(windowSeconds: Int64, maxLength: Int?, containing: Int?, notContaining: Int? = nil) {
    self.windowSeconds = windowSeconds
    self.maxLength = maxLength
    self.containing = containing
    self.notContaining = notContaining
  }
}

public struct CheckedAfterStop: Sendable, Equatable {
  public var condition: CheckedCondition
  public var stopList: Int
  public var allowance: CheckedAllowance?
  public init(condition: CheckedCondition, stopList: Int, allowance: CheckedAllowance?) {
    self.condition = condition
    self.stopList = stopList
    self.allowance = allowance
  }
}

public enum CheckedPeriod: Sendable, Equatable {
  case day
  case month
  case rolling(seconds: Int64)
  /// The window of this many local days ending with each day (Grammar.md 6.6).
  case last(days: Int)
}

public struct CheckedRate: Sendable, Equatable {
  /// Index into `rules` of an obligation rule.
  public var of: Int
  public var unit: RateUnit
  public var period: CheckedPeriod
  public var during: Int?
  /// How count/total must compare with the threshold; a period where it does not is a verdict.
  public var comparison: RateComparison
  public var thresholdMillionths: Int64
  /// No verdict unless the period has more than this many units.
  public var minimum: Int?
  public init(
    of: Int, unit: RateUnit, period: CheckedPeriod, during: Int?, comparison: RateComparison = .atLeast,
    thresholdMillionths: Int64, minimum: Int?
  ) {
    self.of = of
    self.unit = unit
    self.period = period
    self.during = during
    self.comparison = comparison
    self.thresholdMillionths = thresholdMillionths
    self.minimum = minimum
  }
}

public enum CheckedRuleBody: Sendable, Equatable {
  case message(CheckedCondition)
  case obligation(CheckedObligation)
  case burst(CheckedBurst)
  case afterStop(CheckedAfterStop)
  case rate(CheckedRate)
  /// A count ratio: events counted per other events.
  case ratio(CheckedRatio)
  case manual(note: String?)

  /// The kind word used by coverage reports and the disassembler.
  public var kindName: String {
    switch self {
    case .message: return "message"
    case .obligation: return "obligation"
    case .burst: return "burst"
    case .afterStop: return "after-stop"
    case .rate, .ratio: return "rate"
    case .manual: return "manual"
    }
  }
}

/// What a count ratio counts: the messages a message rule gives a verdict on, or events.
public enum CheckedRatioCount: Sendable, Equatable {
  /// Index into `rules` of a message rule.
  case rule(Int)
  case happening(CheckedHappening)
}

/// `rate of X per Y ...` where X is a message rule or a happening and Y a happening (Grammar.md
/// 6.6): `count` is the X and `total` the Y of each shop and period.
public struct CheckedRatio: Sendable, Equatable {
  public var count: CheckedRatioCount
  public var per: CheckedHappening
  /// The period, `during`, threshold and minimum, as a pass rate has them (`of` and `unit` are
  /// not used: the ratio counts events).
  public var rate: CheckedRate
  public init(count: CheckedRatioCount, per: CheckedHappening, rate: CheckedRate) {
    self.count = count
    self.per = per
    self.rate = rate
  }
}

public struct CheckedRule: Sendable, Equatable {
  public var name: String
  public var title: String
  /// Index into `clauses`.
  public var clause: Int
  /// Index into `severities`; `nil` only for manual rules.
  public var severity: Int?
  public var body: CheckedRuleBody
  public var span: SourceSpan
  public init(
    name: String, title: String, clause: Int, severity: Int?, body: CheckedRuleBody,
    span: SourceSpan
  ) {
    self.name = name
    self.title = title
    self.clause = clause
    self.severity = severity
    self.body = body
    self.span = span
  }
}

/// A local date and time in the policy's zone, as tests write it (`2026-01-05 10:00`).
public struct LocalMoment: Sendable, Equatable, Hashable {
  public var date: CivilDate
  public var secondsOfDay: Int
  public init(date: CivilDate, secondsOfDay: Int) {
    self.date = date
    self.secondsOfDay = secondsOfDay
  }
}

public struct CheckedTestAttachment: Sendable, Equatable {
  /// One of io.md's types (`image`, `file`, `link`, `card`, `video`, `qr_code`).
  public var type: String
  public var qr: Bool
  public var url: String?
  /// The file's name and media type, when the test gives them.
  public var name: String?
  public var mime: String?
  public init(type: String, qr: Bool, url: String?, name: String? = nil, mime: String? = nil) {
    self.type = type
    self.qr = qr
    self.url = url
    self.name = name
    self.mime = mime
  }
}

public enum CheckedTestEventKind: Sendable, Equatable {
  case message(role: SenderRole, auto: Bool, text: String?, attachments: [CheckedTestAttachment])
  case event(name: String)
}

public struct CheckedTestEvent: Sendable, Equatable {
  public var kind: CheckedTestEventKind
  /// Dates filled in (the first event defaults to 2026-01-05, later ones to the previous date).
  public var at: LocalMoment
  public var span: SourceSpan
  public init(kind: CheckedTestEventKind, at: LocalMoment, span: SourceSpan) {
    self.kind = kind
    self.at = at
    self.span = span
  }
}

public struct CheckedExpectation: Sendable, Equatable {
  public var negated: Bool
  /// Index into `rules`.
  public var rule: Int
  public var at: Int?
  public var matching: String?
  public var span: SourceSpan
  public init(negated: Bool, rule: Int, at: Int?, matching: String?, span: SourceSpan) {
    self.negated = negated
    self.rule = rule
    self.at = at
    self.matching = matching
    self.span = span
  }
}

public struct CheckedTest: Sendable, Equatable {
  public var name: String
  /// The rule the test is written inside, if any.
  public var enclosingRule: Int?
  public var events: [CheckedTestEvent]
  public var expectations: [CheckedExpectation]
  /// `nil`: after every deadline.
  public var asOf: LocalMoment?
  public var span: SourceSpan
  public init(
    name: String, enclosingRule: Int?, events: [CheckedTestEvent],
    expectations: [CheckedExpectation], asOf: LocalMoment?, span: SourceSpan
  ) {
    self.name = name
    self.enclosingRule = enclosingRule
    self.events = events
    self.expectations = expectations
    self.asOf = asOf
    self.span = span
  }
}
