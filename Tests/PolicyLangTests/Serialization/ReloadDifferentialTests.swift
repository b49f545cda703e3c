// The saved-and-reloaded leg of the differential test: on thousands of random conversations over
// random small policies (DifferentialTests' generators), a program written to the compiled format
// and read back gives exactly the verdicts of the program it was written from.

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Differential: compiled program vs saved and reloaded")
struct ReloadDifferentialTests {
  @Test func randomConversationsAgreeAfterAReload() throws {
    var conversations = 0
    for seed in UInt64(1)...60 {
      var random = RandomPolicy(rng: SeededRandom(seed: seed))
      let policy = random.policy()
      let program = try Fixture.program(policy)
      let bytes = ProgramArchive.encode(
        program, metadata: ProgramMetadata(policy: policy, compilerVersion: "test"))
      let loaded = try ProgramArchive.decode(bytes)
      #expect(loaded.program == program, "seed \(seed)")
      #expect(ProgramArchive.encode(loaded.program, metadata: loaded.metadata) == bytes, "seed \(seed)")
      let compiled = try Evaluator(program: program)
      let reloaded = try Evaluator(program: loaded.program)
      var events: [Event] = []
      for c in 0..<50 {
        events += random.events(conversation: "c-\(c % 7)-\(c)")
        conversations += 1
      }
      let asOf: Timestamp? = random.chance(50) ? nil : Fixture.at("2026-11-22 \(random.int(0...23)):00")
      let pending = random.chance(50)
      let expected = compiled.evaluate(run: events, asOf: asOf, includePending: pending)
      let actual = reloaded.evaluate(run: events, asOf: asOf, includePending: pending)
      #expect(actual.count == expected.count, "seed \(seed)")
      for (a, b) in zip(actual, expected) where a != b {
        Issue.record("seed \(seed): reloaded \(a)\ncompiled \(b)")
        break
      }
    }
    #expect(conversations == 3000)
  }
}
