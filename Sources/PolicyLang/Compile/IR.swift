// The intermediate representation: a checked policy lowered into arrays indexed by small ids.
// Conditions of every rule share one node arena in which an operand's id is always smaller than
// the id of the node using it, so every pass is a loop in id order (no recursion) and a program
// can be evaluated bottom-up or on demand.

import PolicyLangCore
import PolicyLangFrontend
import PolicyLangText

/// One condition node. Operands are ids of earlier nodes of the same arena.
public enum ConditionNode: Hashable, Sendable {
  /// `true` or `false`.
  case constant(Bool)
  /// Every operand holds.
  case and([Int])
  /// Some operand holds.
  case or([Int])
  /// The operand does not hold.
  case not(Int)
  /// The message is from `role` (and is human, auto, or either).
  case from(SenderRole, ReplyKind)
  /// The message has an attachment of this type (`nil`: any).
  case hasAttachment(String?)
  /// The normalized text has at most (or at least) this many characters.
  case length(atMost: Bool, Int)
  /// At least `atLeast` non-overlapping matches of the list in text slot `list`.
  case terms(list: Int, atLeast: Int)
  /// A match of proximity slot `slot`.
  case proximity(slot: Int)
  /// A URL outside the allowed domains of URL slot `slot` (text or attachment URL).
  case url(slot: Int)
  /// An e-mail address, a phone number or a bank card number in the text; a QR code attachment.
  case detector(DetectorKind)
  /// Pattern slot `slot` matches.
  case pattern(slot: Int)

  /// The operands' ids.
  public var operands: [Int] {
    switch self {
    case .and(let ids), .or(let ids): return ids
    case .not(let id): return [id]
    default: return []
    }
  }

  /// True when deciding the node needs the message text matched.
  public var needsText: Bool {
    switch self {
    case .length, .terms, .proximity, .url, .pattern: return true
    case .detector(let kind): return kind != .qrCode
    default: return false
    }
  }
}

/// A term list as the matcher receives it.
public struct TextList: Sendable, Equatable {
  /// The list's name; `nil` for a term written in place.
  public var name: String?
  /// Entries: the term as written, then its variants.
  public var entries: [[String]]
  /// The word-list files the entries came from, relative to the policy's root (empty when all
  /// are written in the policy): a reviewer of a compiled program sees what it embeds.
  public var sources: [String]
  /// A list.
  public init(name: String?, entries: [[String]], sources: [String] = []) {
    self.name = name
    self.entries = entries
    self.sources = sources
  }
}

/// What an obligation waits for.
public enum IRResponse: Sendable, Equatable {
  /// A seller message of this kind.
  case reply(ReplyKind)
  /// One of these non-message events.
  case event([String])
}

/// What opens an obligation.
public enum IRTrigger: Sendable, Equatable {
  /// A message satisfying the condition node.
  case message(Int)
  /// One of these non-message events.
  case event([String])
}

/// A lowered obligation.
public struct IRObligation: Sendable, Equatable {
  /// What opens it.
  public var trigger: IRTrigger
  /// Hours the opening must be inside (index into hours).
  public var during: Int?
  /// What answers it.
  public var response: IRResponse
  /// The default limit first, then conditional ones.
  public var limits: [CheckedLimit]
  /// Hours the clock runs in.
  public var countingOnly: Int?
  /// An obligation.
  public init(
    trigger: IRTrigger, during: Int?, response: IRResponse, limits: [CheckedLimit],
    countingOnly: Int?
  ) {
    self.trigger = trigger
    self.during = during
    self.response = response
    self.limits = limits
    self.countingOnly = countingOnly
  }
}

/// A lowered stop-request rule.
public struct IRAfterStop: Sendable, Equatable {
  /// The condition node the offending message must satisfy.
  public var condition: Int
  /// The stop list's text slot.
  public var stopList: Int
  /// The allowance window in seconds, when one acknowledgement is allowed.
  public var allowSeconds: Int64?
  /// The allowance's maximum length.
  public var maxLength: Int?
  /// The acknowledgement list's text slot.
  public var ackList: Int?
  /// A stop-request rule.
  public init(condition: Int, stopList: Int, allowSeconds: Int64?, maxLength: Int?, ackList: Int?) {
    self.condition = condition
    self.stopList = stopList
    self.allowSeconds = allowSeconds
    self.maxLength = maxLength
    self.ackList = ackList
  }
}

/// A lowered rule body.
public enum IRRuleBody: Sendable, Equatable {
  /// A content rule: the condition node.
  case message(Int)
  /// A reply or event obligation.
  case obligation(IRObligation)
  /// Too many messages within a duration.
  case burst(CheckedBurst)
  /// Messages after a stop request.
  case afterStop(IRAfterStop)
  /// An aggregate rate.
  case rate(CheckedRate)
  /// No verdicts.
  case manual
}

/// A lowered rule.
public struct IRRule: Sendable, Equatable {
  /// The rule's name.
  public var name: String
  /// The clause id.
  public var clause: String
  /// The severity's index; `nil` for manual rules.
  public var severity: Int?
  /// The body.
  public var body: IRRuleBody
  /// A rule.
  public init(name: String, clause: String, severity: Int?, body: IRRuleBody) {
    self.name = name
    self.clause = clause
    self.severity = severity
    self.body = body
  }
}

/// The lowered policy.
public struct IR: Sendable, Equatable {
  /// The policy's name.
  public var policy: String
  /// The zone's IANA name.
  public var zone: String
  /// Severity names, least severe first.
  public var severities: [String]
  /// Escalations (indexes into `severities`).
  public var escalations: [CheckedEscalation]
  /// Hours declarations.
  public var hours: [CheckedHours]
  /// Domain lists (name, domains).
  public var domainLists: [CheckedDomainList]
  /// The condition arena.
  public var nodes: [ConditionNode]
  /// Text slots: lists the matcher searches.
  public var lists: [TextList]
  /// Proximity slots.
  public var proximities: [ProximitySlot]
  /// URL slots: the allowed domain list (index into `domainLists`) or `nil`.
  public var urlSlots: [Int?]
  /// Pattern slots.
  public var patterns: [String]
  /// Normalization step names, sorted.
  public var normalization: [String]
  /// Rules in policy order.
  public var rules: [IRRule]

  /// Every node id a rule refers to directly.
  public var roots: [Int] {
    rules.flatMap { rule -> [Int] in
      switch rule.body {
      case .message(let id): return [id]
      case .obligation(let o):
        if case .message(let id) = o.trigger { return [id] }
        return []
      case .afterStop(let a): return [a.condition]
      default: return []
      }
    }
  }

  /// The same IR with every node id (in nodes and rules) passed through `map`.
  func remappingRoots(_ map: (Int) -> Int) -> [IRRule] {
    rules.map { rule in
      var rule = rule
      switch rule.body {
      case .message(let id): rule.body = .message(map(id))
      case .obligation(var o):
        if case .message(let id) = o.trigger { o.trigger = .message(map(id)) }
        rule.body = .obligation(o)
      case .afterStop(var a):
        a.condition = map(a.condition)
        rule.body = .afterStop(a)
      default: break
      }
      return rule
    }
  }
}
