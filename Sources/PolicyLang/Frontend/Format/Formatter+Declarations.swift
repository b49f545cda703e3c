// Top-level declarations: the header, and the one-line declarations, whose consecutive runs of
// the same kind are aligned in columns (Grammar.md section 8).

import PolicyLangCore

/// One word of a one-line declaration, written later (after the columns are measured).
struct Piece {
  enum Source {
    /// A keyword or punctuation, matched to the source token spelled so.
    case keyword
    /// A node whose first token starts at the span.
    case node(SourceSpan)
    /// A value (a literal may be two tokens: `20 chars`).
    case value(ValueExpr)
  }

  var text: String
  var source: Source
  /// Written right after the previous word, without a space (`,` `]` `-`).
  var glued = false

  static func keyword(_ text: String, glued: Bool = false) -> Piece {
    Piece(text: text, source: .keyword, glued: glued)
  }

  static func node(_ text: String, _ span: SourceSpan, glued: Bool = false) -> Piece {
    Piece(text: text, source: .node(span), glued: glued)
  }

  /// The columns a sequence of pieces takes on one line.
  static func width(_ pieces: [Piece]) -> Int {
    var total = 0
    for (i, piece) in pieces.enumerated() {
      if i > 0 && !piece.glued { total += 1 }
      total += DisplayWidth.columns(piece.text)
    }
    return total
  }
}

extension FormatPrinter {
  // MARK: - File

  /// Every declaration in source order; a blank line around blocks (header, rules, tests),
  /// the source's blank lines (at most one) elsewhere.
  mutating func file(_ file: PolicyFile) {
    let declarations = file.declarations
    var i = 0
    var previous: Declaration?
    while i < declarations.count {
      let declaration = declarations[i]
      if let previous {
        let block = Self.isBlock(declaration) || Self.isBlock(previous)
        writer.newline(indent: 0, blank: block ? .force : .preserve)
      }
      guard let cells = cells(declaration) else {
        self.declaration(declaration)
        previous = declaration
        i += 1
        continue
      }
      var rows = [cells]
      var j = i + 1
      while j < declarations.count, Self.runKind(declarations[j]) == Self.runKind(declaration),
        !separated(declarations[j - 1], declarations[j]), let next = self.cells(declarations[j])
      {
        rows.append(next)
        j += 1
      }
      writeAligned(rows, indent: 0)
      previous = declarations[j - 1]
      i = j
    }
  }

  static func isBlock(_ declaration: Declaration) -> Bool {
    switch declaration {
    case .policy, .rule, .test: return true
    default: return false
    }
  }

  /// Declarations of one kind line up in columns when consecutive.
  static func runKind(_ declaration: Declaration) -> String {
    switch declaration {
    case .import: return "import"
    case .clause: return "clause"
    case .terms: return "terms"
    case .domains: return "domains"
    case .constant: return "const"
    case .hours: return "hours"
    case .dates: return "dates"
    case .severity: return "severity"
    case .escalation: return "escalate"
    case .policy, .rule, .test: return ""
    }
  }

  /// True when a blank line or a comment on its own line stands between two declarations: it
  /// ends a run of aligned declarations.
  func separated(_ a: Declaration, _ b: Declaration) -> Bool {
    guard let first = writer.tokenIndex(of: b.span) else { return true }
    if writer.blankBeforeToken[first] { return true }
    return writer.hasComment(after: Int(a.span.end) - 1, before: Int(b.span.start)) { !$0.isTrailing }
  }

  /// True when a comment starts inside `span`.
  func hasComment(in span: SourceSpan) -> Bool {
    writer.hasComment(after: Int(span.start), before: Int(span.end))
  }

  /// Writes rows of cells: each cell starts at the same column in every row.
  mutating func writeAligned(_ rows: [[[Piece]]], indent: Int) {
    var widths: [Int] = []
    // As in a tab writer, the last cell of a row does not widen its column.
    for row in rows {
      let last = row.lastIndex { !$0.isEmpty } ?? 0
      for (c, cell) in row.enumerated() {
        if c == widths.count { widths.append(0) }
        if c < last { widths[c] = max(widths[c], Piece.width(cell)) }
      }
    }
    for (r, row) in rows.enumerated() {
      if r > 0 { writer.newline(indent: indent, blank: .preserve) }
      let last = row.lastIndex { !$0.isEmpty } ?? 0
      var column = indent
      for (c, cell) in row.enumerated() where c <= last {
        if !cell.isEmpty {
          if c > 0 { writer.pad(to: column) }
          write(cell)
        }
        if widths[c] > 0 { column += widths[c] + 1 }
      }
    }
  }

