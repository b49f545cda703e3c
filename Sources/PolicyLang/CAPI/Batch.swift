// `plc_evaluate`, `plc_evaluate_files` and `plc_batch`: JSON Lines events, in memory or in files,
// judged exactly as `policyc eval` judges files, its standard output, standard error and exit
// status kept for the caller.

import CPolicyLang
import PolicyLang

/// The object behind a `plc_batch *`: what `policyc eval` would have written.
final class BatchObject {
  /// Standard output: the verdicts' JSON Lines.
  let verdicts: OwnedText
  /// Standard error: `NAME:LINE: error: WHY\n` per error line, `policyc eval: WHY\n` per
  /// unreadable file.
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

/// Judges a batch of events in memory against one or more policies.
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
    let evaluators = try Arguments.evaluators(policies, count, in: function)
    let input = Array(try Arguments.bytes(events, length, "events", in: function))
    let options = try BatchOptions(options, in: function)
    return try BatchRun.run(evaluators, [.bytes(name: options.sourceName, input)], options, into: out)
  }
}

/// Judges event files against one or more policies, as `policyc eval FILE...`.
@_cdecl("plc_evaluate_files")
public func plcEvaluateFiles(
  _ policies: UnsafePointer<OpaquePointer?>?, _ count: Int, _ paths: UnsafePointer<UnsafePointer<CChar>?>?,
  _ pathCount: Int, _ options: UnsafePointer<plc_eval_options>?,
  _ batch: UnsafeMutablePointer<OpaquePointer?>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  batch?.pointee = nil
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_evaluate_files"
    let out = try Arguments.output(batch, "batch", in: function)
    let evaluators = try Arguments.evaluators(policies, count, in: function)
    guard let paths else { throw .invalidArgument(function, "`paths` is NULL") }
    guard pathCount > 0 else { throw .invalidArgument(function, "`path_count` is 0: give at least one file") }
    var sources: [EventSource] = []
    for index in 0..<pathCount {
      sources.append(.file(try Arguments.string(paths[index], "paths[\(index)]", in: function)))
    }
    let options = try BatchOptions(options, in: function)
    return try BatchRun.run(evaluators, sources, options, into: out)
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
