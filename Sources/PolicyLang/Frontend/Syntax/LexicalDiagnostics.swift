// E01xx: problems the lexer finds in the characters of a file (Grammar.md section 1).

import PolicyLangCore

extension DiagnosticCode {
  package static let lexicalCatalog: [DiagnosticCode] = [
    invalidUTF8, unexpectedCharacter, unterminatedString, invalidEscape, numberTooLarge,
    unknownUnit, malformedTime, malformedDuration, malformedDate, malformedPercent,
  ]

  /// E0101: bytes that are not UTF-8.
  public static let invalidUTF8 = DiagnosticCode(
    "E0101", LocalizedText("invalid UTF-8", zh: "无效的 UTF-8 编码"),
    explanation: LocalizedText(
      """
      A policy file must be UTF-8. The file holds bytes that are not valid UTF-8, often because it
      was saved in GBK, GB 18030 or Big5 by an older editor.

      Example:
          terms insults = ["\\xC9\\xB5"]     # GBK bytes, not UTF-8

      Fix: save the file as UTF-8 (in most editors: "Save with encoding", UTF-8).
      """,
      zh: """
        策略文件必须是 UTF-8 编码。文件中含有不合法的 UTF-8 字节,通常是旧编辑器以 GBK、GB 18030
        或 Big5 保存所致。

        示例:
            terms insults = ["\\xC9\\xB5"]     # GBK 字节,不是 UTF-8

        修正:以 UTF-8 编码重新保存文件(多数编辑器:"以编码保存",选 UTF-8)。
        """))

  /// E0102: a character that starts no token.
  public static let unexpectedCharacter = DiagnosticCode(
    "E0102", LocalizedText("unexpected character", zh: "意外的字符"),
    explanation: LocalizedText(
      """
      Outside strings and comments a policy uses ASCII only: names, numbers and the punctuation
      `{ } ( ) [ ] , ; = += - | /`. Full-width punctuation typed with a Chinese input method
      (`，` `：` `“`) and text outside quotes are the usual causes.

      Example:
          terms greetings = [“你好”，"在吗"]

      Fix: write ASCII punctuation and put text in straight double quotes:
          terms greetings = ["你好", "在吗"]
      """,
      zh: """
        在字符串和注释之外,策略只使用 ASCII:名称、数字和标点 `{ } ( ) [ ] , ; = += - | /`。
        常见原因是中文输入法输入的全角标点(`，` `：` `“`)或没有加引号的文字。

        示例:
            terms greetings = [“你好”，"在吗"]

        修正:使用 ASCII 标点,文字放在英文双引号中:
            terms greetings = ["你好", "在吗"]
        """))

  /// E0103: a string without its closing quote on the same line.
  public static let unterminatedString = DiagnosticCode(
    "E0103", LocalizedText("unterminated string", zh: "字符串未结束"),
    explanation: LocalizedText(
      """
      A string starts with `"` and must end with `"` on the same line. A string cannot hold a raw
      line break; write `\\n` instead.

      Example:
          rule r "回复速度 {

      Fix: close the string:
          rule r "回复速度" {
      """,
      zh: """
        字符串以 `"` 开始,必须在同一行以 `"` 结束。字符串中不能直接换行,请写 `\\n`。

        示例:
            rule r "回复速度 {

        修正:补上结尾的引号:
            rule r "回复速度" {
        """))

  /// E0104: an unknown escape sequence in a string.
  public static let invalidEscape = DiagnosticCode(
    "E0104", LocalizedText("invalid escape sequence", zh: "无效的转义序列"),
    explanation: LocalizedText(
      """
      Inside a string a backslash starts one of the escapes `\\"` `\\\\` `\\n` `\\t` or
      `\\u{XXXX}` (1 to 6 hex digits naming a Unicode scalar). Any other backslash is an error.

      Example:
          matches "\\d{11}"

      Fix: double the backslash when you mean a backslash:
          matches "\\\\d{11}"
      """,
      zh: """
        字符串中的反斜杠只能开始以下转义:`\\"` `\\\\` `\\n` `\\t` 或 `\\u{XXXX}`(1 到 6 位十六进制,
        表示一个 Unicode 标量)。其他反斜杠都是错误。

        示例:
            matches "\\d{11}"

        修正:要表示反斜杠本身时写两个:
            matches "\\\\d{11}"
        """))

