import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite struct PolicyLimitsTests {
  /// A word list one term over the limit is reported once, at the term that crosses it.
  @Test func tooManyTermsIsOneErrorNotACrash() {
    let count = PolicyLimits.maximumTerms + 1
    var words = ""
    words.reserveCapacity(count * 8)
    for i in 0..<count { words += "w\(i)\n" }
    let policy = """
      policy demo "演示" {
        zone Asia/Shanghai
      }
      clause D-1 "词" content
      severity minor sanction "警告" clause D-1
      terms many = file "many.txt"
      rule r "r" {
        clause   D-1
        severity minor
        when message from seller and contains any many
      }

      """
    let provider = InMemorySourceProvider(["demo.policy": policy, "many.txt": words])
    let result = PolicyChecker.check(path: "demo.policy", provider: provider)
    let limits = result.diagnostics.items.filter { $0.code == .termLimitExceeded }
    #expect(limits.count == 1)
    #expect(result.policy == nil)
  }
}
