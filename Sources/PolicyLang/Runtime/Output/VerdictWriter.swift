/// Writes verdicts as JSON Lines into a reusable byte buffer, in io.md's exact field order.
///
/// Content and timing verdicts: `conversation, shop, agent, policy, rule, clause, severity, at,
/// event`, then `evidence` or `opened_at, deadline, answered_at`. Aggregate verdicts: `policy, rule,
/// clause, severity, shop, period{start,end}, value, threshold, count, total`. Optional fields come
/// last, in this order: `"status":"pending"`, then `escalated_to` and `escalation`. Times are written
/// with the policy zone's offset at each instant. Strings are escaped per JSON (quote, backslash,
/// control characters) and non-ASCII is written as UTF-8, never `\u`-escaped.
public struct VerdictWriter: Sendable {
  /// The bytes written so far; take them with `takeBytes()` or clear with `removeAll()`.
  public private(set) var bytes: [UInt8] = []

  /// An empty writer.
  public init() {}

  /// Empties the buffer, keeping its capacity.
  public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

  /// Appends one verdict line (with its LF).
  public mutating func append(_ v: Verdict, zone: PolicyZone) {
    appendOpen(v, zone: zone)
    appendClose(escalation: v.escalation)
  }

  /// Appends a verdict line up to its escalation fields: what `appendClose` completes. A session
  /// renders verdicts this way as soon as they are judged, before escalation is known.
  mutating func appendOpen(_ v: Verdict, zone: PolicyZone) {
    bytes.append(0x7B)
    switch v.detail {
    case .content(let e, let evidence):
      appendHead(v, e, zone: zone)
      key("evidence")
      bytes.append(0x5B)
      for (k, item) in evidence.enumerated() {
        if k > 0 { bytes.append(0x2C) }
        appendEvidence(item)
      }
      bytes.append(0x5D)
    case .timing(let e, let openedAt, let deadline, let answeredAt):
      appendHead(v, e, zone: zone)
      key("opened_at")
      time(openedAt, zone)
      key("deadline")
      time(deadline, zone)
      key("answered_at")
      if let answeredAt { time(answeredAt, zone) } else { literal("null") }
    case .aggregate(let a):
      key("policy", first: true)
      string(v.policy)
      key("rule")
      string(v.rule)
      key("clause")
      string(v.clause)
      key("severity")
      string(v.severity)
      key("shop")
      id(v.shop)
      key("period")
      bytes.append(0x7B)
      key("start", first: true)
      time(a.periodStart, zone)
      key("end")
      time(a.periodEnd, zone)
      bytes.append(0x7D)
      key("value")
      VerdictWriter.appendDecimal(a.valueTenThousandths, scale: 4, to: &bytes)
      key("threshold")
      VerdictWriter.appendDecimal(a.thresholdMillionths, scale: 6, to: &bytes)
      key("count")
      integer(a.count)
      key("total")
      integer(a.total)
    }
    if v.pending {
      key("status")
      string("pending")
    }
  }

  /// Ends a line begun by `appendOpen`: the escalation fields when given, `}` and LF.
  mutating func appendClose(escalation: Escalation?) {
    if let escalation {
      key("escalated_to")
      string(escalation.escalatedTo)
      key("escalation")
      string(escalation.reason)
    }
    bytes.append(0x7D)
    bytes.append(0x0A)
  }

  /// Appends `appendOpen`'s bytes after their count as 4 little-endian bytes (a spooled entry).
  mutating func appendLengthPrefixed(_ v: Verdict, zone: PolicyZone) {
    let start = bytes.count
    bytes.append(contentsOf: [0, 0, 0, 0])
    appendOpen(v, zone: zone)
    let length = UInt32(truncatingIfNeeded: bytes.count - start - 4)
    for k in 0..<4 { bytes[start + k] = UInt8(truncatingIfNeeded: length >> UInt32(8 * k)) }
  }

  /// Appends raw bytes (a line rendered earlier by `appendOpen`).
  mutating func appendRaw(_ raw: UnsafeRawBufferPointer) {
    bytes.append(contentsOf: raw)
  }

  private mutating func appendHead(_ v: Verdict, _ e: VerdictEvent, zone: PolicyZone) {
    key("conversation", first: true)
    id(e.conversation)
    key("shop")
    id(v.shop)
    key("agent")
    if let agent = e.agent { id(agent) } else { literal("null") }
    key("policy")
    string(v.policy)
    key("rule")
    string(v.rule)
    key("clause")
    string(v.clause)
    key("severity")
    string(v.severity)
    key("at")
    time(e.at, zone)
    key("event")
    integer(e.event)
  }

