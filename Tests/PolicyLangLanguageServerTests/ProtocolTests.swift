import Foundation
import PolicyLang
import Testing

@testable import PolicyLangLanguageServer

/// The protocol's edges: malformed frames, JSON and requests are answered with JSON-RPC errors
/// and the server goes on; the lifecycle (`initialize` first, `shutdown`, `exit`, end of input).
@Suite struct ProtocolTests {
  /// Runs a server over `input` in memory to the end and returns its exit status and messages.
  private func serve(_ input: [UInt8], chunkSize: Int = 1 << 16) -> (Int32, [JSONValue]) {
    var server = LanguageServer(
      input: MemoryInput(input, chunkSize: chunkSize), output: MemoryOutput(),
      options: LanguageServerOptions(environment: ["LANG": "C"]))
    let status = server.run()
    var reader = FrameReader(MemoryInput(server.output.bytes))
    var messages: [JSONValue] = []
    while case .message(let body) = reader.next() {
      if let value = try? JSONReader.parse(body) { messages.append(value) }
    }
    return (status, messages)
  }

  private func frame(_ json: String) -> [UInt8] { framed(Array(json.utf8)) }

  private var ping: [UInt8] { frame(#"{"jsonrpc":"2.0","method":"$/ping"}"#) }

  private let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#

  @Test func malformedMessagesAreAnsweredWithJSONRPCErrors() {
    var input = frame(initialize)
    let cases: [(bytes: [UInt8], code: Int64, id: JSONValue)] = [
      (frame(#"{"jsonrpc":"2.0","id":2,"method":"#), -32700, .null),  // cut short
      (frame(#"{"jsonrpc":"2.0","id":3,"id":4,"method":"shutdown"}"#), -32700, .null),  // duplicate key
      (frame("[1,2]"), -32600, .null),  // a batch
      (frame(#""hello""#), -32600, .null),
      (frame(#"{"jsonrpc":"1.0","id":5,"method":"shutdown"}"#), -32600, 5),
      (frame(#"{"jsonrpc":"2.0","id":6}"#), -32600, 6),
      (frame(#"{"jsonrpc":"2.0","id":7,"method":42}"#), -32600, 7),
      (frame(#"{"jsonrpc":"2.0","id":{"x":1},"method":"shutdown"}"#), -32600, .null),
      (frame(#"{"jsonrpc":"2.0","id":8,"method":"textDocument/hover","params":3}"#), -32600, 8),
      (frame(#"{"jsonrpc":"2.0","id":9,"method":"textDocument/frobnicate","params":{}}"#), -32601, 9),
      (frame(#"{"jsonrpc":"2.0","id":"ten","method":"textDocument/hover","params":{}}"#), -32602, "ten"),
      (
        frame(
          #"{"jsonrpc":"2.0","id":11,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x"},"position":{"line":-1,"character":0}}}"#
        ), -32602, 11
      ),
      (
        frame(
          #"{"jsonrpc":"2.0","id":12,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///not-open.policy"},"position":{"line":0,"character":0}}}"#
        ), -32602, 12
      ),
      // A bad header block costs one error; reading resumes at the next `Content-Length`.
      (Array("Content-Length: abc\r\n\r\n{}".utf8) + ping, -32700, .null),
      (Array("Content-Type: application/json\r\n\r\n{}".utf8) + ping, -32700, .null),
      (Array("garbage without a colon\r\n\r\n".utf8) + ping, -32700, .null),
      (Array("Content-Length: 1\r\nContent-Length: 2\r\n\r\n{}".utf8) + ping, -32700, .null),
      (frame(#"{"jsonrpc":"2.0","id":13,"method":"initialize","params":{}}"#), -32600, 13),
    ]
    for c in cases { input += c.bytes }
    input += frame(#"{"jsonrpc":"2.0","id":99,"method":"shutdown"}"#)
    input += frame(#"{"jsonrpc":"2.0","method":"exit"}"#)
    let (status, messages) = serve(input)
    #expect(status == 0)
    let errors = messages.filter { $0["error"] != nil }
    #expect(errors.count == cases.count)
    for (c, error) in zip(cases, errors) {
      #expect(error["error"]?["code"] == .integer(c.code), "\(error)")
      #expect(error["id"] == c.id, "\(error)")
      #expect(error["jsonrpc"] == "2.0")
    }
    // After all of them, the server still answers.
    #expect(messages.last?["id"] == 99 && messages.last?["result"] == .null)
  }

  @Test func requestsBeforeInitializeAndAfterShutdown() {
    var input = frame(#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#)
    input += frame(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{}}"#)  // dropped
    input += frame(initialize.replacingOccurrences(of: "\"id\":1", with: "\"id\":2"))
    input += frame(#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#)
    input += frame(#"{"jsonrpc":"2.0","id":4,"method":"textDocument/hover","params":{}}"#)
    input += frame(#"{"jsonrpc":"2.0","method":"exit"}"#)
    input += frame(#"{"jsonrpc":"2.0","id":5,"method":"shutdown"}"#)  // never read
    let (status, messages) = serve(input)
    #expect(status == 0)
    #expect(messages.map { $0["id"] } == [1, 2, 3, 4])
    #expect(messages[0]["error"]?["code"] == -32002)
    #expect(messages[1]["result"]?["capabilities"] != nil)
    #expect(messages[2]["result"] == .null && messages[2]["error"] == nil)
    #expect(messages[3]["error"]?["code"] == -32600)
  }

  @Test func exitWithoutShutdownIsStatusOneAndTheEndOfInputIsZero() {
    let (withoutShutdown, _) = serve(frame(initialize) + frame(#"{"jsonrpc":"2.0","method":"exit"}"#))
    #expect(withoutShutdown == 1)
    let (atEnd, messages) = serve(frame(initialize))
    #expect(atEnd == 0)
    #expect(messages.count == 1)
    // A message cut short by the end of the input is dropped.
    let (cut, _) = serve(frame(initialize) + Array("Content-Length: 100\r\n\r\n{\"jsonrpc\"".utf8))
    #expect(cut == 0)
  }

  @Test func anAnnouncedBodyPastTheLimitIsSkippedAsItArrives() {
    // 99,999,999,999 bytes are announced: everything after the header is that body.
    let input =
      frame(initialize) + Array("Content-Length: 99999999999\r\n\r\n".utf8)
      + frame(#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#)
    let (status, messages) = serve(input)
    #expect(status == 0)
    #expect(messages.count == 2)
    #expect(messages.last?["error"]?["code"] == -32700)
    #expect((messages.last?["error"]?["message"]?.stringValue ?? "").contains("larger than the limit"))
  }

  @Test func cancellationAndUnknownNotificationsAreTolerated() {
    var input = frame(initialize)
    input += frame(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#)
    input += frame(#"{"jsonrpc":"2.0","method":"$/setTrace","params":{"value":"off"}}"#)
    input += frame(#"{"jsonrpc":"2.0","method":"workspace/somethingNew","params":{}}"#)
    input += frame(#"{"jsonrpc":"2.0","id":7,"result":null}"#)  // a response to a request of ours
    input += frame(#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#)
    let (status, messages) = serve(input)
    #expect(status == 0)
    #expect(messages.map { $0["id"] } == [1, 2])
  }

  @Test func bytesArrivingOneAtATimeGiveTheSameAnswers() {
    var input = frame(initialize)
    input += frame(
      #"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.policy","languageId":"policylang","version":1,"text":"policy a {\n  zone Asia/Shanghai\n}\nconst 限 = 1\n"}}}"#
    )
    input += frame(#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#)
    let (_, whole) = serve(input)
    let (_, trickled) = serve(input, chunkSize: 1)
    #expect(whole.count >= 2)
    #expect(whole.filter { $0["id"] != nil } == trickled.filter { $0["id"] != nil })
  }

  @Test func notificationWithBadParamsIsLoggedNotFatal() {
    var input = frame(initialize)
    input += frame(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":5}}}"#)
    input += frame(
      #"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nope","version":2},"contentChanges":[]}}"#
    )
    input += frame(#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#)
    let (status, messages) = serve(input)
    #expect(status == 0)
    let logs = messages.filter { $0["method"] == "window/logMessage" }
    #expect(logs.count == 2)
    #expect(
      (logs.first?["params"]?["message"]?.stringValue ?? "").contains("`textDocument.uri` must be a string"))
  }

  @Test func randomBytesNeverStopTheServer() {
    var random = SeededRandom(seed: 23)
    for _ in 0..<200 {
      var input = frame(initialize)
      let length = Int.random(in: 0..<300, using: &random)
      let pieces: [[UInt8]] = [
        Array("Content-Length: ".utf8), Array("\r\n\r\n".utf8), Array("{\"jsonrpc\":\"2.0\"".utf8),
        [0xFF, 0x00],
        Array("\"id\":1,\"method\":\"textDocument/hover\"".utf8), Array("99999999999999999999".utf8),
      ]
      var noise: [UInt8] = []
      while noise.count < length {
        if Bool.random(using: &random) {
          noise += pieces[Int.random(in: 0..<pieces.count, using: &random)]
        } else {
          noise.append(UInt8.random(in: 0...255, using: &random))
        }
      }
      input += noise
      input += frame(#"{"jsonrpc":"2.0","id":"last","method":"shutdown"}"#)
      let (status, messages) = serve(input, chunkSize: Int.random(in: 1...64, using: &random))
      #expect(status == 0)
      #expect(messages.first?["id"] == 1)
      for message in messages {
        #expect(message["jsonrpc"] == "2.0")
        if let code = message["error"]?["code"]?.intValue {
          #expect([-32700, -32600, -32601, -32602, -32002].contains(code))
        }
      }
    }
  }
}

/// A small deterministic generator (SplitMix64) so property tests are reproducible from a seed.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
