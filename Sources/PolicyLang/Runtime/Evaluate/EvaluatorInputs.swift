// Minimal stand-ins for the event, time and verdict types of Runtime/Input, Runtime/Time and
// Runtime/Output, which another part of the project provides. The evaluator uses only what is
// declared here, so replacing this file by the real types means matching these members.

import Foundation

/// An id compared as exact bytes (conversation, shop, buyer, agent).
public struct ByteString: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The UTF-8 bytes of the id as written.
  public var bytes: [UInt8]
  /// The id's bytes.
  public init(bytes: [UInt8]) { self.bytes = bytes }
  /// The UTF-8 bytes of `string`.
  public init(_ string: String) { self.bytes = Array(string.utf8) }
  /// Byte-wise lexicographic order.
  public static func < (a: ByteString, b: ByteString) -> Bool {
    a.bytes.lexicographicallyPrecedes(b.bytes)
  }
  /// The id decoded as UTF-8 (invalid sequences repaired), for messages.
  public var description: String { String(decoding: bytes, as: UTF8.self) }
}

/// An instant: whole seconds since 1970-01-01T00:00:00Z plus nanoseconds (`0..<1_000_000_000`).
public struct Timestamp: Hashable, Comparable, Sendable {
  /// Seconds since the Unix epoch (may be negative).
  public var seconds: Int64
  /// Nanoseconds within the second.
  public var nanos: Int32
  /// An instant; `nanos` must be in `0..<1_000_000_000`.
  public init(seconds: Int64, nanos: Int32 = 0) {
    self.seconds = seconds
    self.nanos = nanos
  }
  /// Instant order.
  public static func < (a: Timestamp, b: Timestamp) -> Bool {
    (a.seconds, a.nanos) < (b.seconds, b.nanos)
  }
  /// This instant moved by whole seconds (saturating).
  public func adding(seconds delta: Int64) -> Timestamp {
    let (sum, overflow) = seconds.addingReportingOverflow(delta)
    if overflow { return Timestamp(seconds: delta > 0 ? Int64.max : Int64.min, nanos: nanos) }
    return Timestamp(seconds: sum, nanos: nanos)
  }
}

/// The policy's time zone: the exact offset from UTC at every instant.
public struct PolicyZone: Sendable {
  /// The IANA name.
  public var identifier: String
  private let zone: TimeZone

  /// The zone named `identifier`; `nil` when the system does not know it.
  public init?(identifier: String) {
    guard let zone = TimeZone(identifier: identifier) else { return nil }
    self.identifier = identifier
    self.zone = zone
  }

  /// The offset from UTC, in seconds, at the instant `utcSeconds`.
  public func offsetSeconds(atUTC utcSeconds: Int64) -> Int64 {
    Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utcSeconds))))
  }

  /// The UTC second at which local clocks show `localSeconds` (seconds since the local epoch).
  /// In a gap the later offset is used; in an overlap the earlier instant.
  public func utcSeconds(forLocal localSeconds: Int64) -> Int64 {
    let first = localSeconds - offsetSeconds(atUTC: localSeconds)
    let second = localSeconds - offsetSeconds(atUTC: first)
    return min(first, second)
  }
}

/// One attachment of a message.
public struct Attachment: Sendable, Equatable {
  /// One of `image`, `file`, `link`, `card`, `video`, `qr_code` (other types read as `file`).
  public var type: String
  /// The attachment's URL, if any.
  public var url: String?
  /// True when the image carries a QR code.
  public var qr: Bool
  /// An attachment.
  public init(type: String, url: String? = nil, qr: Bool = false) {
    self.type = type
    self.url = url
    self.qr = qr
  }
}

/// What an event is: a message or a named non-message event.
public enum EventBody: Sendable, Equatable {
  /// A message from `from`.
  case message(
    from: SenderRole, auto: Bool, agent: ByteString?, text: String?, attachments: [Attachment])
  /// A non-message event such as `refund_requested`.
  case event(name: String)
}

