// The checker: from the parsed files of a policy (imports first) to a `CheckedPolicy`, reporting
// every problem in one run. It works in two passes: the first gathers declarations in include
// order and applies `+=` and `override`; the second resolves every name and value. A wrong
// operand still yields a placeholder so that one mistake gives one message (Cedar style).

import PolicyLangCore

/// What `PolicyChecker.check` returns.
public struct CheckResult: Sendable {
  /// The checked policy; `nil` when any error was reported (warnings do not prevent it).
  public var policy: CheckedPolicy?
  /// Load, parse and check diagnostics, sorted by file and position.
  public var diagnostics: Diagnostics
  /// Every file read: the policy, its imports and word lists.
  public var sources: SourceMap
  /// Every name the checker resolved, with the declaration it resolved to, for editors.
  package var resolvedNames: [ResolvedName] = []
}

/// A name as used (or as extended or overridden) and the declaration it resolved to: what an
/// editor's go-to-definition and find-references follow, so they agree with the checker.
package struct ResolvedName: Sendable, Hashable {
  /// The name where it is used.
  package var use: SourceSpan
  /// The name in the declaration it resolved to.
  package var declaration: SourceSpan
}

/// The checker's entry points.
public enum PolicyChecker {
  /// Loads the policy at `path` (with its imports and word lists) from `provider` and checks it.
  /// Every file must lie under `root`, by default the directory of `path` (E0002).
  public static func check(
    path: String, root: SourceRoot? = nil, provider: some SourceProvider
  ) -> CheckResult {
    check(PolicyLoader.load(path: path, root: root, provider: provider))
  }

  /// Checks a single policy held in memory; its imports and word lists are reported missing.
  public static func check(source: String, name: String = "policy.policy") -> CheckResult {
    check(path: name, provider: InMemorySourceProvider([PolicyLoader.normalize(name): source]))
  }

  /// Checks files that are already loaded.
  public static func check(_ loaded: LoadedPolicy) -> CheckResult {
    var diagnostics = loaded.diagnostics
    guard loaded.root != nil else {
      diagnostics.sort()
      return CheckResult(policy: nil, diagnostics: diagnostics, sources: loaded.sources)
    }
    var checker = Checker(loaded: loaded)
    let policy = checker.run()
    diagnostics.append(contentsOf: checker.diagnostics)
    diagnostics.sort()
    return CheckResult(
      policy: diagnostics.hasErrors ? nil : policy, diagnostics: diagnostics,
      sources: loaded.sources, resolvedNames: checker.resolvedNames)
  }
}

/// The kinds of name that share one namespace: lists, domains, constants, hours and dates.
enum ValueKind: Sendable {
  case terms, domains, constant, hours, dates

  var noun: LocalizedText {
    switch self {
    case .terms: return LocalizedText("term list", zh: "词表")
    case .domains: return LocalizedText("domain list", zh: "域名表")
    case .constant: return LocalizedText("constant", zh: "常量")
    case .hours: return LocalizedText("hours window", zh: "时段")
    case .dates: return LocalizedText("date list", zh: "日期表")
    }
  }
}

/// A declared list, domain list, constant, hours or dates name.
struct ValueSymbol {
  var kind: ValueKind
  /// Index into the array of its kind.
  var index: Int
  /// The name as written in the declaration that defines it now (after overrides).
  var declared: SourceSpan
  /// Whether that declaration is in the checked file (unused warnings are for it only).
  var inRoot: Bool
}

/// A term list being assembled from its declaration and `+=` additions.
struct TermListDraft {
  var name: String
  var title: String?
  var terms: [CheckedTerm]
  var span: SourceSpan
}

struct DomainListDraft {
  var name: String
  var domains: [StringLiteral]
  var span: SourceSpan
}

/// A rule as gathered in the first pass, with whether it is written in the checked file.
struct RuleDraft {
  var decl: RuleDecl
  var inRoot: Bool
}

/// Where a test came from, in include order.
enum TestOrigin {
  case topLevel(TestDecl)
  /// The tests written inside rule `index` (as it stands after overrides).
  case insideRule(Int)
}

struct Checker {
  let loaded: LoadedPolicy
  var diagnostics = Diagnostics()

