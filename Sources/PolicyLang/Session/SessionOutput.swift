// The end of a streaming run: escalation decided from the spooled candidates, then every verdict
// written in io.md's order from the spool's sorted runs, then the aggregate verdicts. With several
// jobs the aggregates are computed on another thread meanwhile (they read only the tallies).

import Dispatch
import PolicyLangCore
import PolicyLangRuntime

extension SessionRun {
  /// Bytes of output gathered before each call of the output function.
  static let outputChunk = 1 << 20

  /// Judges what is left and writes every verdict through `output` in order; nothing is written
  /// after `output` fails (its error is in the outcome).
  mutating func finish(writing output: ([UInt8]) throws(OutputError) -> Void) -> SessionOutcome {
    judgeRemaining()
    var writer = VerdictWriter()
    var outputError: OutputError?
    var written = 0
    var violation = false
    func flush() {
      guard outputError == nil, !writer.bytes.isEmpty else {
        writer.removeAll()
        return
      }
      do throws(OutputError) {
        try output(writer.bytes)
      } catch {
        outputError = error
      }
      writer.removeAll()
    }
    if !stopped, let spool {
      violation = hasViolation
      let background = options.jobs > 1 ? BackgroundAggregates(self) : nil
      let raised = escalations(spool)
      var corrupt = false
      spool.forEachBlock { firstID, count, bytes in
        var offset = 0
        for k in 0..<count {
          guard bytes.count - offset >= 4 else {
            corrupt = true
            return
          }
          var length = 0
          for b in 0..<4 { length |= Int(bytes[offset + b]) << (8 * b) }
          offset += 4
          guard bytes.count - offset >= length else {
            corrupt = true
            return
          }
          writer.appendRaw(
            UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[offset..<offset + length])))
          writer.appendClose(escalation: raised.isEmpty ? nil : raised[firstID + k])
          offset += length
          written += 1
          if writer.bytes.count >= Self.outputChunk { flush() }
        }
      }
      if corrupt { internalErrors.append("a temporary verdict file is corrupt") }
      internalErrors += spool.errors
      let rates = background?.result() ?? aggregates()
      for (policy, verdict) in rates where session.evaluators.indices.contains(policy) {
        writer.append(verdict.verdict, zone: session.evaluators[policy].calendar.zone)
        written += 1
        violation = true
        if writer.bytes.count >= Self.outputChunk { flush() }
      }
      flush()
    }
    stats.verdictsWritten = written
    internalErrors += tallies.flatMap(\.units.errors)
    var outcome = SessionOutcome(
      verdicts: [], stats: stats, inputErrors: inputErrors, internalErrors: internalErrors,
      stoppedAtErrorLine: stopped, hasViolation: violation)
    outcome.outputError = outputError
    return outcome
  }

  /// The escalation of each spooled verdict a policy raises, by verdict id.
  func escalations(_ spool: VerdictSpool) -> [Int: Escalation] {
    var raised: [Int: Escalation] = [:]
    for p in session.evaluators.indices
    where spool.candidates.indices.contains(p) && !spool.candidates[p].isEmpty {
      let ids = spool.candidateIDs[p]
      for (k, escalation) in session.evaluators[p].escalations(of: spool.candidates[p])
      where ids.indices.contains(k) {
        raised[ids[k]] = escalation
      }
    }
    return raised
  }

  /// Every policy's aggregate verdicts in the session's order: shop, period start, period end,
  /// policy order, rule order.
  func aggregates() -> [(policy: Int, verdict: RankedVerdict)] {
    Self.aggregates(session: session, tallies: tallies, asOf: options.asOf)
  }

  /// `aggregates()` of the given tallies.
  static func aggregates(
    session: EvaluationSession, tallies: [RateTally], asOf: Timestamp?
  )
    -> [(policy: Int, verdict: RankedVerdict)]
  {
    var all: [(policy: Int, position: Int, verdict: RankedVerdict)] = []
    for p in session.evaluators.indices where tallies.indices.contains(p) {
      for (position, v) in session.evaluators[p].sortedRates(tallies[p], asOf: asOf).enumerated() {
        all.append((p, position, v))
      }
    }
    if session.evaluators.count > 1 {
      all.sort { a, b in
        if a.verdict.verdict.shop != b.verdict.verdict.shop {
          return a.verdict.verdict.shop < b.verdict.verdict.shop
        }
        let pa = Evaluator.period(a.verdict)
        let pb = Evaluator.period(b.verdict)
        return (pa.start, pa.end, a.policy, a.position) < (pb.start, pb.end, b.policy, b.position)
      }
    }
    return all.map { ($0.policy, $0.verdict) }
  }
}

/// A run's aggregate verdicts computed on a background queue; `result()` waits for them.
final class BackgroundAggregates: @unchecked Sendable {
  private let group = DispatchGroup()
  /// Written by the background block before `group` leaves, read after `result()` waits.
  private var computed: [(policy: Int, verdict: RankedVerdict)] = []

  /// Starts computing the aggregates of `run`'s tallies, which must not change until `result()`.
  init(_ run: SessionRun) {
    let session = run.session
    let tallies = run.tallies
    let asOf = run.options.asOf
    DispatchQueue.global().async(group: group) {
      self.computed = SessionRun.aggregates(session: session, tallies: tallies, asOf: asOf)
    }
  }

  /// The aggregates, once computed.
  func result() -> [(policy: Int, verdict: RankedVerdict)] {
    group.wait()
    return computed
  }
}
