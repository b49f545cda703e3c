import PolicyLang

/// Reads one verdict line of io.md's shape into a `ReportVerdict`, strictly: the line must be one
/// JSON object; known fields must have their types; required fields must be present; a key may
/// appear once. Unknown fields (io.md grows only by optional fields) are checked as JSON and
/// ignored, at any depth, without recursion.
public struct VerdictLineDecoder: Sendable {
  /// A decoder.
  public init() {}

  /// Decodes one line given as a string.
  public func decode(_ line: String, origin: ReportLineOrigin) throws(VerdictLineError) -> ReportVerdict {
    var line = line
    let result: Result<ReportVerdict, VerdictLineError> = line.withUTF8 { bytes in
      do throws(VerdictLineError) { return .success(try decode(bytes, origin: origin)) } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  /// Decodes one line (without its line end).
  public func decode(
    _ line: UnsafeBufferPointer<UInt8>, origin: ReportLineOrigin
  ) throws(VerdictLineError) -> ReportVerdict {
    var scanner = VerdictLineScanner(line)
    var fields = VerdictFields()
    scanner.skipWhitespace()
    guard scanner.peek() == 0x7B, !scanner.atEnd else {
      if scanner.atEnd { throw VerdictLineError("invalid JSON: the line is empty") }
      throw VerdictLineError(
        "invalid JSON at byte \(scanner.position + 1): expected an object, found \(scanner.foundKind())")
    }
    scanner.position += 1
    if !scanner.consume(0x7D) {
      repeat {
        let key = try scanner.keyAndColon()
        try fields.read(key, from: &scanner)
      } while scanner.consume(0x2C)
      try scanner.expect(0x7D, "expected `,` or `}` after a field")
    }
    scanner.skipWhitespace()
    guard scanner.atEnd else { throw scanner.syntax("text after the object") }
    return try fields.verdict(origin: origin)
  }
}

/// The fields of one line as they are read, before the verdict is assembled.
private struct VerdictFields {
  /// Known keys seen, one bit each (in `knownKeys` order); unknown keys by name.
  var seenKnown: UInt32 = 0
  var seenUnknown: Set<String> = []
  var conversation: String?
  var shop: String?
  var agent: String?
  var policy: String?
  var rule: String?
  var clause: String?
  var severity: String?
  var at: ReportTime?
  var event: Int?
  var eventID: String?
  var evidence: [ReportEvidence]?
  var openedAt: ReportTime?
  var deadline: ReportTime?
  var answeredAt: ReportTime?
  var periodStart: ReportTime?
  var periodEnd: ReportTime?
  var value: Int64?
  var threshold: Int64?
  var count: Int?
  var total: Int?
  var status: String?
  var escalatedTo: String?
  var escalation: String?

  static let knownKeys = [
    "conversation", "shop", "agent", "policy", "rule", "clause", "severity", "at", "event", "event_id",
    "evidence", "opened_at", "deadline", "answered_at", "period", "value", "threshold", "count", "total",
    "status", "escalated_to", "escalation",
  ]

  mutating func read(_ key: String, from s: inout VerdictLineScanner) throws(VerdictLineError) {
    if let bit = Self.knownKeys.firstIndex(of: key) {
      guard seenKnown & (1 << bit) == 0 else { throw VerdictLineError("duplicate key `\(key)`") }
      seenKnown |= 1 << bit
    } else {
      guard seenUnknown.insert(key).inserted else { throw VerdictLineError("duplicate key `\(key)`") }
    }
    switch key {
    case "conversation": conversation = try Self.string(key, &s)
    case "shop": shop = try Self.string(key, &s)
    case "agent": agent = try Self.optionalString(key, &s)
    case "policy": policy = try Self.string(key, &s)
    case "rule": rule = try Self.string(key, &s)
    case "clause": clause = try Self.string(key, &s)
    case "severity": severity = try Self.string(key, &s)
    case "at": at = try Self.time(key, &s)
    case "event": event = try Self.count(key, &s)
    case "event_id": eventID = try Self.string(key, &s)
    case "evidence": evidence = try Self.evidence(&s)
    case "opened_at": openedAt = try Self.time(key, &s)
    case "deadline": deadline = try Self.time(key, &s)
    case "answered_at":
      answeredAt = try Self.optionalString(key, &s).map { (text) throws(VerdictLineError) in
        try Self.parseTime(key, text)
      }
    case "period": (periodStart, periodEnd) = try Self.period(&s)
    case "value": value = try Self.millionths(key, &s)
    case "threshold": threshold = try Self.millionths(key, &s)
    case "count": count = try Self.count(key, &s)
    case "total": total = try Self.count(key, &s)
    case "status": status = try Self.string(key, &s)
    case "escalated_to": escalatedTo = try Self.string(key, &s)
    case "escalation": escalation = try Self.string(key, &s)
    default: try s.skipValue()
    }
  }

  func verdict(origin: ReportLineOrigin) throws(VerdictLineError) -> ReportVerdict {
    func required<T>(_ value: T?, _ key: String) throws(VerdictLineError) -> T {
      guard let value else { throw VerdictLineError("missing `\(key)`") }
      return value
    }
    let policy = try required(policy, "policy")
    let rule = try required(rule, "rule")
    let clause = try required(clause, "clause")
    let severity = try required(severity, "severity")
    let shop = try required(shop, "shop")
    if let status, status != "pending" {
      throw VerdictLineError("unknown `status` `\(status)` (expected `pending`)")
    }
    let kind: ReportVerdictKind
    let at: ReportTime
    if let periodStart, let periodEnd {
      if conversation != nil || event != nil {
        throw VerdictLineError("a rate verdict (with `period`) has no `conversation` or `event`")
      }
      let count = try required(count, "count")
      let total = try required(total, "total")
      guard count <= total else { throw VerdictLineError("`count` \(count) is larger than `total` \(total)") }
      kind = .rate(
        ReportRate(
          periodStart: periodStart, periodEnd: periodEnd, valueMillionths: try required(value, "value"),
          thresholdMillionths: try required(threshold, "threshold"), count: count, total: total))
      at = periodStart
    } else {
      _ = try required(conversation, "conversation")
      _ = try required(event, "event")
      at = try required(self.at, "at")
      if let openedAt {
        guard evidence == nil else {
          throw VerdictLineError("a verdict has both `evidence` (content) and `opened_at` (timing)")
        }
        kind = .timing(
          ReportObligation(
            openedAt: openedAt, deadline: try required(deadline, "deadline"), answeredAt: answeredAt))
      } else if let evidence {
        kind = .content(evidence)
      } else {
        throw VerdictLineError(
          "a verdict needs `evidence` (a content rule), `opened_at` (a timing rule) or `period` (a rate)")
      }
    }
    return ReportVerdict(
      policy: policy, rule: rule, clause: clause, severity: severity, shop: shop,
      conversation: conversation, agent: agent, at: at, event: event, eventID: eventID, kind: kind,
      pending: status == "pending", escalatedTo: escalatedTo, escalation: escalation, origin: origin)
  }

  // MARK: Typed values

  static func wrongType(_ key: String, _ expected: String, _ s: VerdictLineScanner) -> VerdictLineError {
    VerdictLineError("field `\(key)` must be \(expected), found \(s.foundKind())")
  }

  static func string(_ key: String, _ s: inout VerdictLineScanner) throws(VerdictLineError) -> String {
    s.skipWhitespace()
    guard s.peek() == 0x22 else { throw wrongType(key, "a string", s) }
    return try s.string()
  }

  static func optionalString(_ key: String, _ s: inout VerdictLineScanner) throws(VerdictLineError) -> String?
  {
    if try s.consumeNull() { return nil }
    s.skipWhitespace()
    guard s.peek() == 0x22 else { throw wrongType(key, "a string or null", s) }
    return try s.string()
  }

  static func parseTime(_ key: String, _ text: String) throws(VerdictLineError) -> ReportTime {
    do {
      return try ReportTime(rfc3339: text)
    } catch {
      throw VerdictLineError("bad `\(key)` `\(text)`: \(error.message)")
    }
  }

  static func time(_ key: String, _ s: inout VerdictLineScanner) throws(VerdictLineError) -> ReportTime {
    try parseTime(key, try string(key, &s))
  }

  /// A whole number from 0 to 2^53 (io.md's counts and indexes).
  static func count(_ key: String, _ s: inout VerdictLineScanner) throws(VerdictLineError) -> Int {
    s.skipWhitespace()
    let c = s.peek()
    guard c == 0x2D || (c >= 0x30 && c <= 0x39) else { throw wrongType(key, "a whole number", s) }
    let number = try s.number()
    guard number.isInteger, let value = Int(number.text), value >= 0, value <= 1 << 53 else {
      throw VerdictLineError("field `\(key)` must be a whole number from 0, not `\(number.text)`")
    }
    return value
  }

  /// A decimal from 0 to 1000 with at most 6 decimals (`value`, `threshold`), in millionths.
  static func millionths(_ key: String, _ s: inout VerdictLineScanner) throws(VerdictLineError) -> Int64 {
    s.skipWhitespace()
    let c = s.peek()
    guard c == 0x2D || (c >= 0x30 && c <= 0x39) else { throw wrongType(key, "a number", s) }
    let number = try s.number()
    guard let value = decimalMillionths(number.text) else {
      throw VerdictLineError(
        "field `\(key)` must be a decimal from 0 to 1000 with at most 6 decimals, not `\(number.text)`")
    }
    return value
  }

  /// `text` (JSON number grammar already checked) in millionths, when it is a plain decimal of at
  /// most 6 decimals from 0 to 1000.
  static func decimalMillionths(_ text: String) -> Int64? {
    guard !text.hasPrefix("-"), !text.contains(where: { $0 == "e" || $0 == "E" }) else { return nil }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard let whole = parts.first, whole.count <= 4, let w = Int64(whole), w <= 1000 else { return nil }
    var fraction: Int64 = 0
    if parts.count == 2 {
      let digits = parts[1]
      guard digits.count <= 6, let f = Int64(digits) else { return nil }
      fraction = f
      for _ in digits.count..<6 { fraction *= 10 }
    }
    let value = w * 1_000_000 + fraction
    return value <= 1_000_000_000 ? value : nil
  }

  /// `"period":{"start":T,"end":T}`.
  static func period(_ s: inout VerdictLineScanner) throws(VerdictLineError) -> (ReportTime, ReportTime) {
    s.skipWhitespace()
    guard s.peek() == 0x7B else { throw wrongType("period", "an object", s) }
    s.position += 1
    var start: ReportTime?
    var end: ReportTime?
    if !s.consume(0x7D) {
      repeat {
        let key = try s.keyAndColon()
        switch key {
        case "start":
          guard start == nil else { throw VerdictLineError("duplicate key `start` in `period`") }
          start = try time("period.start", &s)
        case "end":
          guard end == nil else { throw VerdictLineError("duplicate key `end` in `period`") }
          end = try time("period.end", &s)
        default: try s.skipValue()
        }
      } while s.consume(0x2C)
      try s.expect(0x7D, "expected `,` or `}` in `period`")
    }
    guard let start else { throw VerdictLineError("missing `period.start`") }
    guard let end else { throw VerdictLineError("missing `period.end`") }
    guard start.instant < end.instant else {
      throw VerdictLineError("`period.end` `\(end.text)` is not after `period.start` `\(start.text)`")
    }
    return (start, end)
  }

  /// `"evidence":[{...},...]`: each element an object of io.md's evidence fields.
  static func evidence(_ s: inout VerdictLineScanner) throws(VerdictLineError) -> [ReportEvidence] {
    s.skipWhitespace()
    guard s.peek() == 0x5B else { throw wrongType("evidence", "an array", s) }
    s.position += 1
    var items: [ReportEvidence] = []
    if s.consume(0x5D) { return items }
    repeat {
      s.skipWhitespace()
      guard s.peek() == 0x7B else {
        throw VerdictLineError("evidence \(items.count) must be an object, found \(s.foundKind())")
      }
      items.append(try evidenceItem(index: items.count, &s))
    } while s.consume(0x2C)
    try s.expect(0x5D, "expected `,` or `]` in `evidence`")
    return items
  }

  static func evidenceItem(
    index: Int, _ s: inout VerdictLineScanner
  ) throws(VerdictLineError) -> ReportEvidence {
    s.position += 1
    var seen: Set<String> = []
    var item = ReportEvidence(kind: "")
    var hasKind = false
    if !s.consume(0x7D) {
      repeat {
        let key = try s.keyAndColon()
        guard seen.insert(key).inserted else {
          throw VerdictLineError("duplicate key `\(key)` in evidence \(index)")
        }
        let name = "evidence[\(index)].\(key)"
        switch key {
        case "kind":
          item.kind = try string(name, &s)
          hasKind = true
        case "list": item.list = try string(name, &s)
        case "term": item.term = try string(name, &s)
        case "match": item.match = try string(name, &s)
        case "attachment": item.attachment = try count(name, &s)
        case "start": item.start = try count(name, &s)
        case "end": item.end = try count(name, &s)
        case "count": item.count = try count(name, &s)
        default: try s.skipValue()
        }
      } while s.consume(0x2C)
      try s.expect(0x7D, "expected `,` or `}` in evidence \(index)")
    }
    guard hasKind else { throw VerdictLineError("evidence \(index) has no `kind`") }
    switch (item.start, item.end) {
    case (nil, nil): break
    case (let start?, let end?):
      guard start <= end else {
        throw VerdictLineError("evidence \(index) has `start` \(start) after `end` \(end)")
      }
    default:
      throw VerdictLineError("evidence \(index) has only one of `start` and `end`")
    }
    return item
  }
}
