import Foundation
import Testing

@testable import PolicyLangLanguageServer

/// A shipped policy mangled by random edits, with a random request after each: every request
/// is answered with a result, and the last version gets its diagnostics.
@Suite struct RobustnessTests {
  @Test func randomEditsAndRequestsOnAShippedPolicy() throws {
    let path = Fixtures.repository.appendingPathComponent("Policies/pinduoduo.policy").path
    let original = try String(contentsOfFile: path, encoding: .utf8)
    let uri = DocumentURI.uri(fromPath: path)
    let client = TestClient()
    client.initialize()
    #expect(client.open(uri, original).isEmpty)
    var random = SeededRandom(seed: 2026)
    let snippets = [
      "", "{", "}", "(", ")", "\"", "\"微信", "contains any ", "rule x \"标题\" {\n", "clause ", "😀", "𠮷",
      "\n", "  and ", "# 注释\n", "within 1h", "override ", "test \"t\" {", "expect violation at 9", "==", "+=",
      "\u{0}", "\r\n", "policy ", "import \"../../nowhere.policy\"\n",
      "terms a = file \"/nonexistent/words.txt\"\n",
    ]
    let methods = [
      "textDocument/hover", "textDocument/definition", "textDocument/references", "textDocument/completion",
      "textDocument/documentSymbol", "textDocument/formatting", "textDocument/codeAction",
      "textDocument/codeLens",
    ]
    var lineCount = original.split(separator: "\n", omittingEmptySubsequences: false).count
    var version = 1
    for _ in 0..<150 {
      version += 1
      func anyPosition() -> JSONValue {
        .position(
          Int.random(in: 0...(lineCount + 2), using: &random), Int.random(in: 0..<120, using: &random))
      }
      let start = anyPosition()
      let end = Bool.random(using: &random) ? start : anyPosition()
      let text = snippets[Int.random(in: 0..<snippets.count, using: &random)]
      client.notify(
        "textDocument/didChange",
        [
          "textDocument": ["uri": .string(uri), "version": JSONValue(version)],
          "contentChanges": [["range": ["start": start, "end": end], "text": .string(text)]],
        ])
      lineCount += text.filter { $0 == "\n" || $0 == "\r\n" }.count
      let method = methods[Int.random(in: 0..<methods.count, using: &random)]
      let position = anyPosition()
      let response = client.request(
        method,
        [
          "textDocument": ["uri": .string(uri)], "position": position, "options": [:],
          "range": ["start": position, "end": anyPosition()], "context": ["diagnostics": []],
        ])
      #expect(response["result"] != nil, "\(method) at \(position): \(response)")
    }
    // Diagnostics for the last version arrive (whatever the text has become).
    client.notify(
      "textDocument/didChange",
      ["textDocument": ["uri": .string(uri), "version": JSONValue(version + 1)], "contentChanges": []])
    _ = client.diagnostics(for: uri, version: version + 1)
    client.request("shutdown", .null)
    client.notify("exit", .null)
    #expect(client.exitStatus() == 0)
  }

  @Test func endOfInputStopsTheServerCleanly() {
    let client = TestClient()
    client.initialize()
    client.open("file:///tmp/eof.policy", "policy p {}\n")
    client.closeInput()
    #expect(client.exitStatus() == 0)
  }
}
