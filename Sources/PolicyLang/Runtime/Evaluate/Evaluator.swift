// The evaluator: runs a compiled program over the events of one conversation (content and timeline
// rules), then over the results of every conversation of a run (rates and escalation). Conversations
// are independent until `finish`, so they can be judged one at a time or in parallel.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangFrontend
import PolicyLangText
import Synchronization

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
  package var reference: VerdictEvent? {
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
  /// Counted in the period's total: always for an obligation; for an event of a count ratio
  /// (`rule` the ratio), when the event is one it divides by (`met`: one it counts).
  public var unit: Bool

  /// A record from its parts.
  public init(
    rule: Int, openedAt: Timestamp, met: Bool, buyer: ByteString, conversation: ByteString, unit: Bool = true
  ) {
    self.unit = unit
    self.rule = rule
    self.openedAt = openedAt
    self.met = met
    self.buyer = buyer
    self.conversation = conversation
  }
}

/// Evaluates a compiled program.
///
/// An evaluator is one reference to state built once per program, so the session can copy it
/// into every batch and worker for the price of one reference count.
public struct Evaluator: Sendable {
  private let state: State

  /// What an evaluator holds.
  private final class State: Sendable {
    let program: RuleProgram
    let calendar: PolicyCalendar
    let matcher: AutomatonTextMatcher
    let eventNames: [(trigger: [ByteString], response: [ByteString])]
    let shared: EvaluationShared
    let messageRoots: [Int]
    let timelineRules: [Int]
    let isRateSource: [Bool]
    /// The timeline rules as the online evaluator takes them.
    let timeline: TimelinePlan
    /// The message rules holding for messages whose text the prefilter rules out.
    let quietRules: QuietMessageRules
    /// The program's history slots, and the same as the evaluator reads them at every event.
    let histories: [IRHistory]
    let historyPlan: HistoryPlan
    /// Scratch buffers of finished evaluations, reused by the next ones (on any thread): a
    /// conversation then starts with buffers already grown instead of allocating its own.
    private let spareScratch = Mutex<[EvaluationScratch]>([])

    /// A scratch with an empty memo, from the spares when there is one.
    func takeScratch() -> EvaluationScratch {
      let spare = spareScratch.withLock { $0.popLast() }
      return spare ?? EvaluationScratch(nodeCount: shared.nodes.count)
    }

    /// Gives a scratch back for reuse (at most a few are kept: one per thread evaluating).
    func giveBack(_ scratch: EvaluationScratch) {
      scratch.memo.removeAll()
      scratch.history.removeAll()
      scratch.contexts.removeAll(keepingCapacity: true)
      scratch.senders.removeAll(keepingCapacity: true)
      spareScratch.withLock { spares in
        if spares.count < 64 { spares.append(scratch) }
      }
    }

    init(program: RuleProgram, zone: PolicyZone) {
      self.program = program
      calendar = PolicyCalendar(zone: zone, hours: program.ir.hours)
      let matcher = AutomatonTextMatcher(request: program.textRequest)
      self.matcher = matcher
      shared = EvaluationShared(program: program, matcher: matcher)
      messageRoots = program.ir.rules.map { rule in
        if case .message(let root) = rule.body { return root }
        return -1
      }
      timelineRules = program.ir.rules.indices.filter { index in
        switch program.ir.rules[index].body {
        case .obligation: return true
        default: return false
        }
      }
      var rateSource = [Bool](repeating: false, count: program.ir.rules.count)
      for index in program.rateSources where rateSource.indices.contains(index) { rateSource[index] = true }
      isRateSource = rateSource
      timeline = TimelinePlan(program: program)
      // Only a prefilter that rules texts out (no patterns) makes a message quiet.
      quietRules = QuietMessageRules(
        nodes: program.textRequest.patterns.isEmpty ? program.ir.nodes : [],
        listCount: program.textRequest.lists.count, rulesByRole: program.messageRulesByRole,
        roots: messageRoots)
      histories = program.ir.histories
      historyPlan = HistoryPlan(program.ir.histories)
      eventNames = program.ir.rules.map { rule in
        guard case .obligation(let o) = rule.body else { return ([], []) }
        var trigger: [ByteString] = []
        var response: [ByteString] = []
        if case .event(let names) = o.trigger { trigger = names.map { ByteString($0) } }
        if case .event(let names) = o.response { response = names.map { ByteString($0) } }
        if case .replyOrEvent(_, let names) = o.response { response = names.map { ByteString($0) } }
        return (trigger, response)
      }
    }
  }

