// The counters behind a policy's rate rules, fed obligations as they are settled, so a run keeps
// counters per (rule, shop, period) instead of every obligation record until the end. Per-message
// units are two counters; per-buyer-day and per-conversation units keep one pass flag per unit of
// each shop and period, since a unit's obligations may be settled at different times and, for a
// buyer, in different conversations (in `BuyerDayUnits`, which writes them to a temporary file
// past a limit).

@_spi(Storage) import PolicyLangCore
import PolicyLangFrontend

/// The rate counters of a run: add every settled obligation of the rules rates count, once, in
/// any order and any grouping; then read the aggregate verdicts with `Evaluator.sortedRates`.
public struct RateTally: Sendable {
  /// A rate rule and what it counts.
  package struct RateSource: Sendable {
    package var rule: Int
    package var source: Int
    package var rate: CheckedRate
  }

  /// A shop's period of one rate.
  package struct PeriodKey: Hashable, Sendable, SeededHashable {
    package var shop: ByteString
    package var period: PeriodSpan

    package func hash(seed: UInt64) -> UInt64 {
      let start =
        UInt64(bitPattern: period.start.seconds) ^ UInt64(UInt32(bitPattern: period.start.nanoseconds)) << 32
      let end =
        UInt64(bitPattern: period.end.seconds) ^ UInt64(UInt32(bitPattern: period.end.nanoseconds)) << 32
      return SeededHash.mix(SeededHash.mix(SeededHash.mix(seed, start), end), shop)
    }
  }

  /// Units passed and counted in one period.
  package struct Counts: Sendable {
    package var passed = 0
    package var total = 0

    package init() {}

    package mutating func count(_ met: Bool, unit: Bool = true) {
      passed += met ? 1 : 0
      total += unit ? 1 : 0
    }

    package mutating func add(_ other: Counts) {
      passed += other.passed
      total += other.total
    }
  }

  package let calendar: PolicyCalendar
  package let sources: [RateSource]
  /// Per entry of `sources`: the slot of each (shop, period) counted, and by slot its counters of
  /// message and conversation units and its buyer-day units (whether every obligation of each
  /// was met). Slots keep the per-record path to one lookup, none when the key repeats.
  package var slots: [SeededTable<PeriodKey, Int>]
  package var slotKeys: [[PeriodKey]]
  package var slotCounts: [[Counts]]
  /// Buyer-day units of every source and slot (written to a temporary file past a limit).
  package var units: BuyerDayUnits
  /// Per entry of `sources`: the last key counted and its slot (consecutive records share it).
  package var lastSlot: [(key: PeriodKey, slot: Int)?]
  /// Per entry of `sources`: the period of each local day seen (day and month periods depend on
  /// the day only, and computing one builds the day's windows).
  package var periodsByDay: [[Int64: PeriodSpan]]
  /// Per source, the last day looked up and its period (a conversation's records share a day).
  package var lastPeriod: [(day: Int64, period: PeriodSpan)?]

  /// An empty tally for the rate rules of an evaluator's program.
  public init(for evaluator: Evaluator) {
    let rules = evaluator.program.ir.rules
    var sources: [RateSource] = []
    for (index, rule) in rules.enumerated() {
      // A count ratio is its own source: its records are the events it counts.
      if case .ratio(let ratio) = rule.body {
        sources.append(RateSource(rule: index, source: index, rate: ratio.rate))
        continue
      }
      guard case .rate(let rate) = rule.body, rules.indices.contains(rate.of),
        case .obligation = rules[rate.of].body
      else { continue }
      sources.append(RateSource(rule: index, source: rate.of, rate: rate))
    }
    calendar = evaluator.calendar
    self.sources = sources
    slots = Array(repeating: SeededTable(capacity: 512, placeholder: 0), count: sources.count)
    slotKeys = Array(repeating: [], count: sources.count)
    slotCounts = Array(repeating: [], count: sources.count)
    units = BuyerDayUnits()
    lastSlot = Array(repeating: nil, count: sources.count)
    periodsByDay = Array(repeating: [:], count: sources.count)
    lastPeriod = Array(repeating: nil, count: sources.count)
  }

  /// Whether the program has no rate rule (nothing is ever counted).
  public var isEmpty: Bool { sources.isEmpty }

