import Foundation
import PolicyLangLanguageServer
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `policyc lsp` as an editor starts it: a process speaking LSP on its standard input and output.
@Suite struct LSPCommandTests {
  /// Reads the process's output, giving up after 30 s without a byte.
  struct PatientInput: ByteInput {
    var base: FileDescriptorInput

    mutating func read(into buffer: inout [UInt8], maximum: Int) -> Int {
      var entry = pollfd(fd: base.descriptor, events: Int16(POLLIN), revents: 0)
      guard poll(&entry, 1, 30_000) > 0 else { return 0 }
      return base.read(into: &buffer, maximum: maximum)
    }

    func isReadable() -> Bool { base.isReadable() }
  }

  @Test func servesAnEditorOverStandardInputAndOutput() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let policy = root.appendingPathComponent("Policies/pinduoduo.policy")
    let text = try String(contentsOf: policy, encoding: .utf8)
      .replacingOccurrences(of: "contains any contact_apps", with: "contains any contact_app")
    let process = Process()
    process.executableURL = PolicycBinary.url
    process.arguments = ["lsp"]
    process.environment = ["LANG": "C"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    var writer = FileDescriptorOutput(descriptor: input.fileHandleForWriting.fileDescriptor)
    var reader = FrameReader(
      PatientInput(base: FileDescriptorInput(descriptor: output.fileHandleForReading.fileDescriptor)))
    func send(_ message: JSONValue) { _ = writer.write(framed(JSONWriter.encode(message))) }
    func receive(_ matches: (JSONValue) -> Bool) -> JSONValue? {
      while case .message(let body) = reader.next() {
        if let value = try? JSONReader.parse(body), matches(value) { return value }
      }
      return nil
    }

    send([
      "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["capabilities": [:], "locale": "zh-CN"],
    ])
    let initialized = receive { $0["id"] == 1 }
    #expect(initialized?["result"]?["serverInfo"]?["name"] == "policyc")
    send(["jsonrpc": "2.0", "method": "initialized", "params": [:]])
    let uri = DocumentURI.uri(fromPath: policy.path)
    send([
      "jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": [
        "textDocument": [
          "uri": .string(uri), "languageId": "policylang", "version": 1, "text": .string(text),
        ]
      ],
    ])
    let published = receive { $0["method"]?.stringValue == "textDocument/publishDiagnostics" }
    let diagnostics = published?["params"]?["diagnostics"]?.arrayValue ?? []
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?["code"] == "E0301")
    let line = text.components(separatedBy: "\n").firstIndex { $0.contains("contains any contact_app") }
    #expect(diagnostics.first?["range"]?["start"]?["line"]?.intValue == line)
    #expect((diagnostics.first?["message"]?.stringValue ?? "").contains("是不是 `contact_apps`"))
    send(["jsonrpc": "2.0", "id": 2, "method": "shutdown"])
    #expect(receive { $0["id"] == 2 }?["result"] == .null)
    send(["jsonrpc": "2.0", "method": "exit"])
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }

  @Test func endOfInputEndsTheServerAndFilesAreAUsageError() throws {
    let eof = try PolicycBinary.run(["lsp"], stdin: Data())
    #expect(eof.status == 0)
    #expect(eof.stdout.isEmpty)
    let usage = try PolicycBinary.run(["lsp", "a.policy"])
    #expect(usage.status == 64)
    let help = try PolicycBinary.run(["lsp", "--help"])
    #expect(help.status == 0 && help.stdout.contains("policyc lsp"))
  }
}
