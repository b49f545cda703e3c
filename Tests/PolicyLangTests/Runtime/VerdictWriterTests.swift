import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite struct VerdictWriterTests {
  func t(_ s: String) throws -> Timestamp { try Timestamp(rfc3339: s) }

  /// The io.md verdict examples, rebuilt by hand, must come out byte for byte.
  @Test func ioExamples() throws {
    let zone = try #require(PolicyZone(identifier: "Asia/Shanghai"))
    let verdicts: [Verdict] = [
      Verdict(
        policy: "pinduoduo", rule: "third_party_info", clause: "PDD-2.1", severity: "major", shop: "s-88",
        detail: .content(
          VerdictEvent(conversation: "c-1001", agent: nil, at: try t("2026-11-20T02:05:00Z"), event: 3),
          evidence: [Evidence(kind: "qr_code", attachment: 0)])),
      Verdict(
        policy: "pinduoduo", rule: "third_party_info", clause: "PDD-2.1", severity: "major", shop: "s-88",
        detail: .content(
          VerdictEvent(
            conversation: "c-1002", agent: "kefu-3", at: try t("2026-11-20T10:07:00+08:00"), event: 1),
          evidence: [
            Evidence(kind: "term", list: "contact_apps", term: "微信", start: 2, end: 4, match: "薇信"),
            Evidence(kind: "phone", start: 5, end: 18, match: "138 0013 8000"),
          ])),
      Verdict(
        policy: "aliexpress", rule: "reply_speed", clause: "AE-1.2.1", severity: "minor", shop: "s-9",
        detail: .timing(
          VerdictEvent(conversation: "c-2002", agent: nil, at: try t("2026-11-20T11:00:00+08:00"), event: 0),
          openedAt: try t("2026-11-20T10:00:00+08:00"), deadline: try t("2026-11-20T11:00:00+08:00"),
          answeredAt: try t("2026-11-20T11:30:00+08:00"))),
      Verdict(
        policy: "pinduoduo", rule: "effective_reply_rate", clause: "PDD-2.2", severity: "minor", shop: "s-88",
        detail: .aggregate(
          AggregateResult(
            periodStart: try t("2026-11-20T08:00:00+08:00"), periodEnd: try t("2026-11-20T23:00:00+08:00"),
            count: 90, total: 120, thresholdMillionths: 800_000))),
    ]
    var writer = VerdictWriter()
    for v in verdicts { writer.append(v, zone: zone) }
    let expected = try #require(Golden.read("events/io-verdicts.jsonl"))
    #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
  }

  @Test func optionalFieldsAndEscaping() throws {
    let zone = try #require(PolicyZone(identifier: "America/New_York"))
    var writer = VerdictWriter()
    writer.append(
      Verdict(
        policy: "p", rule: "r", clause: "C-1", severity: "minor", shop: "",
        detail: .timing(
          VerdictEvent(
            conversation: "c\"\\\n\u{1}é😀", agent: "a\t", at: try t("2026-07-01T12:00:00.5Z"), event: 2),
          openedAt: try t("2026-01-01T12:00:00Z"), deadline: try t("2026-07-01T12:00:00.5Z"),
          answeredAt: nil),
        pending: true, escalation: Escalation(escalatedTo: "major", reason: "3rd minor within 30d")),
      zone: zone)
    Golden.check(String(decoding: writer.bytes, as: UTF8.self), against: "events/verdict-optional.jsonl")
  }

  /// The array escaper `LineSink.jsonString` replaced, byte by byte.
  static func referenceJSONString(_ s: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    let hexDigits = Array("0123456789abcdef".utf8)
    out.append(0x22)
    for b in s {
      guard b < 0x20 || b == 0x22 || b == 0x5C else {
        out.append(b)
        continue
      }
      out.append(0x5C)
      switch b {
      case 0x22, 0x5C: out.append(b)
      case 0x0A: out.append(0x6E)
      case 0x0D: out.append(0x72)
      case 0x09: out.append(0x74)
      case 0x08: out.append(0x62)
      case 0x0C: out.append(0x66)
      default: out.append(contentsOf: [0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
      }
    }
    out.append(0x22)
  }

  /// The line sink against the array writers it replaced: JSON strings of any bytes (escapes,
  /// control characters, UTF-8), integers at their limits, and lines far beyond its stack buffer.
  @Test func lineSinkWritesWhatTheArrayWritersDo() {
    var random = SeededRandom(seed: 20_261_123)
    func sink(_ body: (inout LineSink) -> Void) -> [UInt8] {
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
        var line = LineSink(buffer)
        body(&line)
        return Array(line.written)
      }
    }
    let alphabet: [UInt8] = [
      0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x22, 0x5C, 0x41, 0x7A, 0xE4, 0xBD, 0xA0,
    ]
    for length in [0, 1, 5, 17, 300, 3000] {
      for _ in 0..<20 {
        let text = (0..<length).map { _ in alphabet.randomElement(using: &random) ?? 0 }
        var expected: [UInt8] = []
        text.withUnsafeBufferPointer { Self.referenceJSONString($0, to: &expected) }
        #expect(sink { line in text.withUnsafeBufferPointer { line.jsonString($0) } } == expected)
        var appended: [UInt8] = [0x41]
        text.withUnsafeBufferPointer { JSONText.appendString($0, to: &appended) }
        #expect(appended == [0x41] + expected)
      }
    }
    for value in [0, 1, -1, 9, 10, -10, 1_234_567, Int.max, Int.min, Int.max - 1, Int.min + 1] {
      #expect(sink { $0.integer(value) } == Array(String(value).utf8))
    }
    let zone = PolicyZone.utc
    // The last two lie outside years 0001-9999: both write the nearest time inside them.
    for seconds: Int64 in [0, -1, 1_790_000_000, 253_402_300_800, -62_167_219_201] {
      let t = Timestamp(seconds: seconds, nanoseconds: 120_000_000)
      var expected: [UInt8] = [0x22]
      zone.appendRFC3339(t, to: &expected)
      expected.append(0x22)
      #expect(sink { $0.time(t, zone) } == expected)
    }
    // Many pieces in one line: it moves to the heap and keeps what it wrote.
    let long = sink { line in
      for k in 0..<500 {
        line.key("k", first: k == 0)
        line.integer(k)
      }
    }
    let expected = (0..<500).map { "\($0 == 0 ? "" : ",")\"k\":\($0)" }.joined()
    #expect(long == Array(expected.utf8))
  }

  @Test func decimals() {
    func value(_ count: Int, _ total: Int) -> String {
      var out: [UInt8] = []
      let a = AggregateResult(
        periodStart: .epoch, periodEnd: .epoch, count: count, total: total, thresholdMillionths: 0)
      JSONText.appendDecimal(a.valueTenThousandths, scale: 4, to: &out)
      return String(decoding: out, as: UTF8.self)
    }
    #expect(value(90, 120) == "0.75")
    #expect(value(4, 5) == "0.8")
    #expect(value(7, 7) == "1")
    #expect(value(1, 3) == "0.3333")
    #expect(value(2, 3) == "0.6667")
    #expect(value(1, 20_000) == "0.0001")  // 0.00005 rounds half up
    #expect(value(1, 20_001) == "0")
    #expect(value(0, 0) == "0")
    var out: [UInt8] = []
    JSONText.appendDecimal(995_000, scale: 6, to: &out)
    out.append(0x20)
    JSONText.appendDecimal(1_000_000, scale: 6, to: &out)
    out.append(0x20)
    JSONText.appendDecimal(5, scale: 6, to: &out)
    #expect(String(decoding: out, as: UTF8.self) == "0.995 1 0.000005")
  }
}
