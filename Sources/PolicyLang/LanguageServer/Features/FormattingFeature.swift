// `textDocument/formatting`: the layout of `policyc fmt`. The answer is one edit covering only
// what changed (the text between the common prefix and suffix), so the editor keeps the cursor
// and folds of untouched lines. A document with syntax errors is not formatted.

import PolicyLang

/// Answers `textDocument/formatting`.
enum FormattingFeature {
  /// The edits and, when the document cannot be formatted, a message saying why.
  static func format(
    _ document: OpenDocument, context: FeatureContext
  ) -> (edits: JSONValue, message: String?) {
    guard !document.isWordList else { return ([], nil) }
    switch PolicyFormatter.format(document.file) {
    case .syntaxErrors(let diagnostics):
      let first = diagnostics.items.first { $0.severity == .error }
      let line = first?.span.map { document.file.location(of: Int($0.start)).line }
      let place =
        line.map { context.text(LocalizedText(" (the first on line \($0))", zh: "(第一个在第 \($0) 行)")) } ?? ""
      let message = context.text(
        LocalizedText(
          "policyc: not formatted: the document has syntax errors\(place)",
          zh: "policyc:未格式化:文档有语法错误\(place)"))
      return ([], message)
    case .formatted(let text):
      guard let edit = minimalEdit(from: document.file, to: Array(text.utf8)) else { return ([], nil) }
      return ([edit], nil)
    }
  }

  /// One `TextEdit` turning `file`'s bytes into `new`, covering only the changed middle; `nil`
  /// when they are equal.
  static func minimalEdit(from file: SourceFile, to new: [UInt8]) -> JSONValue? {
    let old = file.bytes
    guard old != new else { return nil }
    var prefix = 0
    while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
    // Cut at a character boundary, never between the bytes of one character, and never between
    // the CR and LF of a line break (a position there has no place in the editor's lines).
    while prefix > 0 && prefix < old.count && old[prefix] & 0xC0 == 0x80 { prefix -= 1 }
    if prefix > 0 && prefix < old.count && old[prefix - 1] == 0x0D && old[prefix] == 0x0A { prefix -= 1 }
    var suffix = 0
    while suffix < old.count - prefix && suffix < new.count - prefix
      && old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
    {
      suffix += 1
    }
    while suffix > 0 && old[old.count - suffix] & 0xC0 == 0x80 { suffix -= 1 }
    if suffix > 0 && old.count - suffix > 0 && old[old.count - suffix - 1] == 0x0D
      && old[old.count - suffix] == 0x0A
    {
      suffix -= 1
    }
    let range = TextRange(start: file.position(of: prefix), end: file.position(of: old.count - suffix))
    let text = String(decoding: new[prefix..<(new.count - suffix)], as: UTF8.self)
    return ["range": range.json, "newText": .string(text)]
  }
}
