// The reference run: events of many conversations -> every verdict in io.md's order, written the
// straightforward way (group, judge each conversation whole, add the rates, escalate, sort). The
// session (`EvaluationSession`) must give the same verdicts; tests compare the two. Conflicts are
// decided in line order here, so the tests that compare give each conversation's events in time
// order.

import PolicyLangCompile
import PolicyLangCore

@testable import PolicyLang
@testable import PolicyLangRuntime

/// Why the reference run set an event aside.
enum EventRejection: Sendable, Equatable {
  /// The event's shop differs from an earlier line's shop for the same conversation.
  case conflictingShop(earlier: ByteString, found: ByteString)
  /// The event's buyer differs from an earlier line's buyer for the same conversation.
  case conflictingBuyer(earlier: ByteString, found: ByteString)
}

extension Evaluator {
  /// Judges every event of a run, given in line order (files in order, then lines). An event whose
  /// shop or buyer conflicts with an earlier line of the same conversation is passed to
  /// `rejected` with its index in `events` and is not evaluated.
  func evaluate(
    run events: [Event], asOf: Timestamp?, includePending: Bool,
    rejected: (Int, EventRejection) -> Void = { _, _ in }
  ) -> [Verdict] {
    var groups: [ByteString: [Event]] = [:]
    var shops: [ByteString: ByteString] = [:]
    var buyers: [ByteString: ByteString] = [:]
    for (index, event) in events.enumerated() {
      if let shop = event.shop, let earlier = shops[event.conversation], earlier != shop {
        rejected(index, .conflictingShop(earlier: earlier, found: shop))
        continue
      }
      if let buyer = event.buyer, let earlier = buyers[event.conversation], earlier != buyer {
        rejected(index, .conflictingBuyer(earlier: earlier, found: buyer))
        continue
      }
      if let shop = event.shop { shops[event.conversation] = shop }
      if let buyer = event.buyer { buyers[event.conversation] = buyer }
      groups[event.conversation, default: []].append(event)
    }
    let results = groups.keys.sorted().compactMap { key in
      groups[key].map { evaluate(conversation: $0, asOf: asOf, includePending: includePending) }
    }
    return finish(results, asOf: asOf)
  }

  /// Combines the results of every conversation of a run (in any order): rates, escalation, and
  /// the final order (conversation bytes, event, rule; then aggregates by shop, period, rule).
  func finish(_ results: [ConversationResult], asOf: Timestamp?) -> [Verdict] {
    var tally = RateTally(for: self)
    if !tally.isEmpty {
      // Results that share a conversation id and shop are one conversation for its rate units.
      struct Owner: Hashable {
        package var shop: ByteString
        package var conversation: ByteString
      }
      var records: [Owner: [ObligationRecord]] = [:]
      for result in results where !result.obligations.isEmpty {
        records[Owner(shop: result.shop, conversation: result.conversation), default: []]
          .append(contentsOf: result.obligations)
      }
      for (owner, list) in records { tally.add(list, shop: owner.shop) }
    }
    return finish(verdicts: results.flatMap(\.verdicts), tally: tally, asOf: asOf)
  }

  /// Finishes a run from the verdicts of every conversation (in the order their results were
  /// judged) and a tally of their obligations: what `finish(_:asOf:)` gives for those results,
  /// without keeping every obligation record until the end.
  func finish(verdicts: consuming [RankedVerdict], tally: RateTally, asOf: Timestamp?) -> [Verdict] {
    finish(verdicts, tally: tally, asOf: asOf) { $0 }
  }

  /// `finish(verdicts:tally:asOf:)`, each verdict made into the caller's element as the output is
  /// built. The verdicts are escalated in place and ordered through an index permutation, so
  /// the run's verdicts are held once and the output once, never more at the same time.
  func finish<Output>(
    _ verdicts: consuming [RankedVerdict], tally: RateTally, asOf: Timestamp?,
    _ make: (Verdict) -> Output
  ) -> [Output] {
    var conversationVerdicts = consume verdicts
    escalate(&conversationVerdicts)
    var order = Array(conversationVerdicts.indices)
    order.sort { i, j in
      let a = conversationVerdicts[i]
      let b = conversationVerdicts[j]
      let ca = a.reference?.conversation ?? ByteString.empty
      let cb = b.reference?.conversation ?? ByteString.empty
      if ca != cb { return ca < cb }
      return (a.reference?.event ?? 0, a.rule) < (b.reference?.event ?? 0, b.rule)
    }
    let aggregates = sortedRates(tally, asOf: asOf)
    var out: [Output] = []
    out.reserveCapacity(order.count + aggregates.count)
    for i in order { out.append(make(conversationVerdicts[i].verdict)) }
    for v in aggregates { out.append(make(v.verdict)) }
    return out
  }
}
