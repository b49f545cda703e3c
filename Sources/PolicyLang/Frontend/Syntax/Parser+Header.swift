// Header, imports and the clause catalog (Grammar.md section 2).

import PolicyLangCore

extension Parser {
  /// ```ebnf
  /// PolicyHeader = "policy" Ident [ String ] "{" { HeaderField } "}" .
  /// ```
  /// Recovery inside the block: `}` or the next header field at the start of a line.
  mutating func parsePolicyHeader() -> PolicyHeader? {
    let start = currentStart
    advance()  // policy
    guard let name = expectName() else { return nil }
    let title = eat(.string).map(stringLiteral)
    guard let open = expectBlockOpen() else { return nil }
    var header = PolicyHeader(
      name: name, title: title, source: nil, sourceDate: nil, zone: nil, normalize: [],
      span: span(from: start))
    var seen: [Keyword: SourceSpan] = [:]
    var progress = Progress()
    while !at(.rightBrace) {
      if atEOF || endsBlock(current, in: .header) {
        reportUnclosed(open, what: LocalizedText("the policy header", zh: "策略头部"))
        header.span = span(from: start)
        return header
      }
      if !progress.advanced(self) { advance() }
      if !parseHeaderField(into: &header, seen: &seen) { synchronize(.header) }
    }
    advance()  // }
    header.span = span(from: start)
    return header
  }

  /// ```ebnf
  /// HeaderField  = "source" String [ "dated" Date ]
  ///              | "zone" ZoneName
  ///              | "normalize" NormOption { NormOption } .
  /// NormOption   = "all" | "none" | "nfkc" | "casefold" | "simplified" | "separators" | "digits" .
  /// ```
  /// Returns false (having reported) when the field could not be read.
  mutating func parseHeaderField(
    into header: inout PolicyHeader, seen: inout [Keyword: SourceSpan]
  ) -> Bool {
    guard current.kind == .identifier, let keyword = current.keyword,
      [.source, .zone, .normalize].contains(keyword)
    else {
      errorExpected(["source", "zone", "normalize", "}"].map(Self.quoted))
      return false
    }
    let fieldToken = advance()
    if seen[keyword] != nil {
      error(
        .duplicateItem,
        LocalizedText(
          "the policy header gives `\(keyword.spelling)` twice",
          zh: "策略头部两次给出 `\(keyword.spelling)`"),
        at: fieldToken.span)
    }
    seen[keyword] = fieldToken.span
    skipMisplacedEqual(after: fieldToken)
    switch keyword {
    case .source:
      guard let path = expect(.string) else { return false }
      header.source = stringLiteral(path)
      if eat(.dated) != nil {
        guard let date = expect(.date) else { return false }
        header.sourceDate = dateLiteral(date)
      }
    case .zone:
      guard let zone = parseZoneName() else { return false }
      header.zone = zone
    default:
      guard let options = parseNormalizeOptions() else { return false }
      header.normalize = options
    }
    return true
  }

  /// ```ebnf
  /// ZoneName     = String | ZoneWord .
  /// ```
  /// A `ZoneWord` is written without spaces: names, clause-id-like parts, digits, `-` and `/`
  /// (`Asia/Shanghai`, `America/Port-au-Prince`, `Etc/GMT-8`).
  mutating func parseZoneName() -> ZoneName? {
    if let string = eat(.string) { return ZoneName(stringValue(string), span: string.span) }
    guard current.kind == .identifier || current.kind == .clauseID else {
      errorExpected([LocalizedText("a zone name such as `Asia/Shanghai`", zh: "时区名(如 `Asia/Shanghai`)")])
      return nil
    }
    let start = currentStart
    advance()
    let joinable: Set<TokenKind> = [.identifier, .clauseID, .integer, .minus, .slash]
    while joinable.contains(current.kind) && Int(current.span.start) == previousEnd {
      advance()
    }
    let zoneSpan = span(from: start)
    return ZoneName(source.text(of: zoneSpan), span: zoneSpan)
  }

  /// `NormOption { NormOption }`; a word that is not an option is reported as unknown.
  mutating func parseNormalizeOptions() -> [NormalizeOption]? {
    let options: Set<Keyword> = [.all, .none, .nfkc, .casefold, .simplified, .separators, .digits]
    var result: [NormalizeOption] = []
    var words = 0
    while current.kind == .identifier, !current.isReservedKeyword {
      let isField = [.source, .zone, .normalize].contains(current.keyword ?? .override)
      if isField && current.isAtLineStart { break }
      let token = advance()
      words += 1
      if let keyword = token.keyword, options.contains(keyword) {
        result.append(NormalizeOption(keyword.spelling, span: token.span))
      } else {
        error(
          .unknownWord,
          LocalizedText(
            "unknown normalization option `\(text(token))`", zh: "未知的规范化选项 `\(text(token))`"),
          at: token.span,
          help: LocalizedText(
            "options are `all`, `none`, `nfkc`, `casefold`, `simplified`, `separators`, `digits`",
            zh: "可用选项:`all`、`none`、`nfkc`、`casefold`、`simplified`、`separators`、`digits`"))
      }
    }
    if words == 0 {
      errorExpected([LocalizedText("a normalization option such as `all`", zh: "规范化选项(如 `all`)")])
      return nil
    }
    return result
  }

  /// ```ebnf
  /// Import = "import" String .
  /// ```
  mutating func parseImport() -> ImportDecl? {
    let start = currentStart
    advance()  // import
    guard let path = expect(.string) else { return nil }
    return ImportDecl(path: stringLiteral(path), span: span(from: start))
  }

  /// ```ebnf
  /// ClauseDecl = "clause" ClauseId String ClauseKind .
  /// ClauseKind = "content" | "timeline" | "aggregate" | "sanction" | "manual" | "definition"
  ///            | "informational" .
  /// ```
  /// A missing or unknown kind is reported and the declaration kept with `kind == nil`.
  mutating func parseClauseDecl() -> ClauseDecl? {
    let start = currentStart
    advance()  // clause
    guard let id = expectClauseID() else { return nil }
    guard let title = expect(.string) else { return nil }
    let kindHelp = LocalizedText(
      "clause kinds are `content`, `timeline`, `aggregate`, `sanction`, `manual`, `definition`, "
        + "`informational`",
      zh: "条款类别:`content`、`timeline`、`aggregate`、`sanction`、`manual`、`definition`、"
        + "`informational`")
    var kind: ClauseKind?
    var kindSpan = SourceSpan(file: source.id, start: previousEnd, end: previousEnd)
    if current.kind == .identifier && !current.isReservedKeyword && !current.isAtLineStart {
      let token = advance()
      kindSpan = token.span
      kind = ClauseKind(rawValue: text(token))
      if kind == nil {
        error(
          .unknownWord,
          LocalizedText("unknown clause kind `\(text(token))`", zh: "未知的条款类别 `\(text(token))`"),
          at: token.span, help: kindHelp)
      }
    } else {
      errorExpected(
        [LocalizedText("a clause kind (`content`, `timeline`, ...)", zh: "条款类别(`content`、`timeline` 等)")],
        code: .unknownWord, help: kindHelp)
    }
    return ClauseDecl(
      id: id, title: stringLiteral(title), kind: kind, kindSpan: kindSpan, span: span(from: start))
  }
}
