import PolicyLangCore

/// Writes verdicts as JSON Lines into a reusable byte buffer, in io.md's exact field order.
///
/// Content and timing verdicts: `conversation, shop, agent, policy, rule, clause, severity, at,
/// event`, `event_id` when the event has an `id`, then `evidence` or `opened_at, deadline, answered_at`. Aggregate verdicts: `policy, rule,
/// clause, severity, shop, period{start,end}, value, threshold, count, total`. Optional fields come
/// last, in this order: `"status":"pending"`, then `escalated_to` and `escalation`. Times are written
/// with the policy zone's offset at each instant. Strings are escaped per JSON (quote, backslash,
/// control characters) and non-ASCII is written as UTF-8, never `\u`-escaped.
public struct VerdictWriter: Sendable {
  /// The bytes written so far; take them with `takeBytes()` or clear with `removeAll()`.
  public private(set) var bytes: [UInt8] = []

  /// An empty writer.
  public init() {}

  /// Makes room for `count` more bytes at once (a caller that knows roughly what it writes).
  package mutating func reserveCapacity(_ count: Int) { bytes.reserveCapacity(bytes.count + count) }

  /// Empties the buffer, keeping its capacity.
  public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

  /// Appends one verdict line (with its LF).
  public mutating func append(_ v: Verdict, zone: PolicyZone) {
    appendOpen(v, zone: zone)
    appendClose(escalation: v.escalation)
  }

  /// Appends a verdict line up to its escalation fields: what `appendClose` completes. A session
  /// renders verdicts this way as soon as they are judged, before escalation is known.
  package mutating func appendOpen(_ v: Verdict, zone: PolicyZone) {
    withLine { Self.writeOpen(v, zone: zone, to: &$0) }
  }

  /// Ends a line begun by `appendOpen`: the escalation fields when given, `}` and LF.
  package mutating func appendClose(escalation: Escalation?) {
    withLine { line in
      if let escalation {
        line.key("escalated_to")
        line.string(escalation.escalatedTo)
        line.key("escalation")
        line.string(escalation.reason)
      }
      line.byte(0x7D)
      line.byte(0x0A)
    }
  }

  /// Appends `appendOpen`'s bytes after their count as 4 little-endian bytes (a spooled entry).
  package mutating func appendLengthPrefixed(_ v: Verdict, zone: PolicyZone) {
    withLine(lengthPrefixed: true) { Self.writeOpen(v, zone: zone, to: &$0) }
  }

  /// Appends raw bytes (a line rendered earlier by `appendOpen`).
  package mutating func appendRaw(_ raw: UnsafeRawBufferPointer) {
    bytes.append(contentsOf: raw)
  }

  /// Forms a line in a `LineSink` (on the stack unless it outgrows 1 KiB) and appends it at once,
  /// after its length as 4 little-endian bytes when `lengthPrefixed`.
  private mutating func withLine(lengthPrefixed: Bool = false, _ body: (inout LineSink) -> Void) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer in
      var line = LineSink(buffer)
      body(&line)
      if lengthPrefixed {
        let length = UInt32(truncatingIfNeeded: line.count)
        withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
      }
      bytes.append(contentsOf: line.written)
    }
  }

  private static func writeOpen(_ v: Verdict, zone: PolicyZone, to line: inout LineSink) {
    line.byte(0x7B)
    switch v.detail {
    case .content(let e, let evidence):
      writeHead(v, e, zone: zone, to: &line)
      line.key("evidence")
      line.byte(0x5B)
      for (k, item) in evidence.enumerated() {
        if k > 0 { line.byte(0x2C) }
        writeEvidence(item, to: &line)
      }
      line.byte(0x5D)
    case .timing(let e, let openedAt, let deadline, let answeredAt):
      writeHead(v, e, zone: zone, to: &line)
      line.key("opened_at")
      line.time(openedAt, zone)
      line.key("deadline")
      line.time(deadline, zone)
      line.key("answered_at")
      if let answeredAt { line.time(answeredAt, zone) } else { line.literal("null") }
    case .aggregate(let a):
      writeRule(v, first: true, to: &line)
      line.key("shop")
      line.id(v.shop)
      line.key("period")
      line.byte(0x7B)
      line.key("start", first: true)
      line.time(a.periodStart, zone)
      line.key("end")
      line.time(a.periodEnd, zone)
      line.byte(0x7D)
      line.key("value")
      line.decimal(a.valueTenThousandths, scale: 4)
      line.key("threshold")
      line.decimal(a.thresholdMillionths, scale: 6)
      line.key("count")
      line.integer(a.count)
      line.key("total")
      line.integer(a.total)
    }
    if v.pending {
      line.key("status")
      line.literal("\"pending\"")
    }
  }

  /// `policy`, `rule`, `clause` and `severity`: in every kind of verdict, in this order.
  private static func writeRule(_ v: Verdict, first: Bool, to line: inout LineSink) {
    line.key("policy", first: first)
    line.string(v.policy)
    line.key("rule")
    line.string(v.rule)
    line.key("clause")
    line.string(v.clause)
    line.key("severity")
    line.string(v.severity)
  }

  private static func writeHead(_ v: Verdict, _ e: VerdictEvent, zone: PolicyZone, to line: inout LineSink) {
    line.key("conversation", first: true)
    line.id(e.conversation)
    line.key("shop")
    line.id(v.shop)
    line.key("agent")
    if let agent = e.agent { line.id(agent) } else { line.literal("null") }
    writeRule(v, first: false, to: &line)
    line.key("at")
    line.time(e.at, zone)
    line.key("event")
    line.integer(e.event)
    if let id = e.eventID {
      line.key("event_id")
      line.id(id)
    }
  }

  private static func writeEvidence(_ item: Evidence, to line: inout LineSink) {
    line.byte(0x7B)
    line.key("kind", first: true)
    line.string(item.kind)
    if let name = item.name {
      line.key("name")
      line.string(name)
    }
    if let list = item.list {
      line.key("list")
      line.string(list)
    }
    if let term = item.term {
      line.key("term")
      line.string(term)
    }
    if let attachment = item.attachment {
      line.key("attachment")
      line.integer(attachment)
    }
    if let start = item.start {
      line.key("start")
      line.integer(start)
    }
    if let end = item.end {
      line.key("end")
      line.integer(end)
    }
    if let match = item.match {
      line.key("match")
      line.string(match)
    }
    if let count = item.count {
      line.key("count")
      line.integer(count)
    }
    line.byte(0x7D)
  }
}
