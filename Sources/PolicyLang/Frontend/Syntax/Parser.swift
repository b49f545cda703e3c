// The recursive-descent parser (Grammar.md sections 2-4), in the manner of Go's go/parser and
// YARA-X's parser: one function per production, the production's EBNF in its doc comment, one
// error policy (`report`), and recovery that synchronises at the next declaration keyword at top
// level and at `}` or the next item keyword inside blocks. The parser never throws: it always
// returns a tree (with the parts it could read) and the diagnostics found on the way.

import PolicyLangCore

/// The result of parsing one file: the tree (always produced, with error recovery) and the
/// diagnostics found on the way, lexical ones included, sorted by position.
public struct ParseResult: Sendable {
  public var file: PolicyFile
  public var diagnostics: Diagnostics
  public init(file: PolicyFile, diagnostics: Diagnostics) {
    self.file = file
    self.diagnostics = diagnostics
  }
}

/// Parses a `.policy` file into a `PolicyFile`.
///
/// ```swift
/// let result = Parser.parse(source)
/// if result.diagnostics.hasErrors { ... }
/// ```
public struct Parser: Sendable {
  /// How deep parentheses and `not` may nest in a condition.
  public static let maxNestingDepth = 64
  /// Syntax errors beyond this many are not reported (lexical errors are capped by `Diagnostics`).
  public static let maxSyntaxErrors = 20

  /// Parses one file. Never fails: errors are diagnostics, and the tree holds what could be read.
  public static func parse(_ source: SourceFile) -> ParseResult {
    var parser = Parser(source)
    let file = parser.parseFile()
    var diagnostics = parser.lexicalDiagnostics
    diagnostics.append(contentsOf: parser.diagnostics)
    diagnostics.sort()
    return ParseResult(file: file, diagnostics: diagnostics)
  }

  let source: SourceFile
  let tokens: [Token]
  /// Index of the current token; never past the final `.eof`.
  private(set) var position = 0
  /// End offset of the last token consumed: where the node being built ends.
  private(set) var previousEnd: Int
  var lexicalDiagnostics: Diagnostics
  var diagnostics = Diagnostics()
  /// Lines that already carry an error: at most one error per line.
  private var errorLines: Set<Int> = []
  private var syntaxErrorCount = 0
  /// What was tried, and not found, at the current token: "expected `a` or `b`, found `c`".
  private var tried: [LocalizedText] = []
  /// Current nesting of parentheses and `not` in conditions.
  var nesting = 0

  init(_ source: SourceFile) {
    self.source = source
    let lexed = Lexer.tokenize(source)
    self.tokens = lexed.tokens
    self.lexicalDiagnostics = lexed.diagnostics
    self.previousEnd = tokens.first?.span.start.asInt ?? 0
    for diagnostic in lexed.diagnostics {
      if let span = diagnostic.span { errorLines.insert(source.lineIndex(of: Int(span.start))) }
    }
  }

  // MARK: - Tokens

  /// The current token.
  var current: Token { tokens[position] }

  /// The token `offset` places ahead (the final `.eof` past the end).
  func peek(_ offset: Int = 1) -> Token {
    let i = position + offset
    return i < tokens.count ? tokens[i] : tokens[tokens.count - 1]
  }

  var atEOF: Bool { current.kind == .eof }

  /// Consumes the current token (never the final `.eof`) and returns it.
  @discardableResult
  mutating func advance() -> Token {
    let token = current
    if token.kind != .eof {
      position += 1
      previousEnd = Int(token.span.end)
      tried.removeAll(keepingCapacity: true)
    }
    return token
  }

  /// True when the current token is the keyword (reserved or contextual).
  func at(_ keyword: Keyword) -> Bool { current.kind == .identifier && current.keyword == keyword }

  func at(_ kind: TokenKind) -> Bool { current.kind == kind }

  /// Consumes the keyword if it is next; otherwise remembers it as an alternative tried.
  mutating func eat(_ keyword: Keyword) -> Token? {
    if at(keyword) { return advance() }
    tried.append(Self.quoted(keyword.spelling))
    return nil
  }

  /// Consumes a token of the kind if it is next; otherwise remembers it as an alternative tried.
  mutating func eat(_ kind: TokenKind) -> Token? {
    if at(kind) { return advance() }
    tried.append(Self.expectedName(kind))
    return nil
  }

