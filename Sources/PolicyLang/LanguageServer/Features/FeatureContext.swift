import PolicyLang

/// What every feature needs besides the analysis: the language to write in, and the URI of
/// each file (an open document keeps the URI the editor opened it under).
struct FeatureContext: Sendable {
  var language: Language
  /// Open documents' URIs by path.
  var openURIs: [String: String]
  /// Whether hovers may use Markdown.
  var markdown = true

  /// The URI for a file path.
  func uri(forPath path: String) -> String {
    openURIs[path] ?? (path.hasPrefix("/") ? DocumentURI.uri(fromPath: path) : path)
  }

  /// An LSP `Location` for a span of one of `sources`' files.
  func location(of span: SourceSpan, in sources: SourceMap) -> JSONValue? {
    guard let file = sources[span.file] else { return nil }
    return ["uri": .string(uri(forPath: file.name)), "range": file.range(of: span).json]
  }

  /// An LSP `Location` at the start of the file at `path`.
  func location(ofFile path: String) -> JSONValue {
    let start = TextPosition(line: 0, character: 0)
    return ["uri": .string(uri(forPath: path)), "range": TextRange(start: start, end: start).json]
  }

  /// `path` as a person reads it next to the document at `documentPath`: relative to the
  /// document's directory when it lies under it.
  func displayPath(_ path: String, from documentPath: String) -> String {
    guard let slash = documentPath.lastIndex(of: "/") else { return path }
    let directory = documentPath[...slash]
    return path.hasPrefix(directory) ? String(path.dropFirst(directory.count)) : path
  }

  /// `name:line:column` of a span, the file shown relative to the document at `documentPath`.
  func describe(_ span: SourceSpan, in sources: SourceMap, from documentPath: String) -> String {
    guard let file = sources[span.file] else { return "?" }
    return "\(displayPath(file.name, from: documentPath)):\(file.location(of: Int(span.start)))"
  }

  /// `text` in the client's language.
  func text(_ text: LocalizedText) -> String { text.text(in: language) }
}
