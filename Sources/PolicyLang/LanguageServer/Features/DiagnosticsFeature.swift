// The checker's diagnostics as LSP `Diagnostic`s for one document: code, severity, range in
// UTF-16 units, the message with its notes and help, and labelled spans as related locations.
// A problem inside an imported file (or a word list) is shown on the `import` (or `file "..."`)
// line of this document that leads to it, with its real place as the first related location:
// a policy's errors are visible from the policy whatever file they are in.

import PolicyLang

/// Converts an analysis's diagnostics for `textDocument/publishDiagnostics`.
enum DiagnosticsFeature {
  /// The LSP diagnostics of `analysis`'s document.
  static func diagnostics(of analysis: DocumentAnalysis, context: FeatureContext) -> [JSONValue] {
    let anchors = ImportAnchors(analysis)
    var seen = Set<JSONValue>()
    var result: [JSONValue] = []
    for diagnostic in analysis.diagnostics {
      guard let converted = lsp(diagnostic, analysis: analysis, anchors: anchors, context: context),
        seen.insert(converted).inserted
      else { continue }
      result.append(converted)
    }
    return result
  }

  /// The message a person reads: the message, then its notes and help, each on its own line.
  static func message(of diagnostic: Diagnostic, context: FeatureContext) -> String {
    var lines = [context.text(diagnostic.message)]
    for note in diagnostic.notes {
      lines.append((context.language == .chinese ? "注:" : "note: ") + context.text(note))
    }
    if let help = diagnostic.help {
      lines.append((context.language == .chinese ? "帮助:" : "help: ") + context.text(help))
    }
    return lines.joined(separator: "\n")
  }

  /// The LSP severity: 1 error, 2 warning, 3 information, 4 hint.
  static func severity(of diagnostic: Diagnostic, in analysis: DocumentAnalysis) -> Int {
    // A library is meant to be imported: that it has no header is worth a hint, not an error.
    if diagnostic.code == .missingPolicyHeader && analysis.isLibrary { return 4 }
    switch diagnostic.severity {
    case .error: return 1
    case .warning: return 2
    case .note: return 3
    }
  }

  /// The range in this document a diagnostic is shown at, and the span it really is at when
  /// that is in another file.
  static func placement(
    of diagnostic: Diagnostic, analysis: DocumentAnalysis, anchors: ImportAnchors
  ) -> (range: TextRange, elsewhere: SourceSpan?)? {
    guard let span = diagnostic.span, !span.isNone else {
      let start = TextPosition(line: 0, character: 0)
      return (TextRange(start: start, end: start), nil)
    }
    if span.file == analysis.file.id { return (analysis.file.range(of: span), nil) }
    guard let anchor = anchors.anchor(of: span.file) else { return nil }
    return (analysis.file.range(of: anchor), span)
  }

  /// One diagnostic as an LSP `Diagnostic`; `nil` when it is in a file this document does not
  /// lead to.
  static func lsp(
    _ diagnostic: Diagnostic, analysis: DocumentAnalysis, anchors: ImportAnchors, context: FeatureContext
  ) -> JSONValue? {
    guard let (range, elsewhere) = placement(of: diagnostic, analysis: analysis, anchors: anchors) else {
      return nil
    }
    var text = message(of: diagnostic, context: context)
    var related: [JSONValue] = []
    if let elsewhere {
      let place = context.describe(elsewhere, in: analysis.sources, from: analysis.file.name)
      text =
        (context.language == .chinese ? "在导入的文件 \(place) 中:" : "in imported file \(place): ") + text
      if let location = context.location(of: elsewhere, in: analysis.sources) {
        related.append(["location": location, "message": .string(context.text(diagnostic.message))])
      }
    }
    for label in diagnostic.labels {
      guard let location = context.location(of: label.span, in: analysis.sources) else { continue }
      related.append(["location": location, "message": .string(context.text(label.message))])
    }
    var object: [String: JSONValue] = [
      "range": range.json,
      "severity": JSONValue(severity(of: diagnostic, in: analysis)),
      "code": .string(diagnostic.code.id),
      "source": "policyc",
      "message": .string(text),
    ]
    if !related.isEmpty { object["relatedInformation"] = .array(related) }
    if diagnostic.code == .unusedDeclaration { object["tags"] = [1] }
    return .object(object)
  }
}

/// For each file of an analysis other than the document, the span in the document that leads
/// to it: the `import` string, or the `file "..."` string of a word list, followed through
/// imports of imports up to the document.
struct ImportAnchors {
  private var leadsTo: [FileID: SourceSpan] = [:]
  private let document: FileID

  init(_ analysis: DocumentAnalysis) {
    document = analysis.file.id
    var byPath: [String: FileID] = [:]
    for file in analysis.sources.files { byPath[file.name] = file.id }
    for file in analysis.loaded?.files ?? [] {
      if let place = file.importedAt { leadsTo[file.id] = place }
    }
    for link in analysis.symbols.fileLinks {
      if let id = byPath[link.path], leadsTo[id] == nil { leadsTo[id] = link.span }
    }
  }

  /// The span in the document that leads to `file`; `nil` when none does.
  func anchor(of file: FileID) -> SourceSpan? {
    var current = file
    // Each step moves to the importing file; an import chain is at most as long as the files.
    for _ in 0...leadsTo.count {
      guard let place = leadsTo[current] else { return nil }
      if place.file == document { return place }
      current = place.file
    }
    return nil
  }
}