/// One valid input line.
public struct Event: Sendable, Equatable {
  /// The conversation id.
  public var conversation: ByteString
  /// The shop, when the line names one.
  public var shop: ByteString?
  /// The buyer, when the line names one.
  public var buyer: ByteString?
  /// The `platform` field.
  public var platform: String?
  /// When it happened.
  public var at: Timestamp
  /// Message or event.
  public var body: EventBody
  /// The line's position in the run (files in order, then lines): ties of `at` are broken by it.
  public var lineOrder: Int
  /// An event.
  public init(
    conversation: ByteString, shop: ByteString? = nil, buyer: ByteString? = nil,
    platform: String? = nil, at: Timestamp, body: EventBody, lineOrder: Int
  ) {
    self.conversation = conversation
    self.shop = shop
    self.buyer = buyer
    self.platform = platform
    self.at = at
    self.body = body
    self.lineOrder = lineOrder
  }
}

/// One piece of evidence of a content verdict.
public struct Evidence: Sendable, Equatable, Hashable {
  /// `term`, `url`, `email`, `phone`, `bank_card`, `qr_code` or `proximity`.
  public var kind: String
  /// For `term`: the list's name; `nil` for a term written in place (`contains "x"`).
  public var list: String?
  /// For `term`: the term as the author wrote it.
  public var term: String?
  /// The attachment's index, for evidence found in an attachment.
  public var attachment: Int?
  /// Original Unicode scalar offsets, end-exclusive (into `text`, or into the attachment's `url`).
  public var start: Int?
  /// See `start`.
  public var end: Int?
  /// The original text between `start` and `end`.
  public var match: String?
  /// A piece of evidence.
  public init(
    kind: String, list: String? = nil, term: String? = nil, attachment: Int? = nil,
    start: Int? = nil, end: Int? = nil, match: String? = nil
  ) {
    self.kind = kind
    self.list = list
    self.term = term
    self.attachment = attachment
    self.start = start
    self.end = end
    self.match = match
  }
}

/// A rate's period: `start..<end`.
public struct VerdictPeriod: Sendable, Equatable, Hashable {
  /// First instant of the period.
  public var start: Timestamp
  /// End of the period (exclusive).
  public var end: Timestamp
  /// A period.
  public init(start: Timestamp, end: Timestamp) {
    self.start = start
    self.end = end
  }
}

/// One violation (or, with `pending`, an obligation not yet due), as io.md writes it.
public struct Verdict: Sendable, Equatable {
  /// The policy's name.
  public var policy: String
  /// The rule's name.
  public var rule: String
  /// The rule's index in the policy (verdict order).
  public var ruleIndex: Int
  /// The clause id.
  public var clause: String
  /// The declared severity.
  public var severity: String
  /// The conversation; `nil` for aggregate verdicts.
  public var conversation: ByteString?
  /// The conversation's shop (`""` when none).
  public var shop: ByteString
  /// The agent of the offending event; `nil` when none (and for aggregates).
  public var agent: ByteString?
  /// When the violation happened; `nil` for aggregates.
  public var at: Timestamp?
  /// The offending (or opening) event's index in its sorted conversation; `nil` for aggregates.
  public var event: Int?
  /// Evidence of content rules (sorted); `nil` for other rules.
  public var evidence: [Evidence]?
  /// Obligations: the opening time.
  public var openedAt: Timestamp?
  /// Obligations: the deadline.
  public var deadline: Timestamp?
  /// Obligations: the first response after the opening one, by as-of; `nil` is JSON null.
  public var answeredAt: Timestamp?
  /// True for an obligation not yet due (`"status":"pending"`).
  public var pending: Bool
  /// Escalation: the resulting severity.
  public var escalatedTo: String?
  /// Escalation: the reason, e.g. `3rd minor within 30d`.
  public var escalation: String?
  /// Aggregates: the period judged.
  public var period: VerdictPeriod?
  /// Aggregates: count/total rounded to 4 decimals, in ten-thousandths.
  public var valueTenThousandths: Int64?
  /// Aggregates: the threshold in millionths (`800000` is 0.8).
  public var thresholdMillionths: Int64?
  /// Aggregates: units that passed.
  public var count: Int?
  /// Aggregates: units counted.
  public var total: Int?

  /// A verdict with only the common fields set.
  public init(
    policy: String, rule: String, ruleIndex: Int, clause: String, severity: String,
    conversation: ByteString?, shop: ByteString, agent: ByteString?, at: Timestamp?, event: Int?
  ) {
    self.policy = policy
    self.rule = rule
    self.ruleIndex = ruleIndex
    self.clause = clause
    self.severity = severity
    self.conversation = conversation
    self.shop = shop
    self.agent = agent
    self.at = at
    self.event = event
    self.pending = false
  }
}
