extension DiagnosticCode {
  static let lexicalCatalog: [DiagnosticCode] = []
}