  /// E0105: a number that does not fit.
  public static let numberTooLarge = DiagnosticCode(
    "E0105", LocalizedText("number too large", zh: "数字过大"),
    explanation: LocalizedText(
      """
      Integers, durations (in seconds) and percents must fit in a 64-bit signed integer.

      Example:
          const limit = 99999999999999999999d

      Fix: use a realistic value:
          const limit = 30d
      """,
      zh: """
        整数、时长(以秒计)和百分比必须能放入 64 位有符号整数。

        示例:
            const limit = 99999999999999999999d

        修正:使用合理的数值:
            const limit = 30d
        """))

  /// E0106: a number followed by letters that are not a unit.
  public static let unknownUnit = DiagnosticCode(
    "E0106", LocalizedText("unknown unit", zh: "未知的单位"),
    explanation: LocalizedText(
      """
      A number may be followed directly by a duration unit: `d` (days), `h` (hours), `m` (minutes)
      or `s` (seconds), or by `%`. Any other letters right after a number are an error. A length in
      characters is written with a space: `20 chars`.

      Example:
          expect human reply within 30min

      Fix:
          expect human reply within 30m
      """,
      zh: """
        数字后面可以紧跟时长单位:`d`(天)、`h`(小时)、`m`(分钟)、`s`(秒),或 `%`。
        数字后紧跟其他字母是错误。字符长度要用空格隔开:`20 chars`。

        示例:
            expect human reply within 30min

        修正:
            expect human reply within 30m
        """))

  /// E0107: a time of day not written `HH:MM` or `HH:MM:SS`.
  public static let malformedTime = DiagnosticCode(
    "E0107", LocalizedText("malformed time of day", zh: "时刻格式错误"),
    explanation: LocalizedText(
      """
      A time of day is written `HH:MM` or `HH:MM:SS` with two digits in every field; `24:00` is
      the end of the day.

      Example:
          hours peak = 8:00-24:00

      Fix:
          hours peak = 08:00-24:00
      """,
      zh: """
        时刻写作 `HH:MM` 或 `HH:MM:SS`,每个字段两位数字;`24:00` 表示一天的结束。

        示例:
            hours peak = 8:00-24:00

        修正:
            hours peak = 08:00-24:00
        """))

  /// E0108: a duration whose units are repeated or out of order.
  public static let malformedDuration = DiagnosticCode(
    "E0108", LocalizedText("malformed duration", zh: "时长格式错误"),
    explanation: LocalizedText(
      """
      A duration is one or more `NUMBER UNIT` pairs with units strictly decreasing:
      `d`, then `h`, then `m`, then `s`, each at most once, and no number without a unit.

      Example:
          const limit = 30m1h

      Fix:
          const limit = 1h30m
      """,
      zh: """
        时长由一个或多个"数字+单位"组成,单位必须严格递减:`d`、`h`、`m`、`s`,
        每个最多出现一次,最后不能有不带单位的数字。

        示例:
            const limit = 30m1h

        修正:
            const limit = 1h30m
        """))

  /// E0109: a date not written `YYYY-MM-DD`.
  public static let malformedDate = DiagnosticCode(
    "E0109", LocalizedText("malformed date", zh: "日期格式错误"),
    explanation: LocalizedText(
      """
      A date is written `YYYY-MM-DD`: four digits, two digits, two digits.

      Example:
          dates holidays = [2026-10-1]

      Fix:
          dates holidays = [2026-10-01]
      """,
      zh: """
        日期写作 `YYYY-MM-DD`:四位年、两位月、两位日。

        示例:
            dates holidays = [2026-10-1]

        修正:
            dates holidays = [2026-10-01]
        """))

  /// E0110: a decimal number that is not a percent, or a percent with too many decimals.
  public static let malformedPercent = DiagnosticCode(
    "E0110", LocalizedText("malformed decimal number", zh: "小数格式错误"),
    explanation: LocalizedText(
      """
      Decimal numbers exist only as percents: `99.5%`, with at most four decimals. Counts,
      durations and lengths are whole numbers.

      Example:
          const reply_rate = 0.8

      Fix:
          const reply_rate = 80%
      """,
      zh: """
        小数只能用于百分比:`99.5%`,最多四位小数。次数、时长和长度都是整数。

        示例:
            const reply_rate = 0.8

        修正:
            const reply_rate = 80%
        """))
}
