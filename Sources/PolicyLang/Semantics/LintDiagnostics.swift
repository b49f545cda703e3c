extension DiagnosticCode {
  static let lintCatalog: [DiagnosticCode] = []
}
