// Buyer-day units: the counts are those of plain pass flags in memory, however often the units
// are written out to partitions, and a copy is independent of the store it was made from.

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Buyer-day units")
struct BuyerDayUnitsTests {
  typealias Key = BuyerDayUnits.Key

  static func reference(_ flags: [Key: Bool], source: Int) -> [Int: (passed: Int, total: Int)] {
    var counts: [Int: (passed: Int, total: Int)] = [:]
    for (key, passed) in flags where key.source == source {
      counts[key.slot, default: (0, 0)].total += 1
      if passed { counts[key.slot, default: (0, 0)].passed += 1 }
    }
    return counts
  }

  static func same(_ a: [Int: (passed: Int, total: Int)], _ b: [Int: (passed: Int, total: Int)]) -> Bool {
    a.count == b.count && a.allSatisfy { slot, c in b[slot].map { $0 == c } ?? false }
  }

  @Test func countsMatchFlagsInMemoryThroughWriteOuts() {
    var random = SeededRandom(seed: 314)
    for limit in [1, 7, 100, 1 << 15] {
      let units = BuyerDayUnits(memoryLimit: limit)
      var flags: [Key: Bool] = [:]
      var copyAt: (BuyerDayUnits, [Key: Bool])?
      for step in 0..<3000 {
        let buyer = ByteString(
          "b-\(Int.random(in: 0..<60, using: &random))" + (step % 5 == 0 ? "-a-long-buyer-id" : ""))
        let key = Key(
          source: Int.random(in: 0..<2, using: &random), slot: Int.random(in: 0..<4, using: &random),
          day: Int64.random(in: -2...3, using: &random), buyer: buyer)
        let met = Int.random(in: 0..<4, using: &random) != 0
        units.meet(key, met)
        flags[key] = (flags[key] ?? true) && met
        if step == 1500 { copyAt = (units.copy(), flags) }
      }
      for source in 0..<2 {
        #expect(Self.same(units.counts(of: source), Self.reference(flags, source: source)), "limit \(limit)")
      }
      if let (copy, then) = copyAt {
        // The copy kept the units of its moment; later meets went to the original only.
        #expect(Self.same(copy.counts(of: 0), Self.reference(then, source: 0)), "limit \(limit), copy")
        copy.meet(Key(source: 0, slot: 9, day: 0, buyer: "new"), false)
        #expect(units.counts(of: 0)[9] == nil)
      }
      #expect(units.failure == nil)
    }
  }
}
