import PolicyLang

/// `policyc check FILE...`: every error and warning of each policy, then the exit status of
/// io.md (0 clean, 1 errors, 66 a file missing).
enum CheckCommand {
  static let toolVersion = "0.1.0"

  static func run(_ context: CommandContext) -> Int32 {
    let args = context.arguments
    let format = args.value("--format") ?? "text"
    guard ["text", "json", "sarif"].contains(format) else {
      Console.err(
        LocalizedText(
          "policyc check: --format must be text, json or sarif, not `\(format)`",
          zh: "policyc check:--format 只能是 text、json 或 sarif,不能是 `\(format)`"), context.language)
      return ExitStatus.usage
    }
    if let dump = args.value("--dump"), dump != "ast" {
      Console.err(
        LocalizedText(
          "policyc check: --dump takes `ast`, not `\(dump)`",
          zh: "policyc check:--dump 只接受 `ast`,不接受 `\(dump)`"), context.language)
      return ExitStatus.usage
    }
    guard !args.positionals.isEmpty else {
      Console.err(
        LocalizedText("policyc check: give at least one policy file", zh: "policyc check:请至少给出一个策略文件"),
        context.language)
      return ExitStatus.usage
    }
    var statuses: [Int32] = []
    var allDiagnostics = Diagnostics(limit: Int.max)
    var allSources = SourceMap()
    for given in args.positionals {
      let (path, root) = RootOption.resolve(given, args)
      var result = PolicyChecker.check(path: path, root: root, provider: DiskSourceProvider())
      if args.has("--deny-warnings") { result.diagnostics.denyWarnings() }
      if result.diagnostics.items.contains(where: { $0.code == .fileUnreadable && $0.span == nil }) {
        statuses.append(ExitStatus.missingInput)
      }
      if result.diagnostics.hasErrors { statuses.append(ExitStatus.failure) }
      if args.value("--dump") == "ast" {
        for file in result.sources.files where file.name == path || result.sources.files.count == 1 {
          Console.out(ASTDump.dump(Parser.parse(file).file, source: file))
        }
      }
      switch format {
      case "text":
        if !result.diagnostics.isEmpty {
          Console.err(
            DiagnosticRenderer(language: context.language).render(result.diagnostics, in: result.sources))
        }
        if args.has("--coverage"), let policy = result.policy {
          Console.out(CoverageReport(policy).text(language: context.language))
        }
      case "json" where args.has("--coverage"):
        if let policy = result.policy { Console.out(CoverageReport(policy).json()) }
        if !result.diagnostics.isEmpty {
          Console.err(DiagnosticExport.json(result.diagnostics, in: result.sources))
        }
      case "json":
        Console.out(DiagnosticExport.json(result.diagnostics, in: result.sources))
      default:
        // SARIF wants one log for the whole run: gather every file's diagnostics.
        let offset = UInt32(allSources.files.count)
        for file in result.sources.files { allSources.add(name: file.name, bytes: file.bytes) }
        for var d in result.diagnostics.items {
          d.span = d.span.map {
            SourceSpan(file: FileID($0.file.raw + offset), start: Int($0.start), end: Int($0.end))
          }
          d.labels = d.labels.map {
            DiagnosticLabel(
              SourceSpan(
                file: FileID($0.span.file.raw + offset), start: Int($0.span.start), end: Int($0.span.end)),
              $0.message)
          }
          allDiagnostics.append(d)
        }
      }
      if format == "text" {
        summarize(path, result.diagnostics, context.language)
      }
    }
    if format == "sarif" {
      Console.out(DiagnosticExport.sarif(allDiagnostics, in: allSources, toolVersion: toolVersion))
    }
    return ExitStatus.combine(statuses)
  }

  /// The closing line per file: `path: ok` or `path: 2 errors, 1 warning`.
  static func summarize(_ path: String, _ diagnostics: Diagnostics, _ language: Language) {
    let errors = diagnostics.errorCount
    let warnings = diagnostics.warningCount
    if errors == 0 && warnings == 0 {
      Console.err(language == .chinese ? "\(path): 通过\n" : "\(path): ok\n")
      return
    }
    if language == .chinese {
      Console.err("\(path): \(errors) 个错误,\(warnings) 个警告\n")
    } else {
      let e = errors == 1 ? "1 error" : "\(errors) errors"
      let w = warnings == 1 ? "1 warning" : "\(warnings) warnings"
      Console.err("\(path): \(e), \(w)\n")
    }
  }
}
