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
}
