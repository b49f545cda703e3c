// The Swift API other tools use: load a policy (checked and compiled) or a compiled program,
// then evaluate one message, one conversation or a whole run of events and get typed verdicts.

/// Why a policy or compiled program could not be loaded.
public enum PolicyLoadError: Error, Sendable, CustomStringConvertible {
  /// The policy has errors; the diagnostics say which (render them with `DiagnosticRenderer`).
  case invalidPolicy(Diagnostics, SourceMap)
  /// The policy checked but could not be compiled (a bug, or a program that fails validation).
  case compile(CompileError)
  /// A compiled program file is missing, unreadable, truncated, corrupted or of a newer format.
  case program(ProgramFileError)

  public var description: String {
    switch self {
    case .invalidPolicy(let diagnostics, let sources):
      return DiagnosticRenderer().render(diagnostics, in: sources)
    case .compile(let error): return "cannot compile: \(error)"
    case .program(let error): return "\(error)"
    }
  }
}

/// A policy ready to evaluate: its compiled rule program and the evaluator over it.
///
/// Immutable and `Sendable`: one value can serve many threads at once.
///
/// ```swift
/// let policy = try CompiledPolicy(policyAt: "Policies/pinduoduo.policy")
/// let verdicts = policy.evaluate(conversation: events, asOf: now)
/// ```
public struct CompiledPolicy: Sendable {
  /// The compiled program (save it with the serialization API, load it elsewhere).
  public let program: RuleProgram
  public let evaluator: Evaluator

  /// The policy's name: what verdicts carry in `policy` and events name in `platform`.
  public var name: String { program.ir.policy }
  /// The policy's IANA time zone; every verdict time is written in it.
  public var zone: PolicyZone { evaluator.calendar.zone }

  /// Wraps an already compiled (or loaded) program.
  public init(program: RuleProgram) throws(PolicyLoadError) {
    self.program = program
    do {
      self.evaluator = try Evaluator(program: program)
    } catch {
      throw .compile(error)
    }
  }

  /// Checks and compiles a checked policy.
  public init(checked policy: CheckedPolicy) throws(PolicyLoadError) {
    let program: RuleProgram
    do {
      program = try RuleProgram(compiling: policy)
    } catch {
      throw .compile(error)
    }
    try self.init(program: program)
  }

  /// Reads, checks and compiles the policy at `path` and everything it imports. Every file must
  /// lie under `root` (by default the directory of `path`): an import or word list outside it is
  /// an error (E0002), and no file outside it is read.
  public init(
    policyAt path: String, root: SourceRoot? = nil, provider: some SourceProvider = DiskSourceProvider()
  ) throws(PolicyLoadError) {
    let result = PolicyChecker.check(path: path, root: root, provider: provider)
    guard let policy = result.policy else { throw .invalidPolicy(result.diagnostics, result.sources) }
    try self.init(checked: policy)
  }

  /// Loads a compiled program saved by `policyc build -o FILE` (or `ProgramArchive.save`). Every
  /// length, index and reference is validated, so a damaged or hostile file is a typed error.
  public init(programAt path: String) throws(PolicyLoadError) {
    let loaded: LoadedProgram
    do {
      loaded = try ProgramArchive.load(path: path)
    } catch {
      throw .program(error)
    }
    try self.init(program: loaded.program)
  }

  /// Checks and compiles a policy given as text (imports are not available).
  public init(source: String, name: String = "policy.policy") throws(PolicyLoadError) {
    let result = PolicyChecker.check(source: source, name: name)
    guard let policy = result.policy else { throw .invalidPolicy(result.diagnostics, result.sources) }
    try self.init(checked: policy)
  }

  /// The content verdicts of one message on its own (no timeline, no rates). Refuse first an
  /// event whose `at` the policy's zone does not accept (`zone.accepts`): verdict times outside
  /// years 0001-9999 in the zone can only be written clamped to them.
  public func evaluate(message: Event) -> [Verdict] {
    evaluator.evaluate(message: message)
  }

  /// Every verdict of one conversation's events (given in line order, any time order).
  /// Obligations not yet due at `asOf` are left out, or reported as pending with
  /// `includePending`; `asOf: nil` judges every obligation. As with `evaluate(message:)`, refuse
  /// first an event whose `at` the zone does not accept.
  public func evaluate(
    conversation events: [Event], asOf: Timestamp?, includePending: Bool = false
  )
    -> [Verdict]
  {
    evaluate(events: events, asOf: asOf, includePending: includePending)
  }

  /// Every verdict of a run: events of many conversations in line order (any time order), with
  /// rates and escalation over each shop's history, in the order `policyc eval` writes them.
  /// An event the run refuses (its `at` outside years 0001-9999 in the policy's zone, or its
  /// shop or buyer in conflict with an earlier event of its conversation, in time order) is
  /// passed to `rejected` with its index in `events`.
  ///
  /// This is `policyc eval` on one policy: the same session judges both.
  public func evaluate(
    events: [Event], asOf: Timestamp?, includePending: Bool = false,
    rejected: (Int, EventLineError) -> Void = { _, _ in }
  ) -> [Verdict] {
    let session = EvaluationSession(evaluators: [evaluator])
    let options = EvaluationOptions(asOf: asOf, includePending: includePending, jobs: 1)
    let outcome = session.run(events: events, options: options) { problem in
      if case .line(_, let line, let error) = problem { rejected(line - 1, error) }
    }
    return outcome.verdicts.map(\.verdict)
  }

  /// A verdict as one line of io.md's JSON output (with its newline).
  public func jsonLine(_ verdict: Verdict) -> String {
    var writer = VerdictWriter()
    writer.append(verdict, zone: zone)
    return String(decoding: writer.bytes, as: UTF8.self)
  }
}
