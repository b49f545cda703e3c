// The checker's codes: E03xx names and imports, E04xx types and values, E05xx rules (and
// W0501, a rule-level warning). Grammar.md section 7 lists them; `policyc explain` prints them.

import PolicyLangCore

extension DiagnosticCode {
  /// Every code of this stage, in id order.
  package static let semanticCatalog: [DiagnosticCode] = [
    unknownName, duplicateDeclaration, importCycle, overrideOfNothing, missingPolicyHeader,
    duplicatePolicyHeader, headerInLibrary, unknownClause, duplicateClause, wordListError, wrongKindOfName,
    wrongType, impossibleTime, emptyWindow, backwardDayRange, unknownZone, badNormalizeOption, invalidDate,
    emptyEntry, emptyPattern, valueOutOfRange, unknownAttachmentType, malformedDomain, invalidPattern,
    missingRuleClause, missingRuleBody, missingRuleSeverity, severityWithoutSanction, escalationNotUpward,
    ruleNeverFires, rateOfNonObligation, expectationWithoutRule, eventIndexOutOfRange, conditionTooDeep,
    testEventsOutOfOrder, expectationNeverHolds, ratioUnit, rateWindowCannotSlide, manualRuleWithSeverity,
    termLimitExceeded,
  ]

  /// A term list beyond the limits (`PolicyLimits`).
  public static let termLimitExceeded = DiagnosticCode(
    "E0414", LocalizedText("too many or too long terms", zh: "词条过多或过长"),
    explanation: LocalizedText(
      """
      A policy may hold at most 200,000 terms and variants in all its lists, and one term may be at
      most 256 characters long. The limits keep the compiled automaton and the checker's memory
      bounded whatever a word list contains (a pasted document, a generated file gone wrong).

      Example:
          terms contact_apps = file "contact_apps.txt"   # a file of 300,000 lines

      Fix: split the list into what each rule needs, remove duplicates and generated noise, and
      keep each term to the words an agent would actually type.
      """,
      zh: """
        一个策略的所有词表合计最多 200,000 个词条(含变体),单个词条最多 256 个字符。限制保证编译出的
        自动机和检查器的内存有界,无论词表里写了什么(粘贴的整篇文档、生成出错的文件)。

        示例:
            terms contact_apps = file "contact_apps.txt"   # 一个有 300,000 行的文件

        修正:按规则需要拆分词表,删除重复和生成的杂项,每个词条只保留客服真正会打的字。
        """))

  /// Unknown name.
  public static let unknownName = DiagnosticCode(
    "E0301", LocalizedText("unknown name", zh: "未知名称"),
    explanation: LocalizedText(
      """
      A rule, hours window, escalation or test uses a name that no declaration (in this file or its
      imports) gives. The checker suggests the nearest declared name.

      Example:
          when message from seller and contains any insult    # the list is `insults`

      Fix: correct the spelling, or declare the list, constant or hours window.
      """,
      zh: """
        规则、时段、升级或测试使用了一个在本文件及其导入中都没有声明的名称。检查器会提示最接近的已声明名称。

        示例:
            when message from seller and contains any insult    # the list is `insults`

        修正:改正拼写,或声明该词表、常量或时段。
        """))

  /// Name declared twice.
  public static let duplicateDeclaration = DiagnosticCode(
    "E0302", LocalizedText("name declared twice", zh: "名称重复声明"),
    explanation: LocalizedText(
      """
      Two declarations give the same name. Lists, domains, constants, hours and dates share one set
      of names; rules and severities each have their own.

      Example:
          terms insults = ["滚"]   # and `terms insults = [...]` again in the same policy

      Fix: rename one of them, or write `override terms insults = [...]` to replace an imported
      declaration on purpose.
      """,
      zh: """
        两个声明使用了同一个名称。词表、域名表、常量、时段和日期共用一套名称;规则和处罚等级各有一套。

        示例:
            terms insults = ["滚"]   # and `terms insults = [...]` again in the same policy

        修正:改名,或写 `override terms insults = [...]` 有意替换导入的声明。
        """))

