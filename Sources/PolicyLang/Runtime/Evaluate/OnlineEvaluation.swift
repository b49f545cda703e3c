// The online evaluator: a conversation advanced one event at a time. `take` judges an event
// against the conversation's state and updates it; `expire` settles obligations whose deadline
// has passed by some clock; `finish` settles what is left when the input ends. The verdicts are
// those of the whole-conversation evaluation (the differential tests hold them equal), found as
// soon as each is certain:
//
// - a content verdict (message rules, stop requests and bursts among them) when its event is
//   taken;
// - an obligation is settled when its response comes (met when by the deadline), or missed when
//   the conversation's clock passes its deadline; a missed obligation's verdict waits for the
//   first response, whose time it carries as `answered_at`, or for the end of the input.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangFrontend

/// Buffers one thread reuses for every event it takes: the memo of decided condition nodes and
/// the text matcher's scratch. Not shared between threads.
package struct EvaluationWorkspace: ~Copyable {
  fileprivate let scratch: EvaluationScratch

  /// A workspace for one evaluator's program.
  package init(for evaluator: Evaluator) {
    scratch = EvaluationScratch(nodeCount: evaluator.program.ir.nodes.count)
    _ = scratch.reserveRows(1)
    _ = scratch.reserveHistoryRows(1, slots: evaluator.program.ir.histories.count)
  }
}

extension Evaluator {
  /// Takes the next event of a conversation (events in sorted order: by `at`, then line order).
  package func take(
    _ event: Event, conversation: ByteString, into state: inout ConversationState, horizon: Horizon,
    workspace: borrowing EvaluationWorkspace, output: inout StepOutput
  ) {
    let index = state.nextIndex
    state.nextIndex += 1
    // Nothing at or after this event can answer an obligation due before it.
    expire(&state, before: event.at, horizon: horizon, output: &output)
    let scratch = workspace.scratch
    guard case .message(let message) = event.kind else {
      // A non-message event is still a happening of history conditions (`after event X`).
      var none: MessageContext? = nil
      advance(&state.history, over: event, context: &none)
      takeNonMessage(
        event, index: index, conversation: conversation, state: &state, horizon: horizon, output: &output)
      for step in timeline.ratios {
        let counted: Bool
        switch step.ratio.count {
        case .rule: counted = false
        case .happening(let h): counted = Self.isHappening(h, names: step.countEvents, event: event)
        }
        let unit = Self.isHappening(step.ratio.per, names: step.perEvents, event: event)
        record(step, at: event.at, counted: counted, unit: unit, output: &output)
      }
      return
    }
    scratch.memo.fill(-1)
    // The shared tables outlive the context: `self` holds them for the whole call.
    let shared = self.shared
    withExtendedLifetime(shared) {
      // The history slots' values at this message first, then the slots take it in: its rules
      // read the values (Grammar.md 6.4), as the whole-conversation evaluation does.
      var taken: MessageContext? = MessageContext(
        message, shared: shared, scratch: scratch, memoBase: 0, historyBase: 0)
      advance(&state.history, over: event, context: &taken)
      guard var context = taken.take() else { return }
      let reference = VerdictEvent(
        conversation: conversation, agent: event.agent, at: event.at, event: index, eventID: event.id)
      let judgedFrom = output.verdicts.count
      judgeContent(&context, role: message.role, auto: message.auto, reference: reference, output: &output)
      for step in timeline.ratios {
        let counted: Bool
        switch step.ratio.count {
        case .rule(let rule): counted = output.verdicts[judgedFrom...].contains { $0.rule == rule }
        case .happening(let h): counted = Self.isHappening(h, names: step.countEvents, event: event, &context)
        }
        let unit = Self.isHappening(step.ratio.per, names: step.perEvents, event: event, &context)
        record(step, at: event.at, counted: counted, unit: unit, output: &output)
      }
      // The steps' fields are read in place: a copy of a step would count references to its rule.
      let obligations = timeline.obligations
      for k in obligations.indices {
        if let kind = obligations[k].reply,
          MessageContext.senderMatches(message.role, message.auto, .seller, kind)
        {
          settle(
            obligations[k], &state, conversation: conversation, response: event.at, horizon: horizon,
            output: &output)
        }
        if let root = obligations[k].triggerRoot, context.value(root) {
          open(obligations[k], &state, event: event, index: index)
        }
      }
    }
  }

