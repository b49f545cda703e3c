// The canonical layout of `.policy` files (Grammar.md section 8), in the manner of gofmt: one
// layout, comments kept where they were, idempotent. The tree decides what is written; the token
// stream with its comments decides where each comment goes and where the author broke long
// conditions and lists (which the layout keeps).

import PolicyLangCore

/// Formats `.policy` files in their one canonical layout.
///
/// ```swift
/// switch PolicyFormatter.format(source) {
/// case .formatted(let text): print(text, terminator: "")
/// case .syntaxErrors(let diagnostics): ...  // the file is left as it is
/// }
/// ```
public enum PolicyFormatter {
  /// The width, in columns, that conditions, lists and long rule lines are broken to fit.
  public static let lineWidth = FormatWriter.lineWidth

  /// Formats one file; a file with syntax errors is not formatted and its diagnostics returned.
  public static func format(_ source: SourceFile) -> FormatResult {
    let parsed = Parser.parse(source)
    if parsed.diagnostics.hasErrors { return .syntaxErrors(parsed.diagnostics) }
    var printer = FormatPrinter(source: source)
    printer.file(parsed.file)
    return .formatted(printer.writer.finish())
  }
}

/// Walks a tree in source order and writes it through a `FormatWriter`.
struct FormatPrinter {
  var writer: FormatWriter
  /// Spaces per block level.
  static let indentStep = 2

  init(source: SourceFile) {
    writer = FormatWriter(source: source)
  }

  // MARK: - Words

  /// Writes a keyword or punctuation matched to its source token.
  mutating func word(_ text: String, glued: Bool = false) {
    let token = writer.take(text)
    // A comment before a closing `,` or `)` is written after it: the punctuation stays glued.
    let anchored = glued && (text == "," || text == ")") ? nil : token
    writer.write(text, token: anchored, glued: glued)
  }

  /// Writes a name.
  mutating func name(_ id: Identifier) {
    writer.write(id.name, token: writer.take(span: id.span))
  }

  /// Writes a string literal, re-escaped canonically.
  mutating func string(_ literal: StringLiteral) {
    writer.write(StringLiteralSpelling.quoted(literal.value), token: writer.take(span: literal.span))
  }

  /// Writes a token-shaped node (clause id, date, time, number) as spelled in the source.
  mutating func spelled(_ span: SourceSpan) {
    let text = writer.source.text(of: span)
    writer.write(text, token: writer.take(span: span))
  }

  mutating func literal(_ literal: Literal) {
    switch literal.value {
    case .string(let value):
      writer.write(StringLiteralSpelling.quoted(value), token: writer.take(span: literal.span))
    case .chars(let n):
      // `20 chars`: two tokens, the integer as spelled and the word.
      let start = Int(literal.span.start)
      let first = writer.take(span: SourceSpan(file: literal.span.file, start: start, end: start + 1))
      let spelling = first.map { writer.text(ofToken: $0) } ?? String(n)
      writer.write(spelling, token: first)
      word("chars")
    default:
      spelled(literal.span)
    }
  }

  mutating func value(_ value: ValueExpr) {
    switch value {
    case .literal(let l): literal(l)
    case .reference(let id): name(id)
    }
  }

  /// The text `value` is written as, for measuring.
  func text(of value: ValueExpr) -> String {
    switch value {
    case .reference(let id): return id.name
    case .literal(let l):
      switch l.value {
      case .string(let s): return StringLiteralSpelling.quoted(s)
      case .chars(let n):
        let first = writer.tokenIndex(of: l.span)
        return (first.map { writer.text(ofToken: $0) } ?? String(n)) + " chars"
      default: return writer.source.text(of: l.span)
      }
    }
  }

  // MARK: - Blocks

  /// Writes `{`, the block's items, and `}`; an empty block is `{}`.
  mutating func block(
    indent: Int, span: SourceSpan, isEmpty: Bool, items: (inout FormatPrinter, Int) -> Void
  ) {
    word("{")
    let closeIndex = lastBrace(in: span)
    let closeOffset = closeIndex.map { Int(writer.tokens[$0].span.start) } ?? Int(span.end)
    let hasComments = writer.hasComment(after: Int(span.start), before: closeOffset)
    if isEmpty && !hasComments {
      writer.write("}", token: closeIndex, glued: true)
      moveCursor(past: span)
      return
    }
    let inner = indent + Self.indentStep
    writer.newline(indent: inner, blank: .never)
    let saved = writer.continuation
    items(&self, inner)
    writer.continuation = saved
    // Comments before `}` stay inside the block, at its indentation.
    writer.newline(indent: inner, blank: .preserve)
    writer.flushComments(before: closeOffset)
    writer.setNewline(indent: indent, blank: .never)
    writer.write("}", token: closeIndex)
    moveCursor(past: span)
  }

  /// The `}` ending a block whose span ends with it.
  func lastBrace(in span: SourceSpan) -> Int? {
    let i = writer.tokenIndex(atOrAfter: Int(span.end)) - 1
    guard i >= 0 && i < writer.tokens.count, writer.tokens[i].kind == .rightBrace else { return nil }
    return i
  }

  mutating func moveCursor(past span: SourceSpan) {
    _ = writer.take(span: SourceSpan(file: span.file, start: Int(span.end), end: Int(span.end)))
  }
}
