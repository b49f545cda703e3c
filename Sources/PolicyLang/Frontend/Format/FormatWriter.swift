// The formatter's output side: lines, indentation, padding for alignment, and the comments of
// the source, which the lexer returns as trivia (`keepComments: true`). The printer walks the
// tree in source order and writes every token through here; each token it writes is matched to
// its source token (the cursor), and every comment that precedes that source token is written
// first: a comment that followed a token on its line stays at the end of that line, one on its
// own line goes on its own line before the token, with the source's blank line kept (at most one).

import PolicyLangCore

/// A `#` comment of the source.
struct CommentTrivia: Sendable {
  /// The comment without trailing white space.
  var text: String
  /// Byte offset of its `#`.
  var start: Int
  /// A token precedes it on its line: it stays at the end of a line.
  var isTrailing: Bool
  /// An empty line separates it from what precedes it.
  var blankBefore: Bool
}

/// Whether an empty line goes before the next line written.
enum BlankLines: Int, Comparable, Sendable {
  /// Never (after `{`, inside a declaration).
  case never
  /// When the source has one there (between declarations and items).
  case preserve
  /// Always (around rules and other blocks).
  case force

  static func < (a: BlankLines, b: BlankLines) -> Bool { a.rawValue < b.rawValue }
}

/// One line of output before rendering.
struct OutputLine: Sendable {
  var indent: Int
  var code = ""
  /// Columns of `code` (CJK characters take two).
  var codeWidth = 0
  /// A comment ending the line (or the whole line when `code` is empty).
  var comment: String?

  init(indent: Int) { self.indent = indent }

  var column: Int { indent + codeWidth }
  var isEmpty: Bool { code.isEmpty && comment == nil }
}

struct FormatWriter {
  /// Lines are broken to stay within this many columns where the grammar allows a break.
  static let lineWidth = 100

  let source: SourceFile
  /// The source's tokens without comments; the last is `.eof`.
  let tokens: [Token]
  /// Per token: an empty line separates it from what precedes it (token or comment).
  let blankBeforeToken: [Bool]
  let comments: [CommentTrivia]
  private var nextComment = 0
  /// The next source token to match.
  private(set) var cursor = 0

  private var lines: [OutputLine] = []
  private var line = OutputLine(indent: 0)
  /// A line break asked for and not yet written: it is written before the next word or comment,
  /// so that a trailing comment can still join the current line.
  private var pending: (indent: Int, blank: BlankLines)?
  /// Pad the current line to this column before its next word (alignment).
  private var padColumn: Int?
  /// Where a line broken inside a construct (by a comment) goes on.
  var continuation = 0
  /// The next word follows the previous one without a space (after `(`).
  var glueNext = false

  init(source: SourceFile) {
    self.source = source
    let all = Lexer.tokenize(source, keepComments: true).tokens
    var tokens: [Token] = []
    var blanks: [Bool] = []
    var comments: [CommentTrivia] = []
    var previousEndLine: Int?
    var lastTokenLine = -1
    for token in all {
      let start = Int(token.span.start)
      let end = max(start, Int(token.span.end) - 1)
      let startLine = source.lineIndex(of: start)
      let blank = previousEndLine.map { startLine - $0 >= 2 } ?? false
      if token.kind == .comment {
        var text = source.text(of: token.span)
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        comments.append(
          CommentTrivia(
            text: text, start: start, isTrailing: lastTokenLine == startLine, blankBefore: blank))
      } else {
        tokens.append(token)
        blanks.append(blank)
        lastTokenLine = source.lineIndex(of: end)
      }
      previousEndLine = source.lineIndex(of: end)
    }
    self.tokens = tokens
    self.blankBeforeToken = blanks
    self.comments = comments
  }

  // MARK: - Source tokens

  /// The source text of token `index`.
  func text(ofToken index: Int) -> String {
    guard index >= 0 && index < tokens.count else { return "" }
    return source.text(of: tokens[index].span)
  }

