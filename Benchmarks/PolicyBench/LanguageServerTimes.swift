import Foundation
import PolicyLangLanguageServer

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 23's targets for `policyc lsp`, measured through the real binary over pipes as an
/// editor drives it: the time from a `didChange` of a shipped policy to its
/// `publishDiagnostics`, and the server's memory with both shipped policies open.
enum LanguageServerTimes {
  static func report(policyc: String, policies: [String], changes: Int) {
    print("")
    print("| policyc lsp, both shipped policies open | median ms | max ms | target |")
    print("|---|---|---|---|")
    guard var server = Server(policyc: policyc) else {
      print("| (cannot start \(policyc) lsp) | | | |")
      return
    }
    defer { server.stop() }
    server.request("initialize", ["capabilities": [:], "locale": "en"])
    server.notify("initialized", [:])
    var documents: [(uri: String, text: String)] = []
    for path in policies {
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
      let uri = DocumentURI.uri(fromPath: URL(fileURLWithPath: path).standardizedFileURL.path)
      server.notify(
        "textDocument/didOpen",
        [
          "textDocument": [
            "uri": .string(uri), "languageId": "policylang", "version": 1, "text": .string(text),
          ]
        ])
      _ = server.diagnostics(uri: uri, version: 1)
      documents.append((uri, text))
    }
    for (uri, text) in documents {
      // Alternately misspell and restore the first rule's severity (`severity majorx`): a
      // one-character edit in the middle of the file, as typing gives; each version is checked
      // with its imports.
      let lines = text.components(separatedBy: "\n")
      guard let line = lines.firstIndex(where: { $0.hasPrefix("  severity ") }) else { continue }
      let end = lines[line].utf16.count
      var times: [Double] = []
      for version in 2..<(2 + changes) {
        let insert = version % 2 == 0
        let at: JSONValue = ["line": JSONValue(line), "character": JSONValue(end)]
        let range: JSONValue =
          insert
          ? ["start": at, "end": at]
          : ["start": at, "end": ["line": JSONValue(line), "character": JSONValue(end + 1)]]
        let started = now()
        server.notify(
          "textDocument/didChange",
          [
            "textDocument": ["uri": .string(uri), "version": JSONValue(version)],
            "contentChanges": [["range": range, "text": insert ? "x" : ""]],
          ])
        guard server.diagnostics(uri: uri, version: version) != nil else { break }
        times.append(now() - started)
      }
      let name = URL(fileURLWithPath: DocumentURI.path(fromURI: uri) ?? uri).lastPathComponent
      print(
        "| change → diagnostics, \(name) (\(times.count) changes) | \(String(format: "%.1f", median(times) * 1000)) | \(String(format: "%.1f", (times.max() ?? 0) * 1000)) | < 50 |"
      )
    }
    let (resident, peak) = server.memory()
    print(
      "| memory: resident now / peak (MiB) | \(String(format: "%.1f", resident)) | \(String(format: "%.1f", peak)) | < 50 |"
    )
  }

  /// A `policyc lsp` process and the two pipes to it.
  struct Server {
    let process = Process()
    var writer: FileDescriptorOutput
    var reader: FrameReader<FileDescriptorInput>
    var nextID: Int64 = 1

    init?(policyc: String) {
      let input = Pipe()
      let output = Pipe()
      process.executableURL = URL(fileURLWithPath: policyc)
      process.arguments = ["lsp"]
      process.standardInput = input
      process.standardOutput = output
      process.standardError = FileHandle(forWritingAtPath: "/dev/null")
      guard (try? process.run()) != nil else { return nil }
      writer = FileDescriptorOutput(descriptor: input.fileHandleForWriting.fileDescriptor)
      reader = FrameReader(FileDescriptorInput(descriptor: output.fileHandleForReading.fileDescriptor))
    }

    mutating func notify(_ method: String, _ params: JSONValue) {
      _ = writer.write(
        framed(JSONWriter.encode(["jsonrpc": "2.0", "method": .string(method), "params": params])))
    }

    @discardableResult
    mutating func request(_ method: String, _ params: JSONValue) -> JSONValue? {
      let id = nextID
      nextID += 1
      _ = writer.write(
        framed(
          JSONWriter.encode([
            "jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params,
          ])))
      return next { $0["id"] == .integer(id) }
    }

    /// The diagnostics published for `uri` at `version`.
    mutating func diagnostics(uri: String, version: Int) -> [JSONValue]? {
      next {
        $0["method"]?.stringValue == "textDocument/publishDiagnostics"
          && $0["params"]?["uri"]?.stringValue == uri
          && $0["params"]?["version"]?.intValue == version
      }?["params"]?["diagnostics"]?.arrayValue
    }

    private mutating func next(_ matches: (JSONValue) -> Bool) -> JSONValue? {
      while case .message(let body) = reader.next() {
        if let message = try? JSONReader.parse(body), matches(message) { return message }
      }
      return nil
    }

    /// VmRSS and VmHWM of the server, in MiB.
    func memory() -> (Double, Double) {
      let status =
        (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
      func field(_ name: String) -> Double {
        let line = status.split(separator: "\n").first { $0.hasPrefix(name) }
        let kib = line.flatMap {
          Double($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return (kib ?? 0) / 1024
      }
      return (field("VmRSS:"), field("VmHWM:"))
    }

    mutating func stop() {
      request("shutdown", .null)
      notify("exit", .null)
      process.waitUntilExit()
    }
  }
}