  /// Consumes the keyword, or reports "expected `keyword`, found ...".
  mutating func expect(_ keyword: Keyword, help: LocalizedText? = nil) -> Token? {
    if let token = eat(keyword) { return token }
    errorExpected(help: help)
    return nil
  }

  /// Consumes a token of the kind, or reports "expected ..., found ...".
  mutating func expect(_ kind: TokenKind, help: LocalizedText? = nil) -> Token? {
    if let token = eat(kind) { return token }
    errorExpected(help: help)
    return nil
  }

  /// The `{` that opens a block. When it is missing but the block's first item starts the next
  /// line, the error is reported (unless an unterminated string swallowed the `{`, which the lexer
  /// has reported) and the block is read as if the `{` were there.
  mutating func expectBlockOpen() -> Token? {
    if let open = eat(.leftBrace) { return open }
    guard current.isAtLineStart else {
      errorExpected()
      return nil
    }
    let previous = position > 0 ? tokens[position - 1] : current
    let unterminated =
      previous.kind == .string
      && lexicalDiagnostics.items.contains { $0.code == .unterminatedString && $0.span == previous.span }
    if !unterminated { errorExpected() }
    return Token(kind: .leftBrace, span: SourceSpan(file: source.id, start: previousEnd, end: previousEnd))
  }

  /// The span from `start` to the end of the last consumed token.
  func span(from start: Int) -> SourceSpan {
    SourceSpan(file: source.id, start: start, end: max(start, previousEnd))
  }

  /// The start offset of the current token.
  var currentStart: Int { Int(current.span.start) }

  func text(_ token: Token) -> String { source.text(of: token.span) }

  // MARK: - Errors

  /// The one place errors are recorded: at most one per line, at most `maxSyntaxErrors`, and none
  /// at an invalid token (the lexer has already explained it).
  mutating func report(_ diagnostic: Diagnostic) {
    guard let span = diagnostic.span else {
      diagnostics.append(diagnostic)
      return
    }
    if current.kind == .invalid && span == current.span { return }
    let line = source.lineIndex(of: Int(span.start))
    guard errorLines.insert(line).inserted else { return }
    syntaxErrorCount += 1
    guard syntaxErrorCount <= Self.maxSyntaxErrors else { return }
    diagnostics.append(diagnostic)
  }

  /// Reports `code` with `message` at `span`.
  mutating func error(
    _ code: DiagnosticCode, _ message: LocalizedText, at span: SourceSpan,
    help: LocalizedText? = nil
  ) {
    report(Diagnostic(code, message, at: span, help: help))
  }

  /// Reports "expected `a`, `b` or `c`, found `d`" at the current token, listing every alternative
  /// tried at this token and then `alternatives`.
  mutating func errorExpected(
    _ alternatives: [LocalizedText] = [], code: DiagnosticCode = .unexpectedToken,
    help: LocalizedText? = nil, label: DiagnosticLabel? = nil
  ) {
    var all: [LocalizedText] = []
    for alternative in tried + alternatives where !all.contains(alternative) {
      all.append(alternative)
    }
    let found = describe(current)
    let message = LocalizedText(
      "expected \(Self.join(all.map(\.english), or: "or", comma: ", ")), found \(found.english)",
      zh: "应为 \(Self.join(all.map(\.chinese), or: "或", comma: "、")),实际为 \(found.chinese)")
    var diagnostic = Diagnostic(code, message, at: current.span, help: help)
    if let label { diagnostic.labels.append(label) }
    report(diagnostic)
  }

  /// How a message names a token.
  func describe(_ token: Token) -> LocalizedText {
    switch token.kind {
    case .eof: return LocalizedText("end of file", zh: "文件结尾")
    case .string:
      var shown = text(token)
      if shown.count > 24 { shown = String(shown.prefix(20)) + "…\"" }
      return LocalizedText("string \(shown)", zh: "字符串 \(shown)")
    case .identifier where token.isReservedKeyword:
      return LocalizedText("keyword `\(text(token))`", zh: "关键字 `\(text(token))`")
    default:
      var shown = text(token)
      if shown.count > 24 { shown = String(shown.prefix(20)) + "…" }
      return LocalizedText("`\(shown)`", zh: "`\(shown)`")
    }
  }

  static func quoted(_ text: String) -> LocalizedText { LocalizedText("`\(text)`", zh: "`\(text)`") }