  /// The index of the first token that starts at or after `offset`.
  func tokenIndex(atOrAfter offset: Int) -> Int {
    var lo = 0
    var hi = tokens.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if Int(tokens[mid].span.start) < offset { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// The index of the token starting exactly at `span.start`, if any.
  func tokenIndex(of span: SourceSpan) -> Int? {
    let i = tokenIndex(atOrAfter: Int(span.start))
    guard i < tokens.count, tokens[i].span.start == span.start, tokens[i].kind != .eof else {
      return nil
    }
    return i
  }

  /// The source token spelled `text` at the cursor, looking past parentheses and commas that the
  /// canonical layout drops (redundant parentheses, trailing commas); `nil` when it is not there.
  func find(_ text: String) -> Int? {
    var i = cursor
    var skipped = 0
    while i < tokens.count && tokens[i].kind != .eof {
      if source.text(of: tokens[i].span) == text { return i }
      let droppable: Set<TokenKind> = [.leftParen, .rightParen, .comma]
      guard droppable.contains(tokens[i].kind) && skipped < 16 else { return nil }
      i += 1
      skipped += 1
    }
    return nil
  }

  /// Matches `text` at the cursor (see `find`) and moves past it.
  mutating func take(_ text: String) -> Int? {
    guard let i = find(text) else { return nil }
    cursor = i + 1
    return i
  }

  /// Matches the node at `span` (its first token) and moves the cursor past the whole node.
  mutating func take(span: SourceSpan) -> Int? {
    let i = tokenIndex(of: span)
    cursor = max(cursor, tokenIndex(atOrAfter: Int(span.end)))
    return i
  }

  /// The next source token, whatever it is, and moves past it.
  mutating func takeAny() -> Int? {
    guard cursor < tokens.count && tokens[cursor].kind != .eof else { return nil }
    cursor += 1
    return cursor - 1
  }

  /// True when the source breaks the line at token `index` (before it).
  func isAtLineStart(_ index: Int?) -> Bool {
    guard let index, index >= 0 && index < tokens.count else { return false }
    return tokens[index].isAtLineStart
  }

  /// True when a comment starts strictly between the two byte offsets (binary search).
  func hasComment(
    after start: Int, before end: Int, where accept: (CommentTrivia) -> Bool = { _ in true }
  ) -> Bool {
    var lo = 0
    var hi = comments.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if comments[mid].start <= start { lo = mid + 1 } else { hi = mid }
    }
    while lo < comments.count && comments[lo].start < end {
      if accept(comments[lo]) { return true }
      lo += 1
    }
    return false
  }

  // MARK: - Writing

  /// The column the next word starts at (after a space, unless `glued`).
  func nextColumn(glued: Bool = false) -> Int {
    if let pending { return pending.indent }
    if line.isEmpty { return line.indent }
    if let padColumn, padColumn > line.column { return padColumn }
    return line.column + (glued || glueNext ? 0 : 1)
  }

  /// True when nothing has been written on the current line yet (or a break is pending).
  var atLineStart: Bool { pending != nil || line.isEmpty }

  /// Asks for a line break before the next word; merged with one already asked for.
  mutating func newline(indent: Int, blank: BlankLines = .preserve) {
    if let current = pending {
      pending = (indent, max(current.blank, blank))
    } else {
      pending = (indent, blank)
    }
    padColumn = nil
  }

  /// Replaces any pending line break by this one (before a closing `}`: never a blank line).
  mutating func setNewline(indent: Int, blank: BlankLines) {
    pending = (indent, blank)
    padColumn = nil
  }

  /// Pads the current line to `column` before its next word (at least one space).
  mutating func pad(to column: Int) {
    padColumn = column
  }

  /// Writes one word. `token` is the source token it stands for (comments before it are written
  /// first); `glued` words follow the previous one without a space.
  mutating func write(_ text: String, token: Int?, glued: Bool = false) {
    let glued = glued || glueNext
    glueNext = false
    if let token, token < tokens.count {
      flushComments(before: Int(tokens[token].span.start))
    }
    let blank = token.map { $0 < blankBeforeToken.count && blankBeforeToken[$0] } ?? false
    breakLine(blankBefore: blank)
    if !line.isEmpty {
      if let padColumn, padColumn > line.column {
        append(String(repeating: " ", count: padColumn - line.column))
      } else if !glued {
        append(" ")
      }
    }
    padColumn = nil
    append(text)
  }

  private mutating func append(_ text: String) {
    line.code += text
    line.codeWidth += DisplayWidth.columns(text)
  }

  /// Writes the pending line break, if any.
  private mutating func breakLine(blankBefore: Bool) {
    guard let (indent, blank) = pending else { return }
    pending = nil
    padColumn = nil
    if !line.isEmpty { lines.append(line) }
    let wantBlank = blank == .force || (blank == .preserve && blankBefore)
    if wantBlank, let last = lines.last, !last.isEmpty { lines.append(OutputLine(indent: 0)) }
    line = OutputLine(indent: indent)
  }

  /// Writes every comment that starts before `offset`.
  mutating func flushComments(before offset: Int) {
    while nextComment < comments.count && comments[nextComment].start < offset {
      let comment = comments[nextComment]
      nextComment += 1
      if comment.isTrailing && !line.isEmpty && line.comment == nil {
        line.comment = comment.text
        if pending == nil { pending = (continuation, .never) }
        padColumn = nil
        continue
      }
      if pending == nil && !line.isEmpty { pending = (continuation, .never) }
      breakLine(blankBefore: comment.blankBefore)
      line.comment = comment.text
      pending = (line.indent, .preserve)
    }
  }

  /// Writes the comments left at the end of the file and renders every line.
  mutating func finish() -> String {
    if !line.isEmpty { newline(indent: 0) }
    flushComments(before: Int.max)
    if !line.isEmpty { lines.append(line) }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    return Self.render(lines)
  }

  /// Lines as text; the trailing comments of consecutive lines with the same indentation are
  /// aligned one space after the longest code among them.
  static func render(_ lines: [OutputLine]) -> String {
    var out = ""
    var i = 0
    while i < lines.count {
      let first = lines[i]
      guard first.comment != nil && !first.code.isEmpty else {
        out += renderLine(first, commentColumn: nil)
        i += 1
        continue
      }
      var j = i
      var column = 0
      while j < lines.count, lines[j].comment != nil, !lines[j].code.isEmpty,
        lines[j].indent == first.indent
      {
        column = max(column, lines[j].column + 1)
        j += 1
      }
      for k in i..<j { out += renderLine(lines[k], commentColumn: column) }
      i = j
    }
    return out
  }

  private static func renderLine(_ line: OutputLine, commentColumn: Int?) -> String {
    if line.isEmpty { return "\n" }
    var text = String(repeating: " ", count: line.indent) + line.code
    if let comment = line.comment {
      if line.code.isEmpty {
        text += comment
      } else {
        text += String(repeating: " ", count: max(1, (commentColumn ?? 0) - line.column)) + comment
      }
    }
    return text + "\n"
  }
}
