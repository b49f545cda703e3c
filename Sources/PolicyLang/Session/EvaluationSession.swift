// The evaluation session: everything `policyc eval` does between the command line and the output
// bytes, as a library type the CLI and the Swift API share. `SessionRun` is the pipeline: lines,
// decoding, `Intake`, an `EventOrdering`, the `RunJudge` with the online evaluator, a
// `VerdictSink`.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangRuntime

/// How a session reads and judges its input (the options of `policyc eval`).
public struct EvaluationOptions: Sendable, Equatable {
  /// The moment of evaluation; `nil` judges every obligation as due.
  public var asOf: Timestamp?
  /// Also give obligations not yet due, as pending verdicts.
  public var includePending: Bool
  /// Stop at the first error line: nothing further is read and no verdict is given.
  public var strict: Bool
  /// Each conversation's lines are contiguous: judge a conversation when the next one starts.
  public var grouped: Bool
  /// Worker threads that judge conversations (1 judges on the calling thread).
  public var jobs: Int
  /// Bytes of memory a run may use for what it keeps beyond each conversation's state: events of
  /// input that is not in time order, rendered verdicts waiting to be written in order, rate
  /// units. Past it they go to temporary files.
  public var memoryLimit: Int
  /// The longest accepted line in bytes, without its line end.
  public var maxLineLength: Int

  /// The default memory limit, 1 GiB.
  public static let defaultMemoryLimit = 1 << 30

  /// Options with io.md's defaults (as-of `nil` here: the CLI passes now).
  public init(
    asOf: Timestamp? = nil, includePending: Bool = false, strict: Bool = false, grouped: Bool = false,
    jobs: Int = 1, memoryLimit: Int = EvaluationOptions.defaultMemoryLimit,
    maxLineLength: Int = LineReader.defaultMaxLineLength
  ) {
    self.asOf = asOf
    self.includePending = includePending
    self.strict = strict
    self.grouped = grouped
    self.jobs = jobs
    self.memoryLimit = memoryLimit
    self.maxLineLength = maxLineLength
  }
}

extension EvaluationOptions {
  /// Up to when the run judges: a run that continues (with a state) leaves what is due exactly
  /// at `asOf` to the next run.
  package func horizon(continuing: Bool) -> Horizon {
    Horizon(asOf: asOf, includePending: includePending, continues: continuing)
  }
}

/// Where events come from.
public enum EventSource: Sendable, Hashable {
  /// A file by path (named by the path in messages).
  case file(String)
  /// Standard input, named `<stdin>`.
  case standardInput
  /// Bytes already in memory, with the name messages use; split into lines like a file.
  case bytes(name: String, [UInt8])

  /// The name used in `FILE:LINE: error: WHY`.
  public var name: String {
    switch self {
    case .file(let path): return path
    case .standardInput: return LineReader.standardInputName
    case .bytes(let name, _): return name
    }
  }
}

/// Something the session reports while it reads, in input order.
public enum SessionProblem: Sendable, Equatable {
  /// An error line: not evaluated, takes no place in event indexes.
  case line(file: String, line: Int, EventLineError)
  /// An input that could not be opened or read to its end (`policyc` exits 66).
  case input(InputError)

  /// The text `policyc` writes on standard error (no trailing newline).
  public var rendered: String {
    switch self {
    case .line(let file, let line, let error): return error.formatted(file: file, line: line)
    case .input(let error): return "policyc eval: \(error)"
    }
  }
}

/// One verdict with the index of the policy (in the session's order) that gave it.
public struct SessionVerdict: Sendable, Hashable {
  /// The index of the policy in `EvaluationSession.evaluators`.
  public var policy: Int
  /// The verdict.
  public var verdict: Verdict

  /// A verdict of a policy.
  public init(policy: Int, verdict: Verdict) {
    self.policy = policy
    self.verdict = verdict
  }
}

/// What a whole run gives back.
public struct SessionOutcome: Sendable {
  /// Every verdict in io.md's order; empty when a strict run stopped at an error line, and in a
  /// streaming run (`EvaluationSession.stream`), which writes them instead.
  public var verdicts: [SessionVerdict]
  /// The accounting (`verdictsWritten` counts `verdicts`): read = skipped + evaluated + rejected.
  public var stats: EvalStats
  /// Inputs that could not be opened or read (exit 66).
  public var inputErrors: [InputError]
  /// Failures of the session's own temporary files (`policyc` exits 70: output is incomplete).
  public var internalErrors: [String]
  /// True when `strict` stopped the run at an error line.
  public var stoppedAtErrorLine: Bool
  /// Whether any verdict given is a violation that is not pending (`--fail-on-violation`).
  public var hasViolation: Bool
  /// A streaming run: why writing the output failed (nothing was written after it).
  public var outputError: OutputError?

  /// Things the user should know that are not errors (a limit that could not be kept).
  public var warnings: [String] = []

  /// In a run given a state: the state it leaves for the next run (nil when the run gave no
  /// verdicts: stopped at an error line, or its storage failed; the old state then stands).
  public var state: EvaluationState?

  /// Whether any error line was found (exit 2).
  public var hasErrorLines: Bool { stats.rejectedTotal > 0 }
}

/// Judges streams of events against one or more compiled policies, as `policyc eval` does.
///
/// Routing: with one policy every event is judged by it and `platform` is ignored. With several,
/// an event whose `platform` names a policy (by the policy's name) is judged by that policy only;
/// an event without `platform` is judged by every policy; an event whose `platform` names no
/// policy given is an error line (`unknown_platform`), never dropped silently. Each policy sees
/// the sub-timeline of the events routed to it: its event indexes count those events only. A
/// conversation's shop and buyer come from any of its events, whichever policy judges them.
///
/// Order: conversation verdicts by (conversation bytes, event index, policy order, rule order);
/// then aggregate verdicts by (shop, period start, period end, policy order, rule order).
///
/// A session holds no run state: `run` may be called again, and from several threads at once.
public struct EvaluationSession: Sendable {
  /// The policies' evaluators, in the order given.
  public let evaluators: [Evaluator]
  /// Each policy's name as bytes (what `platform` is compared with).
  public let names: [ByteString]
  /// The acceptance rules of the session's events.
  package let intake: Intake