  static func expectedName(_ kind: TokenKind) -> LocalizedText {
    switch kind {
    case .identifier: return LocalizedText("a name", zh: "名称")
    case .clauseID: return LocalizedText("a clause id such as `AE-1.2.1`", zh: "条款编号(如 `AE-1.2.1`)")
    case .integer: return LocalizedText("an integer", zh: "整数")
    case .duration: return LocalizedText("a duration", zh: "时长")
    case .percent: return LocalizedText("a percent", zh: "百分比")
    case .timeOfDay: return LocalizedText("a time such as `08:00`", zh: "时刻(如 `08:00`)")
    case .date: return LocalizedText("a date such as `2026-10-01`", zh: "日期(如 `2026-10-01`)")
    case .string: return LocalizedText("a string", zh: "字符串")
    default: return quoted(kind.punctuation ?? kind.description)
    }
  }

  static let aValue = LocalizedText("a value", zh: "值")

  /// `a`, `a or b`, `a, b or c`.
  static func join(_ items: [String], or: String, comma: String) -> String {
    guard let last = items.last else { return "" }
    if items.count == 1 { return last }
    return items.dropLast().joined(separator: comma) + " \(or) " + last
  }

  // MARK: - Recovery

  /// Where the parser is, which decides where recovery stops.
  enum RecoveryContext {
    case topLevel, header, rule, test
  }

  /// True for a reserved keyword that starts a declaration other than a rule item.
  var atDeclarationStart: Bool { current.isReservedKeyword }

  /// Skips tokens until a point where parsing can resume in `context`: a declaration keyword at
  /// top level; `}` (of this block) or an item keyword at the start of a line inside blocks. Nested
  /// braces are skipped whole. Always stops at the end of the file.
  mutating func synchronize(_ context: RecoveryContext) {
    var braces = 0
    while !atEOF {
      let token = current
      switch token.kind {
      case .leftBrace:
        braces += 1
      case .rightBrace:
        if braces == 0 && context != .topLevel { return }
        braces = max(0, braces - 1)
      case .identifier:
        if context == .topLevel {
          if token.isReservedKeyword && braces == 0 { return }
          if token.isReservedKeyword && token.isAtLineStart { return }
        } else if token.isAtLineStart && (braces == 0 || token.isReservedKeyword) {
          if isItemStart(token, in: context) || endsBlock(token, in: context) { return }
        }
      default:
        break
      }
      advance()
    }
  }

  /// True for a token that starts an item of the block.
  func isItemStart(_ token: Token, in context: RecoveryContext) -> Bool {
    guard token.kind == .identifier, let keyword = token.keyword else { return false }
    switch context {
    case .topLevel: return keyword.isReserved
    case .header: return [.source, .zone, .normalize].contains(keyword)
    case .rule: return Self.ruleItemKeywords.contains(keyword)
    case .test: return Self.testItemKeywords.contains(keyword)
    }
  }

  /// True for a reserved keyword that cannot occur in the block, so the block must have ended.
  func endsBlock(_ token: Token, in context: RecoveryContext) -> Bool {
    guard token.isReservedKeyword, let keyword = token.keyword else { return false }
    switch context {
    case .topLevel: return false
    case .header: return true
    case .rule: return !Self.ruleItemKeywords.contains(keyword)
    case .test: return true
    }
  }

  static let ruleItemKeywords: Set<Keyword> = [.clause, .severity, .when, .every, .rate, .manual, .test]
  static let testItemKeywords: Set<Keyword> = [
    .buyer, .seller, .platform, .system, .event, .expect, .as,
  ]

  /// Reports a block that reached the end of the file or the next declaration without its `}`.
  mutating func reportUnclosed(_ open: Token, what: LocalizedText) {
    report(
      Diagnostic(
        .unclosedDelimiter,
        LocalizedText(
          "expected `}` to close \(what.english), found \(describe(current).english)",
          zh: "应为 `}` 以闭合\(what.chinese),实际为 \(describe(current).chinese)"),
        at: current.span,
        labels: [
          DiagnosticLabel(open.span, LocalizedText("this `{` is not closed", zh: "这个 `{` 没有闭合"))
        ]))
  }

