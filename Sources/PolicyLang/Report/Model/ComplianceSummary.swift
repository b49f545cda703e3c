import PolicyLang

/// Counts of violations: in all, by severity (after escalation), and how many were escalated.
public struct SeverityTally: Sendable, Hashable {
  /// Violations counted.
  public var total = 0
  /// By effective severity, aligned with `SeverityScale.levels` (most severe first).
  public var bySeverity: [Int]
  /// Violations that escalation raised.
  public var escalations = 0

  /// An empty tally over `levels` severities.
  public init(levels: Int) {
    bySeverity = Array(repeating: 0, count: levels)
  }

  mutating func add(rank: Int, escalated: Bool) {
    total += 1
    if bySeverity.indices.contains(rank) { bySeverity[rank] += 1 }
    if escalated { escalations += 1 }
  }

  /// Orders worst first: more violations, then more of the most severe, and so on.
  func isWorse(than other: SeverityTally) -> Bool {
    if total != other.total { return total > other.total }
    for (a, b) in zip(bySeverity, other.bySeverity) where a != b { return a > b }
    return escalations > other.escalations
  }
}

/// A clause of a policy, as verdicts name it.
public struct ClauseKey: Hashable, Comparable, Sendable {
  /// The policy's name.
  public var policy: String
  /// The clause id.
  public var clause: String

  /// Orders by policy, then clause id.
  public static func < (a: ClauseKey, b: ClauseKey) -> Bool { (a.policy, a.clause) < (b.policy, b.clause) }
}

/// A shop under a policy: shop ids are the platform's, so the same id under two policies is two
/// shops.
public struct ShopKey: Hashable, Comparable, Sendable {
  /// The policy's name.
  public var policy: String
  /// The shop id (`""` for conversations without one).
  public var shop: String

  /// Orders by policy, then shop id.
  public static func < (a: ShopKey, b: ShopKey) -> Bool { (a.policy, a.shop) < (b.policy, b.shop) }
}

/// An agent (a seller account) of a shop.
public struct AgentKey: Hashable, Comparable, Sendable {
  /// The shop.
  public var shop: ShopKey
  /// The agent id.
  public var agent: String

  /// Orders by shop, then agent id.
  public static func < (a: AgentKey, b: AgentKey) -> Bool { (a.shop, a.agent) < (b.shop, b.agent) }
}

/// Everything the report shows, counted from the verdicts once.
///
/// Violations are the verdicts without `"status":"pending"` (a pending obligation is not yet due);
/// each is counted on its local day (the date of its `at`; for a rate, of its period's start) and
/// under its effective severity (`escalated_to` when escalation raised it).
public struct ComplianceSummary: Sendable {
  /// One clause's violations.
  public struct ClauseRow: Sendable, Hashable {
    /// The clause.
    public var key: ClauseKey
    /// Its title, when the policy was given.
    public var title: String?
    /// Its kind, when the policy was given.
    public var kind: String?
    /// Its violations.
    public var tally: SeverityTally
    /// The rules that found them, sorted.
    public var rules: [String]
    /// Violations per day, aligned with `days`.
    public var daily: [Int]
  }

  /// One shop's violations.
  public struct ShopRow: Sendable, Hashable {
    /// The shop.
    public var key: ShopKey
    /// Its violations.
    public var tally: SeverityTally
    /// Conversations with a violation.
    public var conversations: Int
    /// Agents with a violation.
    public var agents: Int
    /// Violations per day, aligned with `days`.
    public var daily: [Int]
  }

  /// One agent's violations.
  public struct AgentRow: Sendable, Hashable {
    /// The agent.
    public var key: AgentKey
    /// Its violations.
    public var tally: SeverityTally
    /// Violations per day, aligned with `days`.
    public var daily: [Int]
  }

