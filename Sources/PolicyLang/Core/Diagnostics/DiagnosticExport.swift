/// Machine-readable forms of diagnostics: `policyc check --format json` and `--format sarif`.
///
/// Both are always in English (tools key on them, so they are never translated) and list
/// positions as 1-based lines and columns counted in Unicode scalars.
public enum DiagnosticExport {
  /// Version of the `--format json` document shape; it changes only by adding fields.
  public static let jsonVersion = 1

  /// One JSON document: `{"version":1,"diagnostics":[...],"errors":N,"warnings":M}`.
  public static func json(_ diagnostics: Diagnostics, in sources: SourceMap) -> String {
    var out = JSONBuilder()
    out.raw("{\"version\":\(jsonVersion),\"diagnostics\":[")
    for (i, d) in diagnostics.items.enumerated() {
      if i > 0 { out.raw(",") }
      out.raw("{\"code\":")
      out.string(d.code.id)
      out.raw(",\"severity\":")
      out.string(d.severity.rawValue)
      out.raw(",\"message\":")
      out.string(d.message.english)
      if let span = d.span { location(span, sources, into: &out) }
      out.raw(",\"labels\":[")
      for (j, label) in d.labels.enumerated() {
        if j > 0 { out.raw(",") }
        out.raw("{\"message\":")
        out.string(label.message.english)
        location(label.span, sources, into: &out)
        out.raw("}")
      }
      out.raw("],\"notes\":[")
      for (j, note) in d.notes.enumerated() {
        if j > 0 { out.raw(",") }
        out.string(note.english)
      }
      out.raw("]")
      if let help = d.help {
        out.raw(",\"help\":")
        out.string(help.english)
      }
      out.raw("}")
    }
    out.raw("],\"errors\":\(diagnostics.errorCount),\"warnings\":\(diagnostics.warningCount)}\n")
    return out.text
  }

  /// A SARIF 2.1.0 log with one run of `policyc`, so that code-review systems annotate the lines
  /// of a changed policy. Every diagnostic code the run used appears as a reporting rule.
  public static func sarif(
    _ diagnostics: Diagnostics, in sources: SourceMap, toolVersion: String
  ) -> String {
    let codes = Array(Set(diagnostics.items.map(\.code))).sorted { $0.id < $1.id }
    let ruleIndex = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1.id, $0) })
    var out = JSONBuilder()
    out.raw("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",")
    out.raw("\"runs\":[{\"tool\":{\"driver\":{\"name\":\"policyc\",\"version\":")
    out.string(toolVersion)
    out.raw(",\"informationUri\":\"https://github.com/policylang/policylang\",\"rules\":[")
    for (i, code) in codes.enumerated() {
      if i > 0 { out.raw(",") }
      out.raw("{\"id\":")
      out.string(code.id)
      out.raw(",\"shortDescription\":{\"text\":")
      out.string(code.title.english)
      out.raw("},\"fullDescription\":{\"text\":")
      out.string(code.explanation.english)
      out.raw("},\"defaultConfiguration\":{\"level\":")
      out.string(sarifLevel(code.defaultSeverity))
      out.raw("}}")
    }
    out.raw("]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[")
    for (i, d) in diagnostics.items.enumerated() {
      if i > 0 { out.raw(",") }
      out.raw("{\"ruleId\":")
      out.string(d.code.id)
      out.raw(",\"ruleIndex\":\(ruleIndex[d.code.id] ?? 0),\"level\":")
      out.string(sarifLevel(d.severity))
      var message = d.message.english
      if let help = d.help { message += "\nhelp: " + help.english }
      for note in d.notes { message += "\nnote: " + note.english }
      out.raw(",\"message\":{\"text\":")
      out.string(message)
      out.raw("},\"locations\":[")
      if let span = d.span, !span.isNone { sarifLocation(span, sources, message: nil, into: &out) }
      out.raw("]")
      let related = d.labels.filter { !$0.span.isNone }
      if !related.isEmpty {
        out.raw(",\"relatedLocations\":[")
        for (j, label) in related.enumerated() {
          if j > 0 { out.raw(",") }
          sarifLocation(label.span, sources, message: label.message.english, into: &out, id: j)
        }
        out.raw("]")
      }
      out.raw("}")
    }
    out.raw("]}]}\n")
    return out.text
  }

  private static func sarifLevel(_ severity: DiagnosticSeverity) -> String {
    switch severity {
    case .error: return "error"
    case .warning: return "warning"
    case .note: return "note"
    }
  }

  private static func location(_ span: SourceSpan, _ sources: SourceMap, into out: inout JSONBuilder) {
    guard let file = sources[span.file] else { return }
    let start = file.location(of: Int(span.start))
    let end = file.location(of: Int(span.end))
    out.raw(",\"file\":")
    out.string(file.name)
    out.raw(
      ",\"line\":\(start.line),\"column\":\(start.column),\"end_line\":\(end.line),\"end_column\":\(end.column)"
    )
  }

  private static func sarifLocation(
    _ span: SourceSpan, _ sources: SourceMap, message: String?, into out: inout JSONBuilder,
    id: Int? = nil
  ) {
    guard let file = sources[span.file] else {
      out.raw("{}")
      return
    }
    let start = file.location(of: Int(span.start))
    let end = file.location(of: Int(span.end))
    out.raw("{")
    if let id { out.raw("\"id\":\(id),") }
    out.raw("\"physicalLocation\":{\"artifactLocation\":{\"uri\":")
    out.string(file.name)
    out.raw(
      "},\"region\":{\"startLine\":\(start.line),\"startColumn\":\(start.column),\"endLine\":\(end.line),\"endColumn\":\(end.column)}}"
    )
    if let message {
      out.raw(",\"message\":{\"text\":")
      out.string(message)
      out.raw("}")
    }
    out.raw("}")
  }
}

/// A small JSON text builder for the exporters (strings escaped per RFC 8259).
package struct JSONBuilder {
  private(set) var bytes: [UInt8] = []

  package init() {}

  package mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

  package mutating func string(_ s: String) {
    var s = s
    s.withUTF8 { JSONText.appendString($0, to: &bytes) }
  }

  package var text: String { String(decoding: bytes, as: UTF8.self) }
}
