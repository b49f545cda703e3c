// The lexer: UTF-8 bytes in, tokens out (Grammar.md section 1). One pass over `[UInt8]` with an
// index, in the manner of Go's go/scanner: every byte is looked at a bounded number of times, so
// a 10 MB line lexes in linear time. Errors are reported as E01xx diagnostics and lexing goes on.

import PolicyLangCore

/// Turns the bytes of one source file into tokens.
///
/// ```swift
/// var lexer = Lexer(file)
/// while true {
///   let token = lexer.next()
///   if token.kind == .eof { break }
/// }
/// ```
public struct Lexer: Sendable {
  /// The file being read.
  public let file: SourceFile
  /// Whether `#` comments are returned as `.comment` tokens (the formatter keeps them as trivia).
  public let keepComments: Bool
  /// The lexical errors found so far.
  public private(set) var diagnostics = Diagnostics()

  private let bytes: [UInt8]
  private var index: Int
  private var atLineStart = true

  /// Starts lexing `file`, skipping a UTF-8 byte order mark.
  public init(_ file: SourceFile, keepComments: Bool = false) {
    self.file = file
    self.keepComments = keepComments
    self.bytes = file.bytes
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    self.index = file.bytes.starts(with: bom) ? 3 : 0
  }

  /// Lexes a whole file; the last token is `.eof`.
  public static func tokenize(
    _ file: SourceFile, keepComments: Bool = false
  ) -> (tokens: [Token], diagnostics: Diagnostics) {
    var lexer = Lexer(file, keepComments: keepComments)
    var tokens: [Token] = []
    while true {
      let token = lexer.next()
      tokens.append(token)
      if token.kind == .eof { break }
    }
    return (tokens, lexer.diagnostics)
  }