  /// Settles the obligations whose deadline lies before `instant`: no event from `instant` on can
  /// answer them in time. Their verdicts wait for a response or the end of the input.
  package func expire(
    _ state: inout ConversationState, before instant: Timestamp, horizon: Horizon, output: inout StepOutput
  ) {
    for k in state.obligations.indices {
      guard !state.obligations[k].missed, let deadline = state.obligations[k].deadline, deadline < instant
      else { continue }
      state.obligations[k].missed = true
      count(state.obligations[k], met: false, output: &output)
    }
  }

  /// The end of the input: every obligation still open is settled unanswered, except, in a run
  /// that continues (`horizon.continues`), those not yet due, which stay in the state.
  package func finish(
    _ state: inout ConversationState, conversation: ByteString, horizon: Horizon, output: inout StepOutput
  ) {
    var kept: [OpenObligation] = []
    for obligation in state.obligations {
      guard let deadline = obligation.deadline else {
        // Never due: it can only be met by a response, which may still come in a later run.
        if horizon.continues {
          kept.append(obligation)
        } else {
          count(obligation, met: false, output: &output)
          output.outcomes?.append(obligation.outcome(met: false, answeredAt: nil))
        }
        continue
      }
      let due = horizon.isDue(deadline)
      if !due && horizon.continues {
        if horizon.includePending {
          report(obligation, conversation: conversation, answeredAt: nil, pending: true, output: &output)
        }
        kept.append(obligation)
        continue
      }
      if !obligation.missed { count(obligation, met: false, output: &output) }
      output.outcomes?.append(obligation.outcome(met: false, answeredAt: nil))
      if due {
        report(obligation, conversation: conversation, answeredAt: nil, pending: false, output: &output)
      } else if horizon.includePending {
        report(obligation, conversation: conversation, answeredAt: nil, pending: true, output: &output)
      }
    }
    state.obligations = kept
  }

  // MARK: Content rules

  /// The message rules that hold for the message, each a verdict with its evidence.
  private func judgeContent(
    _ context: inout MessageContext, role: SenderRole, auto: Bool, reference: VerdictEvent,
    output: inout StepOutput
  ) {
    let byRole = program.messageRulesByRole
    let r = role.ordinal
    guard byRole.indices.contains(r), !byRole[r].isEmpty
    else { return }
    let roots = messageRoots
    let quiet = quietRules.holding(role: role, auto: auto)
    for rule in context.holdingRules(byRole[r], roots: roots, quiet: quiet) {
      let evidence = context.evidence(roots[rule])
      output.verdicts.append(verdict(rule, shop: .empty, .content(reference, evidence: evidence)))
    }
  }

  // MARK: Count ratios

  /// Whether a non-message event is the happening.
  private static func isHappening(_ h: IRHappening, names: [ByteString], event: Event) -> Bool {
    switch h {
    case .message: return false
    case .event:
      guard case .event(let name) = event.kind else { return false }
      return names.contains(name)
    case .anyEvent: return true
    }
  }

  /// Whether a message is the happening.
  private static func isHappening(
    _ h: IRHappening, names: [ByteString], event: Event, _ context: inout MessageContext
  ) -> Bool {
    if case .message(let node) = h { return context.value(node) }
    return isHappening(h, names: names, event: event)
  }

  /// A count ratio's record of one event: final at once (no deadline), handed on with the
  /// settled obligations.
  private func record(
    _ step: TimelinePlan.RatioStep, at: Timestamp, counted: Bool, unit: Bool, output: inout StepOutput
  ) {
    guard counted || unit else { return }
    output.settled.append(SettledObligation(rule: step.rule, openedAt: at, met: counted, unit: unit))
  }

  // MARK: Obligations

  /// A non-message event: it may answer obligations waiting for events and open event-triggered
  /// ones.
  private func takeNonMessage(
    _ event: Event, index: Int, conversation: ByteString, state: inout ConversationState, horizon: Horizon,
    output: inout StepOutput
  ) {
    guard case .event(let name) = event.kind else { return }
    for o in timeline.obligations {
      if o.responseEvents.contains(name) {
        settle(o, &state, conversation: conversation, response: event.at, horizon: horizon, output: &output)
      }
      if case .event = o.obligation.trigger, o.triggerEvents.contains(name) {
        open(o, &state, event: event, index: index)
      }
    }
  }