  /// Import cycle.
  public static let importCycle = DiagnosticCode(
    "E0303", LocalizedText("import cycle", zh: "循环导入"),
    explanation: LocalizedText(
      """
      A file imports itself, directly or through other files. Imports must form a tree (a file may
      be imported by several others, but never by itself).

      Example:
          import "b.policy"    # in a.policy, while b.policy has `import "a.policy"`

      Fix: move what both files need into a third library file that both import.
      """,
      zh: """
        一个文件直接或经由其他文件导入了它自己。导入关系不能成环。

        示例:
            import "b.policy"    # in a.policy, while b.policy has `import "a.policy"`

        修正:把两个文件都需要的内容移到第三个库文件中,由两者分别导入。
        """))

  /// `override` or `+=` of a name nothing declared.
  public static let overrideOfNothing = DiagnosticCode(
    "E0304", LocalizedText("`override` or `+=` of a name nothing declared", zh: "`override` 或 `+=` 的名称不存在"),
    explanation: LocalizedText(
      """
      `override` replaces, and `+=` adds to, a declaration that an import (or an earlier line)
      already made. Here no such declaration exists.

      Example:
          terms contact_app += ["vx"]    # the imported list is `contact_apps`

      Fix: correct the name, or drop `override` / write `=` to declare a new one.
      """,
      zh: """
        `override` 替换、`+=` 追加的是导入文件(或前面)已有的声明。这里并没有这样的声明。

        示例:
            terms contact_app += ["vx"]    # the imported list is `contact_apps`

        修正:改正名称,或去掉 `override` / 改用 `=` 声明新的名称。
        """))

  /// File has no `policy` header.
  public static let missingPolicyHeader = DiagnosticCode(
    "E0305", LocalizedText("file has no `policy` header", zh: "文件缺少 `policy` 头"),
    explanation: LocalizedText(
      """
      The file given to the checker is a policy only if it starts with a `policy NAME { ... }`
      header; a file without one is a library meant to be imported.

      Example:
          clause DEMO-1 "及时回复" timeline    # first line of the file, no header

      Fix: add a header such as `policy demo "示例" { zone Asia/Shanghai }` at the top, or check a
      policy that imports this library.
      """,
      zh: """
        交给检查器的文件必须有 `policy NAME { ... }` 头;没有头的文件是供导入的库。

        示例:
            clause DEMO-1 "及时回复" timeline    # first line of the file, no header

        修正:在文件开头加上 `policy demo "示例" { zone Asia/Shanghai }` 这样的头,
        或检查导入此库的策略文件。
        """))

  /// More than one `policy` header.
  public static let duplicatePolicyHeader = DiagnosticCode(
    "E0306", LocalizedText("more than one `policy` header", zh: "`policy` 头重复"),
    explanation: LocalizedText(
      """
      A policy file has exactly one header.

      Example:
          policy demo { zone UTC }
          policy demo2 { zone UTC }

      Fix: keep one header; write each platform's policy in its own file.
      """,
      zh: """
        一个策略文件只能有一个头。

        示例:
            policy demo { zone UTC }
            policy demo2 { zone UTC }

        修正:只保留一个头;每个平台的策略写在各自的文件里。
        """))

  /// Imported file has a `policy` header.
  public static let headerInLibrary = DiagnosticCode(
    "E0307", LocalizedText("imported file has a `policy` header", zh: "被导入的文件含有 `policy` 头"),
    explanation: LocalizedText(
      """
      Only libraries (files without a header) can be imported: a policy belongs to one platform and
      cannot be part of another.

      Example:
          import "taobao.policy"    # taobao.policy starts with `policy taobao {...}`

      Fix: move the shared declarations into a library file and import that instead.
      """,
      zh: """
        只有库(没有头的文件)可以被导入:策略属于一个平台,不能成为另一个策略的一部分。

        示例:
            import "taobao.policy"    # taobao.policy starts with `policy taobao {...}`

        修正:把共用的声明移到库文件中,改为导入该库。
        """))

