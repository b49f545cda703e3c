// Inline tests in the editor: a code lens above every rule that has tests ("▶ run 3 tests") and
// one above the policy header for all of them. The lens runs `policylang.runTests`, which checks
// the document as it is, compiles it and runs its tests with `PolicyTestRunner` (what `policyc
// test` runs). The result is shown as a message, in the lens titles, and as diagnostics on the
// `expect` lines that failed, until the document changes.

import PolicyLang

/// The last test run of a document.
struct TestRun: Sendable {
  /// The document version the tests ran on.
  var version: Int
  /// The rule whose tests ran, or `nil` for every test.
  var rule: String?
  /// Every outcome of the run.
  var outcomes: [PolicyTestOutcome]
}

/// Code lenses, the run-tests command and its diagnostics.
enum TestLensFeature {
  /// A lens for each rule of the document with tests, and one for all tests on the header.
  static func codeLenses(
    of analysis: DocumentAnalysis, lastRun: TestRun?, context: FeatureContext
  ) -> JSONValue {
    let run = lastRun?.version == analysis.version ? lastRun : nil
    var lenses: [JSONValue] = []
    let own = analysis.symbols.symbols.filter { $0.span.file == analysis.file.id }
    let tests = own.filter { $0.category == .test }
    if let header = own.first(where: { $0.category == .policy }), !tests.isEmpty {
      let results = run.map { $0.outcomes.filter { $0.span.file == analysis.file.id } }
      lenses.append(
        lens(
          at: analysis.file.range(of: header.nameSpan), uri: analysis.uri, rule: nil, count: tests.count,
          results: run?.rule == nil ? results : nil, all: true, context: context))
    }
    for rule in own where rule.category == .rule {
      let count = tests.filter { $0.enclosingRule == rule.name }.count
      guard count > 0 else { continue }
      let results = run.map {
        $0.outcomes.filter { $0.rule == rule.name && $0.span.file == analysis.file.id }
      }
      lenses.append(
        lens(
          at: analysis.file.range(of: rule.nameSpan), uri: analysis.uri, rule: rule.name, count: count,
          results: results.flatMap { $0.isEmpty ? nil : $0 }, all: false, context: context))
    }
    return .array(lenses)
  }

  private static func lens(
    at range: TextRange, uri: String, rule: String?, count: Int, results: [PolicyTestOutcome]?, all: Bool,
    context: FeatureContext
  ) -> JSONValue {
    let title: LocalizedText
    if let results {
      let failed = results.filter { !$0.passed }.count
      title =
        failed == 0
        ? LocalizedText("✓ \(results.count) passed — run again", zh: "✓ \(results.count) 个通过 — 再次运行")
        : LocalizedText(
          "✗ \(failed) of \(results.count) failed — run again",
          zh: "✗ \(results.count) 个中 \(failed) 个失败 — 再次运行")
    } else if all {
      title = LocalizedText("▶ run all \(count) tests", zh: "▶ 运行全部 \(count) 个测试")
    } else {
      title = LocalizedText("▶ run \(count) test\(count == 1 ? "" : "s")", zh: "▶ 运行 \(count) 个测试")
    }
    var arguments: [JSONValue] = [.string(uri)]
    if let rule { arguments.append(.string(rule)) }
    return [
      "range": range.json,
      "command": [
        "title": .string(context.text(title)), "command": .string(ServerSession.runTestsCommand),
        "arguments": .array(arguments),
      ],
    ]
  }

  /// What running the tests gave: the run to keep (none when the tests could not run), a
  /// summary for the editor, its message type, and the command's result.
  struct Outcome {
    var run: TestRun?
    var summary: String
    /// 1 error, 2 warning, 3 info.
    var messageType: Int
    var result: JSONValue
  }

