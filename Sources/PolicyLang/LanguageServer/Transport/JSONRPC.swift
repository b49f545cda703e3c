// JSON-RPC 2.0 as the Language Server Protocol uses it: requests (with an id) are answered
// with a result or an error, notifications (no id) never are, and the client's responses to
// the server's own requests are read and ignored.

/// A request id: an integer or a string, echoed in the response.
public enum RequestID: Sendable, Hashable {
  /// An integer id, as most clients send.
  case integer(Int64)
  /// A string id.
  case string(String)

  /// The id as JSON.
  public var json: JSONValue {
    switch self {
    case .integer(let n): return .integer(n)
    case .string(let s): return .string(s)
    }
  }

  /// The id a JSON value holds, if it is a valid one.
  public init?(_ value: JSONValue) {
    switch value {
    case .integer(let n): self = .integer(n)
    case .string(let s): self = .string(s)
    default: return nil
    }
  }
}

/// An error response: a JSON-RPC error code, a message and optional data.
public struct ResponseError: Error, Sendable, Equatable {
  /// The error code (JSON-RPC's, or the LSP's own range).
  public var code: Int
  /// A sentence saying what went wrong.
  public var message: String

  /// An error with the given code and message.
  public init(code: Int, message: String) {
    self.code = code
    self.message = message
  }

  /// The body was not valid JSON.
  public static func parseError(_ message: String) -> ResponseError { .init(code: -32700, message: message) }
  /// The JSON is not a valid request object.
  public static func invalidRequest(_ message: String) -> ResponseError {
    .init(code: -32600, message: message)
  }
  /// No such method.
  public static func methodNotFound(_ method: String) -> ResponseError {
    .init(code: -32601, message: "unknown method `\(method)`")
  }
  /// The params are missing something or have the wrong type.
  public static func invalidParams(_ message: String) -> ResponseError {
    .init(code: -32602, message: message)
  }
  /// A request came before `initialize`.
  public static let serverNotInitialized = ResponseError(
    code: -32002, message: "the server is not initialized: send `initialize` first")
  /// The request was valid but could not be carried out.
  public static func requestFailed(_ message: String) -> ResponseError {
    .init(code: -32803, message: message)
  }

  /// The error object of a response.
  public var json: JSONValue { ["code": JSONValue(code), "message": .string(message)] }
}

/// A message from the client, classified.
public enum IncomingMessage: Sendable, Equatable {
  /// A request: it must be answered.
  case request(id: RequestID, method: String, params: JSONValue)
  /// A notification: never answered.
  case notification(method: String, params: JSONValue)
  /// The client's answer to a request of the server's.
  case response

  /// Classifies a parsed message; an invalid one gives the error to answer with, and the id to
  /// answer it under when the id could be read (otherwise `null`).
  public static func classify(_ value: JSONValue) -> Result<IncomingMessage, InvalidMessage> {
    guard case .object(let members) = value else {
      let what = value.arrayValue != nil ? "batches are not supported" : "a message must be a JSON object"
      return .failure(InvalidMessage(id: nil, error: .invalidRequest(what)))
    }
    let idValue = members["id"]
    let id = idValue.flatMap(RequestID.init)
    guard members["jsonrpc"] == "2.0" else {
      return .failure(InvalidMessage(id: id, error: .invalidRequest("`jsonrpc` must be \"2.0\"")))
    }
    guard let methodValue = members["method"] else {
      if idValue != nil && (members["result"] != nil || members["error"] != nil) {
        return .success(.response)
      }
      return .failure(InvalidMessage(id: id, error: .invalidRequest("a request needs a `method`")))
    }
    guard let method = methodValue.stringValue else {
      return .failure(InvalidMessage(id: id, error: .invalidRequest("`method` must be a string")))
    }
    let params = members["params"] ?? .null
    switch params {
    case .object, .array, .null: break
    default:
      return .failure(
        InvalidMessage(id: id, error: .invalidRequest("`params` must be an object or an array")))
    }
    if idValue == nil { return .success(.notification(method: method, params: params)) }
    guard let id else {
      return .failure(
        InvalidMessage(id: nil, error: .invalidRequest("`id` must be an integer or a string")))
    }
    return .success(.request(id: id, method: method, params: params))
  }
}

/// A message that is not a valid request or notification.
public struct InvalidMessage: Error, Sendable, Equatable {
  /// The id to answer under, when the message had a valid one.
  public var id: RequestID?
  /// The error to answer with.
  public var error: ResponseError
}

/// Builds the messages the server writes.
public enum OutgoingMessage {
  /// A successful response.
  public static func response(id: RequestID, result: JSONValue) -> JSONValue {
    ["jsonrpc": "2.0", "id": id.json, "result": result]
  }

  /// An error response; `id` is `null` when the request's id could not be read.
  public static func error(id: RequestID?, _ error: ResponseError) -> JSONValue {
    ["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.json]
  }

  /// A notification.
  public static func notification(method: String, params: JSONValue) -> JSONValue {
    ["jsonrpc": "2.0", "method": .string(method), "params": params]
  }

  /// A request of the server's to the client.
  public static func request(id: RequestID, method: String, params: JSONValue) -> JSONValue {
    ["jsonrpc": "2.0", "id": id.json, "method": .string(method), "params": params]
  }
}
