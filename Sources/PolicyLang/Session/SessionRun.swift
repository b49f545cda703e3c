// One run of a session, as a reader can follow it:
//
//   inputs -> lines -> Pass (decode, Intake, EventOrdering, RunJudge) -> RunEnd -> VerdictSink
//
// A run first reads its input in arrival order, judging each event as it comes. Input that
// turns out not to be in time order (an event earlier than one its conversation already took)
// makes the run start over with `BufferedOrder`, which judges any order exactly; standard input
// is kept in a temporary file while it is read, so that it can be read again. `--grouped` input
// goes straight to `GroupedOrder`. With `--jobs N` the lines are shared out by conversation
// between N workers, each running its own pass (`ParallelPass`); the run's end merges them.

import PolicyLangCore
import PolicyLangRuntime

/// What a run reads: sources of lines, or events already decoded (the Swift API).
enum RunInputs {
  case sources([InputSource])
  case events([Event])

  /// The name of each input, for reports.
  var names: [String] {
    switch self {
    case .sources(let sources): return sources.map(\.name)
    case .events: return ["<events>"]
    }
  }
}

/// A source of lines: one the caller named, or standard input kept by a first pass.
enum InputSource {
  case source(EventSource)
  case keptStandardInput(FileDescriptor)

  var name: String {
    switch self {
    case .source(let source): return source.name
    case .keptStandardInput: return LineReader.standardInputName
    }
  }

  var isStandardInput: Bool {
    if case .source(.standardInput) = self { return true }
    return false
  }
}

/// What a pass over the whole input gave: one part per worker, and the lines read.
struct PassResults<Sink: VerdictSink> {
  var parts: [PassOutcome<Sink>] = []
  /// Counts of the lines the reader handled itself (blank, too long) in a parallel pass.
  var readerStats = EvalStats()
  var end: PassEnd?
  /// Every error line up to here was reported (a pass run again reports only later ones).
  var reportedThrough: LinePosition?
}

/// Reports made, shared by the passes of a run so that none is made twice.
final class RunReports {
  let report: (SessionProblem) -> Void
  let names: [String]
  /// Error lines up to this position were reported by an earlier pass.
  var reportedThrough: LinePosition?
  /// The last line position a pass reached.
  var lastPosition: LinePosition?
  var inputErrors: [InputError] = []
  private var failedInputs: Set<Int> = []
  /// Why standard input could not be kept whole for a second pass, if it could not.
  var teeFailure: FileError?

  init(report: @escaping (SessionProblem) -> Void, names: [String]) {
    self.report = report
    self.names = names
  }

  /// Reports an error line, unless an earlier pass did (`always`: no earlier pass could have).
  func line(_ found: FoundError, always: Bool = false) {
    if !always, let through = reportedThrough, found.position <= through { return }
    let name = names.indices.contains(found.position.source) ? names[found.position.source] : "<events>"
    report(.line(file: name, line: found.position.line, found.error))
  }

  func input(_ error: InputError, index: Int) {
    guard failedInputs.insert(index).inserted else { return }
    inputErrors.append(error)
    report(.input(error))
  }
}

/// A run: its passes, its reports and its outcome.
struct SessionRun<Sink: VerdictSink> {
  let session: EvaluationSession
  let options: EvaluationOptions
  /// The state the run continues, when it keeps one (`--state`).
  var carried: CarriedState? = nil
  let report: (SessionProblem) -> Void
  let makeSink: @Sendable () -> Sink

