import PolicyLangCore

/// How a catalog clause is covered: by rules, by sanctions, or by being declared as needing none.
public enum CoverageStatus: String, Sendable {
  /// Enforced by at least one machine-checkable rule.
  case enforced
  /// Kept for human review by a `manual` rule (and possibly flagged by review rules).
  case manual
  /// A sanction clause used by severities or escalation.
  case sanction
  /// A definition or informational clause: nothing to enforce.
  case informational
  /// Declared, but nothing enforces it.
  case uncovered
}

/// One clause of the catalog and what covers it.
public struct ClauseCoverage: Sendable, Equatable {
  public var clause: String
  public var title: String
  public var kind: ClauseKind
  public var status: CoverageStatus
  /// The rules citing the clause, with their kinds (`message`, `obligation`, `manual`, ...).
  public var rules: [(name: String, kind: String)]
  /// The severities and escalations citing it.
  public var sanctions: [String]

  public static func == (a: ClauseCoverage, b: ClauseCoverage) -> Bool {
    a.clause == b.clause && a.status == b.status && a.sanctions == b.sanctions
      && a.rules.map(\.name) == b.rules.map(\.name) && a.rules.map(\.kind) == b.rules.map(\.kind)
  }
}

/// The coverage report of `policyc check --coverage`: every clause of a policy's catalog with the
/// rules that enforce it, so that no clause of the platform's document is silently left out.
public struct CoverageReport: Sendable {
  public var policy: String
  public var clauses: [ClauseCoverage]

  public init(_ policy: CheckedPolicy) {
    self.policy = policy.name
    clauses = policy.clauses.enumerated().map { index, clause in
      let rules = policy.rules.filter { $0.clause == index }.map { ($0.name, $0.body.kindName) }
      var sanctions = policy.severities.filter { $0.clause == index }.map { "severity \($0.name)" }
      sanctions += policy.escalations.filter { $0.clause == index }.map { e in
        "escalate \(e.count) \(policy.severities[e.from].name) to \(policy.severities[e.to].name)"
      }
      let machine = rules.contains { $0.1 != "manual" }
      let status: CoverageStatus
      if machine {
        status = .enforced
      } else if !rules.isEmpty {
        status = .manual
      } else if !sanctions.isEmpty {
        status = .sanction
      } else if clause.kind == .definition || clause.kind == .informational {
        status = .informational
      } else {
        status = .uncovered
      }
      return ClauseCoverage(
        clause: clause.id, title: clause.title, kind: clause.kind, status: status, rules: rules,
        sanctions: sanctions)
    }
  }

  public var uncovered: [ClauseCoverage] { clauses.filter { $0.status == .uncovered } }

  /// A table a person reads.
  public func text(language: Language) -> String {
    let zh = language == .chinese
    var lines = [zh ? "策略 \(policy) 的条款覆盖:" : "coverage of policy \(policy):"]
    let width = clauses.map(\.clause.count).max() ?? 0
    for c in clauses {
      let pad = String(repeating: " ", count: width - c.clause.count)
      var what: [String] = c.rules.map { "\($0.name) (\($0.kind))" }
      what += c.sanctions
      let status = zh ? Self.chinese[c.status] ?? c.status.rawValue : c.status.rawValue
      let detail = what.isEmpty ? "" : ": " + what.joined(separator: ", ")
      lines.append("  \(c.clause)\(pad)  \(status)\(detail)")
    }
    let missing = uncovered.map(\.clause)
    lines.append(
      missing.isEmpty
        ? (zh ? "全部 \(clauses.count) 个条款均已覆盖。" : "all \(clauses.count) clauses covered.")
        : (zh
          ? "未覆盖的条款:\(missing.joined(separator: ", "))"
          : "uncovered clauses: \(missing.joined(separator: ", "))"))
    return lines.joined(separator: "\n") + "\n"
  }

  private static let chinese: [CoverageStatus: String] = [
    .enforced: "已执行", .manual: "人工复核", .sanction: "处罚条款", .informational: "说明/定义",
    .uncovered: "未覆盖",
  ]

  /// The same report as JSON (never translated).
  public func json() -> String {
    var out = JSONBuilder()
    out.raw("{\"policy\":")
    out.string(policy)
    out.raw(",\"clauses\":[")
    for (i, c) in clauses.enumerated() {
      if i > 0 { out.raw(",") }
      out.raw("{\"clause\":")
      out.string(c.clause)
      out.raw(",\"title\":")
      out.string(c.title)
      out.raw(",\"kind\":")
      out.string(c.kind.rawValue)
      out.raw(",\"status\":")
      out.string(c.status.rawValue)
      out.raw(",\"rules\":[")
      for (j, r) in c.rules.enumerated() {
        if j > 0 { out.raw(",") }
        out.raw("{\"rule\":")
        out.string(r.name)
        out.raw(",\"kind\":")
        out.string(r.kind)
        out.raw("}")
      }
      out.raw("],\"sanctions\":[")
      for (j, s) in c.sanctions.enumerated() {
        if j > 0 { out.raw(",") }
        out.string(s)
      }
      out.raw("]}")
    }
    out.raw("],\"uncovered\":\(uncovered.count)}\n")
    return out.text
  }
}
