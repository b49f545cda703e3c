// The evaluation session: everything `policyc eval` does between the command line and the output
// bytes, as a library type the CLI and the Swift API share. It reads event files line by line,
// rejects bad lines, routes events to policies by `platform`, groups them by conversation (in
// memory, as a grouped stream, or spilled to temporary partitions), judges conversations (in
// parallel when asked), and finishes each policy's run into io.md's verdict order.

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
  /// Bytes of buffered ungrouped events before they are spilled to temporary partition files.
  public var memoryLimit: Int
  /// The longest accepted line in bytes, without its line end.
  public var maxLineLength: Int

  /// Grouped runs with several jobs: bytes the reader reads at once, and bytes per batch a worker
  /// decodes before a batch is cut at the next change of conversation (a full chunk is cut at
  /// its last change). Tests make them small to cut often and split lines between chunks.
  var decodeChunkBytes = 1 << 20
  var bytesPerDecodeBatch = 1 << 20

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

  /// Whether any error line was found (exit 2).
  public var hasErrorLines: Bool { stats.rejectedTotal > 0 }
}

/// Judges streams of events against one or more compiled policies, as `policyc eval` does.
///
/// Routing: with one policy every event is judged by it and `platform` is ignored. With several,
/// an event whose `platform` names a policy (by the policy's name) is judged by that policy only; an
/// event without `platform` is judged by every policy; an event whose `platform` names no policy
/// given is an error line (`platform `X` names no policy given (A, B)`, counted under
/// `wrong_type` until `EventLineReason` has a reason of its own), never dropped silently. Each policy sees the sub-timeline of the events routed to it: its event
/// indexes count those events only. A conversation's shop and buyer come from any of its events,
/// whichever policy judges them.
///
/// Order: conversation verdicts by (conversation bytes, event index, policy order, rule order);
/// then aggregate verdicts by (shop, period start, period end, policy order, rule order). With one
/// policy this is exactly io.md's order.
///
/// A session holds no run state: `run` may be called again, and from several threads at once.
public struct EvaluationSession: Sendable {
  /// The policies' evaluators, in the order given.
  public let evaluators: [Evaluator]
  /// Each policy's name as bytes (what `platform` is compared with).
  public let names: [ByteString]

  /// A session over evaluators, in routing and output order.
  public init(evaluators: [Evaluator]) {
    self.evaluators = evaluators
    names = evaluators.map { ByteString($0.program.ir.policy) }
  }

  /// A session over compiled programs; fails when a program's zone is unknown.
  public init(programs: [RuleProgram]) throws(CompileError) {
    var evaluators: [Evaluator] = []
    for program in programs { evaluators.append(try Evaluator(program: program)) }
    self.init(evaluators: evaluators)
  }

  /// Reads every source in order and judges its events. `report` is called on the calling thread
  /// for each error line and unreadable input, in input order, as they are found.
  public func run(
    _ sources: [EventSource], options: EvaluationOptions,
    report: (SessionProblem) -> Void = { _ in }
  ) -> SessionOutcome {
    withoutActuallyEscaping(report) { report in
      var state = SessionRun(session: self, options: options, report: report)
      state.readAll(sources)
      return state.finish()
    }
  }

  /// Reads every source in order, judges its events and writes the verdicts as io.md's JSON lines
  /// through `output`, in order, in chunks; `report` is as in `run`. Memory does not grow with
  /// the verdicts: they are rendered when judged and, past a slice of `options.memoryLimit`,
  /// kept in sorted temporary files merged at the end. The outcome's `verdicts` is empty;
  /// `stats.verdictsWritten` counts the lines given to `output`.
  public func stream(
    _ sources: [EventSource], options: EvaluationOptions, report: (SessionProblem) -> Void = { _ in },
    output: ([UInt8]) throws(OutputError) -> Void
  ) -> SessionOutcome {
    withoutActuallyEscaping(report) { report in
      var state = SessionRun(session: self, options: options, streaming: true, report: report)
      state.readAll(sources)
      return state.finish(writing: output)
    }
  }

  /// Judges events already decoded, given in line order (each with no error-line check beyond
  /// routing, shop and buyer conflicts and `grouped`): what the Swift API evaluates.
  public func run(
    events: [Event], options: EvaluationOptions, report: (SessionProblem) -> Void = { _ in }
  ) -> SessionOutcome {
    withoutActuallyEscaping(report) { report in
      var state = SessionRun(session: self, options: options, report: report)
      for (index, event) in events.enumerated() {
        state.stats.linesRead += 1
        state.accept(event, file: "<events>", line: index + 1, cost: SessionRun.eventOverhead)
        if state.stopped { break }
      }
      return state.finish()
    }
  }

  /// Appends verdicts as io.md's JSON lines, each with its policy's zone.
  public func write(_ verdicts: [SessionVerdict], to writer: inout VerdictWriter) {
    for v in verdicts where evaluators.indices.contains(v.policy) {
      writer.append(v.verdict, zone: evaluators[v.policy].calendar.zone)
    }
  }

  /// The policies that judge an event: its index list, or nil when `platform` names none of them.
  func route(_ event: Event) -> RouteSet? {
    guard evaluators.count > 1, let platform = event.platform else { return .all }
    var mask: UInt64 = 0
    var extra: [Int] = []
    for (i, name) in names.enumerated() where name == platform {
      if i < 64 { mask |= 1 << UInt64(i) } else { extra.append(i) }
    }
    if mask == 0 && extra.isEmpty { return nil }
    return .some(mask: mask, extra: extra)
  }
}

/// The policies an event is routed to.
enum RouteSet: Sendable, Equatable {
  case all
  case some(mask: UInt64, extra: [Int])

  func contains(_ policy: Int) -> Bool {
    switch self {
    case .all: return true
    case .some(let mask, let extra):
      return policy < 64 ? mask & (1 << UInt64(policy)) != 0 : extra.contains(policy)
    }
  }
}
