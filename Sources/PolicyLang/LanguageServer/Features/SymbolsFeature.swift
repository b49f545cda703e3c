// `textDocument/documentSymbol`: the outline of the document's own declarations, rules with
// their tests as children.

import PolicyLang

/// Answers `textDocument/documentSymbol`.
enum SymbolsFeature {
  /// The document's declarations as hierarchical `DocumentSymbol`s, in source order.
  static func documentSymbols(of analysis: DocumentAnalysis, context: FeatureContext) -> JSONValue {
    // The index lists a rule's tests right after the rule.
    var entries: [(symbol: DeclaredSymbol, children: [JSONValue])] = []
    for symbol in analysis.symbols.symbols where symbol.span.file == analysis.file.id {
      if symbol.category == .test, symbol.enclosingRule != nil, let last = entries.indices.last,
        entries[last].symbol.category == .rule
      {
        entries[last].children.append(json(symbol, analysis, context, []))
      } else {
        entries.append((symbol, []))
      }
    }
    return .array(entries.map { json($0.symbol, analysis, context, $0.children) })
  }

  /// The LSP `SymbolKind` of a category.
  static func kind(of category: SymbolCategory) -> Int {
    switch category {
    case .policy: return 2  // Module
    case .clause: return 20  // Key
    case .terms, .domains, .dates: return 18  // Array
    case .constant: return 14  // Constant
    case .hours: return 24  // Event
    case .severity: return 22  // EnumMember
    case .escalation: return 25  // Operator
    case .rule: return 12  // Function
    case .test: return 6  // Method
    }
  }

  private static func json(
    _ symbol: DeclaredSymbol, _ analysis: DocumentAnalysis, _ context: FeatureContext, _ children: [JSONValue]
  ) -> JSONValue {
    let name =
      symbol.category == .escalation
      ? SymbolDescriptions.firstLine(of: symbol.span, in: analysis.sources)
      : (symbol.category == .test ? "test \"\(symbol.name)\"" : symbol.name)
    var object: [String: JSONValue] = [
      "name": .string(name.isEmpty ? symbol.category.keyword : name),
      "detail": .string(detail(of: symbol, analysis, context)),
      "kind": JSONValue(kind(of: symbol.category)),
      "range": analysis.file.range(of: symbol.span).json,
      "selectionRange": analysis.file.range(of: symbol.nameSpan).json,
    ]
    if !children.isEmpty { object["children"] = .array(children) }
    return .object(object)
  }

  private static func detail(
    of symbol: DeclaredSymbol, _ analysis: DocumentAnalysis, _ context: FeatureContext
  ) -> String {
    switch symbol.category {
    case .policy, .escalation, .test: return symbol.category.keyword
    default: return SymbolDescriptions.summary(of: symbol, in: analysis, context: context)
    }
  }
}
