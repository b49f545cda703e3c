// The message loop: read a frame, parse it, check the lifecycle (`initialize` first, nothing
// but `exit` after `shutdown`), dispatch, write the answer and whatever the handler queued.
// Everything runs on one thread, one message at a time. Diagnostics are published when the
// input is idle, so a burst of keystrokes is checked once, after the last of them.

import PolicyLang

/// A language server speaking LSP over a byte input and output (standard input and output in
/// `policyc lsp`; pipes or memory in tests).
///
/// ```swift
/// var server = LanguageServer(
///   input: FileDescriptorInput(descriptor: 0), output: FileDescriptorOutput(descriptor: 1),
///   options: LanguageServerOptions())
/// exit(server.run())
/// ```
public struct LanguageServer<Input: ByteInput, Output: ByteOutput> {
  private var reader: FrameReader<Input>
  /// Where responses and notifications are written.
  public private(set) var output: Output
  private let options: LanguageServerOptions
  private var session: ServerSession
  private var initialized = false
  private var shutdownRequested = false

  /// A server reading `input` and writing `output`.
  public init(input: Input, output: Output, options: LanguageServerOptions) {
    self.reader = FrameReader(input)
    self.output = output
    self.options = options
    let language = options.language ?? Language.from(flag: nil, environment: options.environment)
    self.session = ServerSession(settings: ClientSettings(language: language), options: options)
  }

  /// Serves until `exit` or the end of the input; returns the exit status: 0 after `shutdown`
  /// then `exit`, or at the end of the input; 1 for `exit` without `shutdown` (as LSP says).
  public mutating func run() -> Int32 {
    while true {
      if !session.dirty.isEmpty && !reader.hasPendingInput {
        session.publishDirtyDiagnostics()
        guard flushOutgoing() else { return 0 }
      }
      switch reader.next() {
      case .end:
        return 0
      case .malformed(let reason):
        guard send(OutgoingMessage.error(id: nil, .parseError("malformed message header: \(reason)"))) else {
          return 0
        }
      case .message(let body):
        if let status = handle(body) { return status }
        guard flushOutgoing() else { return 0 }
      }
    }
  }

  /// Handles one message body; returns an exit status when the server must stop.
  private mutating func handle(_ body: [UInt8]) -> Int32? {
    let value: JSONValue
    do {
      value = try JSONReader.parse(body)
    } catch {
      return answer(nil, .failure(.parseError("invalid JSON: \(error)")))
    }
    switch IncomingMessage.classify(value) {
    case .failure(let invalid):
      return answer(invalid.id, .failure(invalid.error))
    case .success(.response):
      return nil
    case .success(.notification(let method, let params)):
      if method == "exit" { return shutdownRequested ? 0 : 1 }
      guard initialized, !shutdownRequested else { return nil }
      do {
        try session.handle(notification: method, params: params)
      } catch {
        session.notify(
          "window/logMessage",
          ["type": 1, "message": .string("policyc lsp: \(method): \(error.message)")])
      }
      return nil
    case .success(.request(let id, let method, let params)):
      return answer(id, request(method, params))
    }
  }

  /// The result of a request, the lifecycle checked first.
  private mutating func request(_ method: String, _ params: JSONValue) -> Result<JSONValue, ResponseError> {
    if method == "initialize" {
      guard !initialized else { return .failure(.invalidRequest("`initialize` was already received")) }
      guard params.objectValue != nil else { return .failure(.invalidParams("`params` must be an object")) }
      session.settings = ClientSettings(initialize: params, options: options)
      initialized = true
      return .success(session.initializeResult())
    }
    guard initialized else { return .failure(.serverNotInitialized) }
    guard !shutdownRequested else {
      return .failure(.invalidRequest("the server is shutting down: only `exit` is accepted"))
    }
    if method == "shutdown" {
      shutdownRequested = true
      return .success(.null)
    }
    do {
      return .success(try session.respond(to: method, params: params))
    } catch {
      return .failure(error)
    }
  }

  /// Writes a response; returns an exit status when the output is gone.
  private mutating func answer(_ id: RequestID?, _ result: Result<JSONValue, ResponseError>) -> Int32? {
    let message: JSONValue
    switch result {
    case .success(let value):
      guard let id else { return nil }
      message = OutgoingMessage.response(id: id, result: value)
    case .failure(let error):
      message = OutgoingMessage.error(id: id, error)
    }
    return send(message) ? nil : 0
  }

  /// Writes the messages the session queued; false when the output is gone.
  private mutating func flushOutgoing() -> Bool {
    let messages = session.takeOutgoing()
    for message in messages where !send(message) { return false }
    return true
  }

  private mutating func send(_ message: JSONValue) -> Bool {
    output.write(framed(JSONWriter.encode(message)))
  }
}
