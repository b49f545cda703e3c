// A tally's periods that a run could not judge yet, taken out to be stored and put back by the
// next run (`--state`): counters of message units, and the pass flag of each buyer-day or
// conversation unit, per rate rule, shop and period.

@_spi(Storage) import PolicyLangCore

/// One shop's period of a rate rule, as counted so far.
package struct CarriedPeriod: Sendable, Equatable {
  /// One buyer-day unit (or, with `day == BuyerDayUnits.conversationDay`, a conversation).
  package struct Unit: Sendable, Equatable {
    package var day: Int64
    package var buyer: ByteString
    package var passed: Bool

    package init(day: Int64, buyer: ByteString, passed: Bool) {
      self.day = day
      self.buyer = buyer
      self.passed = passed
    }
  }

  /// The rate rule's index in the program.
  package var rule: Int
  package var shop: ByteString
  package var period: PeriodSpan
  /// Message units counted.
  package var passed: Int
  package var total: Int
  package var units: [Unit]

  package init(rule: Int, shop: ByteString, period: PeriodSpan, passed: Int, total: Int, units: [Unit]) {
    self.rule = rule
    self.shop = shop
    self.period = period
    self.passed = passed
    self.total = total
    self.units = units
  }
}

extension RateTally {
  /// The (shop, period) pairs counted, over every rate.
  package var periodCount: Int { slotKeys.reduce(0) { $0 + $1.count } }

  /// The periods `keep` selects (by rate rule index and period), in a stable order: by rule, shop,
  /// period, and units by day and buyer.
  package func carriedPeriods(where keep: (Int, PeriodSpan) -> Bool) -> [CarriedPeriod] {
    var unitsBySlot: [Int: [Int: [CarriedPeriod.Unit]]] = [:]
    units.forEachUnit { key, passed in
      unitsBySlot[key.source, default: [:]][key.slot, default: []].append(
        CarriedPeriod.Unit(day: key.day, buyer: key.buyer, passed: passed))
    }
    var out: [CarriedPeriod] = []
    for (s, source) in sources.enumerated() {
      var periods: [CarriedPeriod] = []
      for (slot, key) in slotKeys[s].enumerated() where keep(source.rule, key.period) {
        var units = unitsBySlot[s]?[slot] ?? []
        units.sort { ($0.day, $0.buyer) < ($1.day, $1.buyer) }
        let counts = slotCounts[s][slot]
        periods.append(
          CarriedPeriod(
            rule: source.rule, shop: key.shop, period: key.period, passed: counts.passed, total: counts.total,
            units: units))
      }
      periods.sort { a, b in
        if a.shop != b.shop { return a.shop < b.shop }
        return (a.period.start, a.period.end) < (b.period.start, b.period.end)
      }
      out += periods
    }
    return out
  }

  /// Puts periods a previous run carried back into the tally; periods of rules that are not
  /// rates of this program are skipped.
  package mutating func restore(_ periods: [CarriedPeriod]) {
    guard !periods.isEmpty else { return }
    if !isKnownUniquelyReferenced(&units) { units = units.copy() }
    for carried in periods {
      guard let s = sources.firstIndex(where: { $0.rule == carried.rule }) else { continue }
      let i = slot(s, PeriodKey(shop: carried.shop, period: carried.period))
      slotCounts[s][i].passed += carried.passed
      slotCounts[s][i].total += carried.total
      for unit in carried.units {
        units.meet(BuyerDayUnits.Key(source: s, slot: i, day: unit.day, buyer: unit.buyer), unit.passed)
      }
    }
  }
}
