/// The result of parsing one file: the tree (always produced, with error recovery) and the
/// diagnostics found on the way.
public struct ParseResult: Sendable {
  public var file: PolicyFile
  public var diagnostics: Diagnostics
  public init(file: PolicyFile, diagnostics: Diagnostics) {
    self.file = file
    self.diagnostics = diagnostics
  }
}

/// Placeholder entry point; the hand-written recursive-descent parser replaces it.
public enum Parser {
  public static func parse(_ source: SourceFile) -> ParseResult {
    let span = SourceSpan(file: source.id, start: 0, end: source.bytes.count)
    return ParseResult(
      file: PolicyFile(file: source.id, declarations: [], span: span), diagnostics: Diagnostics())
  }
}
