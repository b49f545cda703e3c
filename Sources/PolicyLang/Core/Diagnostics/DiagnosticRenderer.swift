/// Renders diagnostics the way rustc and YARA-X do: a header, the `file:line:column` arrow, the
/// source line with carets under the span, labelled secondary spans, then notes and help.
///
/// Carets line up under CJK text because columns are measured in display cells (wide and
/// full-width characters take two) and tabs are expanded.
public struct DiagnosticRenderer: Sendable {
  public var language: Language
  /// Diagnostics rendered per file: the rest of a file's are counted in one summary line, so a
  /// file full of mistakes (or not a policy at all) cannot flood the output.
  public var maximumPerFile: Int
  /// The default of `maximumPerFile`.
  public static let defaultMaximumPerFile = 20

  public init(language: Language = .english, maximumPerFile: Int = Self.defaultMaximumPerFile) {
    self.language = language
    self.maximumPerFile = maximumPerFile
  }

  public func render(_ diagnostic: Diagnostic, in sources: SourceMap) -> String {
    let header =
      "\(diagnostic.severity.rawValue)[\(diagnostic.code.id)]: "
      + diagnostic.message.text(in: language)
    var out = [header]
    // The primary span first, then labels, grouped per line in line order.
    var marks: [(span: SourceSpan, primary: Bool, text: String)] = []
    if let span = diagnostic.span, !span.isNone { marks.append((span, true, "")) }
    for label in diagnostic.labels where !label.span.isNone {
      marks.append((label.span, false, label.message.text(in: language)))
    }
    if let first = marks.first, let file = sources[first.span.file] {
      let loc = file.location(of: Int(first.span.start))
      let lines = marks.map { file.lineIndex(of: Int($0.span.start)) + 1 }
      let gutter = String(lines.max() ?? 1).count
      let pad = String(repeating: " ", count: gutter)
      out.append("\(pad)--> \(file.name):\(loc.line):\(loc.column)")
      out.append("\(pad) |")
      var seen = Set<Int>()
      let ordered = marks.enumerated().sorted {
        let la = file.lineIndex(of: Int($0.element.span.start))
        let lb = file.lineIndex(of: Int($1.element.span.start))
        return la != lb ? la < lb : $0.offset < $1.offset
      }.map(\.element)
      for mark in ordered where mark.span.file == first.span.file {
        let lineIndex = file.lineIndex(of: Int(mark.span.start))
        let lineStart = file.lineStarts[lineIndex]
        let lineBytes = file.lineBytes(lineIndex)
        let number = String(lineIndex + 1)
        if seen.insert(lineIndex).inserted {
          let shown = Self.expandTabs(String(decoding: lineBytes, as: UTF8.self))
          out.append(String(repeating: " ", count: gutter - number.count) + number + " | " + shown)
        }
        let startCol = Self.displayWidth(file.bytes, from: lineStart, to: Int(mark.span.start))
        let lineEnd = lineStart + lineBytes.count
        let end = min(Int(mark.span.end), lineEnd)
        var width = Self.displayWidth(
          file.bytes, from: Int(mark.span.start), to: max(end, Int(mark.span.start)))
        if width == 0 { width = 1 }
        let marker = String(repeating: mark.primary ? "^" : "-", count: width)
        let tail = mark.text.isEmpty ? "" : " " + mark.text
        out.append("\(pad) | " + String(repeating: " ", count: startCol) + marker + tail)
      }
      // Labels in other files (imports) get their own arrow line.
      for mark in marks where mark.span.file != first.span.file {
        out.append("\(pad) = \(sources.describe(mark.span)): \(mark.text)")
      }
      if !diagnostic.notes.isEmpty || diagnostic.help != nil { out.append("\(pad) |") }
      for note in diagnostic.notes { out.append("\(pad) = note: " + note.text(in: language)) }
      if let help = diagnostic.help { out.append("\(pad) = help: " + help.text(in: language)) }
    } else {
      for note in diagnostic.notes { out.append("  = note: " + note.text(in: language)) }
      if let help = diagnostic.help { out.append("  = help: " + help.text(in: language)) }
    }
    return out.joined(separator: "\n") + "\n"
  }