  /// Clause not in the catalog.
  public static let unknownClause = DiagnosticCode(
    "E0308", LocalizedText("clause not in the catalog", zh: "条款不在条款目录中"),
    explanation: LocalizedText(
      """
      Every rule, severity and escalation cites a clause that a `clause` declaration of the policy
      (or an import) puts in the catalog.

      Example:
          clause   AE-1.2.4    # the catalog declares AE-1.2.1 ... AE-1.2.3

      Fix: correct the clause number, or add `clause AE-1.2.4 "标题" content` to the catalog.
      """,
      zh: """
        每条规则、处罚等级和升级都必须引用由 `clause` 声明(或导入)列入目录的条款。

        示例:
            clause   AE-1.2.4    # the catalog declares AE-1.2.1 ... AE-1.2.3

        修正:改正条款号,或在目录中加入 `clause AE-1.2.4 "标题" content`。
        """))

  /// Clause declared twice.
  public static let duplicateClause = DiagnosticCode(
    "E0309", LocalizedText("clause declared twice", zh: "条款重复声明"),
    explanation: LocalizedText(
      """
      A clause number appears twice in the catalog.

      Example:
          clause AE-1.2.1 "回复速度" timeline
          clause AE-1.2.1 "回复时效" timeline

      Fix: keep one declaration of the clause.
      """,
      zh: """
        条款号在目录中出现了两次。

        示例:
            clause AE-1.2.1 "回复速度" timeline
            clause AE-1.2.1 "回复时效" timeline

        修正:只保留一个条款声明。
        """))

  /// Malformed word-list line.
  public static let wordListError = DiagnosticCode(
    "E0310", LocalizedText("malformed word-list line", zh: "词表行格式错误"),
    explanation: LocalizedText(
      """
      A word-list file (`terms x = file "..."`) holds one entry a line: a term, then look-alike
      variants separated by `|`. A line has an empty variant or is not valid UTF-8.

      Example:
          微信 | | 威信    # an empty variant between two `|`

      Fix: remove the extra `|` or write the missing variant; save the file as UTF-8.
      """,
      zh: """
        词表文件每行一个条目:一个词,后面是用 `|` 分隔的变体。某行含空的变体,或不是合法的 UTF-8。

        示例:
            微信 | | 威信    # an empty variant between two `|`

        修正:删去多余的 `|` 或补上变体;以 UTF-8 保存文件。
        """))

  /// Name of the wrong kind.
  public static let wrongKindOfName = DiagnosticCode(
    "E0311", LocalizedText("name of the wrong kind", zh: "名称种类不对"),
    explanation: LocalizedText(
      """
      The name exists but is declared as something else: an hours window where a term list is
      expected, a constant where hours are expected, and so on.

      Example:
          contains any peak    # `peak` is `hours peak = 08:00-24:00`

      Fix: use a name of the expected kind.
      """,
      zh: """
        名称存在,但声明的种类不对:例如需要词表的地方给了时段,需要时段的地方给了常量。

        示例:
            contains any peak    # `peak` is `hours peak = 08:00-24:00`

        修正:使用种类正确的名称。
        """))

  /// Value of the wrong type or unit.
  public static let wrongType = DiagnosticCode(
    "E0401", LocalizedText("value of the wrong type or unit", zh: "值的类型或单位不对"),
    explanation: LocalizedText(
      """
      Each place takes one kind of value: a duration (`24h`), a count (`8`), a percentage (`80%`) or
      a length in characters (`12 chars`). A number without a unit is a count.

      Example:
          expect human reply within 24    # a count where a duration is expected

      Fix: write the unit: `within 24h`.
      """,
      zh: """
        每个位置只接受一种值:时长(`24h`)、次数(`8`)、百分比(`80%`)或字符长度(`12 chars`)。
        没有单位的数字是次数。

        示例:
            expect human reply within 24    # a count where a duration is expected

        修正:写上单位:`within 24h`。
        """))

  /// Impossible time of day.
  public static let impossibleTime = DiagnosticCode(
    "E0402", LocalizedText("impossible time of day", zh: "不存在的时刻"),
    explanation: LocalizedText(
      """
      Hours run from 00 to 23 (and `24:00`, which only ends a window), minutes and seconds from 00
      to 59.

      Example:
          hours peak = 08:00-25:00

      Fix: write a real time: `08:00-24:00`.
      """,
      zh: """
        小时为 00 到 23(`24:00` 只能作为时段的结束),分钟和秒为 00 到 59。

        示例:
            hours peak = 08:00-25:00

        修正:写一个真实的时刻:`08:00-24:00`。
        """))

