import PolicyLang

/// `policyc build`: compiles a policy into a rule program file, or prints a stage of it.
///
///     policyc build POLICY [-o FILE] [--dump ir|opt-ir|program]
///     policyc build --program FILE [-o FILE] [--dump opt-ir|program]
///
/// - `-o FILE` writes the compiled program (docs/program-format.md).
/// - Without `-o` and without `--dump`, the program is written to `NAME.plp` in the current
///   directory, NAME being the policy's declared name.
/// - `--dump ir` prints the lowered IR before any pass, `opt-ir` after the passes, `program` the
///   disassembly: a header (policy, format version, source hash, compiler) then the program.
///   With `--dump` and no `-o`, nothing is written.
/// - `--program FILE` loads a compiled program instead (to disassemble or re-save it).
///
/// Exit status (io.md): 0 done; 64 usage; 65 the policy has errors or the program file is
/// invalid; 66 the policy or program file is missing or unreadable; 1 the output cannot be
/// written; 70 a checked policy that does not compile (a bug).
enum BuildCommand {
  /// The compiler version recorded in every program file.
  static var compilerVersion: String { "policyc \(CheckCommand.toolVersion)" }

  static let dumps = ["ir", "opt-ir", "program"]

  static func run(_ context: CommandContext) -> Int32 {
    let args = context.arguments
    let dump = args.value("--dump")
    if let dump, !dumps.contains(dump) {
      Console.err(
        LocalizedText(
          "policyc build: --dump takes `ir`, `opt-ir` or `program`, not `\(dump)`",
          zh: "policyc build:--dump 只接受 `ir`、`opt-ir` 或 `program`,不接受 `\(dump)`"), context.language)
      return ExitStatus.usage
    }
    let loaded: LoadedProgram
    var lowered: IR?
    if let programPath = args.value("--program") {
      guard args.positionals.isEmpty else {
        Console.err(
          LocalizedText(
            "policyc build: give a policy or --program FILE, not both",
            zh: "policyc build:请给出策略或 --program FILE,不能两者都给"), context.language)
        return ExitStatus.usage
      }
      if dump == "ir" {
        Console.err(
          LocalizedText(
            "policyc build: a compiled program holds no unoptimized IR; use --dump opt-ir",
            zh: "policyc build:已编译的程序不含未优化的中间表示;请用 --dump opt-ir"), context.language)
        return ExitStatus.usage
      }
      do {
        loaded = try ProgramArchive.load(path: programPath)
      } catch {
        Console.err("policyc build: \(error)\n")
        switch error {
        case .missing, .unreadable: return ExitStatus.missingInput
        case .invalid, .unwritable: return ExitStatus.invalidPolicy
        }
      }
    } else {
      guard args.positionals.count == 1, let path = args.positionals.first else {
        Console.err(
          LocalizedText(
            "policyc build: give one policy file (or --program FILE)",
            zh: "policyc build:请给出一个策略文件(或 --program FILE)"), context.language)
        return ExitStatus.usage
      }
      switch compile(path, context) {
      case .success(let result): (loaded, lowered) = result
      case .failure(let status): return status.code
      }
    }
    switch dump {
    case "ir": Console.out(lowered.map(IRDump.dump) ?? "")
    case "opt-ir": Console.out(IRDump.dump(loaded.program.ir))
    case "program": Console.out(header(loaded.metadata) + IRDump.dump(loaded.program))
    default: break
    }
    let output = args.value("--output") ?? (dump == nil ? "\(loaded.program.ir.policy).plp" : nil)
    if let output {
      do {
        try ProgramArchive.save(loaded.program, metadata: loaded.metadata, to: output)
      } catch {
        Console.err("policyc build: \(error)\n")
        return ExitStatus.failure
      }
    }
    return ExitStatus.ok
  }

  struct Status: Error {
    let code: Int32
  }

  /// Checks and compiles the policy at `path`: the program with its metadata and the IR before
  /// the passes, or the exit status after reporting.
  static func compile(_ path: String, _ context: CommandContext) -> Result<(LoadedProgram, IR), Status> {
    let (file, root) = RootOption.resolve(path, context.arguments)
    let result = PolicyChecker.check(path: file, root: root, provider: DiskSourceProvider())
    if !result.diagnostics.isEmpty {
      Console.err(
        DiagnosticRenderer(language: context.language).render(result.diagnostics, in: result.sources))
    }
    guard let policy = result.policy else {
      let missing = result.diagnostics.items.contains { $0.code == .fileUnreadable && $0.span == nil }
      return .failure(Status(code: missing ? ExitStatus.missingInput : ExitStatus.invalidPolicy))
    }
    do {
      let lowered = try Lowering.lower(policy)
      let program = try RuleProgram(compiling: policy)
      let metadata = ProgramMetadata(policy: policy, compilerVersion: compilerVersion)
      return .success((LoadedProgram(program: program, metadata: metadata), lowered))
    } catch {
      Console.err("policyc build: \(path): cannot compile: \(error)\n")
      if case .unknownZone = error { return .failure(Status(code: ExitStatus.invalidPolicy)) }
      return .failure(Status(code: ExitStatus.internalError))
    }
  }

  /// The disassembly's header block.
  static func header(_ metadata: ProgramMetadata) -> String {
    """
    ; policy \(metadata.policyName)
    ; format version \(metadata.formatVersion)
    ; source hash \(metadata.sourceHash)
    ; compiler \(metadata.compilerVersion)

    """
  }
}
