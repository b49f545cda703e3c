import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Table tests for the lexer: every token kind, decoded values, spans, and errors.
@Suite struct LexerTests {
  /// Lexes `text`; returns the tokens without the final `.eof`, and the diagnostics.
  static func lex(_ text: String, keepComments: Bool = false) -> ([Token], Diagnostics) {
    lexBytes(Array(text.utf8), keepComments: keepComments)
  }

  static func lexBytes(_ bytes: [UInt8], keepComments: Bool = false) -> ([Token], Diagnostics) {
    let file = SourceFile(id: FileID(0), name: "t", bytes: bytes)
    let (tokens, diagnostics) = Lexer.tokenize(file, keepComments: keepComments)
    #expect(tokens.last?.kind == .eof)
    return (Array(tokens.dropLast()), diagnostics)
  }

  struct Case: Sendable, CustomStringConvertible {
    let text: String
    let kind: TokenKind
    let value: TokenValue
    var description: String { text }
  }

  static let singleTokens: [Case] = [
    Case(text: "contact_apps", kind: .identifier, value: .none),
    Case(text: "_x9", kind: .identifier, value: .none),
    Case(text: "Asia", kind: .identifier, value: .none),
    Case(text: "AE-1.2.1", kind: .clauseID, value: .none),
    Case(text: "PDD-2.1", kind: .clauseID, value: .none),
    Case(text: "TB-3", kind: .clauseID, value: .none),
    Case(text: "AMZ-S1", kind: .clauseID, value: .none),
    Case(text: "SEA-2A.B3", kind: .clauseID, value: .none),
    Case(text: "8", kind: .integer, value: .integer(8)),
    Case(text: "100", kind: .integer, value: .integer(100)),
    Case(text: "9223372036854775807", kind: .integer, value: .integer(Int64.max)),
    Case(text: "30s", kind: .duration, value: .duration(seconds: 30)),
    Case(text: "3m", kind: .duration, value: .duration(seconds: 180)),
    Case(text: "1h", kind: .duration, value: .duration(seconds: 3600)),
    Case(text: "24h", kind: .duration, value: .duration(seconds: 86_400)),
    Case(text: "30d", kind: .duration, value: .duration(seconds: 2_592_000)),
    Case(text: "1h30m", kind: .duration, value: .duration(seconds: 5400)),
    Case(text: "1d2h3m4s", kind: .duration, value: .duration(seconds: 93_784)),
    Case(text: "80%", kind: .percent, value: .percent(millionths: 800_000)),
    Case(text: "99.5%", kind: .percent, value: .percent(millionths: 995_000)),
    Case(text: "0.0001%", kind: .percent, value: .percent(millionths: 1)),
    Case(text: "08:00", kind: .timeOfDay, value: .timeOfDay(hour: 8, minute: 0, second: 0)),
    Case(text: "08:00:30", kind: .timeOfDay, value: .timeOfDay(hour: 8, minute: 0, second: 30)),
    Case(text: "24:00", kind: .timeOfDay, value: .timeOfDay(hour: 24, minute: 0, second: 0)),
    Case(text: "25:61", kind: .timeOfDay, value: .timeOfDay(hour: 25, minute: 61, second: 0)),
    Case(text: "2026-10-01", kind: .date, value: .date(year: 2026, month: 10, day: 1)),
    Case(text: "\"加我微信\"", kind: .string, value: .string("加我微信")),
    Case(text: #""a\"b\\c\nd\te""#, kind: .string, value: .string("a\"b\\c\nd\te")),
    Case(text: #""\u{4E2D}\u{1F600}""#, kind: .string, value: .string("中😀")),
    Case(text: "\"\"", kind: .string, value: .string("")),
    Case(text: "{", kind: .leftBrace, value: .none),
    Case(text: "}", kind: .rightBrace, value: .none),
    Case(text: "(", kind: .leftParen, value: .none),
    Case(text: ")", kind: .rightParen, value: .none),
    Case(text: "[", kind: .leftBracket, value: .none),
    Case(text: "]", kind: .rightBracket, value: .none),
    Case(text: ",", kind: .comma, value: .none),
    Case(text: ";", kind: .semicolon, value: .none),
    Case(text: "=", kind: .equal, value: .none),
    Case(text: "==", kind: .equalEqual, value: .none),
    Case(text: "+=", kind: .plusEqual, value: .none),
    Case(text: "-", kind: .minus, value: .none),
    Case(text: "|", kind: .pipe, value: .none),
    Case(text: "/", kind: .slash, value: .none),
  ]

  @Test(arguments: singleTokens)
  func singleToken(_ c: Case) {
    let (tokens, diagnostics) = Self.lex(c.text)
    #expect(diagnostics.isEmpty, "\(diagnostics.items.map(\.message))")
    #expect(tokens.count == 1)
    #expect(tokens.first?.kind == c.kind)
    #expect(tokens.first?.value == c.value)
    #expect(tokens.first?.span == SourceSpan(file: FileID(0), start: 0, end: c.text.utf8.count))
  }

  @Test func keywordsAreClassified() {
    let (tokens, _) = Self.lex("rule message within informational reply_speed")
    #expect(tokens.map(\.keyword) == [.rule, .message, .within, .informational, nil])
    #expect(tokens.map(\.isReservedKeyword) == [true, false, false, false, false])
    #expect(
      Keyword.reserved.map(\.spelling) == [
        "policy", "import", "clause", "terms", "domains", "const", "hours", "dates", "pattern",
        "severity", "escalate", "rule", "test", "override",
      ])
    #expect(Keyword.contextual.contains(.bankCard) && Keyword.bankCard.spelling == "bank_card")
    #expect(Keyword.reserved.count + Keyword.contextual.count == Keyword.allCases.count)
  }

  @Test func sequencesAndAdjacency() {
    let (tokens, diagnostics) = Self.lex("08:00-24:00 mon-fri Asia/Shanghai 12 chars x+=[\"a\"|\"b\"]")
    #expect(diagnostics.isEmpty)
    #expect(
      tokens.map(\.kind) == [
        .timeOfDay, .minus, .timeOfDay, .identifier, .minus, .identifier, .identifier, .slash,
        .identifier, .integer, .identifier, .identifier, .plusEqual, .leftBracket, .string, .pipe,
        .string, .rightBracket,
      ])
  }

