// One batch through the evaluation session: what `policyc eval` would write on standard output
// and standard error kept in a `plc_batch`, and its exit status returned.

import CPolicyLang
import PolicyLang

/// Runs a batch for `plc_evaluate` and `plc_evaluate_files`.
enum BatchRun {
  /// Judges `sources` and hands the batch to `out`. Returns io.md's exit status when it is 0, 1 or
  /// 2; throws (after handing out the batch, which is then incomplete) for 66 and 70.
  static func run(
    _ evaluators: [Evaluator], _ sources: [EventSource], _ options: BatchOptions,
    into out: UnsafeMutablePointer<OpaquePointer?>
  ) throws(Failure) -> plc_status {
    var verdicts: [UInt8] = []
    var errorLines: [UInt8] = []
    let outcome = EvaluationSession(evaluators: evaluators).stream(
      sources, options: options.evaluation,
      report: { problem in errorLines.append(contentsOf: (problem.rendered + "\n").utf8) },
      output: { bytes throws(OutputError) in verdicts.append(contentsOf: bytes) })
    out.pointee = Handle.retained(BatchObject(verdicts: verdicts, errors: errorLines, stats: outcome.stats))

    // The first of 66, 70, 2, 1 that applies (64 and 65 were ruled out before the run).
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
