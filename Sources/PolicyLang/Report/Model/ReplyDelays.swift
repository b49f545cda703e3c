import PolicyLang

/// How long replies took for one obligation rule, against its limits.
public struct DelayDistribution: Sendable, Hashable {
  /// Where the figures come from.
  public enum Source: Sendable, Hashable {
    /// The rule's timing verdicts: only the obligations that were missed.
    case verdicts
    /// The events: every opening (buyer message, or the rule's opening event) and the first
    /// answer after it.
    case events
  }

  /// The policy's name.
  public var policy: String
  /// The rule's name.
  public var rule: String
  /// Where the figures come from.
  public var source: Source
  /// Seconds from each opening to its answer, ascending.
  public var delays: [Int64]
  /// Openings with no answer.
  public var unanswered: Int
  /// The rule's limits (empty when no policy or program was given for it).
  public var limits: [PolicyCatalog.Limit]

  /// A distribution from its parts (`delays` are sorted here).
  public init(
    policy: String, rule: String, source: Source, delays: [Int64], unanswered: Int,
    limits: [PolicyCatalog.Limit]
  ) {
    self.policy = policy
    self.rule = rule
    self.source = source
    self.delays = delays.sorted()
    self.unanswered = unanswered
    self.limits = limits
  }

  /// Openings counted, answered or not.
  public var total: Int { delays.count + unanswered }
}

/// Computes `DelayDistribution`s from timing verdicts and from events.
public enum ReplyDelays {
  /// One distribution per obligation rule with violation verdicts (pending ones left out), in
  /// the order the rules first appear.
  public static func fromVerdicts(
    _ verdicts: [ReportVerdict], catalogs: [String: PolicyCatalog]
  ) -> [DelayDistribution] {
    struct Key: Hashable {
      var policy: String
      var rule: String
    }
    var order: [Key] = []
    var delays: [Key: [Int64]] = [:]
    var unanswered: [Key: Int] = [:]
    for verdict in verdicts where !verdict.pending {
      guard let obligation = verdict.obligation else { continue }
      let key = Key(policy: verdict.policy, rule: verdict.rule)
      if delays[key] == nil {
        order.append(key)
        delays[key] = []
      }
      if let delay = obligation.delaySeconds {
        delays[key, default: []].append(delay)
      } else {
        unanswered[key, default: 0] += 1
      }
    }
    return order.map { key in
      DelayDistribution(
        policy: key.policy, rule: key.rule, source: .verdicts, delays: delays[key] ?? [],
        unanswered: unanswered[key] ?? 0,
        limits: catalogs[key.policy]?.rule(key.rule)?.obligation?.limits ?? [])
    }
  }

  /// One distribution per obligation rule of each catalog (in catalog and rule order), from every
  /// conversation's events numbered for the policy.
  ///
  /// An obligation opened by a message is counted from every buyer message (the rule's own
  /// condition and hours are not applied here: the figure shows how fast the shops answer);
  /// one opened by events, from each of those events. Its answer is the first later seller
  /// message of the rule's reply kind, or the first later answering event.
  public static func fromEvents(
    _ library: EventLibrary, catalogs: [PolicyCatalog], routing: EventLibrary.Routing
  ) -> [DelayDistribution] {
    var result: [DelayDistribution] = []
    for catalog in catalogs {
      let rules = catalog.rules.filter { $0.obligation != nil }
      guard !rules.isEmpty else { continue }
      var delays = Array(repeating: [Int64](), count: rules.count)
      var unanswered = Array(repeating: 0, count: rules.count)
      library.forEachTimeline(policy: catalog.name, routing: routing) { events in
        for (k, rule) in rules.enumerated() {
          guard let obligation = rule.obligation else { continue }
          measure(events, obligation) { delay in
            if let delay { delays[k].append(delay) } else { unanswered[k] += 1 }
          }
        }
      }
      for (k, rule) in rules.enumerated() {
        result.append(
          DelayDistribution(
            policy: catalog.name, rule: rule.name, source: .events, delays: delays[k],
            unanswered: unanswered[k], limits: rule.obligation?.limits ?? []))
      }
    }
    return result
  }

  /// Calls `record` for each opening of `events` (sorted) with the seconds to its answer, or nil.
  static func measure(
    _ events: [Event], _ obligation: PolicyCatalog.Obligation, record: (Int64?) -> Void
  ) {
    // The next answer after each position, found in one pass from the end.
    var nextAnswer: Timestamp?
    var answerAt = [Timestamp?](repeating: nil, count: events.count)
    for index in events.indices.reversed() {
      answerAt[index] = nextAnswer
      if answers(events[index], obligation) { nextAnswer = events[index].at }
    }
    for (index, event) in events.enumerated() where opens(event, obligation) {
      record(answerAt[index].map { $0.since(event.at).seconds })
    }
  }

  static func opens(_ event: Event, _ obligation: PolicyCatalog.Obligation) -> Bool {
    switch event.kind {
    case .message(let message):
      return obligation.openingEvents.isEmpty && message.role == .buyer
    case .event(let name):
      return obligation.openingEvents.contains(name.string)
    }
  }

  static func answers(_ event: Event, _ obligation: PolicyCatalog.Obligation) -> Bool {
    switch event.kind {
    case .message(let message):
      guard obligation.answeringEvents.isEmpty, message.role == .seller else { return false }
      switch obligation.reply {
      case .any: return true
      case .human: return !message.auto
      case .auto: return message.auto
      }
    case .event(let name):
      return obligation.answeringEvents.contains(name.string)
    }
  }
}
