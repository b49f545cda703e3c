// E02xx: problems the parser finds in the order of tokens (Grammar.md sections 2-4).

import PolicyLangCore

extension DiagnosticCode {
  package static let syntaxCatalog: [DiagnosticCode] = [
    unexpectedToken, unclosedDelimiter, nestingTooDeep, reservedKeywordAsName, misusedOperator,
    duplicateItem, unknownWord, missingTitle, invalidOverride,
  ]

  /// E0201: a token the grammar does not allow here.
  public static let unexpectedToken = DiagnosticCode(
    "E0201", LocalizedText("unexpected token", zh: "意外的记号"),
    explanation: LocalizedText(
      """
      The parser expected one of a few things (the message lists them) and found something else.
      Often a word is missing or misspelt, or a rule line is outside a rule's braces.

      Example:
          rule reply_speed "回复速度" {
            clause AE-1.2.1
            severity minor
            every message from buyer
            expect human reply in 24h
          }

      Fix: write what the message asks for (here `within`):
            expect human reply within 24h
      """,
      zh: """
        解析器期望的是少数几种写法之一(消息中会列出),却遇到了别的内容。
        通常是漏写或拼错了一个词,或者规则的内容写在了规则的大括号之外。

        示例:
            rule reply_speed "回复速度" {
              clause AE-1.2.1
              severity minor
              every message from buyer
              expect human reply in 24h
            }

        修正:按消息的提示书写(此处应为 `within`):
              expect human reply within 24h
        """))

  /// E0202: a `{`, `(` or `[` without its closing partner.
  public static let unclosedDelimiter = DiagnosticCode(
    "E0202", LocalizedText("unclosed delimiter", zh: "括号未闭合"),
    explanation: LocalizedText(
      """
      A block `{`, a parenthesis `(` or a list `[` was opened and not closed before the next
      declaration or the end of the file.

      Example:
          rule no_insults "不得辱骂买家" {
            clause DEMO-2
            severity major
            when message from seller and contains any insults

          rule next "..." {

      Fix: close the block before the next declaration:
            when message from seller and contains any insults
          }
      """,
      zh: """
        打开了代码块 `{`、圆括号 `(` 或列表 `[`,但在下一个声明或文件结尾之前没有闭合。

        示例:
            rule no_insults "不得辱骂买家" {
              clause DEMO-2
              severity major
              when message from seller and contains any insults

            rule next "..." {

        修正:在下一个声明之前闭合代码块:
              when message from seller and contains any insults
            }
        """))

  /// E0203: parentheses or `not` nested more than 64 deep.
  public static let nestingTooDeep = DiagnosticCode(
    "E0203", LocalizedText("nesting too deep", zh: "嵌套过深"),
    explanation: LocalizedText(
      """
      Parentheses and `not` in a condition nest at most 64 deep. Deeper nesting is never needed
      and usually comes from generated or damaged text.

      Example:
          when message not not not ... (64 more) from seller

      Fix: simplify the condition: `not not C` is `C`, and `and`/`or` chains need no parentheses.
      """,
      zh: """
        条件中的圆括号和 `not` 最多嵌套 64 层。实际规则从不需要更深的嵌套,
        这通常来自生成的或损坏的文本。

        示例:
            when message not not not ...(再写 64 个)from seller

        修正:简化条件:`not not C` 就是 `C`,`and`/`or` 连写不需要括号。
        """))

  /// E0204: a reserved declaration keyword used as a name.
  public static let reservedKeywordAsName = DiagnosticCode(
    "E0204", LocalizedText("reserved keyword used as a name", zh: "保留关键字被用作名称"),
    explanation: LocalizedText(
      """
      The words that start declarations (`policy import clause terms domains const hours dates
      severity escalate rule test override`) cannot be names. Other words of the grammar, such as
      `message` or `reply`, can.

      Example:
          terms rule = ["规则"]

      Fix: choose another name:
          terms rule_words = ["规则"]
      """,
      zh: """
        用于开始声明的关键字(`policy import clause terms domains const hours dates severity
        escalate rule test override`)不能用作名称。语法中的其他词(如 `message`、`reply`)可以。

        示例:
            terms rule = ["规则"]

        修正:换一个名称:
            terms rule_words = ["规则"]
        """))