  mutating func write(_ pieces: [Piece]) {
    for piece in pieces {
      switch piece.source {
      case .keyword: word(piece.text, glued: piece.glued)
      case .node(let span): writer.write(piece.text, token: writer.take(span: span), glued: piece.glued)
      case .value(let v): value(v)
      }
    }
  }

  // MARK: - One-line declarations

  /// The cells of a declaration written on one line, or `nil` for a block or a declaration that
  /// takes several lines (a list written one entry a line, a comment inside).
  func cells(_ declaration: Declaration, allowComments: Bool = false) -> [[Piece]]? {
    if Self.isBlock(declaration) { return nil }
    if !allowComments && hasComment(in: declaration.span) { return nil }
    switch declaration {
    case .import(let d):
      return [[.keyword("import"), stringPiece(d.path)]]
    case .clause(let d):
      return [
        [.keyword("clause"), .node(d.id.id, d.id.span)],
        [stringPiece(d.title), .node(d.kind?.rawValue ?? "", d.kindSpan)],
      ]
    case .terms(let d):
      var head = prefix(d.mode, "terms", d.name)
      head.append(d.title.map { [stringPiece($0)] } ?? [])
      let op = Piece.keyword(d.mode == .extend ? "+=" : "=")
      switch d.source {
      case .file(let path):
        return head + [[op, .keyword("file"), stringPiece(path)]]
      case .inline(let entries, let span):
        let list = [op] + flatList(entries.map(termPieces))
        let width = Piece.width(head.flatMap { $0 }) + 1 + Piece.width(list)
        if listIsVertical(span, elements: entries.map(\.span), width: width) { return nil }
        return head + [list]
      }
    case .domains(let d):
      let head = prefix(d.mode, "domains", d.name)
      let list =
        [Piece.keyword(d.mode == .extend ? "+=" : "=")] + flatList(d.domains.map { [stringPiece($0)] })
      let span = listSpan(from: d.name.span, to: d.span)
      let width = Piece.width(head.flatMap { $0 }) + 1 + Piece.width(list)
      if listIsVertical(span, elements: d.domains.map(\.span), width: width) { return nil }
      return head + [list]
    case .constant(let d):
      let value = Piece(text: literalText(d.value), source: .value(.literal(d.value)))
      return prefix(d.mode, "const", d.name) + [[.keyword("="), value]]
    case .hours(let d):
      return prefix(d.mode, "hours", d.name) + [[.keyword("=")] + hoursPieces(d)]
    case .dates(let d):
      let list =
        [Piece.keyword("=")] + flatList(d.dates.map { [.node(writer.source.text(of: $0.span), $0.span)] })
      let head = prefix(d.mode, "dates", d.name)
      let span = listSpan(from: d.name.span, to: d.span)
      let width = Piece.width(head.flatMap { $0 }) + 1 + Piece.width(list)
      if listIsVertical(span, elements: d.dates.map(\.span), width: width) { return nil }
      return head + [list]
    case .severity(let d):
      var row: [[Piece]] = [[.keyword("severity"), namePiece(d.name)]]
      row.append(d.title.map { [stringPiece($0)] } ?? [])
      row.append([.keyword("sanction")])
      row.append(d.sanction.map { [stringPiece($0)] } ?? [])
      if let clause = d.clause { row.append([.keyword("clause"), .node(clause.id, clause.span)]) }
      return row
    case .escalation(let d):
      var row: [[Piece]] = [
        [.keyword("escalate"), valuePiece(d.count)], [namePiece(d.from)], [.keyword("within")],
        [valuePiece(d.window)], [.keyword("to")], [namePiece(d.to)],
      ]
      if let clause = d.clause { row.append([.keyword("clause"), .node(clause.id, clause.span)]) }
      return row
    case .policy, .rule, .test:
      return nil
    }
  }

  /// `[override] KEYWORD NAME`: the first cell (the keyword is not aligned on its own).
  func prefix(_ mode: DeclMode, _ keyword: String, _ name: Identifier) -> [[Piece]] {
    let head: [Piece] =
      mode == .override ? [.keyword("override"), .keyword(keyword)] : [.keyword(keyword)]
    return [head + [namePiece(name)]]
  }

  func namePiece(_ id: Identifier) -> Piece { .node(id.name, id.span) }