  /// Loop guard in the manner of swift-syntax's `LoopProgressCondition`: every iteration of a
  /// parsing loop must consume a token, or the loop stops.
  struct Progress {
    private var last = -1
    /// True when the parser moved since the last call.
    mutating func advanced(_ parser: Parser) -> Bool {
      defer { last = parser.position }
      return parser.position > last
    }
  }

  // MARK: - File

  /// ```ebnf
  /// File        = { Declaration } EOF .
  /// ```
  /// Recovery: the next reserved declaration keyword.
  mutating func parseFile() -> PolicyFile {
    var declarations: [Declaration] = []
    var progress = Progress()
    while !atEOF {
      if !progress.advanced(self) { advance() }
      if let declaration = parseDeclaration() {
        declarations.append(declaration)
      } else {
        synchronize(.topLevel)
      }
    }
    let end = source.bytes.count
    return PolicyFile(
      file: source.id, declarations: declarations,
      span: SourceSpan(file: source.id, start: 0, end: end))
  }

  /// ```ebnf
  /// Declaration = PolicyHeader | Import | ClauseDecl | TermsDecl | DomainsDecl | ConstDecl
  ///             | HoursDecl | DatesDecl | SeverityDecl | EscalateDecl | RuleDecl | TestDecl .
  /// ```
  /// Returns `nil` (having reported) when no declaration could be read; the caller synchronises.
  mutating func parseDeclaration() -> Declaration? {
    let start = currentStart
    var overrideToken: Token?
    if at(.override) {
      overrideToken = advance()
      let overridable: Set<Keyword> = [.terms, .domains, .const, .hours, .dates, .rule]
      if current.kind != .identifier || !overridable.contains(current.keyword ?? .override) {
        if current.isReservedKeyword, let token = overrideToken {
          error(
            .invalidOverride,
            LocalizedText(
              "`override` cannot stand before `\(text(current))`",
              zh: "`override` 不能用于 `\(text(current))`"),
            at: token.span.to(current.span),
            help: LocalizedText(
              "only `const`, `terms`, `domains`, `hours`, `dates` and `rule` can be overridden",
              zh: "只有 `const`、`terms`、`domains`、`hours`、`dates` 和 `rule` 可以被覆盖"))
          overrideToken = nil
        } else {
          errorExpected(
            ["const", "terms", "domains", "hours", "dates", "rule"].map(Self.quoted))
          return nil
        }
      }
    }
    let isOverride = overrideToken != nil
    guard current.kind == .identifier, let keyword = current.keyword, keyword.isReserved else {
      let help: LocalizedText? =
        Self.ruleItemKeywords.contains(current.keyword ?? .override) && current.kind == .identifier
        ? LocalizedText(
          "rule lines go inside a rule: `rule NAME \"title\" { ... }`",
          zh: "规则内容要写在规则之中:`rule NAME \"标题\" { ... }`")
        : nil
      errorExpected(
        [
          LocalizedText(
            "a declaration (`rule`, `terms`, `const`, `clause`, ...)",
            zh: "声明(`rule`、`terms`、`const`、`clause` 等)")
        ],
        help: help)
      return nil
    }
    switch keyword {
    case .policy: return parsePolicyHeader().map(Declaration.policy)
    case .import: return parseImport().map(Declaration.import)
    case .clause: return parseClauseDecl().map(Declaration.clause)
    case .terms: return parseTermsDecl(isOverride: isOverride, start: start).map(Declaration.terms)
    case .domains:
      return parseDomainsDecl(isOverride: isOverride, start: start).map(Declaration.domains)
    case .const: return parseConstDecl(isOverride: isOverride, start: start).map(Declaration.constant)
    case .hours: return parseHoursDecl(isOverride: isOverride, start: start).map(Declaration.hours)
    case .dates: return parseDatesDecl(isOverride: isOverride, start: start).map(Declaration.dates)
    case .severity: return parseSeverityDecl().map(Declaration.severity)
    case .escalate: return parseEscalateDecl().map(Declaration.escalation)
    case .rule: return parseRuleDecl(isOverride: isOverride, start: start).map(Declaration.rule)
    case .test: return parseTestDecl().map(Declaration.test)
    case .override:
      errorExpected(["const", "terms", "domains", "hours", "dates", "rule"].map(Self.quoted))
      return nil
    default:
      return nil
    }
  }
}

extension UInt32 {
  fileprivate var asInt: Int { Int(self) }
}