  /// A session over evaluators, in routing and output order.
  public init(evaluators: [Evaluator]) {
    self.evaluators = evaluators
    names = evaluators.map { ByteString($0.program.ir.policy) }
    intake = Intake(evaluators: evaluators)
  }

  /// A session over compiled programs; fails when a program's zone is unknown.
  public init(programs: [RuleProgram]) throws(CompileError) {
    var evaluators: [Evaluator] = []
    for program in programs { evaluators.append(try Evaluator(program: program)) }
    self.init(evaluators: evaluators)
  }

  /// Reads every source in order, judges its events and returns every verdict in order. `report`
  /// is called for each error line and unreadable input: lines refused when read as they are
  /// read, lines refused by their conversation (a conflicting shop or buyer) at the end, in
  /// input order.
  public func run(
    _ sources: [EventSource], options: EvaluationOptions,
    report: (SessionProblem) -> Void = { _ in }
  ) -> SessionOutcome {
    withoutActuallyEscaping(report) { report in
      SessionRun(session: self, options: options, report: report, makeSink: { CollectedVerdicts() })
        .run(.sources(sources.map { .source($0) }), output: { _ throws(OutputError) in })
    }
  }

  /// Reads every source in order, judges its events and writes the verdicts as io.md's JSON lines
  /// through `output`, in order, in chunks; `report` is as in `run`. Memory does not grow with
  /// the verdicts: they are rendered when judged and, past a slice of `options.memoryLimit`, kept
  /// in sorted temporary files merged at the end. The outcome's `verdicts` is empty;
  /// `stats.verdictsWritten` counts the lines given to `output`.
  public func stream(
    _ sources: [EventSource], options: EvaluationOptions, report: (SessionProblem) -> Void = { _ in },
    output: ([UInt8]) throws(OutputError) -> Void
  ) -> SessionOutcome {
    let zones = evaluators.map(\.calendar.zone)
    let budget = max(1, min(options.memoryLimit / 16, 4 << 20))
    return withoutActuallyEscaping(report) { report in
      SessionRun(
        session: self, options: options, report: report,
        makeSink: { SpooledVerdicts(zones: zones, budget: budget) }
      ).run(.sources(sources.map { .source($0) }), output: output)
    }
  }

  /// `stream`, continuing `state` (the state an earlier run left, or an empty one): the outcome's
  /// `state` is the state this run leaves. `options.asOf` is the run's boundary: events of the
  /// next run must be at or after it. Fails, before reading anything, when the state was made with
  /// other policies or no as-of instant is given.
  public func stream(
    _ sources: [EventSource], options: EvaluationOptions, continuing state: EvaluationState,
    stateName: String = "<state>", report: (SessionProblem) -> Void = { _ in },
    output: ([UInt8]) throws(OutputError) -> Void
  ) throws(StateFileError) -> SessionOutcome {
    guard options.asOf != nil else {
      throw .invalid(path: stateName, reason: "a run that keeps state needs --as-of")
    }
    let carried = try CarriedState(state, evaluators: evaluators, path: stateName)
    let zones = evaluators.map(\.calendar.zone)
    let budget = max(1, min(options.memoryLimit / 16, 4 << 20))
    var outcome = withoutActuallyEscaping(report) { report in
      SessionRun(
        session: self, options: options, carried: carried, report: report,
        makeSink: { SpooledVerdicts(zones: zones, budget: budget) }
      ).run(.sources(sources.map { .source($0) }), output: output)
    }
    outcome.warnings = carried.warnings + outcome.warnings
    return outcome
  }

  /// `run(events:)`, continuing `state`: the outcome holds the verdicts and the state this run
  /// leaves (see `stream(_:options:continuing:stateName:report:output:)`).
  public func run(
    events: [Event], options: EvaluationOptions, continuing state: EvaluationState,
    report: (SessionProblem) -> Void = { _ in }
  ) throws(StateFileError) -> SessionOutcome {
    guard options.asOf != nil else {
      throw .invalid(path: "<state>", reason: "a run that keeps state needs an as-of instant")
    }
    let carried = try CarriedState(state, evaluators: evaluators, path: "<state>")
    var outcome = withoutActuallyEscaping(report) { report in
      SessionRun(
        session: self, options: options, carried: carried, report: report, makeSink: { CollectedVerdicts() }
      ).run(.events(events), output: { _ throws(OutputError) in })
    }
    outcome.warnings = carried.warnings + outcome.warnings
    return outcome
  }

  /// Judges events already decoded, given in line order (each checked like a line: routing, its
  /// conversation's shop and buyer, `grouped`): what the Swift API evaluates.
  public func run(
    events: [Event], options: EvaluationOptions, report: (SessionProblem) -> Void = { _ in }
  ) -> SessionOutcome {
    withoutActuallyEscaping(report) { report in
      SessionRun(session: self, options: options, report: report, makeSink: { CollectedVerdicts() })
        .run(.events(events), output: { _ throws(OutputError) in })
    }
  }

  /// Appends verdicts as io.md's JSON lines, each with its policy's zone.
  public func write(_ verdicts: [SessionVerdict], to writer: inout VerdictWriter) {
    for v in verdicts where evaluators.indices.contains(v.policy) {
      writer.append(v.verdict, zone: evaluators[v.policy].calendar.zone)
    }
  }
}