  /// The program.
  public var program: RuleProgram { state.program }
  /// The zone and hours.
  public var calendar: PolicyCalendar { state.calendar }
  /// Whether this policy judges an event at `instant`: its local time falls in years 0001-9999
  /// in the policy's zone (`PolicyZone.accepts`). Read in place, without copying the calendar.
  @inline(__always)
  public func accepts(_ instant: Timestamp) -> Bool { state.calendar.zone.accepts(instant) }
  package var matcher: AutomatonTextMatcher { state.matcher }
  /// The program and matcher behind one reference, for the message contexts.
  package var shared: EvaluationShared { state.shared }
  /// Per rule: the root of a message rule's condition, or -1.
  package var messageRoots: [Int] { state.messageRoots }
  /// The timeline rules as the online evaluator takes them.
  package var timeline: TimelinePlan { state.timeline }
  /// The message rules that hold for a message whose text the prefilter rules out.
  var quietRules: QuietMessageRules { state.quietRules }
  /// Per rule: whether some rate counts its obligations.
  package var isRateSource: [Bool] { state.isRateSource }

  /// An evaluator; fails when the program's zone is unknown here.
  public init(program: RuleProgram) throws(CompileError) {
    guard let zone = PolicyZone(identifier: program.ir.zone) else {
      throw .unknownZone(program.ir.zone)
    }
    self.init(program: program, zone: zone)
  }

  /// An evaluator in an already loaded zone.
  public init(program: RuleProgram, zone: PolicyZone) {
    state = State(program: program, zone: zone)
  }

  package func verdict(_ ruleIndex: Int, shop: ByteString, _ detail: VerdictDetail) -> RankedVerdict {
    let rule = state.program.ir.rules[ruleIndex]
    let severity = rule.severity.flatMap {
      state.program.ir.severities.indices.contains($0) ? state.program.ir.severities[$0] : nil
    }
    return RankedVerdict(
      rule: ruleIndex,
      verdict: Verdict(
        policy: state.program.ir.policy, rule: rule.name, clause: rule.clause, severity: severity ?? "",
        shop: shop, detail: detail))
  }

  /// Events in evaluation order: by `at`, then line order (the order of `events`).
  public static func sorted(_ events: [Event]) -> [Event] {
    // Usually already in order: then the stable sort is the identity.
    var inOrder = true
    var index = 1
    while inOrder && index < events.count {
      inOrder = events[index - 1].at <= events[index].at
      index += 1
    }
    if inOrder { return events }
    return events.indices.sorted { (events[$0].at, $0) < (events[$1].at, $1) }.map { events[$0] }
  }