  var header: PolicyHeader?
  var clauses: [ClauseDecl] = []
  var clauseIndex: [String: Int] = [:]
  var symbols: [String: ValueSymbol] = [:]
  var used: Set<String> = []
  var termLists: [TermListDraft] = []
  /// Terms and variants seen so far, against `PolicyLimits.maximumTerms`.
  var termCount = 0
  var domainLists: [DomainListDraft] = []
  var constants: [ConstDecl] = []
  var hoursDecls: [HoursDecl] = []
  var datesDecls: [DatesDecl] = []
  /// The valid dates of each `dates` declaration, checked once.
  var resolvedDates: [[CivilDate]] = []
  var severities: [SeverityDecl] = []
  var severityIndex: [String: Int] = [:]
  var escalations: [EscalationDecl] = []
  var rules: [RuleDraft] = []
  var ruleIndex: [String: Int] = [:]
  var testOrigins: [TestOrigin] = []
  /// Declarations refused as duplicates: still checked, so that one run reports every error.
  var rejectedRules: [RuleDecl] = []
  var rejectedHours: [HoursDecl] = []
  var rejectedConstants: [ConstDecl] = []
  /// The policy's normalization, once the header is checked: list terms are compared under it.
  var normalization = Set(NormalizationStep.allCases)
  /// Every name looked up, extended or overridden, with its declaration.
  var resolvedNames: [ResolvedName] = []

  /// Each word-list file read, by id: its path relative to the root.
  let wordListPaths: [FileID: String]

  init(loaded: LoadedPolicy) {
    self.loaded = loaded
    let policyFiles = Set(loaded.files.map(\.id))
    wordListPaths = loaded.relativePaths.filter { !policyFiles.contains($0.key) }
  }

  mutating func report(_ diagnostic: Diagnostic) {
    diagnostics.append(diagnostic)
  }

  mutating func resolved(_ use: SourceSpan, to declaration: SourceSpan) {
    resolvedNames.append(ResolvedName(use: use, declaration: declaration))
  }

  /// Both passes and the lints; returns the policy (the caller drops it when there are errors).
  mutating func run() -> CheckedPolicy {
    for file in loaded.files {
      for declaration in file.syntax.declarations {
        gather(declaration, in: file)
      }
    }
    let headerFacts = checkHeader()
    normalization = headerFacts.normalization
    let checkedClauses = clauses.map {
      CheckedClause(id: $0.id.id, title: $0.title.value, kind: $0.kind ?? .informational, span: $0.span)
    }
    let checkedTerms = termLists.map { finishTermList($0) }
    let checkedDomains = domainLists.map { finishDomainList($0) }
    resolvedDates = datesDecls.map { checkDates($0.dates) }
    let checkedHours = hoursDecls.map { resolveHours($0) }
    for decl in rejectedHours { _ = resolveHours(decl) }
    for decl in rejectedConstants { checkConstant(decl) }
    for decl in constants { checkConstant(decl) }
    let checkedSeverities = severities.map { resolveSeverity($0) }
    let checkedEscalations = escalations.compactMap { resolveEscalation($0) }
    var checkedRules: [CheckedRule] = []
    for index in rules.indices {
      checkedRules.append(resolveRule(rules[index].decl))
    }
    for decl in rejectedRules {
      _ = resolveRule(decl)
      // Its tests still name it: any index stands for it, the result is dropped.
      for test in decl.tests { _ = resolveTest(test, enclosingRule: 0) }
    }
    var checkedTests: [CheckedTest] = []
    for origin in testOrigins {
      switch origin {
      case .topLevel(let test):
        checkedTests.append(resolveTest(test, enclosingRule: nil))
      case .insideRule(let index):
        guard rules.indices.contains(index) else { continue }
        for test in rules[index].decl.tests {
          checkedTests.append(resolveTest(test, enclosingRule: index))
        }
      }
    }
    // A file without a header is a library checked on its own: coverage and use belong to the
    // policies that import it.
    if header != nil {
      lintCoverage(rules: checkedRules, severities: checkedSeverities, escalations: checkedEscalations)
      lintUnused()
    }
    return CheckedPolicy(
      name: headerFacts.name, title: headerFacts.title, source: headerFacts.source,
      sourceDate: headerFacts.sourceDate, zone: headerFacts.zone,
      normalization: headerFacts.normalization, clauses: checkedClauses,
      severities: checkedSeverities, escalations: checkedEscalations, termLists: checkedTerms,
      domainLists: checkedDomains, hours: checkedHours, rules: checkedRules, tests: checkedTests,
      sources: loaded.sources, span: header?.span ?? .none)
  }
}
