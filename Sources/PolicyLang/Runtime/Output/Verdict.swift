import PolicyLangCore

/// One violation, as the evaluator finds it and `VerdictWriter` writes it (io.md "Output").
public struct Verdict: Hashable, Sendable {
  /// The policy's name.
  public var policy: String
  /// The rule's name.
  public var rule: String
  /// The clause id of the source document.
  public var clause: String
  /// The severity as the rule declares it.
  public var severity: String
  /// The conversation's shop (`""` when it has none).
  public var shop: ByteString
  /// What kind of rule found it, with its fields.
  public var detail: VerdictDetail
  /// True for a timing obligation not yet due (`--pending`): written with `"status":"pending"`.
  public var pending: Bool
  /// Set when the policy's escalation raised this violation.
  public var escalation: Escalation?

  /// A verdict from its parts.
  public init(
    policy: String, rule: String, clause: String, severity: String, shop: ByteString,
    detail: VerdictDetail, pending: Bool = false, escalation: Escalation? = nil
  ) {
    self.policy = policy
    self.rule = rule
    self.clause = clause
    self.severity = severity
    self.shop = shop
    self.detail = detail
    self.pending = pending
    self.escalation = escalation
  }
}

/// The fields that depend on the kind of rule.
public enum VerdictDetail: Hashable, Sendable {
  /// A content rule: all of the event's evidence for the rule, sorted by `start`.
  case content(VerdictEvent, evidence: [Evidence])
  /// A timing rule: `event` is the message that opened the obligation; `at` is the deadline or the
  /// offending message's time as the evaluator decides; `answeredAt` is nil (`null`) when unanswered.
  case timing(VerdictEvent, openedAt: Timestamp, deadline: Timestamp, answeredAt: Timestamp?)
  /// An aggregate rule: one shop's period that fell short.
  case aggregate(AggregateResult)
}

/// The conversation and event a content or timing verdict is about.
public struct VerdictEvent: Hashable, Sendable {
  /// The conversation id.
  public var conversation: ByteString
  /// The agent of the offending event (`null` when none).
  public var agent: ByteString?
  /// When the violation happened.
  public var at: Timestamp
  /// The 0-based index of the event within its sorted conversation.
  public var event: Int
  /// The event's own `id`, written as `event_id` when it has one.
  public var eventID: ByteString?

  /// A reference from its parts.
  public init(
    conversation: ByteString, agent: ByteString?, at: Timestamp, event: Int, eventID: ByteString? = nil
  ) {
    self.conversation = conversation
    self.agent = agent
    self.at = at
    self.event = event
    self.eventID = eventID
  }
}

/// A shop's period that fell short of an aggregate rule.
public struct AggregateResult: Hashable, Sendable {
  /// The period's start (inclusive).
  public var periodStart: Timestamp
  /// The period's end (exclusive).
  public var periodEnd: Timestamp
  /// Units that passed.
  public var count: Int
  /// Units counted.
  public var total: Int
  /// The threshold in millionths (80% is 800_000), as the AST's percent holds it.
  public var thresholdMillionths: Int64

  /// A result from its parts.
  public init(
    periodStart: Timestamp, periodEnd: Timestamp, count: Int, total: Int, thresholdMillionths: Int64
  ) {
    self.periodStart = periodStart
    self.periodEnd = periodEnd
    self.count = count
    self.total = total
    self.thresholdMillionths = thresholdMillionths
  }

  /// `value` as written: count/total rounded half up to 4 decimals, in ten-thousandths
  /// (0 when `total` is 0).
  public var valueTenThousandths: Int64 {
    guard total > 0 else { return 0 }
    let c = Int64(count)
    let t = Int64(total)
    return (c * 20_000 + t) / (2 * t)
  }
}

/// One piece of evidence of a content verdict. Fields that are nil are not written.
public struct Evidence: Hashable, Sendable {
  /// `term`, `url`, `email`, `phone`, `bank_card`, `qr_code`, `address`, `proximity` or `pattern`;
  /// `omitted` for the last item of a list cut at `Evidence.limit` (its `count` says how many
  /// items were left out).
  public var kind: String
  /// For `pattern`: the pattern's name, when it was declared (`pattern NAME = ...`).
  public var name: String?
  /// For `term` and `proximity`: the term list's name (of the first word, for a proximity).
  public var list: String?
  /// For `term` and `proximity`: the term as the policy author wrote it.
  public var term: String?
  /// For evidence in an attachment: its index.
  public var attachment: Int?
  /// Start offset in Unicode scalars (of the text, or of the attachment's url).
  public var start: Int?
  /// End offset (exclusive) in Unicode scalars.
  public var end: Int?
  /// The original text of `start..<end`.
  public var match: String?
  /// For `omitted`: the number of items left out.
  public var count: Int?

  /// The most items a content verdict lists. A message with more (a long text full of matches)
  /// lists the first `limit` in evidence order, then one `omitted` item with the count of the
  /// rest, so that a verdict's size does not grow with its text.
  public static let limit = 1000

  /// Evidence from its parts.
  public init(
    kind: String, name: String? = nil, list: String? = nil, term: String? = nil, attachment: Int? = nil,
    start: Int? = nil, end: Int? = nil, match: String? = nil, count: Int? = nil
  ) {
    self.kind = kind
    self.name = name
    self.list = list
    self.term = term
    self.attachment = attachment
    self.start = start
    self.end = end
    self.match = match
    self.count = count
  }

  /// The item that ends a list cut at `limit`: `count` items were left out.
  public static func omitted(_ count: Int) -> Evidence {
    Evidence(kind: "omitted", count: count)
  }
}

/// How the policy's escalation raised a violation.
public struct Escalation: Hashable, Sendable {
  /// The resulting severity (`escalated_to`).
  public var escalatedTo: String
  /// A short reason (`escalation`), e.g. `3rd minor within 30d`.
  public var reason: String

  /// An escalation from its parts.
  public init(escalatedTo: String, reason: String) {
    self.escalatedTo = escalatedTo
    self.reason = reason
  }
}
