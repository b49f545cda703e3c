// `textDocument/codeAction`: a quick fix for every did-you-mean the checker offers (an unknown
// list, constant, hours, severity, rule, clause, zone, normalize option or attachment type, a
// `+=` or `override` of a misspelt name): replace the name with the suggestion.

import PolicyLang

/// Answers `textDocument/codeAction`.
enum CodeActionFeature {
  /// The quick fixes for diagnostics of this document that overlap `range`.
  static func codeActions(
    in range: TextRange, of analysis: DocumentAnalysis, context: FeatureContext
  ) -> JSONValue {
    let anchors = ImportAnchors(analysis)
    var actions: [JSONValue] = []
    for diagnostic in analysis.diagnostics {
      guard let replacement = diagnostic.suggestion, let span = diagnostic.span, span.file == analysis.file.id
      else { continue }
      let target = analysis.file.range(of: span)
      guard !(target.end < range.start || range.end < target.start) else { continue }
      let written = analysis.file.text(of: span)
      let lsp = DiagnosticsFeature.lsp(diagnostic, analysis: analysis, anchors: anchors, context: context)
      actions.append([
        "title": .string(
          context.text(
            LocalizedText(
              "Replace `\(written)` with `\(replacement)`", zh: "把 `\(written)` 改为 `\(replacement)`"))),
        "kind": "quickfix",
        "isPreferred": true,
        "diagnostics": lsp.map { [$0] } ?? [],
        "edit": [
          "changes": [analysis.uri: [["range": target.json, "newText": .string(replacement)]]]
        ],
      ])
    }
    return .array(actions)
  }
}
