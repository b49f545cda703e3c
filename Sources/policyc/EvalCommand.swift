import Foundation
import PolicyLang

/// `policyc eval`: judges event files against policies through `EvaluationSession` and writes the
/// verdicts of io.md on standard output, error lines on standard error, and io.md's exit status.
enum EvalCommand {
  static func run(_ context: CommandContext) -> Int32 {
    let args = context.arguments
    let options: EvaluationOptions
    switch parseOptions(args) {
    case .success(let parsed): options = parsed
    case .failure(let error):
      Console.err("policyc eval: \(error.message)\n")
      return ExitStatus.usage
    }
    if args.all("--policy").isEmpty && args.all("--program").isEmpty {
      Console.err(
        LocalizedText(
          "policyc eval: give at least one --policy FILE.policy or --program FILE",
          zh: "policyc eval:请至少给出一个 --policy FILE.policy 或 --program FILE"), context.language)
      return ExitStatus.usage
    }
    let evaluators: [Evaluator]
    switch loadEvaluators(context) {
    case .success(let loaded): evaluators = loaded
    case .failure(let failure): return failure.status
    }
    var statuses: [Int32] = []

    let sources: [EventSource] =
      args.positionals.isEmpty
      ? [.standardInput] : args.positionals.map { $0 == "-" ? .standardInput : .file($0) }
    let session = EvaluationSession(evaluators: evaluators)
    let report = { (problem: SessionProblem) in Console.err(problem.rendered + "\n") }
    let write = { (bytes: [UInt8]) throws(OutputError) in try OutputFile.standardOutput.write(bytes) }
    // Verdicts are written as the session finishes, in chunks: memory does not grow with them.
    let outcome: SessionOutcome
    let statePath = args.value("--state")
    if let statePath {
      do throws(StateFileError) {
        let state = try EvaluationState.load(path: statePath)
        outcome = try session.stream(
          sources, options: options, continuing: state, stateName: statePath, report: report, output: write)
      } catch {
        Console.err("policyc eval: \(error)\n")
        if case .unreadable = error { return ExitStatus.missingInput }
        return ExitStatus.invalidPolicy
      }
    } else {
      outcome = session.stream(sources, options: options, report: report, output: write)
    }
    for warning in outcome.warnings { Console.err("policyc eval: warning: \(warning)\n") }
    let outputFailed = outcome.outputError != nil
    if let error = outcome.outputError { Console.err("policyc eval: \(error)\n") }
    for problem in outcome.internalErrors { Console.err("policyc eval: internal error: \(problem)\n") }
    if args.has("--stats") { Console.err(outcome.stats.rendered) }
    if let statePath {
      // A run that could not read an input, write its output or keep its temporary files leaves
      // the old state: its successor must be able to judge what this one missed.
      if let next = outcome.state, outcome.inputErrors.isEmpty, !outputFailed, outcome.internalErrors.isEmpty
      {
        do throws(StateFileError) {
          try next.save(path: statePath)
        } catch {
          Console.err("policyc eval: \(error)\n")
          statuses.append(ExitStatus.internalError)
        }
      } else {
        Console.err("policyc eval: state \(statePath) is left as it was (this run was not complete)\n")
      }
    }

    if !outcome.inputErrors.isEmpty { statuses.append(ExitStatus.missingInput) }
    if outputFailed || !outcome.internalErrors.isEmpty || !outcome.stats.isBalanced {
      statuses.append(ExitStatus.internalError)
    }
    if outcome.hasErrorLines { statuses.append(ExitStatus.inputErrors) }
    if args.has("--fail-on-violation") && outcome.hasViolation { statuses.append(ExitStatus.failure) }
    return ExitStatus.combine(statuses)
  }

  /// A usage problem with one option (exit 64).
  struct OptionError: Error {
    let message: String
  }

