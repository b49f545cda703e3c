/// A stable diagnostic code with its title and long explanation.
///
/// Codes never change meaning once released; tools and golden files key on them. The code's
/// first digit after the letter names the stage: `E01xx` lexical, `E02xx` syntax, `E03xx` names
/// and imports, `E04xx` types and values, `E05xx` rules, `W06xx` lints, `E07xx` compiled programs,
/// `E08xx` events. Each stage declares its codes beside its code, in an extension, and lists them
/// in its catalog array; `DiagnosticCode.all` gathers them.
public struct DiagnosticCode: Hashable, Sendable, CustomStringConvertible {
  /// The code as printed, for example `E0203`.
  public let id: String
  /// A one-line title, as in `policyc explain`'s heading.
  public let title: LocalizedText
  public let defaultSeverity: DiagnosticSeverity
  /// The long explanation `policyc explain CODE` prints: what is wrong, an example and its fix.
  public let explanation: LocalizedText

  public init(
    _ id: String, _ title: LocalizedText, severity: DiagnosticSeverity = .error,
    explanation: LocalizedText
  ) {
    self.id = id
    self.title = title
    self.defaultSeverity = severity
    self.explanation = explanation
  }

  public var description: String { id }

  public static func == (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.id == b.id }
  public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
