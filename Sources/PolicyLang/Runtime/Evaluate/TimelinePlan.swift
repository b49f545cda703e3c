// The timeline rules of a program as the online evaluator runs them: one step per rule, in rule
// order, each with what it needs decided once (event names as bytes).

import PolicyLangCompile
import PolicyLangCore
import PolicyLangFrontend

/// The timeline rules of a program, prepared for taking events one at a time.
package struct TimelinePlan: Sendable {
  /// An obligation rule with its event names as bytes, and what a message is to it as plain
  /// values (read at every message without copying the rule).
  package struct ObligationStep: Sendable {
    package var rule: RuleID
    package var obligation: IRObligation
    package var triggerEvents: [ByteString]
    package var responseEvents: [ByteString]
    /// A rate counts its obligations.
    package var counted: Bool
    /// The seller messages that answer it, if messages do.
    package var reply: ReplyKind?
    /// The condition node of a message that opens it, if messages do.
    package var triggerRoot: Int?
  }

  /// A count ratio with its event names as bytes: each event is, or is not, one it counts
  /// (`count`) and one it divides by (`per`), final as soon as the event is judged.
  package struct RatioStep: Sendable {
    package var rule: RuleID
    package var ratio: IRRatio
    package var countEvents: [ByteString]
    package var perEvents: [ByteString]
  }

  /// The obligation rules in rule order.
  package let obligations: [ObligationStep]
  /// The count ratios in rule order.
  package let ratios: [RatioStep]
  /// The program's history slots (`ConversationState.history`).
  package let historySlotCount: Int

  package init(program: RuleProgram) {
    let counted = Set(program.rateSources)
    var obligations: [ObligationStep] = []
    var ratios: [RatioStep] = []
    func names(_ h: IRHappening?) -> [ByteString] {
      guard case .event(let names)? = h else { return [] }
      return names.map { ByteString($0) }
    }
    for (index, rule) in program.ir.rules.enumerated() {
      let id = RuleID(index)
      switch rule.body {
      case .obligation(let o):
        var triggers: [ByteString] = []
        var responses: [ByteString] = []
        if case .event(let names) = o.trigger { triggers = names.map { ByteString($0) } }
        if case .event(let names) = o.response { responses = names.map { ByteString($0) } }
        if case .replyOrEvent(_, let names) = o.response { responses = names.map { ByteString($0) } }
        var reply: ReplyKind?
        switch o.response {
        case .reply(let kind), .replyOrEvent(let kind, _): reply = kind
        case .event: reply = nil
        }
        var triggerRoot: Int?
        if case .message(let root) = o.trigger { triggerRoot = root }
        obligations.append(
          ObligationStep(
            rule: id, obligation: o, triggerEvents: triggers, responseEvents: responses,
            counted: counted.contains(index), reply: reply, triggerRoot: triggerRoot))
      case .ratio(let ratio):
        var counted: IRHappening?
        if case .happening(let h) = ratio.count { counted = h }
        ratios.append(
          RatioStep(rule: id, ratio: ratio, countEvents: names(counted), perEvents: names(ratio.per)))
      case .message, .rate, .manual:
        break
      }
    }
    self.obligations = obligations
    self.ratios = ratios
    historySlotCount = program.ir.histories.count
  }
}
