import PolicyLang

/// A time as a verdict writes it: the instant, and the text with its offset (the policy zone's
/// local time), whose date is the day the report counts the verdict on.
public struct ReportTime: Hashable, Comparable, Sendable {
  /// The instant.
  public var instant: Timestamp
  /// The RFC 3339 text as written, e.g. `2026-11-20T10:03:00+08:00`.
  public var text: String

  /// Parses an RFC 3339 time, keeping its text.
  public init(rfc3339 text: String) throws(TimestampError) {
    self.instant = try Timestamp(rfc3339: text)
    self.text = text
  }

  /// The local date as written (`YYYY-MM-DD`): RFC 3339 always starts with it.
  public var day: Substring { text.prefix(10) }

  /// The local date and clock for people: `2026-11-20 10:03:00`, fraction and offset left out.
  public var display: String {
    let clock = text.dropFirst(11).prefix(8)
    return "\(day) \(clock)"
  }

  /// Orders by instant, then by text (the same instant written with two offsets).
  public static func < (a: ReportTime, b: ReportTime) -> Bool {
    a.instant != b.instant ? a.instant < b.instant : a.text < b.text
  }
}

/// One piece of evidence of a content verdict, as io.md writes it.
public struct ReportEvidence: Hashable, Sendable {
  /// `term`, `url`, `email`, `phone`, `bank_card`, `qr_code`, `proximity` or `pattern`.
  public var kind: String
  /// The term list, for `term` and `proximity`.
  public var list: String?
  /// The term as the author wrote it.
  public var term: String?
  /// The attachment's index, for evidence in an attachment.
  public var attachment: Int?
  /// Start offset in Unicode scalars of the original text (or of the attachment's url).
  public var start: Int?
  /// End offset (exclusive).
  public var end: Int?
  /// The original characters of `start..<end`.
  public var match: String?
  /// For `omitted` (the last item of a list cut at its limit): how many items were left out.
  public var count: Int?

  /// Evidence from its parts.
  public init(
    kind: String, list: String? = nil, term: String? = nil, attachment: Int? = nil, start: Int? = nil,
    end: Int? = nil, match: String? = nil, count: Int? = nil
  ) {
    self.count = count
    self.kind = kind
    self.list = list
    self.term = term
    self.attachment = attachment
    self.start = start
    self.end = end
    self.match = match
  }
}

/// The times of a timing verdict.
public struct ReportObligation: Hashable, Sendable {
  /// When the opening message came.
  public var openedAt: ReportTime
  /// When it had to be answered.
  public var deadline: ReportTime
  /// The first response, even a late one; nil when none came.
  public var answeredAt: ReportTime?

  /// Times from their parts.
  public init(openedAt: ReportTime, deadline: ReportTime, answeredAt: ReportTime?) {
    self.openedAt = openedAt
    self.deadline = deadline
    self.answeredAt = answeredAt
  }

  /// Seconds from the opening to the answer, nil when unanswered.
  public var delaySeconds: Int64? {
    answeredAt.map { $0.instant.since(openedAt.instant).seconds }
  }
}

/// A shop's period that fell short of a rate.
public struct ReportRate: Hashable, Sendable {
  /// The period's first instant.
  public var periodStart: ReportTime
  /// The period's end (exclusive).
  public var periodEnd: ReportTime
  /// `count / total` in millionths, as written (rounded to 4 decimals by `policyc eval`).
  public var valueMillionths: Int64
  /// The threshold in millionths.
  public var thresholdMillionths: Int64
  /// Units that passed.
  public var count: Int
  /// Units counted.
  public var total: Int

  /// A rate from its parts.
  public init(
    periodStart: ReportTime, periodEnd: ReportTime, valueMillionths: Int64, thresholdMillionths: Int64,
    count: Int, total: Int
  ) {
    self.periodStart = periodStart
    self.periodEnd = periodEnd
    self.valueMillionths = valueMillionths
    self.thresholdMillionths = thresholdMillionths
    self.count = count
    self.total = total
  }
}

/// What kind of rule a verdict comes from, with its own fields.
public enum ReportVerdictKind: Hashable, Sendable {
  /// A content rule: the offending message's evidence.
  case content([ReportEvidence])
  /// A timing rule: the obligation's times.
  case timing(ReportObligation)
  /// An aggregate rule: the period that fell short.
  case rate(ReportRate)
}

/// Where a verdict line came from: the verdict file (index into the files read) and line.
public struct ReportLineOrigin: Hashable, Sendable {
  /// Index into the verdict files, in the order given.
  public var file: Int
  /// The line number, from 1.
  public var line: Int

  /// An origin from its parts.
  public init(file: Int, line: Int) {
    self.file = file
    self.line = line
  }
}

/// One verdict line as the report reads it (io.md "Output").
public struct ReportVerdict: Hashable, Sendable {
  /// The policy's name.
  public var policy: String
  /// The rule's name.
  public var rule: String
  /// The clause id.
  public var clause: String
  /// The severity as the rule declares it.
  public var severity: String
  /// The shop (`""` when the conversation has none).
  public var shop: String
  /// The conversation; nil for a rate verdict.
  public var conversation: String?
  /// The agent of the offending event.
  public var agent: String?
  /// When it happened (for a rate: the period's start).
  public var at: ReportTime
  /// The event index in the conversation; nil for a rate verdict.
  public var event: Int?
  /// The event's own id, when the verdict echoes one.
  public var eventID: String?
  /// The kind and its fields.
  public var kind: ReportVerdictKind
  /// An obligation not yet due (`"status":"pending"`): not a violation yet.
  public var pending: Bool
  /// The severity escalation raised it to.
  public var escalatedTo: String?
  /// Why it was raised, e.g. `3rd minor within 30d`.
  public var escalation: String?
  /// The line it was read from.
  public var origin: ReportLineOrigin

  /// A verdict from its parts.
  public init(
    policy: String, rule: String, clause: String, severity: String, shop: String,
    conversation: String?, agent: String?, at: ReportTime, event: Int?, eventID: String? = nil,
    kind: ReportVerdictKind, pending: Bool = false, escalatedTo: String? = nil, escalation: String? = nil,
    origin: ReportLineOrigin
  ) {
    self.policy = policy
    self.rule = rule
    self.clause = clause
    self.severity = severity
    self.shop = shop
    self.conversation = conversation
    self.agent = agent
    self.at = at
    self.event = event
    self.eventID = eventID
    self.kind = kind
    self.pending = pending
    self.escalatedTo = escalatedTo
    self.escalation = escalation
    self.origin = origin
  }

  /// The severity that counts: the escalated one when escalation raised it.
  public var effectiveSeverity: String { escalatedTo ?? severity }

  /// The obligation's times, for a timing verdict.
  public var obligation: ReportObligation? {
    if case .timing(let o) = kind { return o }
    return nil
  }

  /// The evidence, for a content verdict (empty otherwise).
  public var evidence: [ReportEvidence] {
    if case .content(let e) = kind { return e }
    return []
  }

  /// The shortfall, for a rate verdict.
  public var rate: ReportRate? {
    if case .rate(let r) = kind { return r }
    return nil
  }
}