  /// Content verdicts of one message on its own (event index 0, no conversation context).
  public func evaluate(message event: Event) -> [Verdict] {
    evaluate(conversation: [event], asOf: Timestamp(seconds: Int64.min), includePending: false)
      .verdicts.filter { v in
        if case .message = state.program.ir.rules[v.rule].body { return true }
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
    // The state's arrays, read once per conversation (each read through the class is a
    // reference count).
    let state = self.state
    let shared = state.shared
    let nodeCount = shared.nodes.count
    let rulesByRole = state.program.messageRulesByRole
    let messageRoots = state.messageRoots
    // Given back at the very end: this also keeps the scratch (and, through `state`, the shared
    // tables) alive for the contexts, which hold both without counting them.
    let scratch = state.takeScratch()
    defer { state.giveBack(scratch) }
    let firstRow = scratch.reserveRows(events.count)
    let slots = state.histories.count
    let firstHistoryRow = slots > 0 ? scratch.reserveHistoryRows(events.count, slots: slots) : -1
    // The scratch's arrays, taken for this conversation and put back (emptied, with their room)
    // by `giveBack`.
    var contexts = scratch.contexts
    scratch.contexts = []
    contexts.removeAll(keepingCapacity: true)
    contexts.reserveCapacity(events.count)
    // Who sent each message, read once: the timeline passes below look at it for every event
    // and would otherwise copy the event or its context each time.
    var senders = scratch.senders
    scratch.senders = []
    senders.removeAll(keepingCapacity: true)
    senders.reserveCapacity(events.count)
    defer {
      // Runs before `giveBack` (defers run last first), which empties them.
      scratch.contexts = contexts
      scratch.senders = senders
    }
    for i in events.indices {
      guard case .message(let message) = events[i].kind else {
        contexts.append(nil)
        senders.append(nil)
        continue
      }
      let row = firstRow + i * nodeCount
      let historyRow = slots > 0 ? firstHistoryRow + i * slots : -1
      contexts.append(
        MessageContext(message, shared: shared, scratch: scratch, memoBase: row, historyBase: historyRow))
      senders.append(Sender(role: message.role, auto: message.auto))
    }
    // History conditions first, in event order: every message's slot values are then known when
    // its rules are decided below.
    if slots > 0 {
      var history = ConversationHistory(slotCount: slots)
      for i in events.indices { advance(&history, over: events[i], context: &contexts[i]) }
    }
    func ref(_ i: Int, at: Timestamp? = nil) -> VerdictEvent {
      VerdictEvent(
        conversation: conversation, agent: events[i].agent, at: at ?? events[i].at, event: i,
        eventID: events[i].id)
    }
    // Content rules, grouped by the sender role they can apply to: one role at a time, so each
    // role's rules and known answers are read once per conversation, not once per message (each
    // read is a reference count). Contexts are used in place (optional chaining), so their memo
    // and matches are never copied. Verdicts are sorted by event and rule below.
    for (r, role) in SenderRole.allCases.enumerated() where rulesByRole.indices.contains(r) {
      let rules = rulesByRole[r]
      guard !rules.isEmpty else { continue }
      let quietHuman = state.quietRules.holding(role: role, auto: false)
      let quietAuto = state.quietRules.holding(role: role, auto: true)
      for i in events.indices {
        guard let sender = senders[i], sender.role == role else { continue }
        let holding =
          sender.auto
          ? contexts[i]?.holdingRules(rules, roots: messageRoots, quiet: quietAuto)
          : contexts[i]?.holdingRules(rules, roots: messageRoots, quiet: quietHuman)
        for ruleIndex in holding ?? [] {
          let evidence = contexts[i]?.evidence(messageRoots[ruleIndex]) ?? []
          verdicts.append(verdict(ruleIndex, shop: shop, .content(ref(i), evidence: evidence)))
        }
      }
    }
    var records: [ObligationRecord] = []
    for ruleIndex in state.timelineRules {
      switch state.program.ir.rules[ruleIndex].body {
      case .obligation(let o):
        let found = obligations(
          o, ruleIndex: ruleIndex, events: events, senders: senders, contexts: &contexts, asOf: asOf,
          includePending: includePending)
        let counted = state.isRateSource.indices.contains(ruleIndex) && state.isRateSource[ruleIndex]
        if counted { records.reserveCapacity(records.count + found.count) }
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
          if counted {
            records.append(
              ObligationRecord(
                rule: ruleIndex, openedAt: events[item.index].at, met: item.met, buyer: buyer,
                conversation: conversation))
          }
        }
      default: break
      }
    }
    // Count ratios: every event that is one a ratio counts or divides by is a record.
    for step in state.timeline.ratios {
      var counted = Array(repeating: false, count: events.count)
      var unit = Array(repeating: false, count: events.count)
      if case .rule(let rule) = step.ratio.count {
        for v in verdicts where v.rule == rule {
          if let i = v.reference?.event, counted.indices.contains(i) { counted[i] = true }
        }
      }
      for i in events.indices {
        func holds(_ h: IRHappening, _ names: [ByteString]) -> Bool {
          switch h {
          case .message(let node): return contexts[i]?.value(node) ?? false
          case .event:
            guard case .event(let name) = events[i].kind else { return false }
            return names.contains(name)
          case .anyEvent: return true
          }
        }
        if case .happening(let h) = step.ratio.count { counted[i] = holds(h, step.countEvents) }
        unit[i] = holds(step.ratio.per, step.perEvents)
        guard counted[i] || unit[i] else { continue }
        records.append(
          ObligationRecord(
            rule: step.rule.index, openedAt: events[i].at, met: counted[i], buyer: buyer,
            conversation: conversation, unit: unit[i]))
      }
    }
    verdicts.sort { ($0.reference?.event ?? 0, $0.rule) < ($1.reference?.event ?? 0, $1.rule) }
    return ConversationResult(
      conversation: conversation, shop: shop, verdicts: verdicts, obligations: records)
  }