  /// The next token; `.eof` at the end, and again on every later call.
  public mutating func next() -> Token {
    while true {
      skipWhitespace()
      let start = index
      let lineStart = atLineStart
      guard let byte = peek(0) else {
        return Token(kind: .eof, span: span(start, start), isAtLineStart: lineStart)
      }
      atLineStart = false
      var token: Token
      switch byte {
      case UInt8(ascii: "#"):
        while let b = peek(0), b != 0x0A, b != 0x0D { index += 1 }
        if !keepComments {
          atLineStart = lineStart
          continue
        }
        token = Token(kind: .comment, span: span(start, index))
      case UInt8(ascii: "\""):
        token = lexString()
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        token = lexNumber()
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "_"):
        token = lexWord()
      default:
        token = lexPunctuation(byte)
      }
      token.isAtLineStart = lineStart
      return token
    }
  }

  // MARK: - Helpers

  private func peek(_ offset: Int) -> UInt8? {
    let i = index + offset
    return i < bytes.count ? bytes[i] : nil
  }

  private func span(_ start: Int, _ end: Int) -> SourceSpan {
    SourceSpan(file: file.id, start: start, end: end)
  }

  private mutating func report(
    _ code: DiagnosticCode, _ message: LocalizedText, _ start: Int, _ end: Int,
    help: LocalizedText? = nil
  ) {
    diagnostics.append(Diagnostic(code, message, at: span(start, end), help: help))
  }

  private mutating func skipWhitespace() {
    while let b = peek(0) {
      switch b {
      case 0x20, 0x09: index += 1
      case 0x0A, 0x0D:
        index += 1
        atLineStart = true
      default: return
      }
    }
  }

  private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
  private static func isLetter(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F
  }
  private static func isWordByte(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) }

  /// The index after a run of digits starting at `from`.
  private func digitsEnd(from: Int) -> Int {
    var i = from
    while i < bytes.count && Self.isDigit(bytes[i]) { i += 1 }
    return i
  }

  /// The decimal value of `bytes[from..<to]`, or `nil` on overflow.
  private func decimal(_ from: Int, _ to: Int) -> Int64? {
    var value: Int64 = 0
    for i in from..<to {
      let (m, o1) = value.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(Int64(bytes[i] - 0x30))
      if o1 || o2 { return nil }
      value = a
    }
    return value
  }

  /// The length of the valid UTF-8 sequence at `i`, or `nil` when the bytes there are invalid.
  private func scalarLength(at i: Int) -> Int? {
    let n = bytes.count
    let b0 = bytes[i]
    func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
      i + k < n && bytes[i + k] >= lo && bytes[i + k] <= hi
    }
    switch b0 {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: return cont(1) ? 2 : nil
    case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : nil
    case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : nil
    case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : nil
    case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : nil
    case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : nil
    case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : nil
    default: return nil
    }
  }

  // MARK: - Strings

  /// `"` ... `"` with escapes `\" \\ \n \t \u{XXXX}`; no raw line break.
  private mutating func lexString() -> Token {
    let start = index
    index += 1
    var text: [UInt8] = []
    var reportedInvalidUTF8 = false
    while true {
      guard let b = peek(0), b != 0x0A, b != 0x0D else {
        report(
          .unterminatedString, LocalizedText("unterminated string", zh: "字符串未结束"), start, index,
          help: LocalizedText(
            "close the string with `\"` on the same line", zh: "在同一行用 `\"` 结束字符串"))
        break
      }
      if b == UInt8(ascii: "\"") {
        index += 1
        break
      }
      if b == UInt8(ascii: "\\") {
        lexEscape(into: &text)
        continue
      }
      if b < 0x80 {
        text.append(b)
        index += 1
      } else if let length = scalarLength(at: index) {
        text.append(contentsOf: bytes[index..<index + length])
        index += length
      } else {
        if !reportedInvalidUTF8 {
          reportedInvalidUTF8 = true
          report(
            .invalidUTF8, LocalizedText("invalid UTF-8 in string", zh: "字符串中有无效的 UTF-8 编码"),
            index, index + 1,
            help: LocalizedText("save the file as UTF-8", zh: "以 UTF-8 编码保存文件"))
        }
        text.append(contentsOf: [0xEF, 0xBF, 0xBD])
        index += 1
      }
    }
    return Token(
      kind: .string, span: span(start, index), value: .string(String(decoding: text, as: UTF8.self)))
  }

  /// One escape sequence; `index` is at the backslash.
  private mutating func lexEscape(into text: inout [UInt8]) {
    let start = index
    index += 1
    let invalidHelp = LocalizedText(
      "valid escapes are `\\\"` `\\\\` `\\n` `\\t` `\\u{XXXX}`; write `\\\\` for a backslash",
      zh: "合法的转义为 `\\\"` `\\\\` `\\n` `\\t` `\\u{XXXX}`;反斜杠本身写作 `\\\\`")
    guard let b = peek(0), b != 0x0A, b != 0x0D else {
      report(
        .invalidEscape, LocalizedText("invalid escape sequence", zh: "无效的转义序列"), start, index,
        help: invalidHelp)
      return
    }
    switch b {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"):
      text.append(b)
      index += 1
    case UInt8(ascii: "n"):
      text.append(0x0A)
      index += 1
    case UInt8(ascii: "t"):
      text.append(0x09)
      index += 1
    case UInt8(ascii: "u"):
      index += 1
      var value: UInt32 = 0
      var digits = 0
      var valid = peek(0) == UInt8(ascii: "{")
      if valid {
        index += 1
        while let h = peek(0), let v = Self.hexValue(h), digits < 6 {
          value = value * 16 + v
          digits += 1
          index += 1
        }
        let closed = peek(0) == UInt8(ascii: "}")
        if closed { index += 1 }
        valid = digits > 0 && closed
      }
      if valid, let scalar = Unicode.Scalar(value) {
        text.append(contentsOf: Array(String(Character(scalar)).utf8))
      } else {
        report(
          .invalidEscape,
          LocalizedText(
            "invalid Unicode escape: write `\\u{` 1 to 6 hex digits `}` naming a scalar",
            zh: "无效的 Unicode 转义:应写作 `\\u{` 1 到 6 位十六进制 `}`,且是合法的标量"),
          start, index, help: invalidHelp)
      }
    default:
      let length = b < 0x80 ? 1 : (scalarLength(at: index) ?? 1)
      index += length
      // A pattern's escapes (`\d`, `\.`) typed straight into a string: say how a pattern is
      // written, since that is almost always what was meant.
      let escaped = String(decoding: bytes[(start + 1)..<index], as: UTF8.self)
      let help =
        Self.patternEscapes.contains(b)
        ? LocalizedText(
          "a string reads `\\` as one backslash: for the pattern's `\\\(escaped)` write `\\\\\(escaped)`",
          zh: "字符串把 `\\\\` 读作一个反斜杠:模式中的 `\\\(escaped)` 应写作 `\\\\\(escaped)`")
        : invalidHelp
      report(
        .invalidEscape, LocalizedText("invalid escape sequence", zh: "无效的转义序列"), start, index,
        help: help)
    }
  }

  /// The bytes after `\` that are escapes of patterns (Grammar.md 5.2), not of strings.
  private static let patternEscapes: Set<UInt8> = Set(Array("dDwWsSbBpP.()[]{}*+?|^$-/0123456789".utf8))

  private static func hexValue(_ b: UInt8) -> UInt32? {
    switch b {
    case 0x30...0x39: return UInt32(b - 0x30)
    case 0x41...0x46: return UInt32(b - 0x41 + 10)
    case 0x61...0x66: return UInt32(b - 0x61 + 10)
    default: return nil
    }
  }

  // MARK: - Numbers, durations, percents, times, dates

  private mutating func lexNumber() -> Token {
    let start = index
    let end = digitsEnd(from: start)
    let next = end < bytes.count ? bytes[end] : nil
    let after = end + 1 < bytes.count ? bytes[end + 1] : nil
    let nextIsDigit = after.map(Self.isDigit) ?? false
    if next == UInt8(ascii: ":") && nextIsDigit {
      return lexTime(start: start, hourEnd: end)
    }
    if next == UInt8(ascii: "-") && nextIsDigit && end - start == 4 {
      return lexDate(start: start)
    }
    if next == UInt8(ascii: ".") && nextIsDigit {
      return lexDecimal(start: start, integerEnd: end)
    }
    if next == UInt8(ascii: "%") {
      index = end + 1
      guard let value = decimal(start, end), value <= Int64.max / 10_000 else {
        return tooLarge(start)
      }
      return Token(kind: .percent, span: span(start, index), value: .percent(millionths: value * 10_000))
    }
    if let next, Self.isLetter(next) {
      return lexDuration(start: start)
    }
    index = end
    guard let value = decimal(start, end) else { return tooLarge(start) }
    return Token(kind: .integer, span: span(start, index), value: .integer(value))
  }

  private mutating func tooLarge(_ start: Int) -> Token {
    report(
      .numberTooLarge,
      LocalizedText("number too large: it must fit in 64 bits", zh: "数字过大:必须能放入 64 位整数"),
      start, index)
    return Token(kind: .invalid, span: span(start, index))
  }

  /// `99.5%`: at most 4 decimals, and only as a percent.
  private mutating func lexDecimal(start: Int, integerEnd: Int) -> Token {
    let fractionStart = integerEnd + 1
    let fractionEnd = digitsEnd(from: fractionStart)
    index = fractionEnd
    guard peek(0) == UInt8(ascii: "%") else {
      report(
        .malformedPercent,
        LocalizedText("decimal numbers are only allowed as percents", zh: "小数只能用作百分比"),
        start, index,
        help: LocalizedText(
          "write a percent such as `80%`, or a whole number", zh: "写成百分比(如 `80%`)或整数"))
      return Token(kind: .invalid, span: span(start, index))
    }
    index += 1
    let decimals = fractionEnd - fractionStart
    guard decimals <= 4 else {
      report(
        .malformedPercent,
        LocalizedText("a percent has at most 4 decimals", zh: "百分比最多四位小数"), start, index)
      return Token(kind: .invalid, span: span(start, index))
    }
    guard let whole = decimal(start, integerEnd), let fraction = decimal(fractionStart, fractionEnd),
      whole <= Int64.max / 10_000 - 1
    else { return tooLarge(start) }
    var scaledFraction = fraction
    for _ in decimals..<4 { scaledFraction *= 10 }
    return Token(
      kind: .percent, span: span(start, index),
      value: .percent(millionths: whole * 10_000 + scaledFraction))
  }

  /// `HH:MM` or `HH:MM:SS`; fields are two digits, values are the checker's business.
  private mutating func lexTime(start: Int, hourEnd: Int) -> Token {
    var fields = [(start, hourEnd)]
    var i = hourEnd
    while fields.count < 3, i + 1 < bytes.count, bytes[i] == UInt8(ascii: ":"),
      Self.isDigit(bytes[i + 1])
    {
      let end = digitsEnd(from: i + 1)
      fields.append((i + 1, end))
      i = end
    }
    index = i
    let text = file.text(of: span(start, index))
    guard fields.allSatisfy({ $0.1 - $0.0 == 2 }) else {
      let padded = fields.map { field -> String in
        let digits = String(decoding: bytes[field.0..<field.1], as: UTF8.self)
        return digits.count == 1 ? "0" + digits : digits
      }.joined(separator: ":")
      let help =
        fields.allSatisfy({ $0.1 - $0.0 <= 2 })
        ? LocalizedText("write `\(padded)`", zh: "应写作 `\(padded)`")
        : LocalizedText(
          "write the time as `HH:MM` or `HH:MM:SS`", zh: "时刻应写作 `HH:MM` 或 `HH:MM:SS`")
      report(
        .malformedTime,
        LocalizedText(
          "malformed time of day `\(text)`: every field has two digits",
          zh: "时刻 `\(text)` 格式错误:每个字段必须是两位数字"),
        start, index, help: help)
      return Token(kind: .invalid, span: span(start, index))
    }
    let values = fields.map { Int(decimal($0.0, $0.1) ?? 0) }
    return Token(
      kind: .timeOfDay, span: span(start, index),
      value: .timeOfDay(hour: values[0], minute: values[1], second: values.count > 2 ? values[2] : 0))
  }

  /// `YYYY-MM-DD`; `index` is at the first digit of the year, which has 4 digits.
  private mutating func lexDate(start: Int) -> Token {
    let monthStart = start + 5
    let monthEnd = digitsEnd(from: monthStart)
    var dayStart = monthEnd
    var dayEnd = monthEnd
    if monthEnd + 1 < bytes.count && bytes[monthEnd] == UInt8(ascii: "-")
      && Self.isDigit(bytes[monthEnd + 1])
    {
      dayStart = monthEnd + 1
      dayEnd = digitsEnd(from: dayStart)
    }
    index = dayEnd
    guard monthEnd - monthStart == 2, dayEnd - dayStart == 2 else {
      let text = file.text(of: span(start, index))
      report(
        .malformedDate,
        LocalizedText(
          "malformed date `\(text)`: write `YYYY-MM-DD`", zh: "日期 `\(text)` 格式错误:应写作 `YYYY-MM-DD`"),
        start, index,
        help: LocalizedText(
          "pad month and day with a zero, as in `2026-01-05`", zh: "月和日不足两位时补零,如 `2026-01-05`"))
      return Token(kind: .invalid, span: span(start, index))
    }
    let year = Int(decimal(start, start + 4) ?? 0)
    let month = Int(decimal(monthStart, monthEnd) ?? 0)
    let day = Int(decimal(dayStart, dayEnd) ?? 0)
    return Token(kind: .date, span: span(start, index), value: .date(year: year, month: month, day: day))
  }

  /// A number followed by letters: `30s`, `1h30m`; or an error such as `10x`, `30min`, `20chars`.
  private mutating func lexDuration(start: Int) -> Token {
    var end = start
    while end < bytes.count && Self.isWordByte(bytes[end]) { end += 1 }
    index = end
    var total: Int64 = 0
    var lastRank = Int.max
    var i = start
    while i < end {
      let numberEnd = digitsEnd(from: i)
      guard numberEnd < end else {
        report(
          .malformedDuration,
          LocalizedText("this number in a duration has no unit", zh: "时长中的这个数字缺少单位"), i, end,
          help: LocalizedText(
            "every number of a duration takes a unit: `1h30m`", zh: "时长中每个数字都要带单位:`1h30m`"))
        return Token(kind: .invalid, span: span(start, end))
      }
      var unitEnd = numberEnd
      while unitEnd < end && !Self.isDigit(bytes[unitEnd]) { unitEnd += 1 }
      let unit = String(decoding: bytes[numberEnd..<unitEnd], as: UTF8.self)
      guard let (rank, seconds) = Self.durationUnit(unit) else {
        report(
          .unknownUnit,
          LocalizedText(
            "unknown unit `\(unit)`: durations use `d`, `h`, `m` or `s`",
            zh: "未知的单位 `\(unit)`:时长单位为 `d`、`h`、`m` 或 `s`"),
          numberEnd, unitEnd, help: Self.unitHelp(unit, number: file.text(of: span(i, numberEnd))))
        return Token(kind: .invalid, span: span(start, end))
      }
      guard rank < lastRank else {
        report(
          .malformedDuration,
          LocalizedText(
            "duration units must be strictly decreasing (`d`, `h`, `m`, `s`), each at most once",
            zh: "时长单位必须严格递减(`d`、`h`、`m`、`s`),每个最多一次"),
          start, end, help: LocalizedText("write it as `1h30m`", zh: "应写作 `1h30m` 这样的形式"))
        return Token(kind: .invalid, span: span(start, end))
      }
      lastRank = rank
      guard let value = decimal(i, numberEnd) else { return tooLarge(start) }
      let (product, o1) = value.multipliedReportingOverflow(by: seconds)
      let (sum, o2) = total.addingReportingOverflow(product)
      if o1 || o2 { return tooLarge(start) }
      total = sum
      i = unitEnd
    }
    return Token(kind: .duration, span: span(start, end), value: .duration(seconds: total))
  }

  /// A unit's rank (larger first) and its length in seconds.
  private static func durationUnit(_ unit: String) -> (Int, Int64)? {
    switch unit {
    case "d": return (3, 86_400)
    case "h": return (2, 3_600)
    case "m": return (1, 60)
    case "s": return (0, 1)
    default: return nil
    }
  }

  /// A hint for a unit people often write instead of PolicyLang's.
  private static func unitHelp(_ unit: String, number: String) -> LocalizedText {
    let suggestion: String?
    switch unit.lowercased() {
    case "chars", "char", "characters":
      return LocalizedText(
        "a length is written with a space: `\(number) chars`", zh: "字符长度要用空格隔开:`\(number) chars`")
    case "min", "mins", "minute", "minutes": suggestion = "m"
    case "sec", "secs", "second", "seconds": suggestion = "s"
    case "hr", "hrs", "hour", "hours": suggestion = "h"
    case "day", "days": suggestion = "d"
    default: suggestion = nil
    }
    if let suggestion {
      return LocalizedText("write `\(number)\(suggestion)`", zh: "应写作 `\(number)\(suggestion)`")
    }
    return LocalizedText(
      "durations are written like `30s`, `10m`, `24h`, `30d` or `1h30m`",
      zh: "时长写作 `30s`、`10m`、`24h`、`30d` 或 `1h30m` 这样的形式")
  }

  // MARK: - Words and clause ids

  private mutating func lexWord() -> Token {
    let start = index
    var allUpperOrDigit = true
    while let b = peek(0), Self.isWordByte(b) {
      if !((b >= 0x41 && b <= 0x5A) || Self.isDigit(b)) { allUpperOrDigit = false }
      index += 1
    }
    // `AE-1.2.1`, `AMZ-S1`: upper-case letters and digits, `-`, then parts of upper-case letters
    // and digits separated by `.`.
    if allUpperOrDigit, peek(0) == UInt8(ascii: "-"), let d = peek(1), Self.isUpperOrDigit(d) {
      index = upperOrDigitsEnd(from: index + 1)
      while peek(0) == UInt8(ascii: "."), let d = peek(1), Self.isUpperOrDigit(d) {
        index = upperOrDigitsEnd(from: index + 1)
      }
      return Token(kind: .clauseID, span: span(start, index))
    }
    var keyword: Keyword?
    if index - start <= Keyword.longestSpelling {
      keyword = Keyword(spelling: String(decoding: bytes[start..<index], as: UTF8.self))
    }
    return Token(kind: .identifier, span: span(start, index), keyword: keyword)
  }

  private static func isUpperOrDigit(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || isDigit(b)
  }

  /// The end of a run of upper-case letters and digits starting at `from`.
  private func upperOrDigitsEnd(from: Int) -> Int {
    var i = from
    while i < bytes.count, Self.isUpperOrDigit(bytes[i]) { i += 1 }
    return i
  }

  // MARK: - Punctuation and stray characters

  private mutating func lexPunctuation(_ byte: UInt8) -> Token {
    let start = index
    let single: TokenKind?
    switch byte {
    case UInt8(ascii: "{"): single = .leftBrace
    case UInt8(ascii: "}"): single = .rightBrace
    case UInt8(ascii: "("): single = .leftParen
    case UInt8(ascii: ")"): single = .rightParen
    case UInt8(ascii: "["): single = .leftBracket
    case UInt8(ascii: "]"): single = .rightBracket
    case UInt8(ascii: ","): single = .comma
    case UInt8(ascii: ";"): single = .semicolon
    case UInt8(ascii: "|"): single = .pipe
    case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "="):
      index += 2
      return Token(kind: .minusEqual, span: span(start, index))
    case UInt8(ascii: "-"): single = .minus
    case UInt8(ascii: "/"): single = .slash
    case UInt8(ascii: "="):
      if peek(1) == UInt8(ascii: "=") {
        index += 2
        return Token(kind: .equalEqual, span: span(start, index))
      }
      single = .equal
    case UInt8(ascii: "+") where peek(1) == UInt8(ascii: "="):
      index += 2
      return Token(kind: .plusEqual, span: span(start, index))
    default: single = nil
    }
    if let single {
      index += 1
      return Token(kind: single, span: span(start, index))
    }
    return lexStrayRun()
  }

  /// True for a byte that starts a token or separates tokens.
  private static func startsToken(_ b: UInt8) -> Bool {
    switch b {
    case 0x20, 0x09, 0x0A, 0x0D: return true
    case UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "}"),
      UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
      UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "|"), UInt8(ascii: "-"), UInt8(ascii: "/"):
      return true
    default: return isWordByte(b)
    }
  }

  /// A run of characters that start no token, reported once: `“你好”，` is one error, not five.
  private mutating func lexStrayRun() -> Token {
    let start = index
    var invalidAt: Int?
    var first: Unicode.Scalar?
    repeat {
      let length: Int
      if let l = scalarLength(at: index) {
        length = l
        if first == nil {
          first = String(decoding: bytes[index..<index + l], as: UTF8.self).unicodeScalars.first
        }
      } else {
        length = 1
        if invalidAt == nil { invalidAt = index }
      }
      index += length
    } while index < bytes.count && !Self.startsToken(bytes[index])
    if let invalidAt {
      report(
        .invalidUTF8, LocalizedText("invalid UTF-8", zh: "无效的 UTF-8 编码"), invalidAt, invalidAt + 1,
        help: LocalizedText("save the file as UTF-8", zh: "以 UTF-8 编码保存文件"))
    } else {
      let shown = file.text(of: span(start, index))
      report(
        .unexpectedCharacter,
        LocalizedText("unexpected character `\(shown)`", zh: "意外的字符 `\(shown)`"), start, index,
        help: first.map(Self.strayHelp))
    }
    return Token(kind: .invalid, span: span(start, index))
  }

  /// What to write instead of a stray character.
  private static func strayHelp(_ scalar: Unicode.Scalar) -> LocalizedText {
    let ascii: String?
    switch scalar {
    case "，", "、": ascii = ","
    case "；": ascii = ";"
    case "（": ascii = "("
    case "）": ascii = ")"
    case "【", "［": ascii = "["
    case "】", "］": ascii = "]"
    case "｛": ascii = "{"
    case "｝": ascii = "}"
    case "＝": ascii = "="
    case "“", "”", "＂", "「", "」": ascii = "\""
    case "－", "—": ascii = "-"
    case "｜": ascii = "|"
    default: ascii = nil
    }
    if let ascii {
      return LocalizedText(
        "`\(scalar)` is full-width punctuation: write the ASCII `\(ascii)`",
        zh: "`\(scalar)` 是全角标点:请改用英文半角 `\(ascii)`")
    }
    if scalar == ":" || scalar == "：" {
      return LocalizedText(
        "PolicyLang has no `:` outside times; write `clause AE-1.2.1`, not `clause: AE-1.2.1`",
        zh: "PolicyLang 除时刻外不使用 `:`;应写 `clause AE-1.2.1`,而不是 `clause: AE-1.2.1`")
    }
    if scalar.value >= 0x80 && scalar.properties.isAlphabetic {
      return LocalizedText(
        "text goes inside double quotes, and names are ASCII: `\"...\"`",
        zh: "文字要放在英文双引号中,名称只能使用 ASCII:`\"...\"`")
    }
    return LocalizedText("remove this character", zh: "删除这个字符")
  }
}
