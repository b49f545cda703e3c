// Where the cursor is, for completion: which block it is in (top level, the policy header, a
// rule, a test, a list), the word being typed, and the tokens before it. Read from the tokens,
// not the tree, because the text being typed rarely parses.

import PolicyLang

/// The block the cursor is in.
enum CompletionBlock: Equatable {
  case topLevel, header, rule, test, list, other
}

/// The cursor's surroundings in a document.
struct CompletionContext {
  /// The block the cursor is in.
  var block: CompletionBlock
  /// The word being typed (a name or clause id the cursor is in or just after), if any.
  var prefix: Token?
  /// Tokens before the word being typed (or the cursor), nearest last.
  var before: [Token]
  /// Whether the cursor is in a string or a comment, where nothing is completed.
  var inStringOrComment: Bool
  /// Whether nothing but white space precedes the word being typed on its line.
  var atLineStart: Bool
  /// The first token of the cursor's line, when it is not the word being typed.
  var lineStart: Token?

  init(offset: Int, in file: SourceFile) {
    let tokens = Lexer.tokenize(file, keepComments: true).tokens.filter { $0.kind != .eof }
    var prefix: Token?
    var before: [Token] = []
    var inStringOrComment = false
    for token in tokens {
      let start = Int(token.span.start)
      let end = Int(token.span.end)
      if end < offset || (end == offset && token.kind != .identifier && token.kind != .clauseID) {
        if token.kind == .comment {
          // A comment runs to the end of its line: the cursor is in it when on that line.
          if file.lineIndex(of: start) == file.lineIndex(of: offset) && end >= offset {
            inStringOrComment = true
          }
          continue
        }
        before.append(token)
      } else if start < offset {
        if token.kind == .identifier || token.kind == .clauseID {
          prefix = token
        } else if token.kind == .string || token.kind == .comment {
          inStringOrComment = true
        }
        break
      } else {
        break
      }
    }
    // An unterminated string runs to the end of its line: a cursor at its end is inside it.
    if let last = before.last, last.kind == .string, Int(last.span.end) == offset,
      !Self.isClosedString(last, in: file)
    {
      inStringOrComment = true
    }
    self.prefix = prefix
    self.before = before
    self.inStringOrComment = inStringOrComment
    self.block = Self.block(of: before)
    let cursorLine = file.lineIndex(of: prefix.map { Int($0.span.start) } ?? offset)
    let onLine = before.filter { file.lineIndex(of: Int($0.span.start)) == cursorLine }
    self.atLineStart = onLine.isEmpty
    self.lineStart = onLine.first
  }

  /// The nearest token before the cursor (`back` 0), or further back.
  func previous(_ back: Int = 0) -> Token? {
    let index = before.count - 1 - back
    return index >= 0 ? before[index] : nil
  }

  /// The keyword of a previous token.
  func keyword(_ back: Int = 0) -> Keyword? { previous(back)?.keyword }

  /// Whether any of the tokens since the start of the cursor's line is the keyword.
  func lineHas(_ keyword: Keyword) -> Bool {
    guard let start = lineStart, let index = before.lastIndex(of: start) else { return false }
    return before[index...].contains { $0.keyword == keyword }
  }

  /// The token at byte `offset` of `file` (the one the offset is in or just after).
  static func token(at offset: Int, in file: SourceFile) -> Token? {
    Lexer.tokenize(file).tokens.first {
      $0.kind != .eof && Int($0.span.start) <= offset && offset <= Int($0.span.end)
    }
  }

  private static func isClosedString(_ token: Token, in file: SourceFile) -> Bool {
    let end = Int(token.span.end)
    return token.span.length >= 2 && end <= file.bytes.count && file.bytes[end - 1] == UInt8(ascii: "\"")
  }

  /// The block the tokens leave open: each `{` is a header, rule or test block by the nearest
  /// declaring keyword before it.
  private static func block(of tokens: [Token]) -> CompletionBlock {
    var stack: [CompletionBlock] = []
    var opener: CompletionBlock = .other
    for token in tokens {
      switch token.kind {
      case .leftBrace:
        stack.append(opener)
        opener = .other
      case .leftBracket:
        stack.append(.list)
      case .rightBrace, .rightBracket:
        if !stack.isEmpty { stack.removeLast() }
      default:
        switch token.keyword {
        case .policy?: opener = .header
        case .rule?: opener = .rule
        case .test?: opener = .test
        default: break
        }
      }
    }
    return stack.last ?? .topLevel
  }
}
