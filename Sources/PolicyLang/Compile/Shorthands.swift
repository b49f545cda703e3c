// The two shorthand rule bodies written as the message rules they stand for (Grammar.md 6.5), so
// that the program holds history conditions only and the evaluator has no special timeline for
// them. Each function builds exactly the nodes of the grammar's expansion.

import PolicyLangFrontend

extension Lowering {
  /// `when more than N messages from S within D without message from B` is
  /// `when message from S and BURST and not after message (from S and BURST)
  ///  without message (from S or from B)`, BURST being
  /// `more than N messages from S within D without message from B`.
  mutating func lowerBurst(_ burst: CheckedBurst) -> Int {
    let sender = emit(.from(burst.sender.role, burst.sender.kind))
    let breaker = emit(.from(burst.breaker.role, burst.breaker.kind))
    let (atLeast, overflow) = burst.count.addingReportingOverflow(1)
    let closes = emit(
      .history(
        slot: historySlot(
          IRHistory(
            kind: .count(atLeast: overflow ? Int.max : atLeast, withinSeconds: burst.windowSeconds),
            happening: .message(sender), without: .message(breaker)))))
    let closing = emit(.and([sender, closes]))
    // The previous message from S of the run closed a window: the burst goes on.
    let previous = emit(
      .history(
        slot: historySlot(
          IRHistory(
            kind: .after, happening: .message(closing), without: .message(emit(.or([sender, breaker])))))))
    return emit(.and([sender, closes, emit(.not(previous))]))
  }

  /// `when message C after buyer says any L allow reply within W up to M containing any A not
  /// containing any P` is `when message C and not from buyer and STOP and not (ALLOWED and not
  /// after message (C and not from buyer and STOP and ALLOWED) without message from buyer)`, STOP
  /// being `after message (from buyer and contains any L) without message from buyer` and ALLOWED
  /// `within W after message (from buyer and contains any L) and length at most M and contains
  /// any A and not contains any P` (the parts written); without `allow`, the first line.
  mutating func lowerStopRequest(_ rule: CheckedAfterStop) throws(CompileError) -> Int {
    let condition = try lower(rule.condition, depth: 0)
    let buyer = emit(.from(.buyer, .any))
    let stopMessage = emit(.and([buyer, emit(.terms(list: try listSlot(rule.stopList), atLeast: 1))]))
    let stop = emit(
      .history(
        slot: historySlot(IRHistory(kind: .after, happening: .message(stopMessage), without: .message(buyer)))
      ))
    let offending = emit(.and([condition, emit(.not(buyer)), stop]))
    guard let allowance = rule.allowance else { return offending }
    var parts = [
      emit(
        .history(
          slot: historySlot(
            IRHistory(
              kind: .within(seconds: allowance.windowSeconds), happening: .message(stopMessage), without: nil)
          )))
    ]
    if let maxLength = allowance.maxLength { parts.append(emit(.length(atMost: true, maxLength))) }
    if let list = allowance.containing { parts.append(emit(.terms(list: try listSlot(list), atLeast: 1))) }
    if let list = allowance.notContaining {
      parts.append(emit(.not(emit(.terms(list: try listSlot(list), atLeast: 1)))))
    }
    let allowed = emit(.and(parts))
    let used = emit(
      .history(
        slot: historySlot(
          IRHistory(
            kind: .after, happening: .message(emit(.and([offending, allowed]))), without: .message(buyer)))))
    return emit(.and([offending, emit(.not(emit(.and([allowed, emit(.not(used))]))))]))
  }
}
