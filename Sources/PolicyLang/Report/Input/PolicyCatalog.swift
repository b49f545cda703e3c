import PolicyLang

/// What the report knows of one policy: clause titles and kinds, severities with their titles and
/// sanctions, and each rule's clause and limits. A checked policy gives all of it; a compiled
/// program keeps no titles and no sanctions (`hasTitles` is false), only ids and limits.
public struct PolicyCatalog: Sendable {
  /// A clause of the source document.
  public struct Clause: Sendable, Hashable {
    /// The clause id, e.g. `PDD-2.1`.
    public var id: String
    /// The document's title; nil when the catalog comes from a program.
    public var title: String?
    /// `content`, `timeline`, ... ; nil when unknown.
    public var kind: String?

    /// A clause from its parts.
    public init(id: String, title: String? = nil, kind: String? = nil) {
      self.id = id
      self.title = title
      self.kind = kind
    }
  }

  /// A severity level.
  public struct Severity: Sendable, Hashable {
    /// The name verdicts carry, e.g. `major`.
    public var name: String
    /// Its title, e.g. `严重`.
    public var title: String?
    /// What it brings about.
    public var sanction: String?

    /// A severity from its parts.
    public init(name: String, title: String? = nil, sanction: String? = nil) {
      self.name = name
      self.title = title
      self.sanction = sanction
    }
  }

  /// A time limit of an obligation.
  public struct Limit: Sendable, Hashable {
    /// The limit in seconds.
    public var seconds: Int64
    /// The hours it applies in (`within 1h if peak`); nil for the default limit.
    public var during: String?

    /// A limit from its parts.
    public init(seconds: Int64, during: String? = nil) {
      self.seconds = seconds
      self.during = during
    }
  }

  /// An obligation: what opens it, what answers it, within which limits.
  public struct Obligation: Sendable, Hashable {
    /// Non-message events that open it; empty when a message opens it.
    public var openingEvents: [String]
    /// Non-message events that answer it; empty when a seller reply does.
    public var answeringEvents: [String]
    /// The kind of seller reply that answers it (when `answeringEvents` is empty).
    public var reply: ReplyKind
    /// The default limit first, then conditional ones.
    public var limits: [Limit]

    /// An obligation from its parts.
    public init(
      openingEvents: [String] = [], answeringEvents: [String] = [], reply: ReplyKind = .human, limits: [Limit]
    ) {
      self.openingEvents = openingEvents
      self.answeringEvents = answeringEvents
      self.reply = reply
      self.limits = limits
    }
  }

  /// A rule.
  public struct Rule: Sendable, Hashable {
    /// The rule's name.
    public var name: String
    /// Its title; nil when the catalog comes from a program.
    public var title: String?
    /// Its clause id.
    public var clause: String
    /// `message`, `obligation`, `burst`, `after-stop`, `rate` or `manual`.
    public var kind: String
    /// The obligation, for an obligation rule.
    public var obligation: Obligation?

    /// A rule from its parts.
    public init(
      name: String, title: String? = nil, clause: String, kind: String, obligation: Obligation? = nil
    ) {
      self.name = name
      self.title = title
      self.clause = clause
      self.kind = kind
      self.obligation = obligation
    }
  }

  /// The policy's name (verdicts' `policy`).
  public var name: String
  /// The policy's title.
  public var title: String?
  /// Its IANA zone.
  public var zone: String
  /// Whether titles and sanctions are known (a checked policy) or not (a compiled program).
  public var hasTitles: Bool
  /// Clauses in declaration order.
  public var clauses: [Clause]
  /// Least severe first.
  public var severities: [Severity]
  /// Rules in policy order.
  public var rules: [Rule]

  /// A catalog from its parts.
  public init(
    name: String, title: String? = nil, zone: String = "UTC", hasTitles: Bool, clauses: [Clause] = [],
    severities: [Severity] = [], rules: [Rule] = []
  ) {
    self.name = name
    self.title = title
    self.zone = zone
    self.hasTitles = hasTitles
    self.clauses = clauses
    self.severities = severities
    self.rules = rules
  }

  /// The catalog of a checked policy: every title and sanction.
  public init(checked policy: CheckedPolicy) {
    name = policy.name
    title = policy.title
    zone = policy.zone
    hasTitles = true
    clauses = policy.clauses.map { Clause(id: $0.id, title: $0.title, kind: $0.kind.rawValue) }
    severities = policy.severities.map { Severity(name: $0.name, title: $0.title, sanction: $0.sanction) }
    let hours = policy.hours.map(\.name)
    let clauseIDs = policy.clauses.map(\.id)
    rules = policy.rules.map { rule in
      var obligation: Obligation?
      if case .obligation(let o) = rule.body {
        var opening: [String] = []
        if case .event(let names) = o.trigger { opening = names }
        var answering: [String] = []
        var reply = ReplyKind.human
        switch o.response {
        case .event(let names): answering = names
        case .reply(let kind): reply = kind
        case .replyOrEvent(let kind, let names):
          reply = kind
          answering = names
        }
        obligation = Obligation(
          openingEvents: opening, answeringEvents: answering, reply: reply,
          limits: Self.limits(o.limits, hours: hours))
      }
      return Rule(
        name: rule.name, title: rule.title,
        clause: clauseIDs.indices.contains(rule.clause) ? clauseIDs[rule.clause] : "",
        kind: rule.body.kindName, obligation: obligation)
    }
  }

  /// The catalog of a compiled program: ids, severities' names and limits, no titles.
  public init(program: RuleProgram) {
    let ir = program.ir
    name = ir.policy
    title = nil
    zone = ir.zone
    hasTitles = false
    var clauseIDs: [String] = []
    for rule in ir.rules where !clauseIDs.contains(rule.clause) { clauseIDs.append(rule.clause) }
    clauses = clauseIDs.map { Clause(id: $0, title: nil, kind: nil) }
    severities = ir.severities.map { Severity(name: $0, title: nil, sanction: nil) }
    let hours = ir.hours.map(\.name)
    rules = ir.rules.map { rule in
      var obligation: Obligation?
      let kind: String
      switch rule.body {
      // Bursts and stop requests are message rules over history conditions in a program.
      case .message: kind = "message"
      case .rate, .ratio: kind = "rate"
      case .manual: kind = "manual"
      case .obligation(let o):
        kind = "obligation"
        var opening: [String] = []
        if case .event(let names) = o.trigger { opening = names }
        var answering: [String] = []
        var reply = ReplyKind.human
        switch o.response {
        case .event(let names): answering = names
        case .reply(let k): reply = k
        case .replyOrEvent(let k, let names):
          reply = k
          answering = names
        }
        obligation = Obligation(
          openingEvents: opening, answeringEvents: answering, reply: reply,
          limits: Self.limits(o.limits, hours: hours))
      }
      return Rule(name: rule.name, title: nil, clause: rule.clause, kind: kind, obligation: obligation)
    }
  }

  private static func limits(_ limits: [CheckedLimit], hours: [String]) -> [Limit] {
    limits.map { limit in
      Limit(
        seconds: limit.seconds,
        during: limit.ifDuring.flatMap { hours.indices.contains($0) ? hours[$0] : nil })
    }
  }

  /// The clause with this id.
  public func clause(_ id: String) -> Clause? { clauses.first { $0.id == id } }

  /// The severity with this name.
  public func severity(_ name: String) -> Severity? { severities.first { $0.name == name } }

  /// The rule with this name.
  public func rule(_ name: String) -> Rule? { rules.first { $0.name == name } }
}