  /// The session options from the command line; every value checked.
  static func parseOptions(_ args: ParsedArguments) -> Result<EvaluationOptions, OptionError> {
    var options = EvaluationOptions(
      includePending: args.has("--pending"), strict: args.has("--strict"), grouped: args.has("--grouped"),
      jobs: ProcessInfo.processInfo.activeProcessorCount)
    if let text = args.value("--as-of") {
      do {
        options.asOf = try Timestamp(rfc3339: text)
      } catch {
        return .failure(OptionError(message: "--as-of `\(text)` is not an RFC 3339 time: \(error)"))
      }
    } else {
      options.asOf = Timestamp.now()
    }
    if let text = args.value("--jobs") {
      guard let jobs = Int(text), jobs >= 1, jobs <= 1024 else {
        return .failure(OptionError(message: "--jobs takes a whole number from 1 to 1024, not `\(text)`"))
      }
      options.jobs = jobs
    }
    if let text = args.value("--max-line") {
      guard let bytes = byteCount(text), bytes >= 1 else {
        return .failure(OptionError(message: "--max-line takes a positive number of bytes, not `\(text)`"))
      }
      options.maxLineLength = bytes
    }
    if let text = args.value("--memory-limit") {
      guard let bytes = byteCount(text), bytes >= 1 else {
        return .failure(
          OptionError(message: "--memory-limit takes a positive number of bytes, not `\(text)`"))
      }
      options.memoryLimit = bytes
    }
    return .success(options)
  }

  /// A byte count: digits, optionally followed by `K`, `M` or `G` (powers of 1024).
  static func byteCount(_ text: String) -> Int? {
    var digits = Substring(text)
    var scale = 1
    if let last = digits.last, let factor = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30][last.uppercased()] {
      scale = factor
      digits = digits.dropLast()
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else {
      return nil
    }
    let (product, overflow) = value.multipliedReportingOverflow(by: scale)
    return overflow ? nil : product
  }

  /// Why a policy or program could not be used, with its exit status (already reported).
  struct LoadFailure: Error {
    let status: Int32
  }

  /// The evaluators of every `--policy` then every `--program`, each in the order given (the
  /// routing and output order); the combined exit status when one could not be loaded (already
  /// reported).
  static func loadEvaluators(_ context: CommandContext) -> Result<[Evaluator], LoadFailure> {
    let args = context.arguments
    var statuses: [Int32] = []
    var evaluators: [Evaluator] = []
    for path in args.all("--policy") {
      let (file, root) = RootOption.resolve(path, args)
      switch loadPolicy(file, root: root, language: context.language) {
      case .success(let evaluator): evaluators.append(evaluator)
      case .failure(let failure): statuses.append(failure.status)
      }
    }
    for path in args.all("--program") {
      switch loadProgram(path) {
      case .success(let evaluator): evaluators.append(evaluator)
      case .failure(let failure): statuses.append(failure.status)
      }
    }
    guard statuses.isEmpty else { return .failure(LoadFailure(status: ExitStatus.combine(statuses))) }
    return .success(evaluators)
  }

  /// Checks and compiles a policy; renders its diagnostics when it has errors.
  static func loadPolicy(
    _ path: String, root: SourceRoot?, language: Language
  ) -> Result<Evaluator, LoadFailure> {
    let result = PolicyChecker.check(path: path, root: root, provider: DiskSourceProvider())
    if result.diagnostics.items.contains(where: { $0.code == .fileUnreadable && $0.span == nil }) {
      Console.err(DiagnosticRenderer(language: language).render(result.diagnostics, in: result.sources))
      return .failure(LoadFailure(status: ExitStatus.missingInput))
    }
    guard let policy = result.policy, !result.diagnostics.hasErrors else {
      Console.err(DiagnosticRenderer(language: language).render(result.diagnostics, in: result.sources))
      return .failure(LoadFailure(status: ExitStatus.invalidPolicy))
    }
    do {
      return .success(try Evaluator(program: try RuleProgram(compiling: policy)))
    } catch {
      Console.err("policyc eval: \(path): cannot compile: \(error)\n")
      return .failure(LoadFailure(status: ExitStatus.internalError))
    }
  }

  /// Loads a compiled program file (`policyc build -o FILE`): 66 when missing or unreadable, 65
  /// when it is not a valid program.
  static func loadProgram(_ path: String) -> Result<Evaluator, LoadFailure> {
    let loaded: LoadedProgram
    do {
      loaded = try ProgramArchive.load(path: path)
    } catch {
      Console.err("policyc eval: \(error)\n")
      switch error {
      case .missing, .unreadable: return .failure(LoadFailure(status: ExitStatus.missingInput))
      case .invalid, .unwritable: return .failure(LoadFailure(status: ExitStatus.invalidPolicy))
      }
    }
    do {
      return .success(try Evaluator(program: loaded.program))
    } catch {
      Console.err("policyc eval: \(path): \(error)\n")
      return .failure(LoadFailure(status: ExitStatus.invalidPolicy))
    }
  }
}
