import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Parts of the checker tested on their own, and codes the parser keeps from being written.
@Suite("Checker units")
struct CheckerUnitTests {
  @Test func crossingMidnightSplitsOntoTheNextDay() {
    #expect(Checker.split(start: 79_200, end: 21_600, on: 6).map(\.0) == [6, 0])
    #expect(
      Checker.split(start: 79_200, end: 21_600, on: 6).map(\.1) == [
        SecondsRange(start: 79_200, end: 86_400), SecondsRange(start: 0, end: 21_600),
      ])
    #expect(
      Checker.split(start: 79_200, end: 0, on: 2).map(\.1) == [SecondsRange(start: 79_200, end: 86_400)])
    #expect(Checker.split(start: 3600, end: 7200, on: 0).map(\.0) == [0])
  }

  @Test func aSyntaxErrorInARuleBodyIsNotFollowedByAMissingBody() {
    let result = PolicyChecker.check(
      source: """
        policy p {
          zone UTC
        }
        clause C-1 "c" content
        clause C-9 "s" sanction
        severity minor sanction "w" clause C-9
        rule r "r" {
          clause C-1
          severity minor
          when message from seller and and
        }
        """)
    let codes = result.diagnostics.items.map(\.code.id)
    #expect(codes.contains { $0.hasPrefix("E02") }, "\(codes)")
    #expect(!codes.contains("E0502"), "a knock-on E0502 after the syntax error: \(codes)")
  }

  @Test func windowsMerge() {
    let merged = Checker.merge([
      SecondsRange(start: 50, end: 60), SecondsRange(start: 0, end: 10), SecondsRange(start: 10, end: 20),
      SecondsRange(start: 55, end: 70),
    ])
    #expect(merged == [SecondsRange(start: 0, end: 20), SecondsRange(start: 50, end: 70)])
  }

  @Test func hoursFromSource() throws {
    let result = PolicyChecker.check(
      source: """
        policy p {
          zone UTC
        }
        hours night = sat-sun 22:00-06:00; mon 00:00-01:00
        const c = 1h
        clause T-1 "x" timeline
        severity minor sanction "警告"
        rule r "r" {
          clause T-1
          severity minor
          every message from buyer during night
          expect reply within c
        }
        """)
    let hours = try #require(result.policy?.hours.first, "\(CheckFixtures.render(result))")
    #expect(hours.windowsByWeekday[5] == [SecondsRange(start: 79_200, end: 86_400)])
    #expect(
      hours.windowsByWeekday[6] == [
        SecondsRange(start: 0, end: 21_600), SecondsRange(start: 79_200, end: 86_400),
      ])
    #expect(hours.windowsByWeekday[0] == [SecondsRange(start: 0, end: 21_600)])
    #expect(hours.windowsByWeekday[1].isEmpty)
  }

  @Test func didYouMean() {
    #expect(Suggest.nearest(to: "insult", among: ["insults", "stop_requests"]) == "insults")
    #expect(Suggest.nearest(to: "contact_app", among: ["contact_apps", "contacts"]) == "contact_apps")
    #expect(Suggest.nearest(to: "peak", among: ["night", "office"]) == nil)
    #expect(Suggest.nearest(to: "AE-1.2.4", among: ["AE-1.2.1", "AE-1.2.3", "PDD-2.1"]) == "AE-1.2.1")
    #expect(Suggest.nearest(to: "Asia/Shanghia", among: SemanticOracles.commonZones) == "Asia/Shanghai")
    #expect(Suggest.nearest(to: "x", among: []) == nil)
    #expect(Suggest.editDistance("kitten", "sitting", limit: 5) == 3)
    #expect(Suggest.editDistance("", "abc", limit: 5) == 3)
    #expect(Suggest.editDistance("abcdef", "uvwxyz", limit: 2) == 3)
  }

  @Test(arguments: [
    ("", true), ("x*", true), ("(ab)?", true), ("[0-9]*", true), ("a|", true), ("|a", true),
    ("^$", true), ("a{0,3}", true), ("\\d*\\s?", true), ("a", false), ("x+", false), ("[0-9]+", false),
    ("(ab)?c", false), ("a|b", false), ("微信", false), ("\\d{6,}", false),
  ])
  func emptyPatterns(_ pattern: String, _ matchesEmpty: Bool) throws {
    let compiled = try SemanticOracles.checkPattern(pattern).get()
    #expect(compiled.matchesEmpty == matchesEmpty, "\(pattern)")
  }

  @Test func foldingUsesThePolicyNormalization() {
    let all = Set(NormalizationStep.allCases)
    #expect(SemanticOracles.fold("ＶＸ", under: all) == SemanticOracles.fold("vx", under: all))
    #expect(SemanticOracles.fold("VX", under: []) != SemanticOracles.fold("vx", under: []))
  }

  @Test func zones() {
    #expect(SemanticOracles.isKnownZone("Asia/Shanghai"))
    #expect(SemanticOracles.isKnownZone("UTC"))
    #expect(!SemanticOracles.isKnownZone("Asia/Beijing"))
    #expect(!SemanticOracles.isKnownZone("../../etc/passwd"))
  }

  // MARK: - Hand-built trees

  static let file = FileID(0)
  static func span(_ start: Int = 0) -> SourceSpan { SourceSpan(file: file, start: start, end: start + 1) }
  static func id(_ name: String) -> Identifier { Identifier(name, span: span()) }

  /// A one-file policy from declarations, checked without the parser.
  static func check(_ declarations: [Declaration]) -> CheckResult {
    var sources = SourceMap()
    let fileID = sources.add(name: "tree.policy", bytes: Array("#\n".utf8))
    let syntax = PolicyFile(file: fileID, declarations: declarations, span: span())
    let loaded = LoadedPolicy(
      files: [LoadedFile(id: fileID, path: "tree.policy", syntax: syntax, isRoot: true, importedAt: nil)],
      sources: sources, diagnostics: Diagnostics(), wordLists: [:])
    return PolicyChecker.check(loaded)
  }

  static let preamble: [Declaration] = [
    .policy(
      PolicyHeader(
        name: id("p"), title: nil, source: nil, sourceDate: nil, zone: ZoneName("UTC", span: span()),
        normalize: [], span: span())),
    .clause(
      ClauseDecl(
        id: ClauseRef("T-1", span: span()), title: StringLiteral("x", span: span()), kind: .content,
        kindSpan: span(), span: span())),
  ]

  static func rule(_ condition: Condition, severity: String = "minor") -> Declaration {
    .rule(
      RuleDecl(
        isOverride: false, name: id("r"), title: nil, clause: ClauseRef("T-1", span: span()),
        severity: id(severity), body: .message(MessageBody(condition: condition, span: span())), tests: [],
        span: span()))
  }

  @Test func severityWithoutSanction() {
    let severity = Declaration.severity(
      SeverityDecl(name: Self.id("minor"), title: nil, sanction: nil, clause: nil, span: Self.span()))
    let result = Self.check(
      Self.preamble + [
        severity, Self.rule(.containsTerm(StringLiteral("x", span: Self.span()), span: Self.span())),
      ])
    #expect(result.diagnostics.map(\.code.id) == ["E0504"])
    #expect(result.policy == nil)
  }

  @Test func deepConditionsAreRefusedWithoutOverflow() {
    var condition = Condition.containsTerm(StringLiteral("x", span: Self.span()), span: Self.span())
    for _ in 0..<5000 { condition = .not(condition, span: Self.span()) }
    let severity = Declaration.severity(
      SeverityDecl(
        name: Self.id("minor"), title: nil, sanction: StringLiteral("警告", span: Self.span()), clause: nil,
        span: Self.span()))
    let result = Self.check(Self.preamble + [severity, Self.rule(condition)])
    #expect(result.diagnostics.map(\.code.id) == ["E0510"])
  }

  @Test func oneMistakeGivesOneMessage() {
    // A wrong unit in a constant used twice is reported at each use, but nothing cascades:
    // the rule still resolves, no unused or never-fires warnings follow.
    let result = PolicyChecker.check(
      source: """
        policy p {
          zone UTC
        }
        clause T-1 "x" timeline
        severity minor sanction "警告"
        const limit = 24
        rule r "r" {
          clause T-1
          severity minor
          every message from buyer
          expect reply within limit
        }
        """)
    #expect(result.diagnostics.map(\.code.id) == ["E0401"])
  }

  @Test func everyErrorIsReportedInOneRun() {
    let result = PolicyChecker.check(
      source: """
        policy p {
          zone Mars/Base
        }
        clause T-1 "x" content
        severity minor sanction "警告"
        hours h = 25:00-26:00
        rule a "a" {
          clause T-2
          severity mnor
          when message contains any nothing and from buyer and from seller
        }
        rule a "b" {
          clause T-1
          severity minor
          when message has attachment gif
        }
        """)
    let codes = Set(result.diagnostics.map(\.code.id))
    #expect(codes.isSuperset(of: ["E0405", "E0402", "E0308", "E0301", "E0506", "E0302", "E0411"]))
  }
}
