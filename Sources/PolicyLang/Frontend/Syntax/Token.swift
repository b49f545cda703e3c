// Tokens of a `.policy` file and the keyword table (Grammar.md section 1).

import PolicyLangCore
import PolicyLangText

/// The lexical class of a token.
public enum TokenKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// A name or a keyword: a letter or `_`, then letters, digits, `_` (ASCII). See `Token.keyword`.
  case identifier
  /// A clause number such as `AE-1.2.1`.
  case clauseID
  /// Decimal digits: `8`, `100`.
  case integer
  /// `30s`, `1h30m`; the payload is the length in seconds.
  case duration
  /// `80%`, `99.5%`; the payload is in millionths.
  case percent
  /// `08:00`, `08:00:30`, `24:00`; the payload holds the raw fields.
  case timeOfDay
  /// `2026-10-01`; the payload holds the raw fields.
  case date
  /// `"..."`; the payload is the text with its escapes resolved.
  case string
  /// `{`
  case leftBrace
  /// `}`
  case rightBrace
  /// `(`
  case leftParen
  /// `)`
  case rightParen
  /// `[`
  case leftBracket
  /// `]`
  case rightBracket
  /// `,`
  case comma
  /// `;`
  case semicolon
  /// `=`
  case equal
  /// `==`: never valid; lexed as one token so the parser can say "write `=`".
  case equalEqual
  /// `+=`
  case plusEqual
  /// `-=`
  case minusEqual
  /// `-`
  case minus
  /// `|`
  case pipe
  /// `/`, inside a bare zone name such as `Asia/Shanghai`.
  case slash
  /// `#` to the end of the line; produced only when the lexer keeps comments.
  case comment
  /// The end of the file.
  case eof
  /// Bytes that form no token; the lexer has reported them.
  case invalid

  /// How diagnostics name this kind of token.
  public var description: String {
    switch self {
    case .identifier: return "identifier"
    case .clauseID: return "clause id"
    case .integer: return "integer"
    case .duration: return "duration"
    case .percent: return "percent"
    case .timeOfDay: return "time of day"
    case .date: return "date"
    case .string: return "string"
    case .comment: return "comment"
    case .eof: return "end of file"
    case .invalid: return "invalid token"
    default: return "`\(punctuation ?? "")`"
    }
  }

  /// The spelling of a punctuation kind; `nil` for the others.
  public var punctuation: String? {
    switch self {
    case .leftBrace: return "{"
    case .rightBrace: return "}"
    case .leftParen: return "("
    case .rightParen: return ")"
    case .leftBracket: return "["
    case .rightBracket: return "]"
    case .comma: return ","
    case .semicolon: return ";"
    case .equal: return "="
    case .equalEqual: return "=="
    case .plusEqual: return "+="
    case .minusEqual: return "-="
    case .minus: return "-"
    case .pipe: return "|"
    case .slash: return "/"
    default: return nil
    }
  }
}

/// The decoded value of a literal token.
public enum TokenValue: Sendable, Hashable {
  case none
  case integer(Int64)
  /// A duration in seconds.
  case duration(seconds: Int64)
  /// A percentage in millionths of the whole: `80%` is 800,000.
  case percent(millionths: Int64)
  /// Raw fields; ranges are checked by the checker (`25:00` lexes).
  case timeOfDay(hour: Int, minute: Int, second: Int)
  /// Raw fields; the calendar is checked by the checker.
  case date(year: Int, month: Int, day: Int)
  /// A string's text with its escapes resolved (invalid UTF-8 replaced by U+FFFD).
  case string(String)
}

/// One token: its kind, where it is, and its decoded value.
public struct Token: Sendable, Hashable {
  public var kind: TokenKind
  public var span: SourceSpan
  public var value: TokenValue
  /// For an identifier spelled like a keyword (reserved or contextual), that keyword.
  public var keyword: Keyword?
  /// True when only white space (or nothing) precedes the token on its line. Recovery uses it to
  /// resynchronise at the start of the next declaration or rule item.
  public var isAtLineStart: Bool

  public init(
    kind: TokenKind, span: SourceSpan, value: TokenValue = .none, keyword: Keyword? = nil,
    isAtLineStart: Bool = false
  ) {
    self.kind = kind
    self.span = span
    self.value = value
    self.keyword = keyword
    self.isAtLineStart = isAtLineStart
  }

  /// True for an identifier spelled as the given keyword.
  public func `is`(_ keyword: Keyword) -> Bool { self.keyword == keyword }

  /// True for a reserved declaration keyword, which can never be a name.
  public var isReservedKeyword: Bool { keyword?.isReserved ?? false }
}

/// Every word the grammar gives a meaning to.
///
/// Reserved keywords start declarations and cannot be names; contextual keywords mean something
/// only where the grammar expects them (a list may be called `message`). This table is the one
/// list of both kinds: the editor grammar is generated from and tested against `Keyword.allCases`.
public enum Keyword: String, Sendable, Hashable, CaseIterable {
  // Reserved: the declaration keywords.
  case policy, `import`, clause, terms, domains, const, hours, dates, pattern, severity, escalate
  case rule, test, override
  // Header.
  case source, dated, zone, normalize
  case all, none, nfkc, casefold, simplified, separators, digits
  // Lists and calendars.
  case file, except
  case mon, tue, wed, thu, fri, sat, sun
  // Clause kinds.
  case content, timeline, aggregate, sanction, manual, definition, informational
  // Escalation and values.
  case within, to, chars
  // Conditions.
  case when, message, and, or, not, from, contains, any, near, account, at, least, most, of
  case matches, length, has, attachment, type
  case human, auto, buyer, seller, platform, system
  case url, outside, email, phone, bankCard = "bank_card", qrCode = "qr_code", address, `in`
  // Stop requests, bursts, history conditions, obligations, rates.
  case after, says, allow, reply, up, containing
  case more, than, messages, without, events
  case first, idle, unanswered, proactive, answered
  case every, during, expect, `if`, counting, only, event
  case rate, per, over, day, month, rolling, conversation, last, less
  // Tests.
  case `as`, with, qr, no, violation, matching, name, mime

  /// Whether a keyword is reserved or contextual.
  public enum Kind: String, Sendable {
    case reserved, contextual
  }

  /// The keyword as written in a policy.
  public var spelling: String { rawValue }

  public var kind: Kind {
    switch self {
    case .policy, .import, .clause, .terms, .domains, .const, .hours, .dates, .pattern, .severity,
      .escalate, .rule, .test, .override:
      return .reserved
    default:
      return .contextual
    }
  }

  public var isReserved: Bool { kind == .reserved }

  /// The reserved declaration keywords, in Grammar.md's order.
  public static let reserved: [Keyword] = allCases.filter(\.isReserved)
  /// The contextual keywords.
  public static let contextual: [Keyword] = allCases.filter { !$0.isReserved }

  /// Spelling to keyword.
  static let bySpelling: [String: Keyword] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
  /// The longest spelling, so the lexer skips the table lookup for longer words.
  static let longestSpelling: Int = allCases.map(\.rawValue.utf8.count).max() ?? 0

  /// The keyword spelled so, if any.
  public init?(spelling: String) {
    guard let keyword = Keyword.bySpelling[spelling] else { return nil }
    self = keyword
  }
}
