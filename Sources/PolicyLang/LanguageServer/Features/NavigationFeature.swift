// `textDocument/definition` and `textDocument/references` for lists, domains, constants,
// hours, dates, clauses, severities and rules (through the checker's resolutions), and for the
// files `import` and `file "..."` name.

import PolicyLang

/// Answers go-to-definition and find-references.
enum NavigationFeature {
  /// Where the name (or file string) at `position` is declared; `null` when nothing is there.
  static func definition(
    at position: TextPosition, in analysis: DocumentAnalysis, context: FeatureContext
  ) -> JSONValue {
    switch analysis.symbols.target(at: analysis.file.offset(of: position), in: analysis.file.id) {
    case .symbol(let symbol, _)?:
      return context.location(of: symbol.nameSpan, in: analysis.sources) ?? .null
    case .file(let link)?:
      return context.location(ofFile: link.path)
    case nil:
      return .null
    }
  }

  /// Every place naming what is at `position`: uses, and (when asked) declarations, including
  /// the overrides and `+=` of the same name.
  static func references(
    at position: TextPosition, in analysis: DocumentAnalysis, includeDeclaration: Bool,
    context: FeatureContext
  ) -> JSONValue {
    switch analysis.symbols.target(at: analysis.file.offset(of: position), in: analysis.file.id) {
    case .symbol(let symbol, _)?:
      let spans = analysis.symbols.references(of: symbol, includeDeclarations: includeDeclaration)
      return .array(spans.compactMap { context.location(of: $0, in: analysis.sources) })
    case .file(let link)?:
      let spans = analysis.symbols.fileLinks.filter { $0.path == link.path }.map(\.span)
      return .array(spans.compactMap { context.location(of: $0, in: analysis.sources) })
    case nil:
      return []
    }
  }
}
