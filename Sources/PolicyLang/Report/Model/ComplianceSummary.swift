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

    // Rows are found by key once per verdict and updated in place in arrays: a row taken out of
    // a dictionary, changed and put back would copy its daily counts and sets every time.
    var clauseSlots: [ClauseKey: Int] = [:]
    var clauseRows: [ClauseRow] = []
    var clauseRules: [Set<String>] = []
    var shopSlots: [ShopKey: Int] = [:]
    var shopRows: [ShopRow] = []
    var shopConversations: [Set<String>] = []
    var shopAgents: [Set<String>] = []
    var agentSlots: [AgentKey: Int] = [:]
    var agentRows: [AgentRow] = []
    let emptyTally = SeverityTally(levels: levels)
    let emptyDaily = Array(repeating: 0, count: dayCount)
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
      let c: Int
      if let known = clauseSlots[clauseKey] {
        c = known
      } else {
        c = clauseRows.count
        clauseSlots[clauseKey] = c
        let catalog = catalogs[clauseKey.policy]?.clause(clauseKey.clause)
        clauseRows.append(
          ClauseRow(
            key: clauseKey, title: catalog?.title, kind: catalog?.kind, tally: emptyTally, rules: [],
            daily: emptyDaily))
        clauseRules.append([])
      }
      clauseRows[c].tally.add(rank: rank, escalated: escalated)
      clauseRules[c].insert(verdict.rule)
      if let slot { clauseRows[c].daily[slot] += 1 }

      let shopKey = ShopKey(policy: verdict.policy, shop: verdict.shop)
      let s: Int
      if let known = shopSlots[shopKey] {
        s = known
      } else {
        s = shopRows.count
        shopSlots[shopKey] = s
        shopRows.append(
          ShopRow(key: shopKey, tally: emptyTally, conversations: 0, agents: 0, daily: emptyDaily))
        shopConversations.append([])
        shopAgents.append([])
      }
      shopRows[s].tally.add(rank: rank, escalated: escalated)
      if let conversation = verdict.conversation { shopConversations[s].insert(conversation) }
      if let agent = verdict.agent { shopAgents[s].insert(agent) }
      if let slot { shopRows[s].daily[slot] += 1 }

      if let agent = verdict.agent {
        let agentKey = AgentKey(shop: shopKey, agent: agent)
        let a: Int
        if let known = agentSlots[agentKey] {
          a = known
        } else {
          a = agentRows.count
          agentSlots[agentKey] = a
          agentRows.append(AgentRow(key: agentKey, tally: emptyTally, daily: emptyDaily))
        }
        agentRows[a].tally.add(rank: rank, escalated: escalated)
        if let slot { agentRows[a].daily[slot] += 1 }
      }
      if verdict.rate != nil { rates.append(index) }
    }
    for c in clauseRows.indices { clauseRows[c].rules = clauseRules[c].sorted() }
    for s in shopRows.indices {
      shopRows[s].conversations = shopConversations[s].count
      shopRows[s].agents = shopAgents[s].count
    }
    conversationCount = shopConversations.reduce(0) { $0 + $1.count }

    clauses = clauseRows
    clauses.sort { a, b in a.tally.total != b.tally.total ? a.tally.total > b.tally.total : a.key < b.key }
    shops = shopRows
    shops.sort { a, b in a.tally == b.tally ? a.key < b.key : a.tally.isWorse(than: b.tally) }
    agents = agentRows
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