  /// Window holds no time.
  public static let emptyWindow = DiagnosticCode(
    "E0403", LocalizedText("window holds no time", zh: "时段为空"),
    explanation: LocalizedText(
      """
      A window whose start equals its end holds no time. (A window whose end is before its start is
      fine: it crosses midnight.)

      Example:
          hours desk = 09:00-09:00

      Fix: correct one of the two times, for example `09:00-18:00`.
      """,
      zh: """
        开始与结束相同的时段不包含任何时间。(结束早于开始是允许的:表示跨过午夜。)

        示例:
            hours desk = 09:00-09:00

        修正:改正其中一个时刻,例如 `09:00-18:00`。
        """))

  /// Day range runs backwards.
  public static let backwardDayRange = DiagnosticCode(
    "E0404", LocalizedText("day range runs backwards", zh: "星期范围倒置"),
    explanation: LocalizedText(
      """
      A day range runs from its first day forward to its last within one week, Monday first.

      Example:
          hours weekend = fri-mon 10:00-16:00

      Fix: list the days in week order: `fri-sun, mon 10:00-16:00`.
      """,
      zh: """
        星期范围在一周内(周一为首)从第一天向后到最后一天。

        示例:
            hours weekend = fri-mon 10:00-16:00

        修正:按一周的顺序写:`fri-sun, mon 10:00-16:00`。
        """))

  /// Unknown time zone.
  public static let unknownZone = DiagnosticCode(
    "E0405", LocalizedText("unknown time zone", zh: "未知时区"),
    explanation: LocalizedText(
      """
      `zone` takes an IANA time zone name such as `Asia/Shanghai` or `UTC`.

      Example:
          zone Asia/Beijing

      Fix: use the IANA name: `zone Asia/Shanghai`.
      """,
      zh: """
        `zone` 需要 IANA 时区名,例如 `Asia/Shanghai` 或 `UTC`。

        示例:
            zone Asia/Beijing

        修正:使用 IANA 名称:`zone Asia/Shanghai`。
        """))

  /// Unknown or conflicting `normalize` option.
  public static let badNormalizeOption = DiagnosticCode(
    "E0406", LocalizedText("unknown or conflicting `normalize` option", zh: "`normalize` 选项未知或冲突"),
    explanation: LocalizedText(
      """
      `normalize` takes `all`, `none`, or any of `nfkc casefold simplified separators digits`;
      `none` cannot be combined with others.

      Example:
          normalize nfkc lowercase

      Fix: write `normalize nfkc casefold`.
      """,
      zh: """
        `normalize` 接受 `all`、`none`,或 `nfkc casefold simplified separators digits` 的任意组合;
        `none` 不能与其他选项同用。

        示例:
            normalize nfkc lowercase

        修正:写成 `normalize nfkc casefold`。
        """))

  /// Date does not exist.
  public static let invalidDate = DiagnosticCode(
    "E0407", LocalizedText("date does not exist", zh: "日期不存在"),
    explanation: LocalizedText(
      """
      The month runs from 01 to 12 and the day must exist in that month.

      Example:
          dates holidays = [2026-02-30]

      Fix: write a real date: `2026-02-28`.
      """,
      zh: """
        月份为 01 到 12,日期必须在该月存在。

        示例:
            dates holidays = [2026-02-30]

        修正:写一个真实的日期:`2026-02-28`。
        """))

  /// Empty term or domain.
  public static let emptyEntry = DiagnosticCode(
    "E0408", LocalizedText("empty term or domain", zh: "空词或空域名"),
    explanation: LocalizedText(
      """
      An empty string in a term or domain list would match everywhere or nothing.

      Example:
          terms insults = ["滚", ""]

      Fix: delete the empty entry.
      """,
      zh: """
        词表或域名表中的空字符串会匹配一切或什么也不匹配。

        示例:
            terms insults = ["滚", ""]

        修正:删除空条目。
        """))

