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
      // Rules that open and answer alike share one measurement.
      var shapes: [PolicyCatalog.Obligation] = []
      var shapeOfRule: [Int] = []
      for rule in rules {
        var shape = rule.obligation ?? PolicyCatalog.Obligation(limits: [])
        shape.limits = []
        if let known = shapes.firstIndex(of: shape) {
          shapeOfRule.append(known)
        } else {
          shapeOfRule.append(shapes.count)
          shapes.append(shape)
        }
      }
      var delays = Array(repeating: [Int64](), count: shapes.count)
      var unanswered = Array(repeating: 0, count: shapes.count)
      let measured = shapes.map { MeasuredShape($0, library: library) }
      library.forEachTimeline(policy: catalog.name, routing: routing) { events in
        for (k, shape) in measured.enumerated() {
          measure(events, shape) { delay in
            if let delay { delays[k].append(delay) } else { unanswered[k] += 1 }
          }
        }
      }
      for (k, rule) in rules.enumerated() {
        result.append(
          DelayDistribution(
            policy: catalog.name, rule: rule.name, source: .events, delays: delays[shapeOfRule[k]],
            unanswered: unanswered[shapeOfRule[k]], limits: rule.obligation?.limits ?? []))
      }
    }
    return result
  }

  /// An obligation's openings and answers in the terms of one library's events.
  struct MeasuredShape {
    /// Name indexes of the opening events; nil: buyer messages open it.
    var openers: Set<Int32>?
    /// Name indexes of the answering events; nil: seller messages of `reply` answer it.
    var answerers: Set<Int32>?
    var reply: ReplyKind

    init(_ obligation: PolicyCatalog.Obligation, library: EventLibrary) {
      func indexes(_ names: [String]) -> Set<Int32>? {
        names.isEmpty ? nil : Set(names.compactMap { library.index(ofName: $0) })
      }
      openers = indexes(obligation.openingEvents)
      answerers = indexes(obligation.answeringEvents)
      reply = obligation.reply
    }

    func opens(_ event: LibraryEvent) -> Bool {
      guard let openers else { return event.role == .buyer }
      return event.role == nil && openers.contains(event.name)
    }

    func answers(_ event: LibraryEvent) -> Bool {
      guard let answerers else {
        guard event.role == .seller else { return false }
        switch reply {
        case .any: return true
        case .human: return !event.auto
        case .auto: return event.auto
        }
      }
      return event.role == nil && answerers.contains(event.name)
    }
  }

  /// Calls `record` for each opening of `events` (sorted) with the seconds to its answer, or nil,
  /// in one pass from the end (the latest openings first).
  static func measure(_ events: [LibraryEvent], _ shape: MeasuredShape, record: (Int64?) -> Void) {
    var nextAnswer: Timestamp?
    for event in events.reversed() {
      if shape.opens(event) { record(nextAnswer.map { $0.since(event.at).seconds }) }
      if shape.answers(event) { nextAnswer = event.at }
    }
  }
}
