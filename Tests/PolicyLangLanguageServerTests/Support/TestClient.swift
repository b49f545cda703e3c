import Foundation
import PolicyLang
import Synchronization
import Testing

@testable import PolicyLangLanguageServer

#if canImport(Glibc)
  import Glibc
#endif

/// Input that waits at most until a deadline for bytes, then reports the end: a server that
/// does not answer fails the test instead of hanging it.
struct DeadlineInput: ByteInput {
  var base: FileDescriptorInput
  var seconds: Double

  mutating func read(into buffer: inout [UInt8], maximum: Int) -> Int {
    var entry = pollfd(fd: base.descriptor, events: Int16(POLLIN), revents: 0)
    guard poll(&entry, 1, Int32(seconds * 1000)) > 0 else { return 0 }
    return base.read(into: &buffer, maximum: maximum)
  }

  func isReadable() -> Bool { base.isReadable() }
}

/// The exit status of a server thread, once it has returned.
final class ServerExit: Sendable {
  let status = Mutex<Int32?>(nil)
}

/// A scripted LSP client: runs the server in-process on its own thread, through its message
/// loop, over two pipes, and talks to it as an editor does.
final class TestClient {
  private let toServer: Int32
  private let fromServer: Int32
  private var writer: FileDescriptorOutput
  private var reader: FrameReader<DeadlineInput>
  private let exit = ServerExit()
  private let finished = DispatchSemaphore(value: 0)
  private var nextID: Int64 = 1
  /// Messages read while waiting for something else, oldest first.
  private(set) var pending: [JSONValue] = []
  private var inputClosed = false

  /// Starts a server with `options` (English unless told otherwise).
  init(options: LanguageServerOptions = LanguageServerOptions(environment: ["LANG": "C"])) {
    var input: [Int32] = [0, 0]
    var output: [Int32] = [0, 0]
    _ = pipe(&input)
    _ = pipe(&output)
    toServer = input[1]
    fromServer = output[0]
    writer = FileDescriptorOutput(descriptor: input[1])
    reader = FrameReader(DeadlineInput(base: FileDescriptorInput(descriptor: output[0]), seconds: 20))
    let serverIn = input[0]
    let serverOut = output[1]
    let exit = self.exit
    let finished = self.finished
    let thread = Thread {
      var server = LanguageServer(
        input: FileDescriptorInput(descriptor: serverIn), output: FileDescriptorOutput(descriptor: serverOut),
        options: options)
      let status = server.run()
      exit.status.withLock { $0 = status }
      close(serverIn)
      close(serverOut)
      finished.signal()
    }
    thread.start()
  }

  deinit {
    if !inputClosed { close(toServer) }
    _ = finished.wait(timeout: .now() + 20)
    close(fromServer)
  }

  // MARK: - Sending

  func sendRaw(_ bytes: [UInt8]) {
    _ = writer.write(bytes)
  }

  func send(_ message: JSONValue) {
    sendRaw(framed(JSONWriter.encode(message)))
  }

  func notify(_ method: String, _ params: JSONValue) {
    send(["jsonrpc": "2.0", "method": .string(method), "params": params])
  }