  private mutating func appendEvidence(_ item: Evidence) {
    bytes.append(0x7B)
    key("kind", first: true)
    string(item.kind)
    if let list = item.list {
      key("list")
      string(list)
    }
    if let term = item.term {
      key("term")
      string(term)
    }
    if let attachment = item.attachment {
      key("attachment")
      integer(attachment)
    }
    if let start = item.start {
      key("start")
      integer(start)
    }
    if let end = item.end {
      key("end")
      integer(end)
    }
    if let match = item.match {
      key("match")
      string(match)
    }
    bytes.append(0x7D)
  }

  /// `,"name":` (or `"name":` for the first member).
  private mutating func key(_ name: StaticString, first: Bool = false) {
    // Formed on the stack and appended once: four appends per key were most of a verdict's cost.
    let count = name.utf8CodeUnitCount
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count + 4) { buffer in
      guard let base = buffer.baseAddress else { return }
      var k = 0
      if !first {
        base[0] = 0x2C
        k = 1
      }
      base[k] = 0x22
      (base + k + 1).update(from: name.utf8Start, count: count)
      k += count + 1
      base[k] = 0x22
      base[k + 1] = 0x3A
      bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: k + 2))
    }
  }

  private mutating func literal(_ word: StaticString) {
    bytes.append(contentsOf: UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
  }

  private mutating func time(_ t: Timestamp, _ zone: PolicyZone) {
    bytes.append(0x22)
    zone.appendRFC3339(t, to: &bytes)
    bytes.append(0x22)
  }

  private mutating func integer(_ value: Int) {
    // Digits formed backwards on the stack, appended once: no String per number.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { buffer in
      guard let base = buffer.baseAddress else { return }
      var position = 21
      var magnitude = value.magnitude
      repeat {
        position -= 1
        base[position] = 0x30 + UInt8(truncatingIfNeeded: magnitude % 10)
        magnitude /= 10
      } while magnitude > 0
      if value < 0 {
        position -= 1
        base[position] = 0x2D
      }
      bytes.append(contentsOf: UnsafeBufferPointer(start: base + position, count: 21 - position))
    }
  }

  private mutating func string(_ s: String) {
    var s = s
    s.withUTF8 { VerdictWriter.appendJSONString($0, to: &bytes) }
  }

  private mutating func id(_ s: ByteString) {
    s.withBytes { VerdictWriter.appendJSONString($0, to: &bytes) }
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends a JSON string literal of UTF-8 bytes: `"` and `\` escaped, control characters as
  /// `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`; everything else (non-ASCII included) as is.
  public static func appendJSONString(_ s: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    out.append(0x22)
    var runStart = 0
    for k in 0..<s.count {
      let b = s[k]
      guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
      if k > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<k])) }
      runStart = k + 1
      out.append(0x5C)
      switch b {
      case 0x22, 0x5C: out.append(b)
      case 0x0A: out.append(0x6E)
      case 0x0D: out.append(0x72)
      case 0x09: out.append(0x74)
      case 0x08: out.append(0x62)
      case 0x0C: out.append(0x66)
      default:
        out.append(contentsOf: [0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
      }
    }
    if s.count > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<s.count])) }
    out.append(0x22)
  }

  /// Appends `units / 10^scale` as the shortest decimal that is exact: no trailing zeros, no point
  /// when whole (7500 at scale 4 is `0.75`, 10000 is `1`, 3333 is `0.3333`).
  public static func appendDecimal(_ units: Int64, scale: Int, to out: inout [UInt8]) {
    var divisor: Int64 = 1
    for _ in 0..<scale { divisor *= 10 }
    if units < 0 { out.append(0x2D) }
    let magnitude = units.magnitude
    let whole = magnitude / UInt64(divisor)
    var fraction = magnitude % UInt64(divisor)
    out.append(contentsOf: String(whole).utf8)
    guard fraction > 0 else { return }
    var width = scale
    while fraction % 10 == 0 {
      fraction /= 10
      width -= 1
    }
    out.append(0x2E)
    let digits = String(fraction)
    for _ in digits.count..<width { out.append(0x30) }
    out.append(contentsOf: digits.utf8)
  }
}
