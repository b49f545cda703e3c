// The seeded open-addressing table behind the rate counters: the same contents as a Dictionary
// given the same updates, through growth and clearing, with keys of every ByteString shape.

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@_spi(Storage) @testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Seeded table")
struct SeededTableTests {
  @Test func updatesMatchADictionary() {
    var random = SeededRandom(seed: 4242)
    for capacity in [1, 5, 64] {
      var table = SeededTable<BuyerDayUnits.Key, Int>(capacity: capacity, placeholder: 0)
      var reference: [BuyerDayUnits.Key: Int] = [:]
      for step in 0..<4000 {
        let length = [0, 3, 15, 16, 30].randomElement(using: &random) ?? 3
        let buyer = ByteString(
          String(repeating: "b", count: length) + "\(Int.random(in: 0..<40, using: &random))")
        let key = BuyerDayUnits.Key(
          source: Int.random(in: 0..<2, using: &random), slot: Int.random(in: 0..<5, using: &random),
          day: Int64.random(in: -3...3, using: &random), buyer: buyer)
        let added = table.update(key, initial: 1) { $0 += step }
        #expect(added == (reference[key] == nil))
        reference[key, default: 1] += step
        if step == 2500 {
          table.removeAll()
          reference = [:]
        }
      }
      var seen: [BuyerDayUnits.Key: Int] = [:]
      table.forEach { key, value in seen[key] = value }
      #expect(seen == reference)
      #expect(table.count == reference.count)
      for (key, value) in reference { #expect(table.value(of: key) == value) }
      #expect(table.value(of: BuyerDayUnits.Key(source: 9, slot: 0, day: 0, buyer: "none")) == nil)
    }
  }
}
