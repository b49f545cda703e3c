// The judged-conversation set: exact membership over many ids of every length, through table
// rebuilds and ids written to its temporary file.

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Judged conversation ids")
struct JudgedIDsTests {
  static func randomID(_ random: inout SeededRandom) -> ByteString {
    let length = [0, 1, 5, 15, 16, 17, 40].randomElement(using: &random) ?? 5
    var bytes: [UInt8] = []
    for _ in 0..<length { bytes.append(UInt8.random(in: 0x21...0x7E, using: &random)) }
    return ByteString(bytes: bytes)
  }

  /// As a grouped run takes in a batch: every id looked up first, then the absent ones inserted,
  /// one by one or all at once, where their lookups found room (tables grow in between too).
  @Test func insertionsAtVacanciesKeepMembershipExact() {
    var random = SeededRandom(seed: 2024)
    let ids = JudgedIDs(capacity: 1)
    var reference: Set<ByteString> = []
    for round in 0..<600 {
      var batch: [ByteString] = []
      for _ in 0..<Int.random(in: 1..<120, using: &random) {
        let id = Self.randomID(&random)
        if !batch.contains(id) { batch.append(id) }
      }
      ids.touch(hashes: batch.map(\.hashValue))
      let vacancies = batch.map { ids.vacancy(for: $0, hash: $0.hashValue) }
      for (id, vacancy) in zip(batch, vacancies) {
        #expect((vacancy == nil) == reference.contains(id), "round \(round)")
      }
      let absent = zip(batch, vacancies).filter { $0.1 != nil }
      if round % 2 == 0 {
        for (id, vacancy) in absent { ids.insert(id, hash: id.hashValue, at: vacancy) }
      } else {
        // All at once, as a batch is taken in.
        ids.insert(
          absent.map(\.0), hashes: absent.map(\.0.hashValue), at: absent.compactMap(\.1), first: absent.count)
      }
      for (id, _) in absent { reference.insert(id) }
    }
    #expect(ids.count == reference.count)
    for id in reference { #expect(ids.contains(id)) }
    for _ in 0..<2000 {
      let id = Self.randomID(&random)
      #expect(ids.contains(id) == reference.contains(id))
    }
  }

  @Test func membershipIsExactLikeASet() {
    var random = SeededRandom(seed: 77)
    let ids = JudgedIDs(capacity: 1)
    var reference: Set<ByteString> = []
    for round in 0..<30_000 {
      let id = Self.randomID(&random)
      #expect(ids.contains(id) == reference.contains(id), "round \(round)")
      if !reference.contains(id) {
        ids.insert(id)
        reference.insert(id)
      }
      if round % 997 == 0 {
        for known in reference.prefix(50) { #expect(ids.contains(known)) }
      }
    }
    #expect(ids.count == reference.count)
    #expect(ids.failure == nil)
    for id in reference { #expect(ids.contains(id)) }
    // Ids that differ only past a shared prefix, or by length, are told apart.
    let long = ByteString(String(repeating: "x", count: 100))
    ids.insert(long)
    #expect(ids.contains(long))
    #expect(!ids.contains(ByteString(String(repeating: "x", count: 99))))
    #expect(!ids.contains(ByteString(String(repeating: "x", count: 99) + "y")))
  }
}
