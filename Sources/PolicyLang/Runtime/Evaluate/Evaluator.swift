// The evaluator: runs a compiled program over the events of one conversation (content and timeline
// rules), then over the results of every conversation of a run (rates and escalation). Conversations
// are independent until `finish`, so they can be judged one at a time or in parallel.

/// A verdict with the index of the rule that gave it (verdicts are ordered by rule index).
public struct RankedVerdict: Sendable, Hashable {
  /// The rule's index in the policy.
  public var rule: Int
  /// The verdict.
  public var verdict: Verdict
  /// A ranked verdict.
  public init(rule: Int, verdict: Verdict) {
    self.rule = rule
    self.verdict = verdict
  }

  /// The conversation and event, for content and timing verdicts.
  var reference: VerdictEvent? {
    switch verdict.detail {
    case .content(let e, _), .timing(let e, _, _, _): return e
    case .aggregate: return nil
    }
  }
}

/// What `evaluate(conversation:)` gives back: its verdicts and what rates and escalation need.
public struct ConversationResult: Sendable, Equatable {
  /// The conversation's id.
  public var conversation: ByteString
  /// Its shop (`""` when no event names one).
  public var shop: ByteString
  /// Content and timeline verdicts (and pending obligations when asked), sorted by event, rule.
  public var verdicts: [RankedVerdict]
  /// The obligations of every rule some rate counts.
  public var obligations: [ObligationRecord]
}

/// One obligation of a rule a rate counts.
public struct ObligationRecord: Sendable, Equatable {
  /// The obligation rule's index.
  public var rule: Int
  /// When it opened.
  public var openedAt: Timestamp
  /// True when answered by its deadline.
  public var met: Bool
  /// The buyer (the conversation id when no event names one).
  public var buyer: ByteString
  /// The conversation.
  public var conversation: ByteString
}

/// Why the run driver set an event aside (it is reported, not evaluated).
public enum EventRejection: Sendable, Equatable {
  /// The event's shop differs from an earlier line's shop for the same conversation.
  case conflictingShop(earlier: ByteString, found: ByteString)
  /// The event's buyer differs from an earlier line's buyer for the same conversation.
  case conflictingBuyer(earlier: ByteString, found: ByteString)
}

/// Evaluates a compiled program.
public struct Evaluator: Sendable {
  /// The program.
  public let program: RuleProgram
  /// The zone and hours.
  public let calendar: PolicyCalendar
  let matcher: ProgramTextMatcher
  /// Per rule: the event names of its trigger and of its response, as bytes.
  let eventNames: [(trigger: [ByteString], response: [ByteString])]

  /// An evaluator; fails when the program's zone is unknown here.
  public init(program: RuleProgram) throws(CompileError) {
    guard let zone = PolicyZone(identifier: program.ir.zone) else {
      throw .unknownZone(program.ir.zone)
    }
    self.init(program: program, zone: zone)
  }

  /// An evaluator in an already loaded zone.
  public init(program: RuleProgram, zone: PolicyZone) {
    self.program = program
    calendar = PolicyCalendar(zone: zone, hours: program.ir.hours)
    matcher = ProgramTextMatcher(request: program.textRequest)
    eventNames = program.ir.rules.map { rule in
      guard case .obligation(let o) = rule.body else { return ([], []) }
      var trigger: [ByteString] = []
      var response: [ByteString] = []
      if case .event(let names) = o.trigger { trigger = names.map { ByteString($0) } }
      if case .event(let names) = o.response { response = names.map { ByteString($0) } }
      return (trigger, response)
    }
  }

  func verdict(_ ruleIndex: Int, shop: ByteString, _ detail: VerdictDetail) -> RankedVerdict {
    let rule = program.ir.rules[ruleIndex]
    let severity = rule.severity.flatMap {
      program.ir.severities.indices.contains($0) ? program.ir.severities[$0] : nil
    }
    return RankedVerdict(
      rule: ruleIndex,
      verdict: Verdict(
        policy: program.ir.policy, rule: rule.name, clause: rule.clause, severity: severity ?? "",
        shop: shop, detail: detail))
  }

  /// Events in evaluation order: by `at`, then line order (the order of `events`).
  public static func sorted(_ events: [Event]) -> [Event] {
    events.indices.sorted { (events[$0].at, $0) < (events[$1].at, $1) }.map { events[$0] }
  }

  /// Content verdicts of one message on its own (event index 0, no conversation context).
  public func evaluate(message event: Event) -> [Verdict] {
    evaluate(conversation: [event], asOf: Timestamp(seconds: Int64.min), includePending: false)
      .verdicts.filter { v in
        if case .message = program.ir.rules[v.rule].body { return true }
        return false
      }.map(\.verdict)
  }