  /// Renders the diagnostics, separated by blank lines: at most `maximumPerFile` of each file
  /// (diagnostics without a place count as one file), then a summary line per file for the rest
  /// and a closing count of those dropped by `Diagnostics`' own limit.
  public func render(_ diagnostics: Diagnostics, in sources: SourceMap) -> String {
    var parts: [String] = []
    var shown: [UInt32: Int] = [:]
    var hidden: [(file: UInt32, errors: Int, others: Int)] = []
    for diagnostic in diagnostics.items {
      let file = diagnostic.span.map { $0.file.raw } ?? SourceSpan.none.file.raw
      let count = shown[file, default: 0]
      if count < maximumPerFile {
        shown[file] = count + 1
        parts.append(render(diagnostic, in: sources))
        continue
      }
      let isError = diagnostic.severity == .error
      if let k = hidden.firstIndex(where: { $0.file == file }) {
        hidden[k].errors += isError ? 1 : 0
        hidden[k].others += isError ? 0 : 1
      } else {
        hidden.append((file, isError ? 1 : 0, isError ? 0 : 1))
      }
    }
    for summary in hidden {
      let name = sources[FileID(summary.file)].map { "`\($0.name)`" }
      parts.append(hiddenSummary(of: name, errors: summary.errors, others: summary.others))
    }
    if diagnostics.dropped > 0 {
      parts.append(
        language == .chinese
          ? "note: 另有 \(diagnostics.dropped) 条诊断未显示\n"
          : "note: \(diagnostics.dropped) more diagnostics not shown\n")
    }
    return parts.joined(separator: "\n")
  }

  /// The line that counts a file's diagnostics beyond `maximumPerFile`.
  private func hiddenSummary(of file: String?, errors: Int, others: Int) -> String {
    let total = errors + others
    if language == .chinese {
      let place = file.map { "\($0) 中" } ?? ""
      return "note: \(place)另有 \(total) 条诊断未显示(\(errors) 个错误)\n"
    }
    let place = file.map { " of \($0)" } ?? ""
    let noun = total == 1 ? "diagnostic" : "diagnostics"
    let errorNoun = errors == 1 ? "error" : "errors"
    return "note: \(total) more \(noun)\(place) not shown (\(errors) \(errorNoun))\n"
  }

  /// The first line of a diagnostic as `FILE:LINE:COL: error[CODE]: message`, for compact output.
  public func renderShort(_ diagnostic: Diagnostic, in sources: SourceMap) -> String {
    let place = diagnostic.span.map { sources.describe($0) + ": " } ?? ""
    return "\(place)\(diagnostic.severity.rawValue)[\(diagnostic.code.id)]: "
      + diagnostic.message.text(in: language)
  }

  static func expandTabs(_ s: String) -> String {
    s.replacingTabs()
  }

  /// Display cells between two byte offsets of UTF-8 text.
  static func displayWidth(_ bytes: [UInt8], from: Int, to: Int) -> Int {
    let lo = max(0, min(from, bytes.count))
    let hi = max(lo, min(to, bytes.count))
    var width = 0
    for scalar in String(decoding: bytes[lo..<hi], as: UTF8.self).unicodeScalars {
      width += cellWidth(scalar)
    }
    return width
  }

  /// Terminal cells a scalar takes: a tab 4 (matching `expandTabs`), otherwise its display width.
  public static func cellWidth(_ scalar: Unicode.Scalar) -> Int {
    scalar == "\t" ? 4 : DisplayWidth.columns(scalar)
  }

}

extension String {
  fileprivate func replacingTabs() -> String {
    var out = ""
    out.reserveCapacity(utf8.count)
    for ch in self { if ch == "\t" { out += "    " } else { out.append(ch) } }
    return out
  }
}