  /// Sends a request and returns the whole response (`result` or `error`).
  @discardableResult
  func request(
    _ method: String, _ params: JSONValue, sourceLocation: Testing.SourceLocation = #_sourceLocation
  )
    -> JSONValue
  {
    let id = nextID
    nextID += 1
    send(["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params])
    let isResponse = { (message: JSONValue) -> Bool in
      message["id"] == JSONValue.integer(id) && message["method"] == nil
    }
    return waitFor(sourceLocation: sourceLocation, isResponse) ?? .null
  }

  /// A request's `result`, recording an issue if the server answered with an error.
  func result(
    _ method: String, _ params: JSONValue, sourceLocation: Testing.SourceLocation = #_sourceLocation
  )
    -> JSONValue
  {
    let response = request(method, params, sourceLocation: sourceLocation)
    #expect(response["error"] == nil, "\(method) failed: \(response)", sourceLocation: sourceLocation)
    return response["result"] ?? .null
  }

  // MARK: - Receiving

  /// The next message from the server; `nil` when it has ended or says nothing for 20 s.
  func next() -> JSONValue? {
    if !pending.isEmpty { return pending.removeFirst() }
    return readMessage()
  }

  private func readMessage() -> JSONValue? {
    switch reader.next() {
    case .message(let body): return try? JSONReader.parse(body)
    case .malformed, .end: return nil
    }
  }

  /// The first message (already received or still to come) that matches; the others are kept.
  func waitFor(
    sourceLocation: Testing.SourceLocation = #_sourceLocation, _ matches: (JSONValue) -> Bool
  ) -> JSONValue? {
    if let index = pending.firstIndex(where: matches) { return pending.remove(at: index) }
    while let message = readMessage() {
      if matches(message) { return message }
      pending.append(message)
    }
    Issue.record("the server did not send the expected message", sourceLocation: sourceLocation)
    return nil
  }

  /// The next `publishDiagnostics` for `uri` (at `version`, when given): its diagnostics.
  func diagnostics(
    for uri: String, version: Int? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> [JSONValue] {
    let isDiagnostics = { (message: JSONValue) -> Bool in
      guard message["method"]?.stringValue == "textDocument/publishDiagnostics",
        let params = message["params"], params["uri"]?.stringValue == uri
      else { return false }
      return version == nil || params["version"]?.intValue == version
    }
    let message = waitFor(sourceLocation: sourceLocation, isDiagnostics)
    return message?["params"]?["diagnostics"]?.arrayValue ?? []
  }

  // MARK: - Lifecycle

  /// `initialize` and `initialized`; returns the result.
  @discardableResult
  func initialize(_ params: JSONValue = ["capabilities": [:]]) -> JSONValue {
    let result = result("initialize", params)
    notify("initialized", [:])
    return result
  }

  /// Opens a document and returns its first diagnostics.
  @discardableResult
  func open(_ uri: String, _ text: String, version: Int = 1, language: String = "policylang") -> [JSONValue] {
    notify(
      "textDocument/didOpen",
      [
        "textDocument": [
          "uri": .string(uri), "languageId": .string(language), "version": JSONValue(version),
          "text": .string(text),
        ]
      ])
    return diagnostics(for: uri, version: version)
  }

  /// Closes the server's input (the editor went away).
  func closeInput() {
    guard !inputClosed else { return }
    inputClosed = true
    close(toServer)
  }

  /// The server's exit status, once its loop has returned (waits up to 20 s).
  func exitStatus() -> Int32? {
    guard finished.wait(timeout: .now() + 20) == .success else { return nil }
    finished.signal()
    return exit.status.withLock { $0 }
  }
}

/// A temporary directory holding the given files (relative path → text), removed by `remove()`.
struct Workspace {
  let root: URL

  init(_ files: [String: String]) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("lsp-\(UUID().uuidString)")
    for (path, text) in files {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
  }

  func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
  func uri(_ relative: String) -> String { DocumentURI.uri(fromPath: path(relative)) }
  func text(_ relative: String) throws -> String {
    try String(contentsOfFile: path(relative), encoding: .utf8)
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

extension JSONValue {
  /// A position as JSON.
  static func position(_ line: Int, _ character: Int) -> JSONValue {
    ["line": JSONValue(line), "character": JSONValue(character)]
  }

  /// `{textDocument: {uri}, position}`.
  static func at(_ uri: String, _ line: Int, _ character: Int) -> JSONValue {
    ["textDocument": ["uri": .string(uri)], "position": position(line, character)]
  }

  /// The `[line, character, line, character]` of an LSP range.
  var rangeNumbers: [Int] {
    [self["start"]?["line"], self["start"]?["character"], self["end"]?["line"], self["end"]?["character"]]
      .map { $0?.intValue ?? -1 }
  }
}

/// The 0-based line and UTF-16 character of the first occurrence of `needle` in `text`
/// (`occurrence` counts from 0), plus `offset` UTF-16 units.
func position(of needle: String, in text: String, occurrence: Int = 0, offset: Int = 0) -> (Int, Int) {
  var searchStart = text.startIndex
  var found: Range<String.Index>?
  for _ in 0...occurrence {
    found = text.range(of: needle, range: searchStart..<text.endIndex)
    guard let range = found else { return (-1, -1) }
    searchStart = range.upperBound
  }
  guard let range = found else { return (-1, -1) }
  let before = text[..<range.lowerBound]
  let line = before.filter { $0 == "\n" }.count
  let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
  return (line, text[lineStart..<range.lowerBound].utf16.count + offset)
}
