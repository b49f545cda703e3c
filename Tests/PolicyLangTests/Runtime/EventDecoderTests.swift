import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite struct EventDecoderTests {
  let decoder = EventDecoder()

  func decode(_ line: String) throws(EventLineError) -> Event { try decoder.decode(line) }

  func reason(_ line: String) -> EventLineReason? { reason(Array(line.utf8)) }

  func reason(_ bytes: [UInt8]) -> EventLineReason? {
    do throws(EventLineError) {
      _ = try decoder.decode(bytes)
      return nil
    } catch { return error.reason }
  }

  func message(_ line: String) -> String? {
    do throws(EventLineError) {
      _ = try decode(line)
      return nil
    } catch { return error.message }
  }

  static let head = #"{"conversation":"c-1","at":"2026-11-20T10:00:00+08:00","#

  @Test func decodesIOExamples() throws {
    let lines = try #require(Golden.read("events/io-examples.jsonl")).split(separator: "\n")
    let events = try lines.map { line throws(EventLineError) in try decoder.decode(String(line)) }
    #expect(events.count == 5)
    let first = events[0]
    #expect(first.conversation == "c-1001")
    #expect(first.shop == "s-88")
    #expect(first.at == (try Timestamp(rfc3339: "2026-11-20T02:00:00Z")))
    #expect(first.message == Message(role: .buyer, text: "在吗？这个有货吗"))
    #expect(events[1].agent == "kefu-3")
    #expect(events[1].message?.role == .seller)
    #expect(events[2].message?.auto == true)
    #expect(events[3].message?.attachments == [Attachment(kind: .image, qr: true)])
    #expect(events[3].message?.text == [])
    #expect(events[4].eventName == "order_shipped")
    #expect(events[4].message == nil)
  }

  @Test func decodesEveryField() throws {
    let e = try decode(
      #" { "platform":"pdd","buyer":"b-1","agent":"a\u00e9","shop":"s","conversation":"c","#
        + #""at":"2026-01-01T00:00:00Z","from":"platform","auto":false,"text":"hi\n\"x\"\\/\ud83d\ude00","#
        + #""attachments":[{"type":"qr_code","url":"http://x.cn"},"#
        + #"{"type":"sticker","qr":null},{"type":"link"}]} "#
    )
    #expect(e.platform == "pdd")
    #expect(e.buyer == "b-1")
    #expect(e.agent == "aé")
    let m = try #require(e.message)
    #expect(m.role == .platform)
    #expect(m.textString == "hi\n\"x\"\\/😀")
    #expect(m.attachments.map(\.kind) == [.qrCode, .file, .link])
    #expect(m.attachments[0].urlString == "http://x.cn")
  }

  @Test func nullMeansAbsentForOptionalFields() throws {
    let e = try decode(Self.head + #""from":"seller","shop":null,"agent":null,"text":null,"auto":null}"#)
    #expect(e.shop == nil && e.agent == nil)
    #expect(e.message == Message(role: .seller))
    #expect(reason(#"{"conversation":null,"at":"2026-11-20T10:00:00Z","from":"buyer"}"#) == .wrongType)
  }

  @Test func idsAreBytesNotCanonicalStrings() throws {
    // "é" precomposed and decomposed are equal Strings but different ids.
    let a = try decode(#"{"conversation":"\u00e9","at":"2026-01-01T00:00:00Z","event":"x"}"#)
    let b = try decode(#"{"conversation":"e\u0301","at":"2026-01-01T00:00:00Z","event":"x"}"#)
    #expect(a.conversation.string == b.conversation.string)
    #expect(a.conversation != b.conversation)
    #expect(ByteString("a") < ByteString("a\u{0}"))
    #expect(ByteString("abcdefghijklmnopq") > ByteString("abcdefghijklmnop"))
    #expect(ByteString("b") > ByteString("abcdefghijklmnopqrstuvwxyz"))
    #expect(
      ByteString(bytes: Array("abcdefghijklmnopqrstuvwxyz".utf8)).string == "abcdefghijklmnopqrstuvwxyz")
  }

  @Test func byteStringOrderMatchesBytes() {
    var rng = SeededRandom(seed: 7)
    for _ in 0..<500 {
      let a = (0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...3, using: &rng) * 80 }
      let b = (0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...3, using: &rng) * 80 }
      let x = ByteString(bytes: a)
      let y = ByteString(bytes: b)
      #expect((x < y) == a.lexicographicallyPrecedes(b))
      #expect((x == y) == (a == b))
      #expect(x.bytes == a)
    }
  }

  @Test func malformedLinesAndTheirReasons() {
    let h = Self.head
    let cases: [(String, EventLineReason)] = [
      (#"{"conversation":"c-1","at":"2026-11-20T10:00:00+08:00","from":"buyer""#, .invalidJSON),
      ("not json", .invalidJSON),
      ("[1,2]", .invalidJSON),
      (h + #""from":"buyer"} x"#, .invalidJSON),
      (h + #""from":"buyer",}"#, .invalidJSON),
      (h + #""from":"buyer","x":01}"#, .invalidJSON),
      (h + #""from":"buyer","x":1.}"#, .invalidJSON),
      (h + #""from":"buyer","x":tru}"#, .invalidJSON),
      (h + #""from":"buyer","x":"\x"}"#, .invalidJSON),
      (h + "\"from\":\"buyer\",\"text\":\"a\tb\"}", .invalidJSON),
      (h + #""from":"buyer","x":[1,2}"#, .invalidJSON),
      (h + #""from":"buyer","x":{"a" 1}}"#, .invalidJSON),
      (#"{"conversation":"c-1","from":"buyer"}"#, .missingAt),
      (#"{"at":"2026-11-20T10:00:00+08:00","from":"buyer"}"#, .missingConversation),
      (#"{"conversation":"c","at":"2026-11-20T10:00:60+08:00","from":"buyer"}"#, .leapSecond),
      (#"{"conversation":"c","at":"2026-02-30T10:00:00+08:00","from":"buyer"}"#, .badTime),
      (#"{"conversation":"c","at":"yesterday","from":"buyer"}"#, .badTime),
      (#"{"conversation":"c","at":"2026-11-20T10:00:00","from":"buyer"}"#, .badTime),
      (#"{"conversation":"c","at":"2026-11-20T25:00:00Z","from":"buyer"}"#, .badTime),
      (#"{"conversation":"c","at":1763604000,"from":"buyer"}"#, .wrongType),
      (h + #""from":"customer"}"#, .badFrom),
      (h + #""from":"buyer","event":"order_placed"}"#, .fromAndEvent),
      (h + #""text":"hi"}"#, .noFromOrEvent),
      (h + #""from":"buyer","text":5}"#, .wrongType),
      (h + #""from":"buyer","auto":"yes"}"#, .wrongType),
      (h + #""from":"buyer","shop":7}"#, .wrongType),
      (h + #""from":"buyer","attachments":{}}"#, .wrongType),
      (h + #""from":"buyer","attachments":["image"]}"#, .wrongType),
      (h + #""from":"buyer","attachments":[{"type":"image","qr":"yes"}]}"#, .wrongType),
      (h + #""from":"buyer","attachments":[{"url":"http://x"}]}"#, .badAttachment),
      (h + #""from":"buyer","attachments":[{"type":"file","name":5}]}"#, .wrongType),
      (h + #""from":"buyer","attachments":[{"type":"file","mime":["application/pdf"]}]}"#, .wrongType),
      (h + #""from":"buyer","attachments":[{"type":"file","name":"a.pdf","name":"b.pdf"}]}"#, .duplicateKey),
      (h + #""from":"buyer","attachments":[{"name":"a.pdf","mime":"application/pdf"}]}"#, .badAttachment),
      (h + #""from":"buyer","from":"seller"}"#, .duplicateKey),
      (h + #""from":"buyer","x":1,"x":2}"#, .duplicateKey),
      (h + #""from":"buyer","\u0078":1,"x":2}"#, .duplicateKey),
      (h + #""from":"buyer","attachments":[{"type":"image","type":"file"}]}"#, .duplicateKey),
      (h + #""from":"buyer","text":"\ud83d"}"#, .loneSurrogate),
      (h + #""from":"buyer","text":"\ude00\ud83d"}"#, .loneSurrogate),
      (h + #""from":"buyer","x":"\ud83dx"}"#, .loneSurrogate),
    ]
    for (line, expected) in cases {
      #expect(reason(line) == expected, "\(line)")
    }
  }

  @Test func attachmentNameAndMediaTypeAreRead() throws {
    let event = try decode(
      Self.head
        + #""from":"seller","attachments":[{"type":"file","name":"\u62a5\u4ef7.PDF","mime":"application/pdf"},"#
        + #"{"type":"image","name":null,"mime":null},{"type":"file","size":3}]}"#)
    let attachments = event.message?.attachments ?? []
    #expect(attachments.count == 3)
    #expect(attachments.first?.name == Array("报价.PDF".utf8))
    #expect(attachments.first?.mime == Array("application/pdf".utf8))
    #expect(attachments.dropFirst().allSatisfy { $0.name == nil && $0.mime == nil })
  }

  @Test func duplicateKeysInsideUnknownObjectsAreAllowed() throws {
    _ = try decode(Self.head + #""from":"buyer","meta":{"a":1,"a":2}}"#)
  }

  @Test func invalidUTF8() {
    let prefix = Array((Self.head + #""from":"buyer","text":""#).utf8)
    let suffix = Array("\"}".utf8)
    let bad: [[UInt8]] = [
      [0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
      [0xE4, 0xBD], [0x80], [0xF0, 0x9F, 0x98],
    ]
    for b in bad { #expect(reason(prefix + b + suffix) == .invalidUTF8, "\(b)") }
    #expect(reason(prefix + [0xF0, 0x9F, 0x98, 0x80] + suffix) == nil)
    // Outside a string, a non-ASCII byte is not JSON.
    #expect(reason(Array(Self.head.utf8) + [0xC3, 0xA9]) == .invalidJSON)
  }

  @Test func messagesSayWhy() {
    #expect(message(#"{"conversation":"c","from":"buyer"}"#) == "missing `at`")
    #expect(
      message(Self.head + #""from":"robot"}"#)
        == "unknown `from` `robot` (expected buyer, seller, platform or system)")
    #expect(
      message(#"{"conversation":"c","at":"2026-02-30T00:00:00Z","event":"x"}"#)
        == "bad `at` `2026-02-30T00:00:00Z`: impossible date: 2026-02-30 (month 2 of 2026 has no day 30)")
    #expect(
      message(#"{"conversation":"c""#)
        == "invalid JSON: unexpected end of line, expected `,` or `}` after a field")
    #expect(
      message(Self.head + #""from":"buyer"}}"#) == "invalid JSON at byte 71: unexpected text after the object"
    )
    // Control characters of a quoted value never break the one-line message format.
    #expect(message(Self.head + #""from":"a\nb"}"#)?.contains("\n") == false)
    #expect(
      EventLineError(.missingAt, "missing `at`").formatted(file: "<stdin>", line: 3)
        == "<stdin>:3: error: missing `at`")
  }

  @Test func deeplyNestedUnknownFields() throws {
    let depth = 100_000
    let open = String(repeating: #"{"a":["#, count: depth)
    let close = String(repeating: "]}", count: depth)
    let e = try decode(Self.head + #""from":"buyer","deep":"# + open + "1" + close + "}")
    #expect(e.message?.role == .buyer)
    #expect(
      reason(Self.head + #""from":"buyer","deep":"# + open + "1" + close.dropLast() + "}") == .invalidJSON)
  }

  @Test func tenMegabyteText() throws {
    let text = String(repeating: "在吗abc", count: 1_100_000)
    let e = try decode(Self.head + #""from":"buyer","text":""# + text + #""}"#)
    #expect(e.message?.text.count == text.utf8.count)
    #expect(e.message?.text == Array(text.utf8))
    let escaped = String(repeating: #"a\n"#, count: 3_500_000)
    let f = try decode(Self.head + #""from":"buyer","text":""# + escaped + #""}"#)
    #expect(f.message?.text.count == 7_000_000)
  }

  @Test func unicodeEscapes() throws {
    let e = try decode(Self.head + #""from":"buyer","text":"\u5728\u5417 \uD83D\uDE00 \u0000 \u00e9"}"#)
    #expect(e.message?.textString == "在吗 😀 \u{0} é")
  }

  @Test func decoderIsReusableAfterErrors() throws {
    for k in 0..<50 {
      _ = reason(Self.head + #""from":"buyer","text":"\ud83d"}"#)
      let e = try decode(Self.head + #""from":"buyer","text":"x\u00e9\#(k)"}"#)
      #expect(e.message?.textString == "xé\(k)")
    }
  }

  @Test func randomLinesNeverCrash() {
    var rng = SeededRandom(seed: 99)
    let base = Array((Self.head + #""from":"buyer","text":"在\u00e9","a":[{"b":null}]}"#).utf8)
    for _ in 0..<2000 {
      var bytes = base
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let k = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: bytes[k] = UInt8.random(in: 0...255, using: &rng)
        case 1: bytes.remove(at: k)
        default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: k)
        }
      }
      _ = reason(bytes)
    }
  }
}