  /// The verdicts, as read.
  public let verdicts: [ReportVerdict]
  /// What the policies and programs given say, by policy name.
  public let catalogs: [String: PolicyCatalog]
  /// The severities, most severe first.
  public let scale: SeverityScale
  /// The policies of the verdicts, in the order given, then by name.
  public let policies: [String]
  /// Every violation.
  public private(set) var violations: SeverityTally
  /// Verdicts of obligations not yet due.
  public private(set) var pending = 0
  /// Violations escalated to each level, aligned with the scale.
  public private(set) var escalatedTo: [Int]
  /// Conversations with a violation.
  public private(set) var conversationCount = 0
  /// Every day from the first violation's to the last's, `YYYY-MM-DD` (at most `maxDays`: the
  /// last ones).
  public private(set) var days: [String] = []
  /// Days of the period left out of `days` (a period longer than `maxDays`).
  public private(set) var daysLeftOut = 0
  /// The first and last day with a violation.
  public private(set) var period: (first: String, last: String)?
  /// Clauses, most violated first.
  public private(set) var clauses: [ClauseRow] = []
  /// Shops, worst first.
  public private(set) var shops: [ShopRow] = []
  /// Agents, worst first.
  public private(set) var agents: [AgentRow] = []
  /// Indexes of the rate verdicts, lowest value (against the threshold) first.
  public private(set) var rates: [Int] = []

  /// The longest stretch of days the trends show.
  public static let maxDays = 366

  /// Counts `verdicts`, with what `catalogs` say of their policies (given in this order).
  public init(verdicts: [ReportVerdict], catalogs: [PolicyCatalog]) {
    self.verdicts = verdicts
    var byName: [String: PolicyCatalog] = [:]
    for catalog in catalogs where byName[catalog.name] == nil { byName[catalog.name] = catalog }
    self.catalogs = byName
    var used: Set<String> = []
    var policyNames: Set<String> = []
    for verdict in verdicts {
      used.insert(verdict.severity)
      if let raised = verdict.escalatedTo { used.insert(raised) }
      policyNames.insert(verdict.policy)
    }
    scale = SeverityScale(catalogs: catalogs, used: used)
    var ordered = catalogs.map(\.name).filter { policyNames.contains($0) }
    ordered = ordered.enumerated().filter { ordered.firstIndex(of: $0.element) == $0.offset }.map(\.element)
    policies = ordered + policyNames.subtracting(ordered).sorted()
    violations = SeverityTally(levels: scale.levels.count)
    escalatedTo = Array(repeating: 0, count: scale.levels.count)
    count()
  }

