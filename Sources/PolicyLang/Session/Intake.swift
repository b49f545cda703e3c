// Whether an event is accepted, decided in one place for every way events come in (files, standard
// input, decoded events of the Swift API, the parallel workers). Two moments decide it:
//
// - when its line is read: which policies judge it (`platform`), and whether its time can be
//   written in each of their zones;
// - when its conversation reaches it in sorted order (by `at`, then line order): whether it is
//   earlier than what the conversation has already judged (`late`, with `--state`), and whether its
//   shop or buyer conflicts with the conversation's (the first one in sorted order wins, so the
//   result is the sorted input's whatever the line order).

import PolicyLangCore
import PolicyLangRuntime

/// Where an input line came from: its input's position among the run's inputs and its number.
package struct LinePosition: Comparable, Hashable, Sendable {
  package var source: Int
  package var line: Int

  package init(source: Int, line: Int) {
    self.source = source
    self.line = line
  }

  package static func < (a: LinePosition, b: LinePosition) -> Bool { (a.source, a.line) < (b.source, b.line) }
}

/// The policies an event is routed to.
package enum RouteSet: Sendable, Equatable {
  case all
  case some(mask: UInt64, extra: [Int])

  package func contains(_ policy: Int) -> Bool {
    switch self {
    case .all: return true
    case .some(let mask, let extra):
      return policy < 64 ? mask & (1 << UInt64(policy)) != 0 : extra.contains(policy)
    }
  }
}

/// The acceptance rules of a session's events.
package struct Intake: Sendable {
  /// Each policy's name as bytes (what `platform` is compared with), in the session's order.
  package let names: [ByteString]
  /// Each policy's zone, in the session's order: an event's `at` must fall in years 0001-9999 in
  /// the zone of every policy that judges it, so every time its verdicts carry is RFC 3339.
  package let zones: [PolicyZone]
  /// The Unix seconds every policy's zone accepts whatever its offset: most events' times are
  /// decided by two comparisons, without routing the event or looking an offset up.
  private let acceptedByEveryZone: Range<Int64>

  package init(names: [ByteString], zones: [PolicyZone]) {
    self.names = names
    self.zones = zones
    let lower = zones.map(\.surelyAcceptedSeconds.lowerBound).max() ?? Int64.min
    let upper = zones.map(\.surelyAcceptedSeconds.upperBound).min() ?? Int64.max
    acceptedByEveryZone = lower < upper ? lower..<upper : 0..<0
  }

  /// The acceptance rules of events judged by `evaluators`, in routing order.
  package init(evaluators: [Evaluator]) {
    self.init(
      names: evaluators.map { ByteString($0.program.ir.policy) }, zones: evaluators.map(\.calendar.zone))
  }

  /// The policies that judge an event read from a line, or why none does.
  ///
  /// With one policy every event is its own and `platform` is ignored; with several, an event
  /// with `platform` goes to the policies of that name, one without to every policy.
  package func route(_ event: Event) -> Result<RouteSet, EventLineError> {
    guard names.count > 1, let platform = event.platform else { return .success(.all) }
    var mask: UInt64 = 0
    var extra: [Int] = []
    for (i, name) in names.enumerated() where name == platform {
      if i < 64 { mask |= 1 << UInt64(i) } else { extra.append(i) }
    }
    guard mask != 0 || !extra.isEmpty else {
      let given = names.map(\.string).joined(separator: ", ")
      return .failure(
        EventLineError(
          .unknownPlatform, "`platform` \(Self.quoted(platform)) names no policy given (\(given))"))
    }
    return .success(.some(mask: mask, extra: extra))
  }

  /// The error line (`bad_time`) of an event whose `at` falls outside years 0001-9999 in the zone
  /// of a policy in `routes`, or nil.
  @inline(__always)
  package func time(of event: Event, routes: RouteSet) -> EventLineError? {
    acceptedByEveryZone.contains(event.at.seconds) ? nil : timeOutsideSupportedYears(event, routes: routes)
  }

  /// `time(of:routes:)` for an instant near either end of the supported years, zone by zone.
  private func timeOutsideSupportedYears(_ event: Event, routes: RouteSet) -> EventLineError? {
    for (policy, zone) in zones.enumerated() where routes.contains(policy) && !zone.accepts(event.at) {
      let local = zone.localYear(of: event.at)
      let year = (0...9999).contains(local) ? String(String(local + 10000).dropFirst()) : String(local)
      return EventLineError(
        .badTime,
        "`at` falls in year \(year) in \(zone.identifier), the zone of policy `\(names[policy].string)`;"
          + " times must fall in years 0001-9999 there")
    }
    return nil
  }

  /// Why an event cannot join its conversation, taken in sorted order, or nil when it can. An
  /// event earlier than the instant an earlier run judged the conversation through, or one that
  /// run already took, is `late`.
  package func admit(_ event: Event, to entry: ConversationEntry) -> EventLineError? {
    if let watermark = entry.watermark, event.at <= watermark {
      if event.at < watermark {
        return EventLineError(
          .late,
          "event at \(event.at) is earlier than what conversation \(Self.quoted(event.conversation))"
            + " has already been judged through (\(watermark)) by an earlier run")
      }
      if let judged = entry.judgedLast, judged.at == event.at, judged.digests.contains(EventDigest.of(event))
      {
        return EventLineError(
          .late,
          "event at \(event.at) of conversation \(Self.quoted(event.conversation)) was already judged by"
            + " an earlier run (the same event given again)")
      }
    }
    if let shop = event.shop, let earlier = entry.shop, earlier != shop {
      return EventLineError(
        .conflictingShop,
        "shop \(Self.quoted(shop)) conflicts with shop \(Self.quoted(earlier)) of an earlier event"
          + " of conversation \(Self.quoted(event.conversation))")
    }
    if let buyer = event.buyer, let earlier = entry.buyer, earlier != buyer {
      return EventLineError(
        .conflictingBuyer,
        "buyer \(Self.quoted(buyer)) conflicts with buyer \(Self.quoted(earlier)) of an earlier event"
          + " of conversation \(Self.quoted(event.conversation))")
    }
    return nil
  }

  /// The error of a grouped line whose conversation was already judged.
  package static func notGrouped(_ conversation: ByteString) -> EventLineError {
    EventLineError(
      .notGrouped,
      "conversation \(quoted(conversation)) continues after another began (--grouped promises contiguous lines)"
    )
  }

  /// An id for a message: at most 40 scalars in backquotes, control characters shown as `?`.
  package static func quoted(_ id: ByteString) -> String {
    var out = ""
    var count = 0
    for scalar in id.string.unicodeScalars {
      if count == 40 {
        out += "…"
        break
      }
      out.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? "?" : scalar)
      count += 1
    }
    return "`" + out + "`"
  }
}
