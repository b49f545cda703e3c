// `plc_eval_options` read into the session's options, with the checks `policyc eval` makes on
// its command line (each failure is PLC_INVALID_ARGUMENT, as a bad option is exit 64).

import CPolicyLang
import Foundation
import PolicyLang

/// The options of one `plc_evaluate` call.
struct BatchOptions {
  /// The session's options; `asOf` is now when the caller gave none.
  var evaluation = EvaluationOptions(jobs: ProcessInfo.processInfo.activeProcessorCount)
  /// The name error lines start with.
  var sourceName = "<events>"
  /// `PLC_EVAL_FAIL_ON_VIOLATION`.
  var failOnViolation = false

  /// Every flag this version knows.
  static let knownFlags: UInt32 =
    PLC_EVAL_PENDING | PLC_EVAL_STRICT | PLC_EVAL_GROUPED | PLC_EVAL_FAIL_ON_VIOLATION

  /// The defaults (`options` NULL), or the caller's options, checked.
  init(_ options: UnsafePointer<plc_eval_options>?, in function: StaticString) throws(Failure) {
    guard let options else {
      evaluation.asOf = Timestamp.now()
      return
    }
    // Read `size` alone first: an older or foreign caller's struct may be shorter than ours.
    let size = UnsafeRawPointer(options).load(as: Int.self)
    let expected = MemoryLayout<plc_eval_options>.size
    guard size >= expected else {
      throw .invalidArgument(
        function,
        "`options->size` is \(size), less than sizeof(plc_eval_options) \(expected) (use PLC_EVAL_OPTIONS_INIT)"
      )
    }
    let given = options.pointee
    guard given.flags & ~Self.knownFlags == 0 else {
      throw .invalidArgument(
        function, "`options->flags` has unknown bits 0x\(String(given.flags, radix: 16))")
    }
    evaluation.includePending = given.flags & PLC_EVAL_PENDING != 0
    evaluation.strict = given.flags & PLC_EVAL_STRICT != 0
    evaluation.grouped = given.flags & PLC_EVAL_GROUPED != 0
    failOnViolation = given.flags & PLC_EVAL_FAIL_ON_VIOLATION != 0
    if given.jobs != 0 {
      guard given.jobs <= 1024 else {
        throw .invalidArgument(
          function, "`options->jobs` takes 1 to 1024 (0: one per core), not \(given.jobs)")
      }
      evaluation.jobs = Int(given.jobs)
    }
    if given.max_line != 0 {
      evaluation.maxLineLength = try Self.byteCount(given.max_line, "options->max_line", in: function)
    }
    if given.memory_limit != 0 {
      evaluation.memoryLimit = try Self.byteCount(given.memory_limit, "options->memory_limit", in: function)
    }
    if given.source_name != nil {
      sourceName = try Arguments.string(given.source_name, "options->source_name", in: function)
    }
    guard given.as_of != nil else {
      evaluation.asOf = Timestamp.now()
      return
    }
    let asOf = try Arguments.string(given.as_of, "options->as_of", in: function)
    do {
      evaluation.asOf = try Timestamp(rfc3339: asOf)
    } catch {
      throw .invalidArgument(function, "`options->as_of` `\(asOf)` is not an RFC 3339 time: \(error)")
    }
  }

  /// A byte count the session can hold in an `Int`.
  private static func byteCount(
    _ value: UInt64, _ name: String, in function: StaticString
  ) throws(Failure) -> Int {
    guard let bytes = Int(exactly: value) else {
      throw .invalidArgument(function, "`\(name)` \(value) is too large")
    }
    return bytes
  }
}
