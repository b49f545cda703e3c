import Foundation
import PolicyLang
import PolicyLangReport

/// `policyc report`: reads verdict files (and, optionally, the policies that judged them and the
/// events they judged) and writes one self-contained HTML page with charts (`PolicyLangReport`).
/// A malformed verdict or event line is reported as `FILE:LINE: error: WHY` and skipped (exit 2);
/// a missing file is reported and the others are still read (exit 66).
enum ReportCommand {
  static func run(_ context: CommandContext) -> Int32 {
    let args = context.arguments
    guard !args.positionals.isEmpty else {
      Console.err(
        LocalizedText(
          "policyc report: give at least one verdict file (`-` for standard input)",
          zh: "policyc report:请至少给出一个判定文件(`-` 表示标准输入)"), context.language)
      return ExitStatus.usage
    }
    guard let output = args.value("--output") else {
      Console.err(
        LocalizedText(
          "policyc report: give the page to write with -o REPORT.html (`-o -` for standard output)",
          zh: "policyc report:请用 -o REPORT.html 指定要写入的页面(`-o -` 表示标准输出)"), context.language)
      return ExitStatus.usage
    }
    let stdinUses =
      args.positionals.filter { $0 == "-" }.count + args.all("--events").filter { $0 == "-" }.count
    guard stdinUses <= 1 else {
      Console.err(
        LocalizedText(
          "policyc report: standard input (`-`) can be read only once",
          zh: "policyc report:标准输入(`-`)只能读取一次"), context.language)
      return ExitStatus.usage
    }

    var statuses: [Int32] = []
    var catalogs: [PolicyCatalog] = []
    for path in args.all("--policy") {
      switch loadPolicy(path, language: context.language) {
      case .success(let catalog): catalogs.append(catalog)
      case .failure(let failure): statuses.append(failure.status)
      }
    }
    for path in args.all("--program") {
      switch loadProgram(path) {
      case .success(let catalog): catalogs.append(catalog)
      case .failure(let failure): statuses.append(failure.status)
      }
    }
    guard statuses.isEmpty else { return ExitStatus.combine(statuses) }

    // The verdicts and the events do not depend on each other: they are read at once. The events
    // keep every text, since which conversations have verdicts is not known yet.
    let verdictPaths = args.positionals
    let eventPaths = args.all("--events")
    let given = catalogs
    let catalogsByName = Dictionary(given.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let (readVerdicts, library) = concurrently(
      { () -> (VerdictSet, ComplianceSummary, [DelayDistribution]) in
        let verdicts = VerdictFileReader.read(paths: verdictPaths) { Console.err($0 + "\n") }
        let summary = ComplianceSummary(verdicts: verdicts.verdicts, catalogs: given)
        return (verdicts, summary, ReplyDelays.fromVerdicts(verdicts.verdicts, catalogs: catalogsByName))
      },
      {
        eventPaths.isEmpty
          ? nil : EventLibrary.read(paths: eventPaths, keepingTextOf: nil) { Console.err($0 + "\n") }
      })
    guard let (verdicts, summary, verdictDelays) = readVerdicts else {
      Console.err("policyc report: internal error: the verdicts were not read (please report it)\n")
      return ExitStatus.internalError
    }
    var unreadable = verdicts.unreadableFiles
    var delays = verdictDelays
    var matches: VerdictEvents?
    if let library {
      unreadable += library.unreadableFiles
      // With one policy a run numbers every event; with several, each policy its own (io.md).
      let policies = Set(catalogs.map(\.name)).union(summary.policies)
      let routing: EventLibrary.Routing = policies.count > 1 ? .byPlatform : .every
      matches = VerdictEvents(verdicts: verdicts.verdicts, library: library, preferred: routing)
      delays += ReplyDelays.fromEvents(library, catalogs: catalogs, routing: routing)
    }
    let skippedEventLines = library?.skippedLines ?? 0

    let inputs = ReportPage.Inputs(
      summary: summary, verdictFiles: verdicts.files, skippedVerdictLines: verdicts.skippedLines,
      eventFiles: library?.files ?? [], skippedEventLines: skippedEventLines,
      unreadableFiles: unreadable.map(\.name), events: matches, delays: delays)
    let page = ReportPage(
      inputs, options: ReportPage.Options(title: args.value("--title"), language: context.language))
    let html = page.render()
    do {
      if output == "-" {
        try OutputFile.standardOutput.write(Array(html.utf8))
      } else {
        try Data(html.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
      }
    } catch {
      Console.err("policyc report: cannot write \(output): \(error.localizedDescription)\n")
      statuses.append(ExitStatus.internalError)
    }

    if !unreadable.isEmpty { statuses.append(ExitStatus.missingInput) }
    if verdicts.skippedLines > 0 || skippedEventLines > 0 { statuses.append(ExitStatus.inputErrors) }
    return ExitStatus.combine(statuses)
  }

  /// Checks a policy for its titles and sanctions; renders its diagnostics when it has errors.
  static func loadPolicy(_ path: String, language: Language) -> Result<PolicyCatalog, EvalCommand.LoadFailure>
  {
    let result = PolicyChecker.check(path: path, provider: DiskSourceProvider())
    if result.diagnostics.items.contains(where: { $0.code == .fileUnreadable && $0.span == nil }) {
      Console.err(DiagnosticRenderer(language: language).render(result.diagnostics, in: result.sources))
      return .failure(EvalCommand.LoadFailure(status: ExitStatus.missingInput))
    }
    guard let policy = result.policy, !result.diagnostics.hasErrors else {
      Console.err(DiagnosticRenderer(language: language).render(result.diagnostics, in: result.sources))
      return .failure(EvalCommand.LoadFailure(status: ExitStatus.invalidPolicy))
    }
    return .success(PolicyCatalog(checked: policy))
  }

  /// Loads a compiled program: it keeps clause ids and limits but no titles.
  static func loadProgram(_ path: String) -> Result<PolicyCatalog, EvalCommand.LoadFailure> {
    do {
      return .success(PolicyCatalog(program: try ProgramArchive.load(path: path).program))
    } catch {
      Console.err("policyc report: \(error)\n")
      switch error {
      case .missing, .unreadable: return .failure(EvalCommand.LoadFailure(status: ExitStatus.missingInput))
      case .invalid, .unwritable: return .failure(EvalCommand.LoadFailure(status: ExitStatus.invalidPolicy))
      }
    }
  }
}

extension InputError {
  /// The file the error is about.
  var name: String {
    switch self {
    case .cannotOpen(let name, _), .readFailed(let name, _): return name
    }
  }
}