  /// Pattern matches the empty string.
  public static let emptyPattern = DiagnosticCode(
    "E0409", LocalizedText("pattern matches the empty string", zh: "模式可匹配空字符串"),
    explanation: LocalizedText(
      """
      A `matches` pattern that matches the empty string matches every message, so the rule fires on
      everything.

      Example:
          matches "[0-9]*"

      Fix: require at least one character: `matches "[0-9]+"`.
      """,
      zh: """
        能匹配空字符串的 `matches` 模式会匹配每一条消息,规则会对一切触发。

        示例:
            matches "[0-9]*"

        修正:至少要求一个字符:`matches "[0-9]+"`。
        """))

  /// Value out of range.
  public static let valueOutOfRange = DiagnosticCode(
    "E0410", LocalizedText("value out of range", zh: "值超出范围"),
    explanation: LocalizedText(
      """
      The value has the right unit but cannot be used here: a zero duration, a count of zero where
      at least one is needed, or a percentage above 100%.

      Example:
          rate of reply_speed per message over day at least 120%

      Fix: use a value in range, such as `at least 80%`.
      """,
      zh: """
        值的单位正确,但不能用在这里:时长为零、需要至少 1 的地方写了 0,或百分比超过 100%。

        示例:
            rate of reply_speed per message over day at least 120%

        修正:使用范围内的值,例如 `at least 80%`。
        """))

  /// Unknown attachment type.
  public static let unknownAttachmentType = DiagnosticCode(
    "E0411", LocalizedText("unknown attachment type", zh: "未知附件类型"),
    explanation: LocalizedText(
      """
      Attachment types are `image`, `file`, `link`, `card`, `video` and `qr_code`.

      Example:
          when message has attachment picture

      Fix: use one of the types: `has attachment image`.
      """,
      zh: """
        附件类型为 `image`、`file`、`link`、`card`、`video` 和 `qr_code`。

        示例:
            when message has attachment picture

        修正:使用其中一种类型:`has attachment image`。
        """))

  /// Malformed domain.
  public static let malformedDomain = DiagnosticCode(
    "E0412", LocalizedText("malformed domain", zh: "域名格式错误"),
    explanation: LocalizedText(
      """
      A domain list holds host names such as `pinduoduo.com`: no scheme, path, port or spaces.

      Example:
          domains allowed = ["https://www.pinduoduo.com/"]

      Fix: write only the host: `"pinduoduo.com"` (it admits every subdomain).
      """,
      zh: """
        域名表只包含主机名,如 `pinduoduo.com`:不带协议、路径、端口或空格。

        示例:
            domains allowed = ["https://www.pinduoduo.com/"]

        修正:只写主机名:`"pinduoduo.com"`(其子域名也被允许)。
        """))

  /// Invalid pattern.
  public static let invalidPattern = DiagnosticCode(
    "E0413", LocalizedText("invalid pattern", zh: "模式无效"),
    explanation: LocalizedText(
      """
      A `matches` pattern uses the subset of regular expressions Grammar.md 5.2 describes: literals,
      `.`, classes, `\\d \\w \\s`, quantifiers, `|`, groups and anchors. Backreferences, lookaround
      and lazy quantifiers are not supported, because patterns are matched without backtracking.

      Example:
          matches "(\\\\d)\\\\1"    # a backreference

      Fix: rewrite the pattern within the subset, for example `matches "\\\\d{2}"`.
      """,
      zh: """
        `matches` 模式使用 Grammar.md 5.2 所述的正则表达式子集:字面字符、`.`、字符类、`\\d \\w \\s`、量词、`|`、分组和锚点。
        不支持反向引用、环视和惰性量词,因为模式匹配不回溯。

        示例:
            matches "(\\\\d)\\\\1"    # a backreference

        修正:在支持的子集内改写模式,例如 `matches "\\\\d{2}"`。
        """))

  /// Rule cites no clause.
  public static let missingRuleClause = DiagnosticCode(
    "E0501", LocalizedText("rule cites no clause", zh: "规则未引用条款"),
    explanation: LocalizedText(
      """
      Every rule says which clause of the platform's rules it enforces, so that coverage and
      verdicts can name it.

      Example:
          rule no_insults "不得辱骂" { severity major  when message contains any insults }

      Fix: add a line `clause AE-1.2.3`.
      """,
      zh: """
        每条规则都要说明它执行的是平台规则的哪一条,以便覆盖报告和判定结果引用。

        示例:
            rule no_insults "不得辱骂" { severity major  when message contains any insults }

        修正:加一行 `clause AE-1.2.3`。
        """))