  /// Runs the tests of `analysis`'s policy: those of `rule`, or all.
  static func run(_ analysis: DocumentAnalysis, rule: String?, context: FeatureContext) -> Outcome {
    guard let policy = analysis.policy else {
      let errors = analysis.diagnostics.errorCount
      let why =
        analysis.isLibrary
        ? LocalizedText(
          "tests run on a policy: this file has no `policy` header; run them from a policy that imports it",
          zh: "测试在策略上运行:此文件没有 `policy` 头;请在导入它的策略中运行")
        : LocalizedText(
          "cannot run the tests: the policy has \(errors) error\(errors == 1 ? "" : "s")",
          zh: "无法运行测试:策略有 \(errors) 个错误")
      let message = context.text(why)
      return Outcome(run: nil, summary: message, messageType: 1, result: ["error": .string(message)])
    }
    let outcomes: [PolicyTestOutcome]
    do {
      outcomes = try PolicyTestRunner.run(policy).filter { rule == nil || $0.rule == rule }
    } catch {
      let message = context.text(
        LocalizedText("cannot compile the policy: \(error)", zh: "无法编译策略:\(error)"))
      return Outcome(run: nil, summary: message, messageType: 1, result: ["error": .string(message)])
    }
    let failed = outcomes.filter { !$0.passed }
    let passed = outcomes.count - failed.count
    var lines = [
      (rule.map { context.text(LocalizedText("rule \($0): ", zh: "规则 \($0):")) } ?? "")
        + "\(passed) passed, \(failed.count) failed"
    ]
    for outcome in failed.prefix(3) {
      let line = context.describe(outcome.span, in: analysis.sources, from: analysis.file.name)
      lines.append("\(line): FAIL test \"\(outcome.name)\"")
      for failure in outcome.failures {
        lines.append(context.text(LocalizedText("  expected: ", zh: "  期望:")) + failure.expected)
        let actual =
          failure.actual.isEmpty
          ? context.text(LocalizedText("no verdicts", zh: "没有判定")) : failure.actual.joined(separator: "; ")
        lines.append(context.text(LocalizedText("  actual:   ", zh: "  实际:")) + actual)
      }
    }
    let result: JSONValue = [
      "passed": JSONValue(passed),
      "failed": JSONValue(failed.count),
      "tests": .array(outcomes.map { json($0, sources: analysis.sources) }),
    ]
    return Outcome(
      run: TestRun(version: analysis.version, rule: rule, outcomes: outcomes),
      summary: lines.joined(separator: "\n"), messageType: failed.isEmpty ? 3 : 2, result: result)
  }

  private static func json(_ outcome: PolicyTestOutcome, sources: SourceMap) -> JSONValue {
    let line = sources[outcome.span.file].map { $0.location(of: Int(outcome.span.start)).line } ?? 0
    return [
      "name": .string(outcome.name),
      "rule": JSONValue(outcome.rule),
      "line": JSONValue(line),
      "passed": .bool(outcome.passed),
      "failures": .array(
        outcome.failures.map {
          ["expected": .string($0.expected), "actual": .array($0.actual.map { .string($0) })]
        }),
    ]
  }

  /// The failed expectations of a run in the document, as diagnostics on their `expect` lines.
  static func failureDiagnostics(
    _ run: TestRun, analysis: DocumentAnalysis, context: FeatureContext
  ) -> [JSONValue] {
    var result: [JSONValue] = []
    for outcome in run.outcomes where !outcome.passed {
      for failure in outcome.failures where failure.span.file == analysis.file.id {
        let actual =
          failure.actual.isEmpty
          ? context.text(LocalizedText("no verdicts", zh: "没有判定")) : failure.actual.joined(separator: "; ")
        let message = context.text(
          LocalizedText(
            "test \"\(outcome.name)\" failed\nexpected: \(failure.expected)\nactual:   \(actual)",
            zh: "测试 \"\(outcome.name)\" 失败\n期望:\(failure.expected)\n实际:\(actual)"))
        result.append([
          "range": analysis.file.range(of: failure.span).json,
          "severity": 1,
          "code": "test",
          "source": "policyc test",
          "message": .string(message),
        ])
      }
    }
    return result
  }
}
