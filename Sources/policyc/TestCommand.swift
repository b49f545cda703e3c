import PolicyLang

/// `policyc test FILE...`: runs every test written inside the policies, prints each failure with
/// the expected and actual verdicts and the source line of the test, and ends with the line
/// `N passed, M failed` (exit 1 on any failure).
enum TestCommand {
  static func run(_ context: CommandContext) -> Int32 {
    let paths = context.arguments.positionals
    guard !paths.isEmpty else {
      Console.err(
        LocalizedText("policyc test: give at least one policy file", zh: "policyc test:请至少给出一个策略文件"),
        context.language)
      return ExitStatus.usage
    }
    var statuses: [Int32] = []
    var passed = 0
    var failed = 0
    let renderer = DiagnosticRenderer(language: context.language)
    for path in paths {
      let (file, root) = RootOption.resolve(path, context.arguments)
      let result = PolicyChecker.check(path: file, root: root, provider: DiskSourceProvider())
      guard let policy = result.policy else {
        Console.err(renderer.render(result.diagnostics, in: result.sources))
        let missing = result.diagnostics.items.contains { $0.code == .fileUnreadable && $0.span == nil }
        statuses.append(missing ? ExitStatus.missingInput : ExitStatus.invalidPolicy)
        continue
      }
      let outcomes: [PolicyTestOutcome]
      do {
        outcomes = try PolicyTestRunner.run(policy)
      } catch {
        Console.err("policyc test: \(path): cannot compile: \(error)\n")
        statuses.append(ExitStatus.internalError)
        continue
      }
      for outcome in outcomes {
        if outcome.passed {
          passed += 1
          continue
        }
        failed += 1
        Console.out(report(outcome, sources: result.sources, language: context.language))
      }
    }
    Console.out("\(passed) passed, \(failed) failed\n")
    if failed > 0 { statuses.append(ExitStatus.failure) }
    return ExitStatus.combine(statuses)
  }

  /// A failed test: where it is, each unmet expectation with its source line, and the verdicts.
  static func report(_ outcome: PolicyTestOutcome, sources: SourceMap, language: Language) -> String {
    let zh = language == .chinese
    let rule = outcome.rule.map { zh ? "(规则 \($0))" : " (rule \($0))" } ?? ""
    var lines = ["\(sources.describe(outcome.span)): FAIL test \"\(outcome.name)\"\(rule)"]
    for failure in outcome.failures {
      if let file = sources[failure.span.file] {
        let index = file.lineIndex(of: Int(failure.span.start))
        let text = String(decoding: file.lineBytes(index), as: UTF8.self)
        lines.append("  \(index + 1) | \(text.trimmingLeadingSpaces())")
      }
      lines.append((zh ? "    期望: " : "    expected: ") + failure.expected)
      lines.append(
        (zh ? "    实际: " : "    actual:   ")
          + (failure.actual.isEmpty ? (zh ? "没有判定" : "no verdicts") : failure.actual.joined(separator: "; ")))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension String {
  fileprivate func trimmingLeadingSpaces() -> String {
    String(drop { $0 == " " || $0 == "\t" })
  }
}
