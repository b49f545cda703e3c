import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// The fast decoder against the reference decoder (the logic before the performance work): on
/// well-formed lines, mutated lines and tricky timestamps, keys and strings, both must return the
/// same event or the same error, reason and message alike.
@Suite struct EventDecoderDifferentialTests {
  let fast = EventDecoder()
  let reference = ReferenceEventDecoder()

  func outcome(
    _ decoder: (([UInt8]) throws(EventLineError) -> Event), _ bytes: [UInt8]
  ) -> Result<
    Event, EventLineError
  > {
    do throws(EventLineError) { return .success(try decoder(bytes)) } catch { return .failure(error) }
  }

  /// Records an issue when the decoders disagree on `bytes`; returns whether they agreed.
  @discardableResult
  func agree(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
    let got = outcome(fast.decode, bytes)
    let want = outcome(reference.decode, bytes)
    let same = got == want
    #expect(
      same, "line \(String(decoding: bytes, as: UTF8.self).debugDescription): \(got) != \(want)",
      sourceLocation: sourceLocation)
    return same
  }

  func agree(_ line: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    agree(Array(line.utf8), sourceLocation: sourceLocation)
  }

  static let texts = [
    "收到了,质量不错👍", "欢迎光临~", "亲,物流单号 231147648026993249 已更新", "加我微信 abc123",
    "plain ascii text that is long enough for several words", "", "a\\\"b\\\\c\\n", "\\u5fae\\u4fe1",
    "\\ud83d\\ude00 smile", "Ünïcödé é", "請問可以換貨嗎", "\u{7F}del", "tab\\there", "x/\\/y",
  ]
  static let ids = [
    "c-1", "s-0", "b-12657", "kefu-0", "", "ç-1", "a-very-long-conversation-id-000017", "\\u0063-9",
    "fifteen-bytes-x", "sixteen-bytes-xy", "seventeen-bytes-x", "c\\\"q", "tab\\tx", "中文店铺",
  ]
  static let times = [
    "2026-11-21T07:00:07+08:00", "2026-11-21T07:00:07Z", "2026-11-21t07:00:07z",
    "2026-11-21T07:00:07.5+08:00",
    "2026-11-21T07:00:07.123456789-05:30", "2026-02-29T00:00:00+08:00", "2024-02-29T23:59:59+08:00",
    "2026-11-21T24:00:00+08:00", "2026-11-21T07:60:00+08:00", "2026-11-21T07:00:60+08:00",
    "2026-11-21T07:00:61+08:00", "2026-13-01T00:00:00+08:00", "2026-00-01T00:00:00+08:00",
    "2026-11-00T00:00:00+08:00", "2026-11-31T00:00:00+08:00", "0000-01-01T00:00:00+08:00",
    "9999-12-31T23:59:59-23:59", "2026-11-21T07:00:07+24:00", "2026-11-21T07:00:07+08:60",
    "2026-11-21T07:00:07+0800", "2026-11-21T07:00:07", "2026-11-21 07:00:07+08:00",
    "2026-11-21T07:00:07+08:00x", "2026-11-21T07:00:07.+08:00", "2026-11-21T07:00:07.1234567890Z",
    "2026-1-21T07:00:07+08:00", "2026-11-21T07:00:0a+08:00", "2026-11-21T07:00:07-00:00",
    "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2026-11-21T07:00:07+08:00 ",
    "\\u0032026-11-21T07:00:07+08:00", "2026/11/21T07:00:07+08:00", "2026-11-21T07:00:07+08:0",
  ]

  /// A well-formed line in the corpus's shapes, with random optional fields and field order.
  static func line(_ rng: inout SeededRandom) -> String {
    var fields = [
      #""conversation":"\#(ids.randomElement(using: &rng) ?? "c")""#,
      #""at":"\#(times.randomElement(using: &rng) ?? "")""#,
    ]
    if Bool.random(using: &rng) { fields.append(#""shop":"\#(ids.randomElement(using: &rng) ?? "")""#) }
    if Bool.random(using: &rng) { fields.append(#""buyer":"b-\#(Int.random(in: 0..<99999, using: &rng))""#) }
    if Int.random(in: 0..<4, using: &rng) == 0 { fields.append(#""agent":null"#) }
    if Int.random(in: 0..<5, using: &rng) == 0 { fields.append(#""platform":"pdd""#) }
    switch Int.random(in: 0..<10, using: &rng) {
    case 0: fields.append(#""event":"order_shipped""#)
    case 1:
      fields.append(#""from":"\#(["robot", "Buyer", "sel", "buyers", ""].randomElement(using: &rng) ?? "")""#)
    default:
      let role = ["buyer", "seller", "platform", "system"].randomElement(using: &rng) ?? "buyer"
      fields.append(#""from":"\#(role)""#)
      fields.append(#""text":"\#(texts.randomElement(using: &rng) ?? "")""#)
      if Int.random(in: 0..<4, using: &rng) == 0 { fields.append(#""auto":true"#) }
      if Int.random(in: 0..<6, using: &rng) == 0 {
        fields.append(
          [
            #""attachments":[{"type":"image","url":"https://x.cn/a.png","qr":true},{"type":"pdf"}]"#,
            #""attachments":[{"type":"file","name":"报价.PDF","mime":"application/pdf; q=1"},{"name":null}]"#,
          ].randomElement(using: &rng) ?? "")
      }
    }
    if Int.random(in: 0..<8, using: &rng) == 0 { fields.append(#""extra":{"k":[1,2.5e3,-0,"v",false]}"#) }
    fields.shuffle(using: &rng)
    return "{" + fields.joined(separator: Bool.random(using: &rng) ? "," : " , ") + "}"
  }

  @Test func goldenExamplesAgree() throws {
    let lines = try #require(Golden.read("events/io-examples.jsonl")).split(separator: "\n")
    for line in lines { agree(String(line)) }
  }

  @Test func generatedLinesAgree() {
    var rng = SeededRandom(seed: 2026)
    for _ in 0..<3000 { agree(Self.line(&rng)) }
  }

  @Test func everyTimestampAgrees() {
    for time in Self.times {
      agree(#"{"conversation":"c","at":"\#(time)","event":"e"}"#)
      agree(#"{"conversation":"c","at":"\#(time)"}"#)
    }
  }

  @Test func randomTimestampsAgree() {
    var rng = SeededRandom(seed: 31)
    let digits = Array("0123456789".utf8)
    for _ in 0..<3000 {
      var time = Array("2026-11-21T07:00:07+08:00".utf8)
      for _ in 0..<Int.random(in: 1...2, using: &rng) where !time.isEmpty {
        let k = Int.random(in: 0..<time.count, using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0, 1: time[k] = digits.randomElement(using: &rng) ?? 0x30
        case 2: time[k] = Array("+-:.TtZz 9".utf8).randomElement(using: &rng) ?? 0x30
        default: time.removeSubrange(k...)
        }
      }
      agree(Array(#"{"conversation":"c","event":"e","at":""#.utf8) + time + Array(#""}"#.utf8))
    }
  }

  @Test func trickyKeysAgree() {
    let keys = [
      "at", "a", "atx", "shop", "sho", "shopp", "from", "text", "auto", "agent", "buyer", "event", "platform",
      "attachments", "conversation", "conversatio", "conversations", "\\u0061t", "sh\\u006fp", "AT", "Shop",
      "текст", "文本", "at\\\"", "", "conversation\\u0000", "fro", "froM", "evens", "platforms",
    ]
    var rng = SeededRandom(seed: 5)
    for key in keys {
      for value in [#""x""#, "1", "null", "true", "[]", "{}", #""2026-11-21T07:00:07+08:00""#] {
        agree(#"{"conversation":"c","at":"2026-11-21T07:00:07Z","from":"buyer","\#(key)":\#(value)}"#)
        agree(#"{"\#(key)":\#(value),"conversation":"c","at":"2026-11-21T07:00:07Z","event":"e"}"#)
        agree(#"{"\#(key)":\#(value),"\#(key)":\#(value)}"#)
      }
      _ = rng.next()
    }
  }

  @Test func stringEdgeCasesAgree() {
    // Each insertion goes into the text, at each position of a short CJK and ASCII mix.
    let pieces: [[UInt8]] = [
      [0x22], [0x5C], [0x5C, 0x22], [0x5C, 0x75, 0x64, 0x38, 0x30, 0x30], [0x01], [0x1F], [0x7F], [0x80],
      [0xBF],
      [0xC0, 0x80], [0xC2], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80], [0xE4, 0xB8],
      [0xE4, 0xB8, 0xAD], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF],
      [0xF0, 0x8F, 0xBF, 0xBF],
      [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
      [0xFF], [0x0A], [0x09], [0x5C, 0x78], [0x5C, 0x75, 0x31, 0x32],
    ]
    let text = Array("中文ab早cdefghij上好🙂xyz".utf8)
    let head = Array(#"{"conversation":"c","at":"2026-11-21T07:00:07+08:00","from":"buyer","text":""#.utf8)
    for piece in pieces {
      for k in 0...text.count {
        var bytes = text
        bytes.insert(contentsOf: piece, at: k)
        agree(head + bytes + Array(#""}"#.utf8))
        agree(head + bytes)
        agree(
          Array(#"{"conversation":""#.utf8) + bytes
            + Array(#"","at":"2026-11-21T07:00:07Z","event":"e"}"#.utf8))
      }
    }
  }

  @Test func stateDoesNotLeakAcrossLines() throws {
    // Unknown keys, nested values, days and offsets cached by one line must not change the next.
    let lines = [
      #"{"conversation":"c","at":"2026-11-21T07:00:07+08:00","event":"e","x":{"a":[1]},"y":1}"#,
      #"{"conversation":"c","at":"2026-11-21T07:00:07+08:00","event":"e","x":{"a":[1]},"y":1}"#,
      #"{"conversation":"c","at":"2026-11-21T07:00:07-03:30","event":"e","y":1,"y":2}"#,
      #"{"conversation":"c","at":"2026-11-22T07:00:07-03:30","event":"e","y":1}"#,
      #"{"conversation":"c","at":"2026-11-22T07:00:07Z","event":"e","x":[[[]]]}"#,
      #"{"conversation":"c","at":"2026-11-22T07:00:07+08:00","event":"e"}"#,
    ]
    for line in lines + lines.reversed() { agree(line) }
    let first = try fast.decode(lines[0])
    #expect(first.at == (try Timestamp(rfc3339: "2026-11-20T23:00:07Z")))
  }

  @Test func mutatedLinesAgree() {
    var rng = SeededRandom(seed: 77)
    let special: [UInt8] = [
      0x22, 0x5C, 0x00, 0x1F, 0x80, 0xC2, 0xE0, 0xE4, 0xED, 0xF0, 0xF4, 0xFF, 0x7B, 0x7D, 0x3A, 0x2C,
    ]
    for _ in 0..<4000 {
      var bytes = Array(Self.line(&rng).utf8)
      for _ in 0..<Int.random(in: 1...3, using: &rng) {
        guard !bytes.isEmpty else { break }
        let k = Int.random(in: 0..<bytes.count, using: &rng)
        let b =
          Bool.random(using: &rng)
          ? special.randomElement(using: &rng) ?? 0 : UInt8.random(in: 0...255, using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: bytes[k] = b
        case 1: bytes.remove(at: k)
        case 2: bytes.insert(b, at: k)
        default: bytes.removeSubrange(k...)
        }
      }
      if !agree(bytes) { return }
    }
  }
}
