extension DiagnosticCode {
  static let programCatalog: [DiagnosticCode] = []
}
