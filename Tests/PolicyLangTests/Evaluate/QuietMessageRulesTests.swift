// The answer known in advance for a message whose text the prefilter rules out (no attachment)
// equals the node-by-node decision, on random policies and on the shipped ones.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Quiet message rules")
struct QuietMessageRulesTests {
  /// Texts no list of `RandomPolicy` or of the shipped policies can match.
  static let quietTexts = ["", "在吗", "这个尺码偏大还是偏小", "abc", "亲，今天下午发货"]

  /// For every sender and quiet text: the known answer, when there is one, equals the rules
  /// decided node by node; returns how many answers were known.
  static func compare(_ evaluator: Evaluator, label: String) -> Int {
    let program = evaluator.program
    // A program with patterns has no prefilter, so no message is quiet (the evaluator builds
    // no answers for it).
    guard program.textRequest.patterns.isEmpty else { return 0 }
    let quiet = QuietMessageRules(
      nodes: program.ir.nodes, listCount: program.textRequest.lists.count,
      rulesByRole: program.messageRulesByRole, roots: evaluator.messageRoots)
    var known = 0
    for (r, role) in SenderRole.allCases.enumerated() where program.messageRulesByRole.indices.contains(r) {
      for auto in [false, true] {
        guard let answer = quiet.holding(role: role, auto: auto) else { continue }
        for text in quietTexts {
          let message = Message(role: role, auto: auto, text: text)
          let bytes = Array(text.utf8)
          let ruledOut = bytes.withUnsafeBufferPointer { !evaluator.matcher.mayMatch(utf8: $0) }
          #expect(ruledOut, "\(label): the prefilter lets `\(text)` through")
          let scratch = EvaluationScratch(nodeCount: program.ir.nodes.count)
          var context = MessageContext(
            message, shared: evaluator.shared, scratch: scratch, memoBase: scratch.reserveRows(1),
            owners: (evaluator.shared, scratch))
          let decided = context.holdingRules(program.messageRulesByRole[r], roots: evaluator.messageRoots)
          #expect(answer == decided, "\(label) \(role) auto \(auto) `\(text)`")
          known += 1
        }
      }
    }
    return known
  }

  @Test func randomPoliciesAgree() throws {
    var known = 0
    for seed in UInt64(1)...80 {
      var random = RandomPolicy(rng: SeededRandom(seed: seed))
      let evaluator = try Fixture.evaluator(random.policy())
      known += Self.compare(evaluator, label: "seed \(seed)")
    }
    // Most random policies have no `length` under their message rules: answers are known.
    #expect(known > 100)
  }

  @Test func shippedPoliciesAgree() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().path
    for name in ["pinduoduo", "aliexpress"] {
      let policy = try CompiledPolicy(
        policyAt: "Policies/\(name).policy", provider: DiskSourceProvider(baseDirectory: root))
      #expect(Self.compare(policy.evaluator, label: name) > 0, "\(name): no answer known")
    }
  }

  @Test func lengthLeavesTheAnswerUnknown() {
    // rule 0: `from seller and length at most 3`; rule 1: `from seller and contains any list 0`.
    let nodes: [ConditionNode] = [
      .from(.seller, .any), .length(atMost: true, 3), .and([0, 1]), .terms(list: 0, atLeast: 1),
      .and([0, 3]),
    ]
    let sellerIndex = SenderRole.allCases.firstIndex(of: .seller) ?? 0
    var byRole = [[Int]](repeating: [], count: SenderRole.allCases.count)
    byRole[sellerIndex] = [0, 1]
    let withLength = QuietMessageRules(nodes: nodes, listCount: 1, rulesByRole: byRole, roots: [2, 4])
    #expect(withLength.holding(role: .seller, auto: false) == nil)
    byRole[sellerIndex] = [1]
    let withoutLength = QuietMessageRules(nodes: nodes, listCount: 1, rulesByRole: byRole, roots: [2, 4])
    #expect(withoutLength.holding(role: .seller, auto: false) == [])
    // A buyer's message decides `from seller` false, so `and` is false despite the length.
    byRole[sellerIndex] = []
    byRole[SenderRole.allCases.firstIndex(of: .buyer) ?? 0] = [0]
    let buyer = QuietMessageRules(nodes: nodes, listCount: 1, rulesByRole: byRole, roots: [2, 4])
    #expect(buyer.holding(role: .buyer, auto: false) == [])
    // `contains at least 0` holds on any text.
    let atLeastZero = QuietMessageRules(
      nodes: [.terms(list: 0, atLeast: 0)], listCount: 1, rulesByRole: byRole, roots: [0])
    #expect(atLeastZero.holding(role: .buyer, auto: false) == [0])
  }
}