  /// Reads `inputs`, judges them and gives the verdicts out through the sink.
  func run(_ inputs: RunInputs, output: ([UInt8]) throws(OutputError) -> Void) -> SessionOutcome {
    let reports = RunReports(report: report, names: inputs.names)
    var warnings: [String] = []
    var inputs = inputs
    let policies = session.evaluators.count
    if options.grouped {
      let results = execute(inputs, reports: reports, tee: nil) { GroupedOrder(policies: policies) }
      return finish(results, reports: reports, warnings: warnings, output: output)
    }
    // Standard input can be read once: it is kept in a temporary file during the first pass, so
    // that a second one can read it again. Without a temporary directory it goes straight to the
    // strategy that needs no second pass.
    var tee: FileDescriptor?
    var arrival = true
    if case .sources(let sources) = inputs, sources.contains(where: \.isStandardInput) {
      do throws(FileError) {
        tee = try TemporaryDirectory.temporaryFile(named: "policyc-stdin")
      } catch {
        arrival = false
        warnings.append(
          "cannot keep standard input to read it again (\(error.reason)); it is judged as input in any order"
            + " (set TMPDIR to a writable directory)")
      }
    }
    defer { tee?.close() }
    if arrival {
      let first = execute(inputs, reports: reports, tee: tee) { ArrivalOrder(policies: policies) }
      guard first.end == .outOfOrder else {
        return finish(first, reports: reports, warnings: warnings, output: output)
      }
      reports.reportedThrough = first.reportedThrough
      if let tee, case .sources(let sources) = inputs {
        if let failure = reports.teeFailure {
          return Self.failed("standard input is not in time order and cannot be read again: \(failure)")
        }
        do throws(FileError) {
          try Self.keepRest(ofStandardInput: tee)
          try tee.rewind()
          inputs = .sources(sources.map { $0.isStandardInput ? .keptStandardInput(tee) : $0 })
        } catch {
          return Self.failed("standard input is not in time order and cannot be read again: \(error)")
        }
      }
    }
    let budget = options.memoryLimit / max(1, options.jobs)
    let intake = session.intake
    let second = execute(inputs, reports: reports, tee: nil) {
      BufferedOrder(policies: policies, budget: budget, intake: intake)
    }
    return finish(second, reports: reports, warnings: warnings, output: output)
  }

  /// One pass over the inputs with a new ordering per worker.
  private func execute<Ordering: EventOrdering>(
    _ inputs: RunInputs, reports: RunReports, tee: FileDescriptor?,
    ordering: @escaping @Sendable () -> Ordering
  ) -> PassResults<Sink> {
    // `--strict` stops at the first error line in input order, which one reader finds exactly.
    if options.jobs > 1, !options.strict, case .sources(let sources) = inputs {
      return ParallelPass(
        session: session, options: options, carried: carried, makeSink: makeSink, makeOrdering: ordering
      )
      .run(sources, reports: reports, tee: tee)
    }
    var pass = Pass(
      evaluators: session.evaluators, options: options, carried: carried, ordering: ordering(),
      sink: makeSink())
    var results = PassResults<Sink>()
    results.end = read(inputs, into: &pass, reports: reports, tee: tee)
    results.reportedThrough = reports.lastPosition
    // Lines read before the pass stopped are reported as they were found.
    for found in pass.found { reports.line(found) }
    pass.found = []
    results.parts = [pass.end()]
    return results
  }

  /// Reads every input into a single pass; a pass end when it stopped early.
  private func read<Ordering: EventOrdering>(
    _ inputs: RunInputs, into pass: inout Pass<Sink, Ordering>, reports: RunReports, tee: FileDescriptor?
  ) -> PassEnd? {
    switch inputs {
    case .events(let events):
      for (k, event) in events.enumerated() {
        let position = LinePosition(source: 0, line: k + 1)
        reports.lastPosition = position
        pass.stats.linesRead += 1
        if let end = pass.event(event, at: position) { return end }
      }
      return nil
    case .sources(let sources):
      for (index, source) in sources.enumerated() {
        let end = InputLines.read(source, index: index, options: options, reports: reports, tee: tee) {
          content, position in
          reports.lastPosition = position
          let end = pass.line(content, at: position)
          for found in pass.found { reports.line(found) }
          pass.found.removeAll(keepingCapacity: true)
          return end
        }
        if let end { return end }
      }
      return nil
    }
  }

