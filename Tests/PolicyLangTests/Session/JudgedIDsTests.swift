// The judged-conversation set: exact membership over many ids of every length, through table
// rebuilds and ids written to its temporary file.

import Testing

@testable import PolicyLang

@Suite("Judged conversation ids")
struct JudgedIDsTests {
  static func randomID(_ random: inout SeededRandom) -> ByteString {
    let length = [0, 1, 5, 15, 16, 17, 40].randomElement(using: &random) ?? 5
    var bytes: [UInt8] = []
    for _ in 0..<length { bytes.append(UInt8.random(in: 0x21...0x7E, using: &random)) }
    return ByteString(bytes: bytes)
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
    #expect(ids.errors.isEmpty)
    for id in reference { #expect(ids.contains(id)) }
    // Ids that differ only past a shared prefix, or by length, are told apart.
    let long = ByteString(String(repeating: "x", count: 100))
    ids.insert(long)
    #expect(ids.contains(long))
    #expect(!ids.contains(ByteString(String(repeating: "x", count: 99))))
    #expect(!ids.contains(ByteString(String(repeating: "x", count: 99) + "y")))
  }
}
