// The lints: warnings about coverage and tidiness that never stop a policy from compiling
// (unless `--deny-warnings`).

import PolicyLangCore

extension DiagnosticCode {
  /// Every code of this stage, in id order.
  package static let lintCatalog: [DiagnosticCode] = [
    clauseNotEnforced, unusedDeclaration, foldedDuplicateTerm, missingZone,
  ]

  /// Clause is not enforced.
  public static let clauseNotEnforced = DiagnosticCode(
    "W0601", LocalizedText("clause is not enforced", zh: "条款未被执行"),
    severity: .warning,
    explanation: LocalizedText(
      """
      Coverage: a `content`, `timeline` or `aggregate` clause has no rule, a `manual` clause no
      `manual` rule, or a `sanction` clause no severity or escalation citing it. `definition` and
      `informational` clauses need nothing.

      Example:
          clause AE-1.2.3 "不得辱骂买家" content    # no rule says `clause AE-1.2.3`

      Fix: write a rule for it, or mark it `manual` / `informational` if no program can check it.
      """,
      zh: """
        覆盖检查:`content`、`timeline` 或 `aggregate` 条款没有规则,
        `manual` 条款没有 `manual` 规则,或 `sanction` 条款没有处罚等级或升级引用它。
        `definition` 和 `informational` 条款无需处理。

        示例:
            clause AE-1.2.3 "不得辱骂买家" content    # no rule says `clause AE-1.2.3`

        修正:为它写一条规则;若程序无法检查,把它标为 `manual` 或 `informational`。
        """))

  /// Declared but never used.
  public static let unusedDeclaration = DiagnosticCode(
    "W0602", LocalizedText("declared but never used", zh: "已声明但未使用"),
    severity: .warning,
    explanation: LocalizedText(
      """
      A list, domain list, constant, hours window or date list of this policy is used by no rule,
      hours window, escalation or test. Only declarations written in the checked policy itself are
      reported: a library's declarations may be meant for other policies.

      Example:
          terms insults = ["滚"]    # no rule says `contains any insults`

      Fix: use it in a rule, or delete it.
      """,
      zh: """
        本策略中的词表、域名表、常量、时段或日期表没有被任何规则、时段、升级或测试使用。只报告写在被检查策略本身中的声明:库中的声明可能供其他策略使用。

        示例:
            terms insults = ["滚"]    # no rule says `contains any insults`

        修正:在规则中使用它,或删除它。
        """))

  /// Term is the same as another after normalization.
  public static let foldedDuplicateTerm = DiagnosticCode(
    "W0603", LocalizedText("term is the same as another after normalization", zh: "规范化后与另一词相同"),
    severity: .warning,
    explanation: LocalizedText(
      """
      Matching runs on normalized text (full-width to half-width, lower case, ...), so two terms of
      one list that normalize to the same text are one term.

      Example:
          terms apps = ["VX", "vx", "ｖｘ"]

      Fix: keep one of them: `terms apps = ["vx"]`.
      """,
      zh: """
        匹配在规范化后的文本上进行(全角转半角、转小写等),同一词表中规范化后相同的两个词其实是同一个词。

        示例:
            terms apps = ["VX", "vx", "ｖｘ"]

        修正:只保留一个:`terms apps = ["vx"]`。
        """))

  /// Policy has no time zone.
  public static let missingZone = DiagnosticCode(
    "W0604", LocalizedText("policy has no time zone", zh: "策略未指定时区"),
    severity: .warning,
    explanation: LocalizedText(
      """
      Without `zone`, every hour window, day and period of the policy is read in UTC, which is
      rarely what a marketplace means.

      Example:
          policy demo "示例" { source "rules.txt" }

      Fix: add the platform's zone: `zone Asia/Shanghai`.
      """,
      zh: """
        没有 `zone` 时,策略中的所有时段、日期和统计周期都按 UTC 计算,这通常不是平台的本意。

        示例:
            policy demo "示例" { source "rules.txt" }

        修正:加上平台所在时区:`zone Asia/Shanghai`。
        """))
}
