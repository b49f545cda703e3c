// `plc_evaluate` and `plc_batch`: a batch of JSON Lines judged exactly as `policyc eval` judges
// one file, with its standard output, standard error and exit status kept for the caller.

import CPolicyLang
import PolicyLang

/// The object behind a `plc_batch *`: what `policyc eval` would have written.
final class BatchObject {
  /// Standard output: the verdicts' JSON Lines.
  let verdicts: OwnedText
  /// Standard error's error lines, `NAME:LINE: error: WHY\n` each.
  let errors: OwnedText
  /// The accounting.
  let stats: EvalStats
  /// The accounting as `--stats` writes it.
  let statsText: OwnedText

  init(verdicts: [UInt8], errors: [UInt8], stats: EvalStats) {
    self.verdicts = OwnedText(verdicts)
    self.errors = OwnedText(errors)
    self.stats = stats
    statsText = OwnedText(stats.rendered)
  }
}

/// Judges a batch of events against one or more policies.
@_cdecl("plc_evaluate")
public func plcEvaluate(
  _ policies: UnsafePointer<OpaquePointer?>?, _ count: Int, _ events: UnsafePointer<CChar>?,
  _ length: Int, _ options: UnsafePointer<plc_eval_options>?,
  _ batch: UnsafeMutablePointer<OpaquePointer?>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  batch?.pointee = nil
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_evaluate"
    let out = try Arguments.output(batch, "batch", in: function)
    let list = try Arguments.output(UnsafeMutablePointer(mutating: policies), "policies", in: function)
    guard count > 0 else { throw .invalidArgument(function, "`count` is 0: give at least one policy") }
    var evaluators: [Evaluator] = []
    for index in 0..<count {
      evaluators.append(
        try Arguments.policy(list[index], "policies[\(index)]", in: function).evaluator)
    }
    let input = Array(try Arguments.bytes(events, length, "events", in: function))
    let options = try BatchOptions(options, in: function)

    var verdicts: [UInt8] = []
    var errorLines: [UInt8] = []
    let outcome = EvaluationSession(evaluators: evaluators).stream(
      [.bytes(name: options.sourceName, input)], options: options.evaluation,
      report: { problem in errorLines.append(contentsOf: (problem.rendered + "\n").utf8) },
      output: { bytes throws(OutputError) in verdicts.append(contentsOf: bytes) })
    out.pointee = Handle.retained(BatchObject(verdicts: verdicts, errors: errorLines, stats: outcome.stats))

    // io.md's exit status; the first of 66, 70, 2, 1 that applies (64 and 65 were ruled out).
    var internalProblems = outcome.internalErrors
    if let failed = outcome.outputError { internalProblems.append("\(failed)") }
    if !outcome.stats.isBalanced { internalProblems.append("the accounting does not balance") }
    if !outcome.inputErrors.isEmpty {
      throw Failure(
        status: PLC_MISSING_FILE, message: outcome.inputErrors.map { "\($0)" }.joined(separator: "\n"))
    }
    if !internalProblems.isEmpty {
      throw Failure(
        status: PLC_INTERNAL_ERROR,
        message: internalProblems.map { "internal error: \($0)" }.joined(separator: "\n"))
    }
    if outcome.hasErrorLines { return PLC_INPUT_ERROR }
    if options.failOnViolation && outcome.hasViolation { return PLC_VIOLATION }
    return PLC_OK
  }
}

/// Hands out one of a batch's texts.
private func borrowText(
  _ batch: OpaquePointer?, _ data: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
  _ length: UnsafeMutablePointer<Int>?, _ text: (BatchObject) -> OwnedText
) -> plc_status {
  data?.pointee = nil
  length?.pointee = 0
  guard let batch, let data, let length else { return PLC_INVALID_ARGUMENT }
  let owned = text(Handle.borrow(batch, as: BatchObject.self))
  data.pointee = owned.borrowed
  length.pointee = owned.count
  return PLC_OK
}

/// The verdicts as JSON Lines.
@_cdecl("plc_batch_verdicts")
public func plcBatchVerdicts(
  _ batch: OpaquePointer?, _ data: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
  _ length: UnsafeMutablePointer<Int>?
) -> plc_status {
  borrowText(batch, data, length) { $0.verdicts }
}

/// The error lines.
@_cdecl("plc_batch_errors")
public func plcBatchErrors(
  _ batch: OpaquePointer?, _ data: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
  _ length: UnsafeMutablePointer<Int>?
) -> plc_status {
  borrowText(batch, data, length) { $0.errors }
}

/// The accounting as `--stats` text.
@_cdecl("plc_batch_stats_text")
public func plcBatchStatsText(
  _ batch: OpaquePointer?, _ data: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
  _ length: UnsafeMutablePointer<Int>?
) -> plc_status {
  borrowText(batch, data, length) { $0.statsText }
}

/// The accounting's counts.
@_cdecl("plc_batch_stats")
public func plcBatchStats(_ batch: OpaquePointer?, _ stats: UnsafeMutablePointer<plc_stats>?) -> plc_status {
  guard let batch, let stats else { return PLC_INVALID_ARGUMENT }
  // Only `size` is read before it is checked: the caller's struct may be shorter than ours.
  guard UnsafeRawPointer(stats).load(as: Int.self) >= MemoryLayout<plc_stats>.size else {
    return PLC_INVALID_ARGUMENT
  }
  let counts = Handle.borrow(batch, as: BatchObject.self).stats
  stats.pointee.lines_read = UInt64(counts.linesRead)
  stats.pointee.blank_lines_skipped = UInt64(counts.blankSkipped)
  stats.pointee.events_evaluated = UInt64(counts.evaluated)
  stats.pointee.error_lines = UInt64(counts.rejectedTotal)
  stats.pointee.verdicts_written = UInt64(counts.verdictsWritten)
  return PLC_OK
}

/// Frees a batch; NULL is ignored.
@_cdecl("plc_batch_free")
public func plcBatchFree(_ batch: OpaquePointer?) {
  guard let batch else { return }
  Handle.release(batch, as: BatchObject.self)
}