  /// Judges one conversation's events, given in line order (all of one conversation). `asOf`
  /// `nil` judges every obligation; `includePending` adds obligations not yet due as pending.
  public func evaluate(
    conversation input: [Event], asOf: Timestamp?, includePending: Bool
  )
    -> ConversationResult
  {
    let events = Self.sorted(input)
    let conversation = events.first?.conversation ?? ByteString.empty
    let shop = input.lazy.compactMap(\.shop).first ?? ByteString.empty
    let buyer = input.lazy.compactMap(\.buyer).first ?? conversation
    var verdicts: [RankedVerdict] = []
    var contexts: [MessageContext?] = events.map { event in
      event.message.map { MessageContext($0, program: program, matcher: matcher) }
    }
    func ref(_ i: Int, at: Timestamp? = nil) -> VerdictEvent {
      VerdictEvent(
        conversation: conversation, agent: events[i].agent, at: at ?? events[i].at, event: i)
    }
    // Content rules, grouped by the sender role they can apply to.
    for i in events.indices {
      guard var context = contexts[i], let r = SenderRole.allCases.firstIndex(of: context.role),
        program.messageRulesByRole.indices.contains(r)
      else { continue }
      for ruleIndex in program.messageRulesByRole[r] where program.ir.rules.indices.contains(ruleIndex) {
        guard case .message(let root) = program.ir.rules[ruleIndex].body, context.value(root) else {
          continue
        }
        verdicts.append(verdict(ruleIndex, shop: shop, .content(ref(i), evidence: context.evidence(root))))
      }
      contexts[i] = context
    }
    var records: [ObligationRecord] = []
    let rateSources = Set(program.rateSources)
    for (ruleIndex, rule) in program.ir.rules.enumerated() {
      switch rule.body {
      case .obligation(let o):
        let found = obligations(
          o, ruleIndex: ruleIndex, events: events, contexts: &contexts, asOf: asOf,
          includePending: includePending)
        for item in found {
          if let found = item.verdict {
            var v = verdict(
              ruleIndex, shop: shop,
              .timing(
                ref(item.index, at: found.deadline), openedAt: events[item.index].at,
                deadline: found.deadline, answeredAt: found.answeredAt))
            v.verdict.pending = found.pending
            verdicts.append(v)
          }
          if rateSources.contains(ruleIndex) {
            records.append(
              ObligationRecord(
                rule: ruleIndex, openedAt: events[item.index].at, met: item.met, buyer: buyer,
                conversation: conversation))
          }
        }
      case .burst(let burst):
        for i in bursts(burst, events: events) {
          verdicts.append(verdict(ruleIndex, shop: shop, .content(ref(i), evidence: [])))
        }
      case .afterStop(let rule):
        for (i, evidence) in afterStop(rule, events: events, contexts: &contexts) {
          verdicts.append(verdict(ruleIndex, shop: shop, .content(ref(i), evidence: evidence)))
        }
      default: break
      }
    }
    verdicts.sort { ($0.reference?.event ?? 0, $0.rule) < ($1.reference?.event ?? 0, $1.rule) }
    return ConversationResult(
      conversation: conversation, shop: shop, verdicts: verdicts, obligations: records)
  }

  struct ObligationOutcome {
    var index: Int
    var met: Bool
    var verdict: (deadline: Timestamp, answeredAt: Timestamp?, pending: Bool)?
    /// The deadline (nil when the calendar never reaches it) and the first response after the
    /// opening, kept for `trace` so an officer can see why an obligation did not fire.
    var deadline: Timestamp? = nil
    var response: Timestamp? = nil
  }

