// The documents the editor has open, as the editor has them (unsaved edits included). Edits
// arrive incrementally: each change replaces a UTF-16 range with new text, applied in order.

import PolicyLang

/// One open document.
public struct OpenDocument: Sendable {
  /// The URI the editor opened it under; every message about it uses this string.
  public var uri: String
  /// The path the checker reads it under: the `file:` URI's path, or the URI itself,
  /// normalized as the loader normalizes paths.
  public var path: String
  /// The editor's language id (`policylang`, `plaintext`, ...).
  public var languageID: String
  /// The editor's version, increased by every change.
  public var version: Int
  /// The text as bytes, with its line table.
  public private(set) var file: SourceFile

  /// A document holding `text`.
  public init(uri: String, languageID: String, version: Int, text: String) {
    self.uri = uri
    self.path = PolicyLoader.normalize(DocumentURI.path(fromURI: uri) ?? uri)
    self.languageID = languageID
    self.version = version
    self.file = SourceFile(id: FileID(0), name: path, bytes: Array(text.utf8))
  }

  /// Whether this is a word-list file (`terms ... = file "x.txt"`) rather than a policy.
  public var isWordList: Bool { path.hasSuffix(".txt") }

  /// Replaces the text of `range` (the whole document when `nil`) with `text`. A range whose
  /// end is before its start is read the other way round; positions past the end are clamped.
  public mutating func apply(_ text: String, in range: TextRange?) {
    guard let range else {
      file = SourceFile(id: file.id, name: path, bytes: Array(text.utf8))
      return
    }
    var lower = file.offset(of: range.start)
    var upper = file.offset(of: range.end)
    if upper < lower { swap(&lower, &upper) }
    var bytes = file.bytes
    bytes.replaceSubrange(lower..<upper, with: Array(text.utf8))
    file = SourceFile(id: file.id, name: path, bytes: bytes)
  }

  /// The document's text.
  public var text: String { String(decoding: file.bytes, as: UTF8.self) }
}

/// One change of `textDocument/didChange`: `text` replaces `range`, or the whole document.
public struct DocumentChange: Sendable {
  /// The new text.
  public var text: String
  /// The range it replaces; `nil` for the whole document.
  public var range: TextRange?

  /// A change replacing `range` (the whole document when `nil`) with `text`.
  public init(text: String, range: TextRange?) {
    self.text = text
    self.range = range
  }
}

/// Every open document by URI.
public struct DocumentStore: Sendable {
  private var documents: [String: OpenDocument] = [:]

  /// An empty store.
  public init() {}

  /// The open document with this URI.
  public subscript(uri: String) -> OpenDocument? { documents[uri] }

  /// Every open document, sorted by URI.
  public var all: [OpenDocument] { documents.values.sorted { $0.uri < $1.uri } }

  /// Opens (or reopens) a document.
  public mutating func open(_ document: OpenDocument) { documents[document.uri] = document }

  /// Closes a document; returns it.
  @discardableResult
  public mutating func close(_ uri: String) -> OpenDocument? { documents.removeValue(forKey: uri) }

  /// Applies changes, in order, to an open document and sets its version; false when it is
  /// not open.
  public mutating func change(_ uri: String, version: Int?, changes: [DocumentChange]) -> Bool {
    guard var document = documents[uri] else { return false }
    for change in changes { document.apply(change.text, in: change.range) }
    if let version { document.version = version }
    documents[uri] = document
    return true
  }

  /// The bytes of every open document, by the path the checker reads it under.
  public var bytesByPath: [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    for document in documents.values { result[document.path] = document.file.bytes }
    return result
  }

  /// The URI of the open document at `path`, if any.
  public func uri(ofPath path: String) -> String? {
    documents.values.first { $0.path == path }?.uri
  }
}
