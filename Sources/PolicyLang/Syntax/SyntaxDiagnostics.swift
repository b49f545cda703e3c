extension DiagnosticCode {
  static let syntaxCatalog: [DiagnosticCode] = []
}
