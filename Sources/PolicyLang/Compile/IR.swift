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
  /// The message has an attachment of this type (`nil`: any) whose file type is one of
  /// `fileTypes` (`FileType`), or with `negated` none of them.
  case attachmentType(kind: String?, negated: Bool, fileTypes: [String])
  /// The normalized text has at most (or at least) this many characters.
  case length(atMost: Bool, Int)
  /// At least `atLeast` non-overlapping matches of the list in text slot `list`.
  case terms(list: Int, atLeast: Int)
  /// A match of proximity slot `slot`.
  case proximity(slot: Int)
  /// A phone number of one of these plans (sorted, each once; never only `cn`: that is
  /// `.detector(.phone)`).
  case phones(regions: [PhoneRegion])
  /// A match of text slot `list` at most `distance` original scalars from a match of text slot
  /// `other` (`WordProximity`).
  case nearWords(list: Int, other: Int, distance: Int)
  /// A URL outside the allowed domains of URL slot `slot` (text or attachment URL).
  case url(slot: Int)
  /// An e-mail address, a phone number or a bank card number in the text; a QR code attachment.
  case detector(DetectorKind)
  /// Pattern slot `slot` matches.
  case pattern(slot: Int)
  /// History slot `slot` holds at the message (`IR.histories`).
  case history(slot: Int)

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
    case .length, .terms, .proximity, .nearWords, .phones, .url, .pattern: return true
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

/// A pattern as the matcher receives it, with the name evidence reports.
public struct PatternSlot: Sendable, Equatable, Hashable {
  /// The pattern as written (Grammar.md 5.2).
  public var source: String
  /// The declared pattern's name (`pattern NAME = ...`); `nil` for a pattern written in place.
  public var name: String?
  /// A slot.
  public init(source: String, name: String? = nil) {
    self.source = source
    self.name = name
  }
}

/// What a history condition looks for among the events of a conversation.
public enum IRHappening: Sendable, Equatable, Hashable {
  /// A message for which the condition node holds.
  case message(Int)
  /// A non-message event with one of these names.
  case event([String])
  /// Every event, message or not (`after D idle`).
  case anyEvent
}

/// Which history condition: a past-time operator decided from a state of fixed size.
public enum IRHistoryKind: Sendable, Equatable, Hashable {
  /// An earlier happening, with no `without` event after it.
  case after
  /// As `after`, the latest happening at most this long before (nanoseconds are exact).
  case within(seconds: Int64)
  /// As `after`, the latest happening more than this long before.
  case moreThan(seconds: Int64)
  /// At least `atLeast` happenings up to and including this event, after the latest `without`
  /// (one at this event included), within `withinSeconds` before it when given.
  case count(atLeast: Int, withinSeconds: Int64?)

  /// Whether the value at an event depends on that event itself (counts do).
  public var countsCurrent: Bool {
    if case .count = self { return true }
    return false
  }
}

/// One history slot (Grammar.md 6.4; docs/conversation-history.md).
public struct IRHistory: Sendable, Equatable, Hashable {
  public var kind: IRHistoryKind
  /// `after first H` (kinds `after`, `within`, `moreThan` only): the time kept is the first
  /// happening since the latest `without`, not the latest happening.
  public var first: Bool
  public var happening: IRHappening
  /// The events that end an `after` or reset a count.
  public var without: IRHappening?
  /// A slot.
  public init(kind: IRHistoryKind, first: Bool = false, happening: IRHappening, without: IRHappening?) {
    self.kind = kind
    self.first = first
    self.happening = happening
    self.without = without
  }

  /// The condition nodes its happenings name.
  public var nodes: [Int] {
    var out: [Int] = []
    if case .message(let id) = happening { out.append(id) }
    if case .message(let id)? = without { out.append(id) }
    return out
  }

  /// The same slot with its node ids passed through `map`.
  func remapped(_ map: (Int) -> Int) -> IRHistory {
    var out = self
    if case .message(let id) = happening { out.happening = .message(map(id)) }
    if case .message(let id)? = without { out.without = .message(map(id)) }
    return out
  }
}

/// What an obligation waits for.
public enum IRResponse: Sendable, Equatable {
  /// A seller message of this kind.
  case reply(ReplyKind)
  /// One of these non-message events.
  case event([String])
  /// A seller message of this kind, or one of these non-message events.
  case replyOrEvent(ReplyKind, [String])
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

/// A lowered rule body.
public enum IRRuleBody: Sendable, Equatable {
  /// A content rule: the condition node (stop requests and bursts are such rules, over history
  /// slots: Grammar.md 6.5).
  case message(Int)
  /// A reply or event obligation.
  case obligation(IRObligation)
  /// An aggregate rate.
  case rate(CheckedRate)
  /// A count ratio: an aggregate over events.
  case ratio(IRRatio)
  /// No verdicts.
  case manual
}

/// What a count ratio counts.
public enum IRRatioCount: Sendable, Equatable {
  /// The messages this message rule gives a verdict on.
  case rule(Int)
  /// The events that are this happening.
  case happening(IRHappening)
}

/// A lowered count ratio: `count` per `per` in each shop's periods, judged as `rate` says (its
/// `of` is the ratio's own rule, its unit `message`: each event counts once).
public struct IRRatio: Sendable, Equatable {
  public var count: IRRatioCount
  public var per: IRHappening
  public var rate: CheckedRate
  /// A ratio.
  public init(count: IRRatioCount, per: IRHappening, rate: CheckedRate) {
    self.count = count
    self.per = per
    self.rate = rate
  }

  /// The condition nodes its happenings name.
  public var nodes: [Int] {
    var out: [Int] = []
    if case .happening(.message(let id)) = count { out.append(id) }
    if case .message(let id) = per { out.append(id) }
    return out
  }

  func remapped(_ map: (Int) -> Int) -> IRRatio {
    var out = self
    if case .happening(.message(let id)) = count { out.count = .happening(.message(map(id))) }
    if case .message(let id) = per { out.per = .message(map(id)) }
    return out
  }
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
  public var patterns: [PatternSlot]
  /// History slots; a slot's happenings use only slots before it.
  public var histories: [IRHistory] = []
  /// Normalization step names, sorted.
  public var normalization: [String]
  /// Rules in policy order.
  public var rules: [IRRule]

  /// Every node id a rule or a history slot refers to directly.
  public var roots: [Int] {
    histories.flatMap(\.nodes)
      + rules.flatMap { rule -> [Int] in
        switch rule.body {
        case .message(let id): return [id]
        case .obligation(let o):
          if case .message(let id) = o.trigger { return [id] }
          return []
        case .ratio(let ratio): return ratio.nodes
        default: return []
        }
      }
  }

  /// The same IR with every node id its rules and history slots name passed through `map`.
  func remappingRoots(_ map: (Int) -> Int) -> IR {
    var out = self
    out.histories = histories.map { $0.remapped(map) }
    out.rules = remappedRules(map)
    return out
  }

  private func remappedRules(_ map: (Int) -> Int) -> [IRRule] {
    rules.map { rule in
      var rule = rule
      switch rule.body {
      case .message(let id): rule.body = .message(map(id))
      case .obligation(var o):
        if case .message(let id) = o.trigger { o.trigger = .message(map(id)) }
        rule.body = .obligation(o)
      case .ratio(let ratio): rule.body = .ratio(ratio.remapped(map))
      default: break
      }
      return rule
    }
  }
}