  /// Appends what is left of standard input to the file that holds what was read of it.
  private static func keepRest(ofStandardInput tee: FileDescriptor) throws(FileError) {
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 8)
    defer { chunk.deallocate() }
    while true {
      let got = try FileDescriptor.standardInput.read(into: chunk)
      guard got > 0 else { return }
      try tee.write(UnsafeRawBufferPointer(rebasing: chunk[0..<got]))
    }
  }

  /// The end of a pass over the whole input: the lines refused by their conversations are
  /// reported, then the verdicts are given out (none when the run stopped at an error line or
  /// its storage failed).
  private func finish(
    _ results: PassResults<Sink>, reports: RunReports, warnings: [String],
    output: ([UInt8]) throws(OutputError) -> Void
  ) -> SessionOutcome {
    var stats = results.readerStats
    var refused: [FoundError] = []
    var warnings = warnings
    var failure: FileError?
    for part in results.parts {
      stats.merge(part.stats)
      refused += part.refused
      if let unavailable = part.diskUnavailable {
        let warning =
          "--memory-limit cannot be kept: \(unavailable); events and verdicts stay in memory"
          + " (set TMPDIR to a writable directory)"
        if !warnings.contains(warning) { warnings.append(warning) }
      }
      if failure == nil { failure = part.storageFailure }
    }
    // Refusals are only known once conversations are judged: no earlier pass reported them.
    for found in refused.sorted(by: { $0.position < $1.position }) { reports.line(found, always: true) }
    let stopped = results.end == .stopped
    var outcome = SessionOutcome(
      verdicts: [], stats: stats, inputErrors: reports.inputErrors, internalErrors: [],
      stoppedAtErrorLine: stopped, hasViolation: false)
    outcome.warnings = warnings
    if let failure {
      outcome.internalErrors.append("\(failure)")
      outcome.stats.failure = "no verdict written: \(failure)"
      return outcome
    }
    guard !stopped else { return outcome }
    var parts = results.parts.map(\.results)
    if let carried { parts.append(finishUntouched(carried, parts: parts)) }
    let (result, next) = RunEnd.finish(
      parts, evaluators: session.evaluators,
      horizon: options.horizon(continuing: carried != nil), carried: carried, output: output)
    outcome.state = next
    outcome.verdicts = result.verdicts
    outcome.hasViolation = result.hasViolation
    outcome.outputError = result.outputError
    outcome.stats.verdictsWritten = result.count
    if let failure = result.storageFailure {
      outcome.internalErrors.append("\(failure)")
      outcome.stats.failure =
        result.count == 0
        ? "no verdict written: \(failure)" : "only the first \(result.count) verdicts written: \(failure)"
    }
    return outcome
  }

  /// The conversations of the state with something open that no event of this run reached:
  /// their deadlines pass all the same, so they are finished like the others.
  private func finishUntouched(_ carried: CarriedState, parts: [JudgeResults<Sink>]) -> JudgeResults<Sink> {
    let touched = Set(parts.flatMap { $0.finished.map(\.id) })
    var judge = RunJudge(
      evaluators: session.evaluators, horizon: options.horizon(continuing: true), carried: carried,
      sink: makeSink())
    let stored = carried.state.conversations
    for k in stored.active {
      guard let record = carried.record(k), !touched.contains(record.id) else { continue }
      var entry = judge.start(record.id)
      judge.finish(&entry)
    }
    return judge.results()
  }

  /// The outcome of a run that cannot give verdicts.
  static func failed(_ reason: String) -> SessionOutcome {
    var stats = EvalStats()
    stats.failure = reason
    return SessionOutcome(
      verdicts: [], stats: stats, inputErrors: [], internalErrors: [reason], stoppedAtErrorLine: false,
      hasViolation: false)
  }
}

/// Lines of one input source.
enum InputLines {
  /// Calls `body` with each line of `source` (its content and position) until it returns a
  /// pass end, which is returned; an unreadable input is reported and ends the source.
  static func read(
    _ source: InputSource, index: Int, options: EvaluationOptions, reports: RunReports, tee: FileDescriptor?,
    _ body: (InputLine.Content, LinePosition) -> PassEnd?
  ) -> PassEnd? {
    switch source {
    case .source(.bytes(_, let bytes)):
      return bytes.withUnsafeBufferPointer { buffer -> PassEnd? in
        var splitter = MemoryLineSplitter(buffer, maxLineLength: options.maxLineLength)
        while let line = splitter.next() {
          if let end = body(line.content, LinePosition(source: index, line: line.number)) { return end }
        }
        return nil
      }
    case .source(.file), .source(.standardInput), .keptStandardInput:
      let reader: LineReader
      do throws(InputError) {
        switch source {
        case .source(.file(let path)):
          reader = try LineReader(path: path, maxLineLength: options.maxLineLength)
        case .keptStandardInput(let kept):
          reader = LineReader(
            descriptor: kept, name: LineReader.standardInputName, maxLineLength: options.maxLineLength)
        default:
          reader = LineReader(standardInputWithMaxLineLength: options.maxLineLength)
          reader.tee = tee
        }
      } catch {
        reports.input(error, index: index)
        return nil
      }
      defer {
        if let failure = reader.teeFailure { reports.teeFailure = failure }
      }
      do throws(InputError) {
        while let line = try reader.next() {
          if let end = body(line.content, LinePosition(source: index, line: line.number)) { return end }
        }
      } catch {
        reports.input(error, index: index)
      }
      return nil
    }
  }
}
