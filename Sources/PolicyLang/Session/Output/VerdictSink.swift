// Where a run's verdicts go as the judge finds them, and how they leave at the end: kept as values
// (the Swift API) or rendered and spooled, then written as JSON lines (`policyc eval`). Either way
// they leave in `VerdictOrder`, conversation verdicts with their escalation, then the aggregates.
// A parallel run has one sink per worker; the end merges them.

import PolicyLangCore
import PolicyLangRuntime

/// A verdict kept by a sink: the part (worker) that kept it and its id there.
package struct SinkID: Hashable, Sendable {
  package var part: Int
  package var id: Int

  package init(part: Int, id: Int) {
    self.part = part
    self.id = id
  }
}

/// How a finished run's verdicts left.
package struct SinkResult {
  /// Verdicts given out (to the output function, or kept in `verdicts`).
  package var count = 0
  /// Whether one of them is a violation that is not pending.
  package var hasViolation = false
  /// The verdicts, for a sink that keeps them.
  package var verdicts: [SessionVerdict] = []
  /// Why writing the output failed (nothing was written after it).
  package var outputError: OutputError?
  /// Why the run's own storage failed: the output is then empty, or stops where the failure was.
  package var storageFailure: FileError?
}

/// Receives a run's conversation verdicts as they are found.
package protocol VerdictSink {
  /// Keeps a conversation verdict of policy `policy` (its shop set); returns its id in this sink.
  mutating func add(_ verdict: RankedVerdict, policy: Int) -> Int
  /// Why the sink could not keep verdicts on disk past its budget (they stay in memory).
  var diskUnavailable: FileError? { get }
  /// A live sink gives verdicts out as they are found: the judge then neither holds them for a
  /// shop a later event may bring nor keeps violations for an escalation at the end (the live
  /// evaluation escalates each verdict as it leaves).
  static var isLive: Bool { get }
  /// Gives out every verdict the sinks kept (one sink per part of the run), in order, each with
  /// its escalation, then `aggregates`, already in order. `output` receives rendered bytes in
  /// chunks (sinks that keep values ignore it).
  static func finish(
    _ sinks: [Self], escalations: [SinkID: Escalation], aggregates: [SessionVerdict],
    output: ([UInt8]) throws(OutputError) -> Void
  ) -> SinkResult
}

extension VerdictSink {
  package static var isLive: Bool { false }
}

/// Keeps the verdicts as values, for callers of the Swift API.
package struct CollectedVerdicts: VerdictSink {
  private var kept: [(order: VerdictOrder, verdict: SessionVerdict)] = []

  package init() {}

  package var diskUnavailable: FileError? { nil }

  package mutating func add(_ verdict: RankedVerdict, policy: Int) -> Int {
    kept.append(
      (VerdictOrder(policy: policy, verdict), SessionVerdict(policy: policy, verdict: verdict.verdict)))
    return kept.count - 1
  }

  package static func finish(
    _ sinks: [CollectedVerdicts], escalations: [SinkID: Escalation], aggregates: [SessionVerdict],
    output: ([UInt8]) throws(OutputError) -> Void
  ) -> SinkResult {
    var all: [(order: VerdictOrder, at: SinkID, verdict: SessionVerdict)] = []
    for (part, sink) in sinks.enumerated() {
      for (id, item) in sink.kept.enumerated() {
        var verdict = item.verdict
        verdict.verdict.escalation = escalations[SinkID(part: part, id: id)]
        all.append((item.order, SinkID(part: part, id: id), verdict))
      }
    }
    all.sort { a, b in
      if a.order != b.order { return a.order < b.order }
      return (a.at.part, a.at.id) < (b.at.part, b.at.id)
    }
    var result = SinkResult()
    result.verdicts = all.map(\.verdict) + aggregates
    result.count = result.verdicts.count
    result.hasViolation = result.verdicts.contains { !$0.verdict.pending }
    return result
  }
}

/// Renders each verdict when it is found and spools it; writes them all as JSON lines at the end.
/// Memory holds a slice of the verdicts however many there are (`VerdictSpool`).
package struct SpooledVerdicts: VerdictSink {
  /// Bytes of output gathered before each call of the output function.
  static let outputChunk = 1 << 20

  private let zones: [PolicyZone]
  private let spool: VerdictSpool

  package var diskUnavailable: FileError? { spool.diskUnavailable }
  private var writer = VerdictWriter()
  private var hasViolation = false

  /// A sink for policies in `zones` (the session's order) keeping about `budget` bytes in memory.
  package init(zones: [PolicyZone], budget: Int) {
    self.zones = zones
    spool = VerdictSpool(budget: budget)
  }

  package mutating func add(_ verdict: RankedVerdict, policy: Int) -> Int {
    if !verdict.verdict.pending { hasViolation = true }
    writer.removeAll()
    writer.appendOpen(verdict.verdict, zone: zones[policy])
    let order = VerdictOrder(policy: policy, verdict)
    let key = VerdictSpool.Key(conversation: order.key, event: order.event, policy: policy, rule: order.rule)
    return writer.bytes.withUnsafeBytes { spool.add(key, bytes: $0) }
  }

  package static func finish(
    _ sinks: [SpooledVerdicts], escalations: [SinkID: Escalation], aggregates: [SessionVerdict],
    output: ([UInt8]) throws(OutputError) -> Void
  ) -> SinkResult {
    var result = SinkResult()
    // A spool that lost verdicts writes none: what it holds is no longer every verdict.
    if let failure = sinks.lazy.compactMap({ $0.spool.failure }).first {
      result.storageFailure = failure
      return result
    }
    let zones = sinks.first?.zones ?? []
    var out = VerdictWriter()
    var buffered = 0
    func flush() {
      guard result.outputError == nil, !out.bytes.isEmpty else { return }
      // Lines given to the output are counted, written or not (`--stats` says what was attempted).
      result.count += buffered
      do throws(OutputError) {
        try output(out.bytes)
      } catch {
        result.outputError = error
      }
      out.removeAll()
      buffered = 0
    }
    do throws(FileError) {
      var tagged: [(part: Int, source: SpoolSource)] = []
      for (part, sink) in sinks.enumerated() {
        for source in try sink.spool.sources() { tagged.append((part, source)) }
      }
      var merge = try SpoolMerge(tagged)
      try merge.forEach { _, part, id, bytes in
        guard result.outputError == nil else { return }
        out.appendRaw(bytes)
        out.appendClose(escalation: escalations[SinkID(part: part, id: id)])
        buffered += 1
        if out.bytes.count >= Self.outputChunk { flush() }
      }
    } catch {
      // What was written is in order and final; what follows is not written.
      flush()
      result.storageFailure = error
      return result
    }
    result.hasViolation = sinks.contains { $0.hasViolation }
    for v in aggregates {
      out.append(v.verdict, zone: zones[v.policy])
      buffered += 1
      result.hasViolation = true
      if out.bytes.count >= Self.outputChunk { flush() }
    }
    flush()
    return result
  }
}
