// What a run leaves for the next one (`policyc eval --state`, `policyc monitor`): the instant it
// judged through, and what the future needs of the past, nothing more. Per conversation its shop
// and buyer, per policy its next event index and, when something is open, its `ConversationState`;
// per policy the rate periods not judged yet and each shop's violations inside the longest
// escalation window. Conversations are kept as their encoded records and decoded only when the
// next run touches them, so a run costs its events plus the conversations they reach, and the
// records it does not touch are written back as they were read.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangRuntime

/// The state a run leaves for the next: read from a state file, or empty before the first run.
///
/// Give it to ``EvaluationSession/stream(_:options:continuing:stateName:report:output:)`` (or `run`) and keep the
/// state the run gives back for the next one. The runs, taken together, give the verdicts of one
/// run over all their events (Grammar.md, "Runs that continue").
public struct EvaluationState: Sendable {
  /// The instant the run that made it judged through (its `--as-of`); nil before any run.
  public package(set) var watermark: Timestamp?
  /// The programs it was made with, in the session's order.
  package var stamps: [ProgramStamp]
  /// Shop ids, which records and violations name by index.
  package var shops: [ByteString]
  /// The conversations, as encoded records.
  package var conversations: StoredConversations
  /// Per stamp: the rate periods not judged yet (rules by index in the stamp).
  package var rates: [[CarriedPeriod]]
  /// Per stamp: violations that later ones may escalate with (rules by index in the stamp).
  package var violations: [[CarriedViolation]]

  /// The state before the first run.
  public init() {
    watermark = nil
    stamps = []
    shops = []
    conversations = StoredConversations()
    rates = []
    violations = []
  }

  package init(
    watermark: Timestamp?, stamps: [ProgramStamp], shops: [ByteString], conversations: StoredConversations,
    rates: [[CarriedPeriod]], violations: [[CarriedViolation]]
  ) {
    self.watermark = watermark
    self.stamps = stamps
    self.shops = shops
    self.conversations = conversations
    self.rates = rates
    self.violations = violations
  }

  /// Whether no run has left anything yet.
  public var isEmpty: Bool { watermark == nil && stamps.isEmpty && conversations.count == 0 }

  /// The names of the policies it was made with, in order.
  public var policies: [String] { stamps.map(\.policy) }
}

/// A violation kept for escalation: what `EscalationCandidate` needs of it.
package struct CarriedViolation: Sendable, Equatable {
  package var shop: ByteString
  package var at: Timestamp
  package var conversation: ByteString
  package var event: Int
  /// The rule's index in its stamp; nil for a rule the policy no longer has.
  package var rule: Int?
  package var severity: String
}

/// A readable account of a state, for `policyc state show`.
public struct StateSummary: Sendable, Equatable {
  /// One policy's share of the state.
  public struct Policy: Sendable, Equatable {
    /// The policy's name.
    public var name: String
    /// Rules and history slots its stamp records.
    public var rules: Int
    public var histories: Int
    /// Conversations with something open for it (obligations or remembered history), and the
    /// obligations open among them.
    public var activeConversations: Int
    public var openObligations: Int
    /// The earliest deadline among the open obligations.
    public var earliestDeadline: Timestamp?
    /// Rate periods not judged yet, and the units counted in them.
    public var openPeriods: Int
    public var periodUnits: Int
    /// Violations kept for escalation.
    public var violations: Int
  }

  /// The instant the state was judged through.
  public var watermark: Timestamp?
  /// Conversations kept, and those among them with nothing open.
  public var conversations: Int
  public var idleConversations: Int
  /// Shops named.
  public var shops: Int
  /// Per policy, in the state's order.
  public var policies: [Policy]
  /// Bytes of the conversation records.
  public var recordBytes: Int
}

extension EvaluationState {
  /// What the state holds, counted (every record is read once).
  public func summary() -> StateSummary {
    var policies = stamps.map { stamp in
      StateSummary.Policy(
        name: stamp.policy, rules: stamp.rules.count, histories: stamp.histories.count,
        activeConversations: 0,
        openObligations: 0, earliestDeadline: nil, openPeriods: 0, periodUnits: 0, violations: 0)
    }
    var idle = 0
    for k in 0..<conversations.count {
      guard let record = try? StateCoding.record(conversations.encoded(k), stamps: stamps, shops: shops)
      else {
        continue
      }
      var active = false
      for (p, part) in record.parts.enumerated() where policies.indices.contains(p) {
        guard let part, !part.isIdle else { continue }
        active = true
        policies[p].activeConversations += 1
        policies[p].openObligations += part.obligations.count
        for deadline in part.obligations.compactMap(\.deadline) {
          policies[p].earliestDeadline = min(policies[p].earliestDeadline ?? deadline, deadline)
        }
      }
      if !active { idle += 1 }
    }
    for p in policies.indices {
      if rates.indices.contains(p) {
        policies[p].openPeriods = rates[p].count
        policies[p].periodUnits = rates[p].reduce(0) { $0 + $1.units.count }
      }
      if violations.indices.contains(p) { policies[p].violations = violations[p].count }
    }
    return StateSummary(
      watermark: watermark, conversations: conversations.count, idleConversations: idle, shops: shops.count,
      policies: policies, recordBytes: conversations.bytes.count)
  }
}
