// Reading a request's params: each accessor names the member it wanted in its error, so a
// malformed request is answered with -32602 and a sentence saying what was wrong.

/// A request's params (or a member of them), with typed, throwing accessors.
struct Params {
  let value: JSONValue
  /// How the value was reached, for error messages (`textDocument.uri`).
  let path: String

  init(_ value: JSONValue, path: String = "params") {
    self.value = value
    self.path = path
  }

  private func member(_ key: String) -> (JSONValue?, String) {
    (value[key], path == "params" ? key : "\(path).\(key)")
  }

  private func missing(_ where: String, _ what: String) -> ResponseError {
    .invalidParams("`\(`where`)` must be \(what)")
  }

  /// The object member `key`.
  func object(_ key: String) throws(ResponseError) -> Params {
    let (found, place) = member(key)
    guard let found, found.objectValue != nil else { throw missing(place, "an object") }
    return Params(found, path: place)
  }

  /// The object member `key`, or `nil` when absent or `null`.
  func optionalObject(_ key: String) throws(ResponseError) -> Params? {
    let (found, place) = member(key)
    guard let found, found != .null else { return nil }
    guard found.objectValue != nil else { throw missing(place, "an object") }
    return Params(found, path: place)
  }

  /// The string member `key`.
  func string(_ key: String) throws(ResponseError) -> String {
    let (found, place) = member(key)
    guard let text = found?.stringValue else { throw missing(place, "a string") }
    return text
  }

  /// The string member `key`, or `nil` when absent or `null`.
  func optionalString(_ key: String) throws(ResponseError) -> String? {
    let (found, place) = member(key)
    guard let found, found != .null else { return nil }
    guard let text = found.stringValue else { throw missing(place, "a string") }
    return text
  }

  /// The integer member `key`.
  func integer(_ key: String) throws(ResponseError) -> Int {
    let (found, place) = member(key)
    guard let n = found?.intValue else { throw missing(place, "an integer") }
    return n
  }

  /// The boolean member `key`, or `nil` when absent.
  func optionalBool(_ key: String) throws(ResponseError) -> Bool? {
    let (found, place) = member(key)
    guard let found, found != .null else { return nil }
    guard let b = found.boolValue else { throw missing(place, "true or false") }
    return b
  }

  /// The array member `key`.
  func array(_ key: String) throws(ResponseError) -> [Params] {
    let (found, place) = member(key)
    guard let items = found?.arrayValue else { throw missing(place, "an array") }
    return items.enumerated().map { Params($1, path: "\(place)[\($0)]") }
  }

  /// The position member `key`.
  func position(_ key: String) throws(ResponseError) -> TextPosition {
    let (found, place) = member(key)
    guard let position = TextPosition(json: found) else {
      throw missing(place, "a position (`line` and `character`, non-negative integers)")
    }
    return position
  }

  /// The range member `key`.
  func range(_ key: String) throws(ResponseError) -> TextRange {
    let (found, place) = member(key)
    guard let range = TextRange(json: found) else { throw missing(place, "a range (`start` and `end`)") }
    return range
  }

  /// The range member `key`, or `nil` when absent.
  func optionalRange(_ key: String) throws(ResponseError) -> TextRange? {
    let (found, _) = member(key)
    guard found != nil, found != .null else { return nil }
    return try range(key)
  }

  /// `textDocument.uri`.
  func documentURI() throws(ResponseError) -> String {
    try object("textDocument").string("uri")
  }
}
