import PolicyLangCore

/// The limits that keep checking, compiling and evaluating a policy bounded whatever its files
/// hold. Each is reported with a diagnostic, never by a crash; Grammar.md and README list them.
public enum PolicyLimits {
  /// Largest policy, library or word-list file read (`PolicyLoader.maximumFileBytes`).
  public static var maximumFileBytes: Int { PolicyLoader.maximumFileBytes }
  /// Deepest nesting of parentheses, `not` and blocks (`Parser.maxNestingDepth`).
  public static var maximumNesting: Int { Parser.maxNestingDepth }
  /// Terms and variants in all the lists of one policy.
  public static let maximumTerms = 200_000
  /// Characters in one term.
  public static let maximumTermLength = 256
  /// Bytes in one line of a policy, library or word list: a longer line is not text one writes
  /// (a minified or binary file), and the file is refused without showing it (E0003).
  public static let maximumLineBytes = 16_384
  /// Bytes that are not UTF-8 a file may hold and still be reported line by line (E0101, E0310);
  /// with more it is refused as a whole (E0003), as it is in another encoding or not text.
  public static let maximumInvalidUTF8Bytes = 8
  /// Diagnostics shown per file (the rest are counted in a summary line), and the errors at
  /// which an imported file or word list is judged not to be one and refused as a whole (E0003).
  public static var diagnosticsPerFile: Int { DiagnosticRenderer.defaultMaximumPerFile }
}
