// Lints: coverage of the clause catalog (W0601) and declarations nothing uses (W0602).

import PolicyLangCore

extension Checker {
  /// W0601 for each clause whose kind asks for something that nothing provides.
  mutating func lintCoverage(
    rules: [CheckedRule], severities: [CheckedSeverity], escalations: [CheckedEscalation]
  ) {
    var ruleClauses = Set<Int>()
    var manualClauses = Set<Int>()
    for rule in rules {
      ruleClauses.insert(rule.clause)
      if case .manual = rule.body { manualClauses.insert(rule.clause) }
    }
    let sanctionClauses = Set(severities.compactMap(\.clause) + escalations.compactMap(\.clause))
    for (index, clause) in clauses.enumerated() {
      guard let kind = clause.kind else { continue }
      let message: LocalizedText
      let help: LocalizedText
      switch kind {
      case .content, .timeline, .aggregate:
        guard !ruleClauses.contains(index) else { continue }
        message = LocalizedText(
          "\(kind.rawValue) clause `\(clause.id.id)` is enforced by no rule",
          zh: "\(kind.rawValue) 条款 `\(clause.id.id)` 没有规则执行")
        help = LocalizedText(
          "write a rule with `clause \(clause.id.id)`, or mark the clause `manual` or `informational`",
          zh: "写一条含 `clause \(clause.id.id)` 的规则,或把条款标为 `manual` 或 `informational`")
      case .manual:
        guard !manualClauses.contains(index) else { continue }
        message = LocalizedText(
          "manual clause `\(clause.id.id)` has no manual rule",
          zh: "人工条款 `\(clause.id.id)` 没有人工规则")
        help = LocalizedText(
          "add `rule NAME \"TITLE\" { clause \(clause.id.id)  manual \"why\" }` so coverage lists it",
          zh: "加上 `rule 名称 \"标题\" { clause \(clause.id.id)  manual \"原因\" }`,使覆盖报告列出它")
      case .sanction:
        guard !sanctionClauses.contains(index) else { continue }
        message = LocalizedText(
          "sanction clause `\(clause.id.id)` is cited by no severity or escalation",
          zh: "处罚条款 `\(clause.id.id)` 没有被任何处罚等级或升级引用")
        help = LocalizedText(
          "add `clause \(clause.id.id)` to the severity or escalation it describes",
          zh: "在它所描述的处罚等级或升级后加上 `clause \(clause.id.id)`")
      case .definition, .informational:
        continue
      }
      report(Diagnostic(.clauseNotEnforced, message, at: clause.id.span, help: help))
    }
  }

  /// W0602 for each list, domain list, constant, hours or dates declared in the checked file and
  /// used nowhere. Declarations of imported libraries are not reported: other policies may use
  /// them.
  mutating func lintUnused() {
    let unused = symbols.filter { $0.value.inRoot && !used.contains($0.key) }
      .sorted {
        ($0.value.declared.file, $0.value.declared.start) < ($1.value.declared.file, $1.value.declared.start)
      }
    for (name, symbol) in unused {
      report(
        Diagnostic(
          .unusedDeclaration,
          LocalizedText(
            "\(symbol.kind.noun.english) `\(name)` is never used",
            zh: "\(symbol.kind.noun.chinese) `\(name)` 从未使用"),
          at: symbol.declared,
          help: LocalizedText("use it in a rule, or delete it", zh: "在规则中使用它,或删除它")))
    }
  }
}