  /// Counts the obligations of one judged conversation.
  public mutating func add(_ result: ConversationResult) {
    guard !result.obligations.isEmpty else { return }
    add(result.obligations, shop: result.shop)
  }

  /// The slot of a (shop, period) of source `s`, made when new.
  package mutating func slot(_ s: Int, _ key: PeriodKey) -> Int {
    if let last = lastSlot[s], last.key == key { return last.slot }
    var slot = slotKeys[s].count
    let added = slots[s].update(key, initial: slot) { slot = $0 }
    if added {
      slotKeys[s].append(key)
      slotCounts[s].append(Counts())
    }
    lastSlot[s] = (key, slot)
    return slot
  }

  /// The period of source `s` that holds instant `t` on local day `day`.
  package mutating func period(_ s: Int, at t: Timestamp, day: Int64) -> PeriodSpan {
    let rate = sources[s].rate
    if case .rolling = rate.period { return calendar.period(rate.period, during: rate.during, at: t) }
    if let last = lastPeriod[s], last.day == day { return last.period }
    let period: PeriodSpan
    if let known = periodsByDay[s][day] {
      period = known
    } else {
      period = calendar.period(rate.period, during: rate.during, at: t)
      periodsByDay[s][day] = period
    }
    lastPeriod[s] = (day, period)
    return period
  }

  /// Counts obligation records of one conversation (or of every result of one conversation id).
  package mutating func add(_ records: [ObligationRecord], shop: ByteString) {
    for record in records {
      add(
        rule: record.rule, openedAt: record.openedAt, met: record.met, unit: record.unit, shop: shop,
        buyer: record.buyer, conversation: record.conversation)
    }
  }

  /// Counts one obligation record (given field by field: the caller need not build one).
  package mutating func add(
    rule: Int, openedAt: Timestamp, met: Bool, unit: Bool, shop: ByteString, buyer: ByteString,
    conversation: ByteString
  ) {
    // Copies of a tally share their units until one of them counts more.
    if !isKnownUniquelyReferenced(&units) { units = units.copy() }
    for s in sources.indices where sources[s].source == rule {
      let rate = sources[s].rate
      if let during = rate.during, !calendar.contains(during, openedAt) { continue }
      let day = calendar.localDay(openedAt)
      let period = period(s, at: openedAt, day: day)
      let i = slot(s, PeriodKey(shop: shop, period: period))
      switch rate.unit {
      case .message:
        slotCounts[s][i].count(met, unit: unit)
      case .buyerDay:
        units.meet(BuyerDayUnits.Key(source: s, slot: i, day: day, buyer: buyer), met)
      case .conversation:
        // One unit per conversation and period, whichever call brings its obligations.
        units.meet(
          BuyerDayUnits.Key(source: s, slot: i, day: BuyerDayUnits.conversationDay, buyer: conversation), met)
      }
    }
  }

  /// Adds the counts of another tally of the same program (a part of the run judged apart, by
  /// another worker): a unit that both counted passes when it passed in both.
  package mutating func merge(_ other: RateTally) {
    guard !other.isEmpty else { return }
    if !isKnownUniquelyReferenced(&units) { units = units.copy() }
    var slotMaps: [[Int]] = []
    for s in sources.indices where other.slotKeys.indices.contains(s) {
      var map: [Int] = []
      for (k, key) in other.slotKeys[s].enumerated() {
        let i = slot(s, key)
        slotCounts[s][i].passed += other.slotCounts[s][k].passed
        slotCounts[s][i].total += other.slotCounts[s][k].total
        map.append(i)
      }
      slotMaps.append(map)
    }
    other.units.forEachUnit { key, passed in
      guard slotMaps.indices.contains(key.source), slotMaps[key.source].indices.contains(key.slot) else {
        return
      }
      var mine = key
      mine.slot = slotMaps[key.source][key.slot]
      units.meet(mine, passed)
    }
  }

  /// Every period's counts of the rate at `index` in `sources`.
  package func periods(of index: Int) -> [PeriodKey: Counts] {
    guard sources.indices.contains(index) else { return [:] }
    var all: [PeriodKey: Counts] = [:]
    let unitCounts = units.counts(of: index)
    for (slot, key) in slotKeys[index].enumerated() {
      var c = slotCounts[index][slot]
      if let counted = unitCounts[slot] {
        c.passed += counted.passed
        c.total += counted.total
      }
      all[key] = c
    }
    return all
  }
}
