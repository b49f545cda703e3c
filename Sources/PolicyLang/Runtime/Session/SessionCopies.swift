// Copies of a session's evaluators for the workers of one run. Evaluators are immutable and safe
// to share, but every thread that reads a shared program, matcher or table retains and releases
// it: from two cores those counts bounce one cache line between them. A worker takes a copy of
// its own for a batch (made from the programs' file bytes, so it shares no storage) and gives it
// back, so at most one thread uses a copy at a time.

import Synchronization

/// Deep copies of a session, lent to one worker at a time.
final class SessionCopies: Sendable {
  /// The session copied; lent when a copy cannot be made.
  let original: EvaluationSession
  private let archives: [[UInt8]]
  private let idle = Mutex<[EvaluationSession]>([])

  /// Copies of `session`, made when first needed.
  init(of session: EvaluationSession) {
    original = session
    archives = session.evaluators.map { evaluator in
      ProgramArchive.encode(
        evaluator.program,
        metadata: ProgramMetadata(
          policyName: evaluator.program.ir.policy, sourceHash: "", compilerVersion: ""))
    }
  }

  /// A copy no other worker uses, made when none is idle (the original if making one fails).
  func take() -> EvaluationSession {
    if let copy = idle.withLock({ $0.popLast() }) { return copy }
    var evaluators: [Evaluator] = []
    for bytes in archives {
      guard let loaded = try? ProgramArchive.decode(bytes),
        let evaluator = try? Evaluator(program: loaded.program)
      else { return original }
      evaluators.append(evaluator)
    }
    return EvaluationSession(evaluators: evaluators)
  }

  /// Gives back a copy taken.
  func give(_ copy: EvaluationSession) {
    idle.withLock { $0.append(copy) }
  }
}
