// What `PolicyFormatter.format` returns: the canonical text, or why there is none.

import PolicyLangCore

/// The outcome of formatting one file.
///
/// A file with syntax errors is never formatted: its diagnostics are returned instead, so that
/// `policyc fmt` can print them and leave the file as it is.
public enum FormatResult: Sendable {
  /// The file in canonical layout: LF line endings, no byte order mark, one final newline
  /// (empty when the file holds neither tokens nor comments).
  case formatted(String)
  /// The file does not parse; these are the lexer's and parser's diagnostics.
  case syntaxErrors(Diagnostics)

  /// The formatted text, or `nil` when the file has syntax errors.
  public var text: String? {
    if case .formatted(let text) = self { return text }
    return nil
  }

  /// The parse diagnostics, or `nil` when the file was formatted.
  public var diagnostics: Diagnostics? {
    if case .syntaxErrors(let diagnostics) = self { return diagnostics }
    return nil
  }

  /// True when the file was formatted and the canonical text differs from its bytes (what
  /// `policyc fmt --check` reports).
  public func changes(_ source: SourceFile) -> Bool {
    guard let text else { return false }
    return Array(text.utf8) != source.bytes
  }
}