  func stringPiece(_ s: StringLiteral, glued: Bool = false) -> Piece {
    .node(StringLiteralSpelling.quoted(s.value), s.span, glued: glued)
  }

  func valuePiece(_ v: ValueExpr) -> Piece { Piece(text: text(of: v), source: .value(v)) }

  func literalText(_ l: Literal) -> String { text(of: .literal(l)) }

  /// `"微信" | "薇信"`
  func termPieces(_ entry: TermEntry) -> [Piece] {
    var pieces = [stringPiece(entry.term)]
    for variant in entry.variants {
      pieces.append(.keyword("|"))
      pieces.append(stringPiece(variant))
    }
    return pieces
  }

  /// `[a, b, c]` on one line.
  func flatList(_ elements: [[Piece]]) -> [Piece] {
    var pieces: [Piece] = [.keyword("[")]
    for (i, element) in elements.enumerated() {
      for (k, piece) in element.enumerated() {
        var piece = piece
        if i == 0 && k == 0 { piece.glued = true }
        pieces.append(piece)
      }
      if i < elements.count - 1 { pieces.append(.keyword(",", glued: true)) }
    }
    pieces.append(.keyword("]", glued: true))
    return pieces
  }

  /// The span of a bracketed list that ends its declaration.
  func listSpan(from name: SourceSpan, to declaration: SourceSpan) -> SourceSpan {
    let after = writer.tokenIndex(atOrAfter: Int(name.end))
    var i = after
    while i < writer.tokens.count && writer.tokens[i].kind != .leftBracket && writer.tokens[i].kind != .eof {
      i += 1
    }
    let start = i < writer.tokens.count ? Int(writer.tokens[i].span.start) : Int(name.end)
    return SourceSpan(file: declaration.file, start: start, end: Int(declaration.end))
  }

  /// A list is written one entry a line when the author did so (an entry or `]` starts a line),
  /// when a comment is inside, or when it does not fit on the line.
  func listIsVertical(_ span: SourceSpan, elements: [SourceSpan], width: Int) -> Bool {
    if elements.isEmpty { return false }
    if width > FormatWriter.lineWidth || hasComment(in: span) { return true }
    for element in elements where writer.isAtLineStart(writer.tokenIndex(of: element)) { return true }
    if let close = lastToken(in: span), writer.tokens[close].kind == .rightBracket {
      return writer.isAtLineStart(close)
    }
    return false
  }

  func lastToken(in span: SourceSpan) -> Int? {
    let i = writer.tokenIndex(atOrAfter: Int(span.end)) - 1
    return i >= 0 && i < writer.tokens.count ? i : nil
  }

  /// `mon-fri 09:00-12:00, 13:00-18:00; sat 10:00-16:00 except holidays`
  func hoursPieces(_ d: HoursDecl) -> [Piece] {
    var pieces: [Piece] = []
    for (p, part) in d.parts.enumerated() {
      if p > 0 { pieces.append(.keyword(";", glued: true)) }
      for (i, days) in part.days.enumerated() {
        if i > 0 { pieces.append(.keyword(",", glued: true)) }
        pieces.append(.node(days.first.name, days.span))
        if days.last != days.first {
          pieces.append(.keyword("-", glued: true))
          pieces.append(.keyword(days.last.name, glued: true))
        }
      }
      for (i, range) in part.ranges.enumerated() {
        if i > 0 { pieces.append(.keyword(",", glued: true)) }
        pieces.append(.node(writer.source.text(of: range.start.span), range.start.span))
        pieces.append(.keyword("-", glued: true))
        pieces.append(.node(writer.source.text(of: range.end.span), range.end.span, glued: true))
      }
    }
    switch d.except {
    case .named(let id)?:
      pieces.append(.keyword("except"))
      pieces.append(namePiece(id))
    case .dates(let dates, _)?:
      pieces.append(.keyword("except"))
      pieces.append(contentsOf: flatList(dates.map { [.node(writer.source.text(of: $0.span), $0.span)] }))
    case nil:
      break
    }
    return pieces
  }

  // MARK: - Declarations that take several lines