  /// Rule has no body.
  public static let missingRuleBody = DiagnosticCode(
    "E0502", LocalizedText("rule has no body", zh: "规则缺少规则体"),
    explanation: LocalizedText(
      """
      A rule needs one body: `when message ...`, `every ... expect ...`, `when more than ...`, `rate
      of ...` or `manual`.

      Example:
          rule no_insults "不得辱骂" { clause AE-1.2.3  severity major }

      Fix: add what the rule checks, or `manual "why"` if a person must judge it.
      """,
      zh: """
        规则需要一个规则体:`when message ...`、`every ... expect ...`、`when more than ...`、`rate of ...` 或 `manual`。

        示例:
            rule no_insults "不得辱骂" { clause AE-1.2.3  severity major }

        修正:写出规则检查的内容;若需人工判断,写 `manual "原因"`。
        """))

  /// Rule has no severity.
  public static let missingRuleSeverity = DiagnosticCode(
    "E0503", LocalizedText("rule has no severity", zh: "规则缺少处罚等级"),
    explanation: LocalizedText(
      """
      Every rule that gives verdicts has a severity, one of the policy's `severity` declarations.

      Example:
          rule no_insults "不得辱骂" { clause AE-1.2.3  when message contains any insults }

      Fix: add a line `severity major`.
      """,
      zh: """
        每条会产生判定的规则都需要一个处罚等级,取自策略的 `severity` 声明。

        示例:
            rule no_insults "不得辱骂" { clause AE-1.2.3  when message contains any insults }

        修正:加一行 `severity major`。
        """))

  /// Severity has no sanction.
  public static let severityWithoutSanction = DiagnosticCode(
    "E0504", LocalizedText("severity has no sanction", zh: "处罚等级缺少处罚措施"),
    explanation: LocalizedText(
      """
      A severity names the sanction the platform applies, so that a verdict tells what is at stake.

      Example:
          severity minor "轻微"

      Fix: add it: `severity minor "轻微" sanction "警告"`.
      """,
      zh: """
        处罚等级需要写明平台的处罚措施,让判定结果说明后果。

        示例:
            severity minor "轻微"

        修正:补上:`severity minor "轻微" sanction "警告"`。
        """))

  /// Escalation does not go to a higher severity.
  public static let escalationNotUpward = DiagnosticCode(
    "E0505", LocalizedText("escalation does not go to a higher severity", zh: "升级没有升到更高等级"),
    explanation: LocalizedText(
      """
      Severities are ordered as declared, least severe first; an escalation must go from a lower to
      a higher one.

      Example:
          escalate 3 major within 30d to minor

      Fix: swap them: `escalate 3 minor within 30d to major`.
      """,
      zh: """
        处罚等级按声明顺序由轻到重排列;升级必须从较低等级升到较高等级。

        示例:
            escalate 3 major within 30d to minor

        修正:交换两者:`escalate 3 minor within 30d to major`。
        """))

  /// Rule can never fire.
  public static let ruleNeverFires = DiagnosticCode(
    "E0506", LocalizedText("rule can never fire", zh: "规则永远不会触发"),
    explanation: LocalizedText(
      """
      The rule's condition contradicts itself, so no message can ever match it: a message has one
      sender, `not` of something always true is never true, a text cannot be both longer and shorter
      than a length.

      Example:
          when message from buyer and from seller

      Fix: use `or` where either sender is meant, or remove the contradiction.
      """,
      zh: """
        规则的条件自相矛盾,没有消息能满足:一条消息只有一个发送者;对恒真条件取 `not` 恒为假;
        文本不能同时长于又短于某个长度。

        示例:
            when message from buyer and from seller

        修正:若指任一发送者,改用 `or`;否则去掉矛盾的部分。
        """))

