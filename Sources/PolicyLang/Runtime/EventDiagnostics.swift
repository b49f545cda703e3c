extension DiagnosticCode {
  static let eventCatalog: [DiagnosticCode] = []
}
