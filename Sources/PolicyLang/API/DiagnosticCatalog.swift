// The catalogue of every diagnostic code. Each stage declares its codes beside its code (the
// lexer's, the parser's, the checker's, the program loader's); only this layer sees them all.

extension DiagnosticCode {
  /// Every code of every stage, sorted by id.
  public static let all: [DiagnosticCode] = {
    let catalogs: [[DiagnosticCode]] = [
      lexicalCatalog, syntaxCatalog, semanticCatalog, lintCatalog, programCatalog, driverCatalog,
    ]
    return catalogs.flatMap { $0 }.sorted { $0.id < $1.id }
  }()

  /// Looks a code up by its id, case-insensitively.
  public static func named(_ id: String) -> DiagnosticCode? {
    let wanted = id.uppercased()
    return all.first { $0.id == wanted }
  }
}
