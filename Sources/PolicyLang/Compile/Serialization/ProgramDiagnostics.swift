import PolicyLangCore

extension DiagnosticCode {
  package static let programCatalog: [DiagnosticCode] = []
}