  /// Opens an obligation of `o` at `event`, when the rule's hours admit its time.
  private func open(
    _ o: TimelinePlan.ObligationStep, _ state: inout ConversationState, event: Event, index: Int
  ) {
    let opened = event.at
    let rule = o.obligation
    if let during = rule.during, !calendar.contains(during, opened) { return }
    let limit =
      rule.limits.first { $0.ifDuring.map { calendar.contains($0, opened) } ?? false }
      ?? rule.limits.first { $0.ifDuring == nil }
    guard let limit else { return }
    state.obligations.append(
      OpenObligation(
        rule: o.rule, event: index, openedAt: opened,
        deadline: calendar.deadline(opened: opened, seconds: limit.seconds, countingOnly: rule.countingOnly),
        agent: event.agent, eventID: event.id))
  }

  /// A response at `response` answers every open obligation of `o`.
  private func settle(
    _ o: TimelinePlan.ObligationStep, _ state: inout ConversationState, conversation: ByteString,
    response: Timestamp, horizon: Horizon, output: inout StepOutput
  ) {
    guard state.obligations.contains(where: { $0.rule == o.rule }) else { return }
    for obligation in state.obligations where obligation.rule == o.rule {
      let met = obligation.deadline.map { response <= $0 } ?? true
      if !obligation.missed { count(obligation, met: met, output: &output) }
      output.outcomes?.append(obligation.outcome(met: met, answeredAt: response))
      guard !met, let deadline = obligation.deadline else { continue }
      if horizon.isDue(deadline) {
        report(
          obligation, conversation: conversation, answeredAt: horizon.answered(response), pending: false,
          output: &output)
      } else if horizon.includePending {
        report(obligation, conversation: conversation, answeredAt: nil, pending: true, output: &output)
      }
    }
    state.obligations.removeAll { $0.rule == o.rule }
  }

  /// A settled obligation, for the rates that count its rule.
  private func count(_ obligation: OpenObligation, met: Bool, output: inout StepOutput) {
    guard isRateSource[obligation.rule.index] else { return }
    output.settled.append(SettledObligation(rule: obligation.rule, openedAt: obligation.openedAt, met: met))
  }

  /// The verdict of a missed obligation (`at` its deadline).
  private func report(
    _ obligation: OpenObligation, conversation: ByteString, answeredAt: Timestamp?, pending: Bool,
    output: inout StepOutput
  ) {
    guard let deadline = obligation.deadline else { return }
    let reference = VerdictEvent(
      conversation: conversation, agent: obligation.agent, at: deadline, event: obligation.event,
      eventID: obligation.eventID)
    var v = verdict(
      obligation.rule.index, shop: .empty,
      .timing(reference, openedAt: obligation.openedAt, deadline: deadline, answeredAt: answeredAt))
    v.verdict.pending = pending
    output.verdicts.append(v)
  }
}

extension Evaluator {
  /// One whole conversation through the online evaluator: its events (given in line order) are
  /// sorted, taken one at a time and finished. Verdicts come in (event, rule) order, with the
  /// conversation's shop (the first one its events carry).
  package func judge(
    conversation input: [Event], horizon: Horizon
  ) -> (
    verdicts: [RankedVerdict], settled: [SettledObligation]
  ) {
    let shop = input.lazy.compactMap(\.shop).first ?? .empty
    var output = StepOutput()
    let verdicts = judge(sorted: Self.sorted(input), shop: shop, horizon: horizon, into: &output)
    return (verdicts, output.settled)
  }

  /// `judge(conversation:horizon:)` over events already in evaluation order (`sorted(_:)`),
  /// taking into `output`, which may record every obligation's outcome (`StepOutput.outcomes`).
  /// Returns the verdicts with `shop`, in (event, rule) order.
  package func judge(
    sorted events: [Event], shop: ByteString, horizon: Horizon, into output: inout StepOutput
  ) -> [RankedVerdict] {
    let conversation = events.first?.conversation ?? .empty
    var state = ConversationState(plan: timeline)
    let workspace = EvaluationWorkspace(for: self)
    for event in events {
      take(
        event, conversation: conversation, into: &state, horizon: horizon, workspace: workspace,
        output: &output)
    }
    finish(&state, conversation: conversation, horizon: horizon, output: &output)
    var verdicts = output.verdicts
    for k in verdicts.indices { verdicts[k].verdict.shop = shop }
    verdicts.sort { ($0.reference?.event ?? 0, $0.rule) < ($1.reference?.event ?? 0, $1.rule) }
    return verdicts
  }
}