  /// `rate of` needs an obligation rule.
  public static let rateOfNonObligation = DiagnosticCode(
    "E0507", LocalizedText("`rate of` needs an obligation rule", zh: "`rate of` 需要时限类规则"),
    explanation: LocalizedText(
      """
      A rate counts how many obligations of another rule (an `every ... expect ...` rule) were met
      in time, or, as a count ratio, the messages a message rule gives a verdict on per other
      events (`rate of no_insults per message from seller`). The named rule is of another kind: a
      manual rule or a rate has neither obligations nor message verdicts.

      Example:
          rate of truthful_description per message over day at least 80%

      Fix: name an obligation rule such as `rate of reply_speed ...`, or a message rule.
      """,
      zh: """
        比率统计的是另一条时限规则(`every ... expect ...`)的义务按时完成的比例,或作为计数比率,
        统计消息规则判定的消息相对其他事件的数量(`rate of no_insults per message from seller`)。
        所指的规则两者都不是:人工规则和比率规则既没有义务也没有消息判定。

        示例:
            rate of truthful_description per message over day at least 80%

        修正:指向一条时限规则,例如 `rate of reply_speed ...`,或一条消息规则。
        """))

  /// A count ratio divided by a unit, or a pass rate divided by events.
  public static let ratioUnit = DiagnosticCode(
    "E0521", LocalizedText("count ratio divides by events", zh: "计数比率只能除以事件"),
    explanation: LocalizedText(
      """
      `rate of X per Y` is one of two kinds. A pass rate counts the obligations of an obligation
      rule in units (`per message`, `per buyer day`, `per conversation`). A count ratio counts
      events (the messages a message rule gives a verdict on, or a happening such as `event
      order_cancelled`) per other events (`per event order_placed`, `per message from seller`;
      `per message` is every message). A count ratio cannot count buyer days or conversations, and
      a pass rate cannot divide by events.

      Example:
          rate of event order_cancelled per buyer day over day at most 5%

      Fix: divide a count ratio by events (`per event order_placed`), or count an obligation rule.
      """,
      zh: """
        `rate of X per Y` 有两类。通过率按单位(`per message`、`per buyer day`、`per conversation`)
        统计时限规则的义务。计数比率统计事件(消息规则判定的消息,或 `event order_cancelled` 之类的事件)
        相对其他事件(`per event order_placed`、`per message from seller`;`per message` 即所有消息)
        的比例。计数比率不能按买家日或会话计数,通过率也不能除以事件。

        示例:
            rate of event order_cancelled per buyer day over day at most 5%

        修正:计数比率除以事件(`per event order_placed`),或改为统计一条时限规则。
        """))

  /// A sliding rate window that is not whole days, or over units that cannot slide.
  public static let rateWindowCannotSlide = DiagnosticCode(
    "E0522", LocalizedText("rate window cannot slide", zh: "比率窗口无法滑动"),
    explanation: LocalizedText(
      """
      `over last D` judges, for each local day, the window of the D days ending with it. D is a
      whole number of days (`7d`, not `36h`), and the units are messages or buyer days: a
      conversation may span several windows, so `per conversation` cannot slide.

      Example:
          rate of reply_speed per conversation over last 7d at least 90%

      Fix: write whole days (`over last 2d`), count `per message` or `per buyer day`, or cut time
      into consecutive spans with `over rolling D`.
      """,
      zh: """
        `over last D` 对每个本地日期判断以该日结束的 D 天窗口。D 必须是整天数(`7d`,而不是 `36h`),
        单位必须是消息或买家日:一个会话可能跨越多个窗口,所以 `per conversation` 不能滑动。

        示例:
            rate of reply_speed per conversation over last 7d at least 90%

        修正:写整天数(`over last 2d`),改为 `per message` 或 `per buyer day`,或用
        `over rolling D` 把时间切成连续的区间。
        """))

  /// Expectation names no rule.
  public static let expectationWithoutRule = DiagnosticCode(
    "E0508", LocalizedText("expectation names no rule", zh: "预期未指明规则"),
    explanation: LocalizedText(
      """
      A test written at top level must say which rule it expects: `expect violation of RULE`. Only a
      test inside a rule may leave it out.

      Example:
          expect violation at 1    # in a top-level test

      Fix: name the rule: `expect violation of no_insults at 1`.
      """,
      zh: """
        写在顶层的测试必须指明规则:`expect violation of RULE`。只有写在规则内部的测试可以省略。

        示例:
            expect violation at 1    # in a top-level test

        修正:写出规则名:`expect violation of no_insults at 1`。
        """))