  /// Every obligation of one rule in a conversation, with its outcome.
  func obligations(
    _ o: IRObligation, ruleIndex: Int, events: [Event], contexts: inout [MessageContext?],
    asOf: Timestamp?, includePending: Bool
  ) -> [ObligationOutcome] {
    let names: (trigger: [ByteString], response: [ByteString]) =
      eventNames.indices.contains(ruleIndex) ? eventNames[ruleIndex] : ([], [])
    func isResponse(_ e: Event) -> Bool {
      switch (o.response, e.kind) {
      case (.reply(let kind), .message(let m)):
        return MessageContext.senderMatches(m.role, m.auto, .seller, kind)
      case (.event, .event(let name)): return names.response.contains(name)
      default: return false
      }
    }
    // nextResponse[i]: the first response at an index greater than i.
    var nextResponse = [Int?](repeating: nil, count: events.count)
    var next: Int?
    for i in stride(from: events.count - 1, through: 0, by: -1) {
      nextResponse[i] = next
      if isResponse(events[i]) { next = i }
    }
    var out: [ObligationOutcome] = []
    for i in events.indices {
      let opens: Bool
      switch (o.trigger, events[i].kind) {
      case (.message(let root), .message):
        if var context = contexts[i] {
          opens = context.value(root)
          contexts[i] = context
        } else {
          opens = false
        }
      case (.event, .event(let name)): opens = names.trigger.contains(name)
      default: opens = false
      }
      guard opens else { continue }
      let opened = events[i].at
      if let during = o.during, !calendar.contains(during, opened) { continue }
      let limit =
        o.limits.first { $0.ifDuring.map { calendar.contains($0, opened) } ?? false }
        ?? o.limits.first { $0.ifDuring == nil }
      guard let limit else { continue }
      let deadline = calendar.deadline(
        opened: opened, seconds: limit.seconds, countingOnly: o.countingOnly)
      let response = nextResponse[i].map { events[$0].at }
      guard let deadline else {
        out.append(ObligationOutcome(index: i, met: response != nil, verdict: nil, response: response))
        continue
      }
      let met = response.map { $0 <= deadline } ?? false
      var outcome = ObligationOutcome(
        index: i, met: met, verdict: nil, deadline: deadline, response: response)
      if !met {
        let due = asOf.map { deadline <= $0 } ?? true
        let answered = response.flatMap { r in asOf.map { r <= $0 } ?? true ? r : nil }
        if due {
          outcome.verdict = (deadline, answered, false)
        } else if includePending {
          outcome.verdict = (deadline, nil, true)
        }
      }
      out.append(outcome)
    }
    return out
  }

  /// The indexes of the messages that start a burst: the first message of a run of sender
  /// messages (no breaker between) that makes more than `count` of them within the window.
  /// The burst goes on while each next sender message still closes such a window.
  func bursts(_ burst: CheckedBurst, events: [Event]) -> [Int] {
    var out: [Int] = []
    var run: [Int] = []
    var inBurst = false
    let window = nanoseconds(burst.windowSeconds)
    for (i, event) in events.enumerated() {
      guard let m = event.message else { continue }
      let role = m.role
      let auto = m.auto
      if MessageContext.senderMatches(role, auto, burst.breaker.role, burst.breaker.kind) {
        run.removeAll()
        inBurst = false
      }
      guard MessageContext.senderMatches(role, auto, burst.sender.role, burst.sender.kind) else {
        continue
      }
      run.append(i)
      guard burst.count >= 0, run.count > burst.count else { continue }
      let first = run[run.count - 1 - burst.count]
      let closes = PolicyCalendar.nanos(from: events[first].at, to: event.at) <= window
      if closes && !inBurst { out.append(i) }
      inBurst = closes
    }
    return out
  }

  /// Messages satisfying the condition while a stop request holds, with their evidence.
  func afterStop(
    _ rule: IRAfterStop, events: [Event], contexts: inout [MessageContext?]
  )
    -> [(Int, [Evidence])]
  {
    var out: [(Int, [Evidence])] = []
    var stopAt: Timestamp?
    var allowanceUsed = false
    for i in events.indices {
      guard var context = contexts[i] else { continue }
      defer { contexts[i] = context }
      if context.role == .buyer {
        let m = context.matches()
        let stops = m.lists.indices.contains(rule.stopList) && !m.lists[rule.stopList].isEmpty
        stopAt = stops ? events[i].at : nil
        allowanceUsed = false
        continue
      }
      guard let stop = stopAt, context.value(rule.condition) else { continue }
      if let allow = rule.allowSeconds, !allowanceUsed {
        let within =
          PolicyCalendar.nanos(from: stop, to: events[i].at)
          <= nanoseconds(allow)
        let m = context.matches()
        let short = rule.maxLength.map { m.normalizedLength <= $0 } ?? true
        let acknowledges =
          rule.ackList.map { m.lists.indices.contains($0) && !m.lists[$0].isEmpty } ?? true
        if within && short && acknowledges {
          allowanceUsed = true
          continue
        }
      }
      out.append((i, context.evidence(rule.condition)))
    }
    return out
  }
}

/// `seconds` in nanoseconds, saturated on overflow.
func nanoseconds(_ seconds: Int64) -> Int64 {
  let (value, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
  return overflow ? (seconds > 0 ? Int64.max : Int64.min) : value
}