  private mutating func count() {
    let levels = scale.levels.count
    var dayRange: (first: Int64, last: Int64)?
    var dayOfVerdict: [Int64?] = Array(repeating: nil, count: verdicts.count)
    for (index, verdict) in verdicts.enumerated() where !verdict.pending {
      guard let day = Self.daysSinceEpoch(verdict.at.day) else { continue }
      dayOfVerdict[index] = day
      dayRange = dayRange.map { (min($0.first, day), max($0.last, day)) } ?? (day, day)
    }
    var firstShown: Int64 = 0
    if let dayRange {
      firstShown = max(dayRange.first, dayRange.last - Int64(Self.maxDays) + 1)
      daysLeftOut = Int(firstShown - dayRange.first)
      days = (firstShown...dayRange.last).map { CivilDate(daysSinceEpoch: $0).description }
      period = (CivilDate(daysSinceEpoch: dayRange.first).description, days.last ?? "")
    }
    let dayCount = days.count

    var clauseTallies: [ClauseKey: (SeverityTally, Set<String>, [Int])] = [:]
    var shopTallies: [ShopKey: (SeverityTally, Set<String>, Set<String>, [Int])] = [:]
    var agentTallies: [AgentKey: (SeverityTally, [Int])] = [:]
    var conversations: Set<ShopConversation> = []
    for (index, verdict) in verdicts.enumerated() {
      if verdict.pending {
        pending += 1
        continue
      }
      let rank = scale.rank(verdict.effectiveSeverity)
      let escalated = verdict.escalatedTo != nil
      violations.add(rank: rank, escalated: escalated)
      if let raised = verdict.escalatedTo, escalatedTo.indices.contains(scale.rank(raised)) {
        escalatedTo[scale.rank(raised)] += 1
      }
      let slot = dayOfVerdict[index].map { Int($0 - firstShown) }.flatMap {
        $0 >= 0 && $0 < dayCount ? $0 : nil
      }

      let clauseKey = ClauseKey(policy: verdict.policy, clause: verdict.clause)
      var clause =
        clauseTallies[clauseKey] ?? (SeverityTally(levels: levels), [], Array(repeating: 0, count: dayCount))
      clause.0.add(rank: rank, escalated: escalated)
      clause.1.insert(verdict.rule)
      if let slot { clause.2[slot] += 1 }
      clauseTallies[clauseKey] = clause

      let shopKey = ShopKey(policy: verdict.policy, shop: verdict.shop)
      var shop =
        shopTallies[shopKey] ?? (SeverityTally(levels: levels), [], [], Array(repeating: 0, count: dayCount))
      shop.0.add(rank: rank, escalated: escalated)
      if let conversation = verdict.conversation {
        shop.1.insert(conversation)
        conversations.insert(ShopConversation(shop: shopKey, conversation: conversation))
      }
      if let agent = verdict.agent { shop.2.insert(agent) }
      if let slot { shop.3[slot] += 1 }
      shopTallies[shopKey] = shop

      if let agent = verdict.agent {
        let agentKey = AgentKey(shop: shopKey, agent: agent)
        var row =
          agentTallies[agentKey] ?? (SeverityTally(levels: levels), Array(repeating: 0, count: dayCount))
        row.0.add(rank: rank, escalated: escalated)
        if let slot { row.1[slot] += 1 }
        agentTallies[agentKey] = row
      }
      if verdict.rate != nil { rates.append(index) }
    }
    conversationCount = conversations.count

    clauses = clauseTallies.map { key, value in
      let catalog = catalogs[key.policy]?.clause(key.clause)
      return ClauseRow(
        key: key, title: catalog?.title, kind: catalog?.kind, tally: value.0, rules: value.1.sorted(),
        daily: value.2)
    }
    clauses.sort { a, b in a.tally.total != b.tally.total ? a.tally.total > b.tally.total : a.key < b.key }
    shops = shopTallies.map { key, value in
      ShopRow(key: key, tally: value.0, conversations: value.1.count, agents: value.2.count, daily: value.3)
    }
    shops.sort { a, b in a.tally == b.tally ? a.key < b.key : a.tally.isWorse(than: b.tally) }
    agents = agentTallies.map { key, value in AgentRow(key: key, tally: value.0, daily: value.1) }
    agents.sort { a, b in a.tally == b.tally ? a.key < b.key : a.tally.isWorse(than: b.tally) }
    rates.sort { i, j in
      let a = verdicts[i]
      let b = verdicts[j]
      let (ra, rb) = (a.rate, b.rate)
      let va = (ra?.valueMillionths ?? 0) - (ra?.thresholdMillionths ?? 0)
      let vb = (rb?.valueMillionths ?? 0) - (rb?.thresholdMillionths ?? 0)
      if va != vb { return va < vb }
      return (a.shop, a.at, a.origin.file, a.origin.line) < (b.shop, b.at, b.origin.file, b.origin.line)
    }
  }

  /// A conversation id is the platform's: counted per shop.
  private struct ShopConversation: Hashable {
    var shop: ShopKey
    var conversation: String
  }

  /// Shops with a violation.
  public var shopCount: Int { shops.count }

  /// Agents with a violation (an agent id counts once per shop).
  public var agentCount: Int { agents.count }

  /// `YYYY-MM-DD` as days since 1970-01-01, when it is a valid date.
  static func daysSinceEpoch(_ text: Substring) -> Int64? {
    let parts = text.split(separator: "-")
    guard parts.count == 3, let year = Int64(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    let date = CivilDate(year: year, month: month, day: day)
    return date.isValid ? date.daysSinceEpoch : nil
  }
}