  /// `at N` is beyond the test's events.
  public static let eventIndexOutOfRange = DiagnosticCode(
    "E0509", LocalizedText("`at N` is beyond the test's events", zh: "`at N` 超出测试事件范围"),
    explanation: LocalizedText(
      """
      `at N` is the 0-based index of one of the test's events; the test has fewer events.

      Example:
          expect violation at 3    # the test has 2 events: 0 and 1

      Fix: count the events from 0 and correct the index.
      """,
      zh: """
        `at N` 是测试事件的下标(从 0 开始);测试中的事件没有这么多。

        示例:
            expect violation at 3    # the test has 2 events: 0 and 1

        修正:从 0 开始数事件并改正下标。
        """))

  /// Condition nested too deeply.
  public static let conditionTooDeep = DiagnosticCode(
    "E0510", LocalizedText("condition nested too deeply", zh: "条件嵌套过深"),
    explanation: LocalizedText(
      """
      Conditions nest at most 64 levels deep.

      Example:
          when message ((((((... 100 levels ...))))))

      Fix: flatten the condition with `and` / `or` lists.
      """,
      zh: """
        条件最多嵌套 64 层。

        示例:
            when message ((((((... 100 levels ...))))))

        修正:用 `and` / `or` 把条件展平。
        """))

  /// A test expectation no verdict of its rule can meet.
  public static let expectationNeverHolds = DiagnosticCode(
    "E0512", LocalizedText("expectation can never hold", zh: "预期永远不会成立"),
    explanation: LocalizedText(
      """
      An expectation asks for something its rule's verdicts never carry: `at N` on a rate rule
      (a rate's verdict is about a shop's period, not about an event), or `matching "..."` on a rule
      whose verdicts have no text evidence (obligations, rates, manual rules). Such a test could
      never pass; `expect no violation` with it could never fail.

      Example:
          rate of reply_in_time per message over day at least 90%
          test "..." { ... expect violation at 0 }

      Fix: drop `at N` (rates) or `matching` (rules without text evidence).
      """,
      zh: """
        预期要求了该规则的判定永远不会带有的内容:比率规则上的 `at N`(比率判定针对店铺的一个周期,
        而不是某个事件),或没有文本证据的规则(时限、比率、人工规则)上的 `matching "..."`。这样的测试
        永远不会通过;配合 `expect no violation` 则永远不会失败。

        示例:
            rate of reply_in_time per message over day at least 90%
            test "..." { ... expect violation at 0 }

        修正:去掉 `at N`(比率规则)或 `matching`(没有文本证据的规则)。
        """))

  /// Test events out of order.
  public static let testEventsOutOfOrder = DiagnosticCode(
    "E0511", LocalizedText("test events out of order", zh: "测试事件时间倒序"),
    explanation: LocalizedText(
      """
      The events of a test are listed in time order; an event without a date is on the date of the
      event before it.

      Example:
          seller 10:05 "在的"
          buyer  10:00 "在吗"

      Fix: reorder the events, or give the later one a date: `2026-01-06 10:00`.
      """,
      zh: """
        测试事件按时间顺序列出;没有日期的事件与前一个事件同一天。

        示例:
            seller 10:05 "在的"
            buyer  10:00 "在吗"

        修正:调整事件顺序,或给较晚的事件写上日期:`2026-01-06 10:00`。
        """))

  /// Manual rule has a severity.
  public static let manualRuleWithSeverity = DiagnosticCode(
    "W0501", LocalizedText("manual rule has a severity", zh: "人工规则带有处罚等级"),
    severity: .warning,
    explanation: LocalizedText(
      """
      A manual rule gives no verdicts, so a severity on it has no effect.

      Example:
          rule truthful "如实描述" { clause AE-1.1.1  severity major  manual }

      Fix: remove the `severity` line.
      """,
      zh: """
        人工规则不产生判定,其处罚等级没有作用。

        示例:
            rule truthful "如实描述" { clause AE-1.1.1  severity major  manual }

        修正:删除 `severity` 行。
        """))
}
