// A conversation's per-policy states, the first stored inline: reads, writes and takes behave as
// the array they replace, for one policy and for several; and the sender roles' ordinals, by
// which rule lists are indexed, are their places in `allCases`.

import Testing

@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangRuntime
@testable import PolicyLangSession

@Suite("Per-policy states")
struct PolicyStatesTests {
  private func state(_ next: Int) -> ConversationState {
    ConversationState(nextIndex: next, obligations: [], history: ConversationHistory(slotCount: 0))
  }

  @Test(arguments: [1, 2, 5])
  func behaveAsAnArray(count: Int) {
    var states = PolicyStates(count: count)
    var reference = [ConversationState?](repeating: nil, count: count)
    #expect(Array(states) == reference)
    for p in 0..<count {
      states[p] = state(p + 10)
      reference[p] = state(p + 10)
    }
    #expect(Array(states) == reference)
    let taken = states[count - 1].take()
    #expect(taken == state(count + 9))
    reference[count - 1] = nil
    #expect(Array(states) == reference)
    states[0]?.nextIndex += 1
    reference[0]?.nextIndex += 1
    #expect(Array(states) == reference)
    #expect(Array(PolicyStates(reference)) == reference)
  }

  @Test func rolesOrdinalsAreTheirPlacesInAllCases() {
    for (k, role) in SenderRole.allCases.enumerated() { #expect(role.ordinal == k) }
  }
}