  mutating func declaration(_ declaration: Declaration) {
    switch declaration {
    case .policy(let header): policyHeader(header)
    case .rule(let rule): self.rule(rule, indent: 0)
    case .test(let test): self.test(test, indent: 0)
    case .terms(let d):
      var head = prefix(d.mode, "terms", d.name)
      head.append(d.title.map { [stringPiece($0)] } ?? [])
      head.append([.keyword(d.mode == .extend ? "+=" : "=")])
      switch d.source {
      case .file(let path):
        lineWithBreaks(head.flatMap { $0 } + [.keyword("file"), stringPiece(path)], indent: 0)
      case .inline(let entries, let span):
        lineWithBreaks(head.flatMap { $0 }, indent: 0)
        verticalList(entries.map(termPieces), span: span, indent: 0)
      }
    case .domains(let d):
      var head = prefix(d.mode, "domains", d.name)
      head.append([.keyword(d.mode == .extend ? "+=" : "=")])
      lineWithBreaks(head.flatMap { $0 }, indent: 0)
      verticalList(
        d.domains.map { [stringPiece($0)] }, span: listSpan(from: d.name.span, to: d.span), indent: 0)
    case .dates(let d):
      lineWithBreaks(prefix(d.mode, "dates", d.name).flatMap { $0 } + [.keyword("=")], indent: 0)
      verticalList(
        d.dates.map { [.node(writer.source.text(of: $0.span), $0.span)] },
        span: listSpan(from: d.name.span, to: d.span), indent: 0)
    default:
      // One-line declarations with a comment inside: written on one line, the comments breaking it.
      let pieces = cellsIgnoringComments(declaration)
      lineWithBreaks(pieces, indent: 0)
    }
  }

  /// The pieces of a one-line declaration even when comments are inside it.
  func cellsIgnoringComments(_ declaration: Declaration) -> [Piece] {
    (cells(declaration, allowComments: true) ?? []).flatMap { $0 }
  }

  /// Writes pieces on the current line; a comment among them breaks the line (continuing 4 deeper).
  mutating func lineWithBreaks(_ pieces: [Piece], indent: Int) {
    let saved = writer.continuation
    writer.continuation = indent + 4
    write(pieces)
    writer.continuation = saved
  }

  /// `[` newline, one entry a line with a trailing comma, `]` on its own line.
  mutating func verticalList(_ entries: [[Piece]], span: SourceSpan, indent: Int) {
    word("[")
    let inner = indent + Self.indentStep
    let close = lastToken(in: span).flatMap { writer.tokens[$0].kind == .rightBracket ? $0 : nil }
    let saved = writer.continuation
    writer.continuation = inner + 4
    if !entries.isEmpty { writer.newline(indent: inner, blank: .never) }
    for (i, entry) in entries.enumerated() {
      if i > 0 { writer.newline(indent: inner, blank: .preserve) }
      write(entry)
      word(",", glued: true)
    }
    writer.continuation = saved
    if let close {
      writer.newline(indent: inner, blank: .preserve)
      writer.flushComments(before: Int(writer.tokens[close].span.start))
    }
    if entries.isEmpty {
      writer.write("]", token: close, glued: true)
    } else {
      writer.setNewline(indent: indent, blank: .never)
      writer.write("]", token: close)
    }
    moveCursor(past: span)
  }

  // MARK: - Header

  /// `policy NAME "TITLE" {` with its fields, keywords padded so that values line up.
  mutating func policyHeader(_ header: PolicyHeader) {
    word("policy")
    name(header.name)
    if let title = header.title { string(title) }
    var fields: [(start: UInt32, keyword: String, pieces: [Piece])] = []
    if let source = header.source {
      var pieces = [stringPiece(source)]
      if let date = header.sourceDate {
        pieces += [.keyword("dated"), .node(writer.source.text(of: date.span), date.span)]
      }
      fields.append((source.span.start, "source", pieces))
    }
    if let zone = header.zone {
      let written = writer.source.text(of: zone.span)
      let text = written.hasPrefix("\"") ? StringLiteralSpelling.quoted(zone.name) : written
      fields.append((zone.span.start, "zone", [.node(text, zone.span)]))
    }
    if let first = header.normalize.first {
      fields.append((first.span.start, "normalize", header.normalize.map { .node($0.name, $0.span) }))
    }
    fields.sort { $0.start < $1.start }
    let width = fields.map(\.keyword.count).max() ?? 0
    block(indent: 0, span: header.span, isEmpty: fields.isEmpty) { printer, inner in
      for (i, field) in fields.enumerated() {
        if i > 0 { printer.writer.newline(indent: inner, blank: .preserve) }
        printer.writer.continuation = inner + 4
        printer.word(field.keyword)
        printer.writer.pad(to: inner + width + 1)
        printer.write(field.pieces)
      }
    }
  }
}