  /// E0205: `==`, or `=` where the grammar has none.
  public static let misusedOperator = DiagnosticCode(
    "E0205", LocalizedText("misused `=`", zh: "误用的 `=`"),
    explanation: LocalizedText(
      """
      A declaration gives its value with one `=` (`const x = 5`); `==` does not exist. Inside rules
      and headers no `=` is written: `severity minor`, not `severity = minor`.

      Example:
          const harass_messages == 8
          rule spam "频繁联系买家" {
            severity = minor

      Fix:
          const harass_messages = 8
          rule spam "频繁联系买家" {
            severity minor
      """,
      zh: """
        声明用一个 `=` 给出值(`const x = 5`);没有 `==`。规则和头部中不写 `=`:
        应写 `severity minor`,而不是 `severity = minor`。

        示例:
            const harass_messages == 8
            rule spam "频繁联系买家" {
              severity = minor

        修正:
            const harass_messages = 8
            rule spam "频繁联系买家" {
              severity minor
        """))

  /// E0206: an item written twice where one is allowed.
  public static let duplicateItem = DiagnosticCode(
    "E0206", LocalizedText("item given twice", zh: "重复的条目"),
    explanation: LocalizedText(
      """
      A rule has one `clause`, one `severity` and one body (`when ...`, `every ...`, `rate ...` or
      `manual`); a policy header has one `source`, one `zone` and one `normalize`. To check two
      things, write two rules.

      Example:
          rule r "..." {
            clause PDD-2.1
            severity minor
            when message contains email
            when message contains phone
          }

      Fix: combine them in one condition, or split the rule:
            when message contains email or contains phone
      """,
      zh: """
        一条规则只有一个 `clause`、一个 `severity` 和一个规则体(`when ...`、`every ...`、`rate ...`
        或 `manual`);策略头部只有一个 `source`、一个 `zone` 和一个 `normalize`。
        要检查两件事,请写两条规则。

        示例:
            rule r "..." {
              clause PDD-2.1
              severity minor
              when message contains email
              when message contains phone
            }

        修正:合并为一个条件,或拆成两条规则:
              when message contains email or contains phone
        """))

  /// E0207: a word outside a closed vocabulary (clause kinds, weekdays, options, detectors).
  public static let unknownWord = DiagnosticCode(
    "E0207", LocalizedText("unknown word", zh: "未知的词"),
    explanation: LocalizedText(
      """
      Some places accept only a fixed set of words: clause kinds (`content timeline aggregate
      sanction manual definition informational`), weekdays (`mon` ... `sun`), normalization
      options (`all none nfkc casefold simplified separators digits`), senders (`buyer seller
      platform system`) and detectors (`url email phone bank_card qr_code address`).

      Example:
          clause AE-1.2.1 "回复速度" timing

      Fix: use one of the listed words:
          clause AE-1.2.1 "回复速度" timeline
      """,
      zh: """
        有些位置只接受固定的几个词:条款类别(`content timeline aggregate sanction manual
        definition informational`)、星期(`mon` ... `sun`)、规范化选项(`all none nfkc casefold
        simplified separators digits`)、发送方(`buyer seller platform system`)和检测器
        (`url email phone bank_card qr_code address`)。

        示例:
            clause AE-1.2.1 "回复速度" timing

        修正:使用列出的词之一:
            clause AE-1.2.1 "回复速度" timeline
        """))

  /// E0208: a rule or test without its title string.
  public static let missingTitle = DiagnosticCode(
    "E0208", LocalizedText("missing title", zh: "缺少标题"),
    explanation: LocalizedText(
      """
      A rule has a title after its name and a test has a name, both as strings. Reports and
      coverage show the title to reviewers.

      Example:
          rule reply_speed {

      Fix:
          rule reply_speed "回复速度" {
      """,
      zh: """
        规则名之后要有标题,测试要有名称,都写成字符串。报告和覆盖率会向审核人员显示标题。

        示例:
            rule reply_speed {

        修正:
            rule reply_speed "回复速度" {
        """))

  /// E0209: `override` where it cannot apply.
  public static let invalidOverride = DiagnosticCode(
    "E0209", LocalizedText("invalid `override`", zh: "无效的 `override`"),
    explanation: LocalizedText(
      """
      `override` replaces an imported `const`, `terms`, `domains`, `hours`, `dates` or `rule`. It
      cannot stand before other declarations, and it cannot be combined with `+=`, which adds to a
      list instead of replacing it.

      Example:
          override terms contact_apps += ["vx"]

      Fix: either add to the list, or replace it:
          terms contact_apps += ["vx"]
      """,
      zh: """
        `override` 用于替换导入的 `const`、`terms`、`domains`、`hours`、`dates` 或 `rule`。
        它不能放在其他声明之前,也不能与 `+=` 同用:`+=` 是向列表追加,而不是替换。

        示例:
            override terms contact_apps += ["vx"]

        修正:要么追加,要么替换:
            terms contact_apps += ["vx"]
        """))
}
