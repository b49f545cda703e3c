// `textDocument/hover`: what is under the cursor. A name (declared or used) shows its
// declaration: a clause's title and kind, a list's size and first terms, a constant's value and
// unit, an hours window, a rule's clause and severity. A keyword shows its one-line meaning. A
// position covered by a diagnostic also shows that code's long explanation (`policyc explain`).

import PolicyLang

/// Answers `textDocument/hover`.
enum HoverFeature {
  /// The hover at `position`, or `null` when there is nothing to say.
  static func hover(
    at position: TextPosition, in analysis: DocumentAnalysis, context: FeatureContext
  ) -> JSONValue {
    let offset = analysis.file.offset(of: position)
    var sections: [String] = []
    var range: TextRange?
    switch analysis.symbols.target(at: offset, in: analysis.file.id) {
    case .symbol(let symbol, let use)?:
      sections.append(SymbolDescriptions.describe(symbol, in: analysis, context: context))
      range = analysis.file.range(of: use)
    case .file(let link)?:
      sections.append(describe(link, in: analysis, context: context))
      range = analysis.file.range(of: link.span)
    case nil:
      if let token = CompletionContext.token(at: offset, in: analysis.file), let keyword = token.keyword {
        sections.append("`\(keyword.spelling)` — " + context.text(KeywordGlossary.meaning(of: keyword)))
        range = analysis.file.range(of: token.span)
      }
    }
    sections += explanations(at: position, in: analysis, context: context)
    guard !sections.isEmpty else { return .null }
    var hover: [String: JSONValue] = [
      "contents": [
        "kind": context.markdown ? "markdown" : "plaintext",
        "value": .string(sections.joined(separator: "\n\n---\n\n")),
      ]
    ]
    if let range { hover["range"] = range.json }
    return .object(hover)
  }

  /// What a file string names: a word list's entries, a library's declarations.
  private static func describe(
    _ link: FileLink, in analysis: DocumentAnalysis, context: FeatureContext
  ) -> String {
    let path = "`\(context.displayPath(link.path, from: analysis.file.name))`"
    if let entries = analysis.loaded?.wordLists[link.span] {
      return path
        + context.text(
          LocalizedText(" — word list, \(entries.count) entries", zh: " — 词表,共 \(entries.count) 条"))
    }
    if let file = analysis.loaded?.files.first(where: { $0.path == link.path }) {
      let count = file.syntax.declarations.count
      return path
        + context.text(LocalizedText(" — library, \(count) declarations", zh: " — 库文件,共 \(count) 个声明"))
    }
    return path + context.text(LocalizedText(" — not read (see its diagnostic)", zh: " — 未能读取(见其诊断)"))
  }

  /// The long explanation of every diagnostic shown at `position`.
  private static func explanations(
    at position: TextPosition, in analysis: DocumentAnalysis, context: FeatureContext
  ) -> [String] {
    let anchors = ImportAnchors(analysis)
    var codes: [DiagnosticCode] = []
    for diagnostic in analysis.diagnostics {
      guard let placed = DiagnosticsFeature.placement(of: diagnostic, analysis: analysis, anchors: anchors),
        placed.range.start <= position, position <= placed.range.end, !codes.contains(diagnostic.code)
      else { continue }
      codes.append(diagnostic.code)
    }
    return codes.map { explanation(of: $0, context: context) }
  }

  /// What `policyc explain CODE` prints, as Markdown.
  static func explanation(of code: DiagnosticCode, context: FeatureContext) -> String {
    let severity: String
    switch (code.defaultSeverity, context.language) {
    case (.error, .chinese): severity = "错误"
    case (.warning, .chinese): severity = "警告"
    case (.note, .chinese): severity = "提示"
    default: severity = code.defaultSeverity.rawValue
    }
    return "**\(code.id)** (\(severity)): \(context.text(code.title))\n\n\(context.text(code.explanation))"
  }
}
