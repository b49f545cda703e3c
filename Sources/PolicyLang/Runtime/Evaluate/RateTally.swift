// The counters behind a policy's rate rules, fed one judged conversation at a time, so a run keeps
// counters per (rule, shop, period) instead of every obligation record until the end. Per-message
// and per-conversation units are two counters; per-buyer-day units keep one pass flag per
// (buyer, day) of each shop and period, since a buyer's conversations of one day make one unit.

/// The rate counters of a run: add each conversation's result once, then give the tally to
/// `Evaluator.finish(verdicts:tally:asOf:)`.
///
/// Each conversation must be added at most once per shop (one result per conversation id): a
/// per-conversation unit is counted when its result is added. `finish(_:asOf:)` merges results
/// that share a conversation id and shop before adding them.
public struct RateTally: Sendable {
  /// A rate rule and what it counts.
  struct RateSource: Sendable {
    var rule: Int
    var source: Int
    var rate: CheckedRate
  }

  /// A shop's period of one rate.
  struct PeriodKey: Hashable, Sendable {
    var shop: ByteString
    var period: PeriodSpan
  }

  /// One buyer on one local day.
  struct BuyerDay: Hashable, Sendable {
    var buyer: ByteString
    var day: Int64
  }

  /// Units passed and counted in one period.
  struct Counts: Sendable {
    var passed = 0
    var total = 0

    mutating func count(_ met: Bool) {
      passed += met ? 1 : 0
      total += 1
    }
  }

  let calendar: PolicyCalendar
  let sources: [RateSource]
  /// Per entry of `sources`: counters of message and conversation units.
  var counts: [[PeriodKey: Counts]]
  /// Per entry of `sources`: buyer-day units and whether every obligation of each was met.
  var buyerDays: [[PeriodKey: [BuyerDay: Bool]]]
  /// Per entry of `sources`: the period of the last local day seen (day and month periods depend
  /// on the day only; consecutive records nearly always share it, and computing it builds the
  /// day's windows).
  var lastPeriod: [(day: Int64, period: PeriodSpan)?]

  /// An empty tally for the rate rules of an evaluator's program.
  public init(for evaluator: Evaluator) {
    let rules = evaluator.program.ir.rules
    var sources: [RateSource] = []
    for (index, rule) in rules.enumerated() {
      guard case .rate(let rate) = rule.body, rules.indices.contains(rate.of),
        case .obligation = rules[rate.of].body
      else { continue }
      sources.append(RateSource(rule: index, source: rate.of, rate: rate))
    }
    calendar = evaluator.calendar
    self.sources = sources
    counts = Array(repeating: [:], count: sources.count)
    buyerDays = Array(repeating: [:], count: sources.count)
    lastPeriod = Array(repeating: nil, count: sources.count)
  }

  /// Whether the program has no rate rule (nothing is ever counted).
  public var isEmpty: Bool { sources.isEmpty }

  /// Counts the obligations of one judged conversation.
  public mutating func add(_ result: ConversationResult) {
    guard !result.obligations.isEmpty else { return }
    add(result.obligations, shop: result.shop)
  }

  /// Counts obligation records of one conversation (or of every result of one conversation id).
  mutating func add(_ records: [ObligationRecord], shop: ByteString) {
    for (s, source) in sources.enumerated() {
      let rate = source.rate
      // A conversation's units per period: one flag each, counted once its records are seen.
      var conversationUnits: [PeriodSpan: Bool] = [:]
      for record in records where record.rule == source.source {
        if let during = rate.during, !calendar.contains(during, record.openedAt) { continue }
        let day = calendar.localDay(record.openedAt)
        let period: PeriodSpan
        if case .rolling = rate.period {
          period = calendar.period(rate.period, during: rate.during, at: record.openedAt)
        } else if let last = lastPeriod[s], last.day == day {
          period = last.period
        } else {
          period = calendar.period(rate.period, during: rate.during, at: record.openedAt)
          lastPeriod[s] = (day, period)
        }
        let key = PeriodKey(shop: shop, period: period)
        switch rate.unit {
        case .message:
          counts[s][key, default: Counts()].count(record.met)
        case .buyerDay:
          let unit = BuyerDay(buyer: record.buyer, day: day)
          Self.meet(&buyerDays[s][key, default: [:]], unit, record.met)
        case .conversation:
          conversationUnits[period] = (conversationUnits[period] ?? true) && record.met
        }
      }
      for (period, passed) in conversationUnits {
        let key = PeriodKey(shop: shop, period: period)
        counts[s][key, default: Counts()].count(passed)
      }
    }
  }

  /// A unit passes while every obligation in it was met (updated in place, one lookup).
  static func meet(_ units: inout [BuyerDay: Bool], _ unit: BuyerDay, _ met: Bool) {
    units[unit] = (units[unit] ?? true) && met
  }

  /// Every period's counts of the rate at `index` in `sources`.
  func periods(of index: Int) -> [PeriodKey: Counts] {
    guard sources.indices.contains(index) else { return [:] }
    var all = counts[index]
    for (key, units) in buyerDays[index] {
      var c = all[key] ?? Counts()
      for passed in units.values { c.count(passed) }
      all[key] = c
    }
    return all
  }
}