  package struct ObligationOutcome {
    package var index: Int
    package var met: Bool
    package var verdict: (deadline: Timestamp, answeredAt: Timestamp?, pending: Bool)?
    /// The deadline (nil when the calendar never reaches it) and the first response after the
    /// opening: the reference for the outcomes `trace` records (the differential tests).
    package var deadline: Timestamp? = nil
    package var response: Timestamp? = nil
  }

  /// Every obligation of one rule in a conversation, with its outcome.
  package func obligations(
    _ o: IRObligation, ruleIndex: Int, events: [Event], senders: [Sender?],
    contexts: inout [MessageContext?], asOf: Timestamp?, includePending: Bool
  ) -> [ObligationOutcome] {
    let names: (trigger: [ByteString], response: [ByteString]) =
      state.eventNames.indices.contains(ruleIndex) ? state.eventNames[ruleIndex] : ([], [])
    func isResponse(_ i: Int) -> Bool {
      switch o.response {
      case .reply(let kind):
        guard let sender = senders[i] else { return false }
        return MessageContext.senderMatches(sender.role, sender.auto, .seller, kind)
      case .event:
        guard senders[i] == nil, case .event(let name) = events[i].kind else { return false }
        return names.response.contains(name)
      case .replyOrEvent(let kind, _):
        if let sender = senders[i] {
          return MessageContext.senderMatches(sender.role, sender.auto, .seller, kind)
        }
        guard case .event(let name) = events[i].kind else { return false }
        return names.response.contains(name)
      }
    }
    // The first response after event `i`, found by one forward scan over the whole loop (the
    // openings come in order): no array of answers per conversation.
    var next = 0
    func nextResponse(after i: Int) -> Int? {
      if next <= i {
        next = i + 1
        while next < events.count && !isResponse(next) { next += 1 }
      }
      return next < events.count ? next : nil
    }
    var out: [ObligationOutcome] = []
    out.reserveCapacity(events.count)
    for i in events.indices {
      let opens: Bool
      switch o.trigger {
      case .message(let root):
        opens = senders[i] != nil && contexts[i]?.value(root) == true
      case .event:
        if senders[i] == nil, case .event(let name) = events[i].kind {
          opens = names.trigger.contains(name)
        } else {
          opens = false
        }
      }
      guard opens else { continue }
      let opened = events[i].at
      if let during = o.during, !state.calendar.contains(during, opened) { continue }
      let limit =
        o.limits.first { $0.ifDuring.map { state.calendar.contains($0, opened) } ?? false }
        ?? o.limits.first { $0.ifDuring == nil }
      guard let limit else { continue }
      let deadline = state.calendar.deadline(
        opened: opened, seconds: limit.seconds, countingOnly: o.countingOnly)
      let response = nextResponse(after: i).map { events[$0].at }
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
}

extension Evaluator {
  /// Takes one event of a conversation into `history`, in the conversation's sorted order: first
  /// every history slot's value at the event is recorded in `context` (the event's message, nil
  /// for a non-message event), in slot order, so that the event's conditions can be decided;
  /// then every slot takes the event in. An online evaluator that keeps a `ConversationHistory`
  /// per conversation calls this for each new event, before deciding the event's rules.
  package func advance(
    _ history: inout ConversationHistory, over event: Event, context: inout MessageContext?
  ) {
    let plan = state.historyPlan
    let count = plan.slots.count
    guard count > 0 else { return }
    withUnsafeTemporaryAllocation(of: HistoryStep?.self, capacity: count) { steps in
      // A count's value includes this event, so its step is needed first; the other slots'
      // steps are decided after every value is set, since a happening may read a slot's value.
      for (k, slot) in plan.slots.enumerated() {
        let current = slot.kind.countsCurrent ? plan.step(slot, event: event, context: &context) : nil
        steps.initializeElement(at: k, to: current)
        context?.setHistory(k, history.holds(k, slot.kind, at: event.at, current: current ?? HistoryStep()))
      }
      for (k, slot) in plan.slots.enumerated() {
        let step = steps[k] ?? plan.step(slot, event: event, context: &context)
        history.take(k, slot.kind, first: slot.first, at: event.at, step: step)
      }
    }
  }
}

/// Who sent a message.
package struct Sender: Equatable {
  package var role: SenderRole
  package var auto: Bool
}
