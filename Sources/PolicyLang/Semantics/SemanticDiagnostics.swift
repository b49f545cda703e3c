extension DiagnosticCode {
  static let semanticCatalog: [DiagnosticCode] = []
}