  @Test func bomCRLFTabsAndLineStarts() {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a\tb\r\nc\rd\n  e".utf8)
    let (tokens, diagnostics) = Self.lexBytes(bytes)
    #expect(diagnostics.isEmpty)
    #expect(tokens.map(\.span.start) == [3, 5, 8, 10, 14])
    #expect(tokens.map(\.isAtLineStart) == [true, false, true, true, true])
  }

  @Test func commentsAreSkippedOrKept() {
    let text = "a # 来源: 规则\nb#c"
    let (skipped, _) = Self.lex(text)
    #expect(skipped.map(\.kind) == [.identifier, .identifier])
    #expect(skipped.map(\.isAtLineStart) == [true, true])
    let (kept, _) = Self.lex(text, keepComments: true)
    #expect(kept.map(\.kind) == [.identifier, .comment, .identifier, .comment])
    #expect(kept[1].span == SourceSpan(file: FileID(0), start: 2, end: 2 + "# 来源: 规则".utf8.count))
  }

  struct ErrorCase: Sendable, CustomStringConvertible {
    let text: String
    let code: String
    let start: Int
    let end: Int
    var description: String { text }
  }

  static let errors: [ErrorCase] = [
    ErrorCase(text: "x = \"abc", code: "E0103", start: 4, end: 8),
    ErrorCase(text: "\"ab\ncd", code: "E0103", start: 0, end: 3),
    ErrorCase(text: #""a\qb""#, code: "E0104", start: 2, end: 4),
    ErrorCase(text: #""\u{D800}""#, code: "E0104", start: 1, end: 9),
    ErrorCase(text: #""\u{}""#, code: "E0104", start: 1, end: 5),
    ErrorCase(text: "99999999999999999999", code: "E0105", start: 0, end: 20),
    ErrorCase(text: "9999999999999999999d", code: "E0105", start: 0, end: 20),
    ErrorCase(text: "10x", code: "E0106", start: 2, end: 3),
    ErrorCase(text: "30min", code: "E0106", start: 2, end: 5),
    ErrorCase(text: "8:00", code: "E0107", start: 0, end: 4),
    ErrorCase(text: "08:0", code: "E0107", start: 0, end: 4),
    ErrorCase(text: "30m1h", code: "E0108", start: 0, end: 5),
    ErrorCase(text: "1h1h", code: "E0108", start: 0, end: 4),
    ErrorCase(text: "1h30", code: "E0108", start: 2, end: 4),
    ErrorCase(text: "2026-1-01", code: "E0109", start: 0, end: 9),
    ErrorCase(text: "2026-10", code: "E0109", start: 0, end: 7),
    ErrorCase(text: "0.8", code: "E0110", start: 0, end: 3),
    ErrorCase(text: "1.23456%", code: "E0110", start: 0, end: 8),
    ErrorCase(text: "a ， b", code: "E0102", start: 2, end: 5),
    ErrorCase(text: "a @! b", code: "E0102", start: 2, end: 4),
    ErrorCase(text: "微信", code: "E0102", start: 0, end: 6),
  ]

  @Test(arguments: errors)
  func lexicalError(_ c: ErrorCase) {
    let (tokens, diagnostics) = Self.lex(c.text)
    #expect(diagnostics.count == 1)
    let d = diagnostics.items.first
    #expect(d?.code.id == c.code)
    #expect(d?.span == SourceSpan(file: FileID(0), start: c.start, end: c.end))
    #expect(d?.message.chinese.isEmpty == false)
    #expect(!tokens.isEmpty)
  }

  @Test func oneDigitHourSuggestsPadding() {
    let (_, diagnostics) = Self.lex("8:00")
    #expect(diagnostics.items.first?.help?.english == "write `08:00`")
  }

  @Test func invalidUTF8IsReportedAndLexingGoesOn() {
    let (tokens, diagnostics) = Self.lexBytes([0x61, 0x20, 0xFF, 0xFE, 0x20, 0x62, 0x20, 0x22, 0xC3, 0x22])
    #expect(diagnostics.items.map(\.code.id) == ["E0101", "E0101"])
    #expect(tokens.map(\.kind) == [.identifier, .invalid, .identifier, .string])
    #expect(tokens.last?.value == .string("\u{FFFD}"))
  }

  @Test func fullWidthPunctuationGetsAHelp() {
    let (_, diagnostics) = Self.lex("[\"a\"，\"b\"]")
    #expect(diagnostics.items.first?.help?.english.contains("ASCII `,`") == true)
  }

  @Test func afterAnErrorLexingContinues() {
    let (tokens, diagnostics) = Self.lex("const x = 30min\nconst y = 5")
    #expect(diagnostics.count == 1)
    #expect(tokens.map(\.kind).suffix(4) == [.identifier, .identifier, .equal, .integer])
  }

  @Test func hugeInputsLexInOnePass() {
    // A 10 MB line: one long string, then a long run of stray characters, then a long identifier.
    let size = 10_000_000
    var bytes: [UInt8] = [0x22]
    bytes += [UInt8](repeating: 0x61, count: size)
    bytes += [0x22, 0x20]
    bytes += [UInt8](repeating: 0x40, count: 1000)
    let (tokens, diagnostics) = Self.lexBytes(bytes)
    #expect(tokens.count == 2)
    #expect(diagnostics.count == 1)
  }
}
