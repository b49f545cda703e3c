import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Every machine-checked rule of a shipped policy carries at least three tests that must fire it
/// and three near-misses that must not (issue: "Ship the AliExpress and Pinduoduo policies").
@Suite struct ShippedPolicyTestCoverageTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  @Test(arguments: ["pinduoduo", "aliexpress", "examples/taobao"])
  func everyRuleHasThreeFiringAndThreeNearMissTests(_ name: String) throws {
    // `examples/taobao` imports `../common/`: the root is the shipped policies' directory.
    let result = PolicyChecker.check(
      path: "Policies/\(name).policy", root: SourceRoot("Policies"),
      provider: DiskSourceProvider(baseDirectory: Self.root))
    let policy = try #require(result.policy)
    for (index, rule) in policy.rules.enumerated() {
      if case .manual = rule.body { continue }
      // A test counts once per rule, whatever number of expectations it has.
      var firing = 0
      var nearMiss = 0
      for test in policy.tests {
        let mine = test.expectations.filter { $0.rule == index }
        if mine.contains(where: { !$0.negated }) { firing += 1 }
        if mine.contains(where: { $0.negated }) { nearMiss += 1 }
      }
      if case .rate = rule.body {
        // A rate needs a day of many conversations, which one inline test cannot hold: its
        // verdicts are tested on Examples/transcripts/pinduoduo-busy-day.jsonl instead.
        #expect(nearMiss >= 3, "\(name): rule \(rule.name) has \(nearMiss) near-miss tests")
        continue
      }
      #expect(firing >= 3, "\(name): rule \(rule.name) has \(firing) firing tests")
      #expect(nearMiss >= 3, "\(name): rule \(rule.name) has \(nearMiss) near-miss tests")
    }
  }
}
