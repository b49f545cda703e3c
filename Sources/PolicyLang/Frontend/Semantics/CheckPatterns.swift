// Patterns (`matches "..."`, `pattern NAME = "..."`): compiled once where they are written, with
// an error that marks the offending characters of the string and says how to fix that construct.

import PolicyLangCore
import PolicyLangText

extension Checker {
  /// Checks the pattern of a string literal (E0409, E0413); returns whether it compiles and can
  /// be used. A literal the lexer already reported (an invalid escape such as `"\d"`) is not
  /// checked again: its value is not what the author wrote, and the lexer's message says why.
  mutating func checkPattern(_ literal: StringLiteral) -> Bool {
    let lexed = loaded.diagnostics.items.contains { d in
      guard let span = d.span, d.code.id.hasPrefix("E01") else { return false }
      return span.file == literal.span.file && span.start >= literal.span.start
        && span.end <= literal.span.end
    }
    if lexed { return false }
    switch SemanticOracles.checkPattern(literal.value) {
    case .success(let compiled) where compiled.matchesEmpty:
      report(
        Diagnostic(
          .emptyPattern,
          LocalizedText(
            "pattern \"\(literal.value)\" matches the empty string, so it matches every message",
            zh: "模式 \"\(literal.value)\" 能匹配空字符串,因此会匹配每一条消息"),
          at: literal.span,
          help: LocalizedText(
            "require at least one character, for example `+` instead of `*`",
            zh: "至少要求一个字符,例如把 `*` 改为 `+`")))
      return false
    case .success:
      return true
    case .failure(let error):
      let at = StringLiteralSource.span(
        ofScalars: error.position, error.end, in: literal.span,
        bytes: loaded.sources[literal.span.file]?.bytes)
      report(
        Diagnostic(
          .invalidPattern,
          LocalizedText("invalid pattern: \(error.message.english)", zh: "模式无效:\(error.message.chinese)"),
          at: at, help: Self.patternHelp(error.kind)))
      return false
    }
  }

  /// How to fix each kind of pattern error.
  static func patternHelp(_ kind: PatternError.Kind) -> LocalizedText {
    switch kind {
    case .unsupported(let what) where what.contains("backreference"):
      return LocalizedText(
        "a pattern cannot refer back to a group: write the alternatives out",
        zh: "模式不能引用前面的分组:请把各种写法直接列出")
    case .unsupported(let what) where what.contains("look"):
      return LocalizedText(
        "match the neighbouring text as part of the pattern, or combine conditions: "
          + "`matches \"...\" and not contains \"...\"`",
        zh: "把相邻文字写进模式,或组合条件:`matches \"...\" and not contains \"...\"`")
    case .unsupported(let what) where what.contains("quantifier"):
      return LocalizedText(
        "remove the second quantifier: matches are always the longest", zh: "删除第二个量词:匹配总是取最长的")
    case .unsupported(let what) where what.contains("Unicode property"):
      return LocalizedText(
        "write the characters as a class, for example `[一-龥]` for CJK ideographs",
        zh: "把字符写成字符类,例如汉字写作 `[一-龥]`")
    case .unsupported(let what) where what.contains("inside a class"):
      return LocalizedText("write `\\\\b` outside the brackets", zh: "把 `\\\\b` 写在方括号外")
    case .unsupported:
      return LocalizedText("group with `( )` or `(?: )`", zh: "用 `( )` 或 `(?: )` 分组")
    case .unsupportedFlag:
      return LocalizedText(
        "write `(?i)` at the very start of the pattern; no other flag exists",
        zh: "把 `(?i)` 写在模式的最开头;没有其他标志")
    case .unknownEscape:
      return LocalizedText(
        "after `\\\\` a letter is one of `d w s D W S b B n t`; to match the letter itself, drop the `\\\\`",
        zh: "`\\\\` 之后的字母只能是 `d w s D W S b B n t` 之一;要匹配字母本身,去掉 `\\\\`")
    case .badRepeat:
      return LocalizedText(
        "write `{m}`, `{m,}` or `{m,n}` with m <= n <= \(Pattern.maxRepeat)",
        zh: "写作 `{m}`、`{m,}` 或 `{m,n}`,且 m <= n <= \(Pattern.maxRepeat)")
    case .badClass:
      return LocalizedText(
        "list at least one character, ranges from low to high: `[a-z]`",
        zh: "至少列出一个字符,范围由小到大:`[a-z]`")
    case .unexpectedEnd:
      return LocalizedText(
        "close every `(` and `[`; a backslash at the end is written `\\\\\\\\` to match itself",
        zh: "闭合每个 `(` 和 `[`;要匹配结尾的反斜杠本身,写作 `\\\\\\\\`")
    case .unbalancedParenthesis:
      return LocalizedText(
        "remove the `)` or add its `(`; a `)` to match is written `\\\\)`",
        zh: "删除这个 `)` 或补上 `(`;要匹配 `)` 本身写作 `\\\\)`")
    case .nothingToRepeat:
      return LocalizedText(
        "put what is repeated before the quantifier; a `*`, `+` or `?` to match is written `\\\\*`",
        zh: "把要重复的内容写在量词之前;要匹配 `*`、`+`、`?` 本身写作 `\\\\*`")
    case .tooLarge:
      return LocalizedText(
        "use smaller counts in `{m,n}`, or split the pattern into several conditions",
        zh: "减小 `{m,n}` 中的次数,或把模式拆成几个条件")
    case .tooDeep:
      return LocalizedText("use fewer nested groups", zh: "减少分组嵌套")
    }
  }
}
