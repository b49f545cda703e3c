import Foundation
import Testing

@Suite struct TestCommandTests {
  @Test func shippedPolicyTestsAllPass() throws {
    let result = try PolicycBinary.run(
      [
        "test", "--root", "Policies", "Policies/aliexpress.policy", "Policies/pinduoduo.policy",
        "Policies/examples/taobao.policy",
      ],
      cwd: repositoryRoot)
    #expect(result.status == 0, "\(result.stdout)")
    let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
    #expect(last.hasSuffix(" passed, 0 failed"))
    #expect((Int(last.split(separator: " ").first ?? "") ?? 0) > 100)
  }

  @Test func aFailingTestShowsItsLineExpectedAndActual() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("test-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let policy = """
      policy demo "演示" {
        zone Asia/Shanghai
      }
      clause D-1 "不得辱骂" content
      severity minor sanction "警告" clause D-1
      terms insults = ["傻逼", "神经病"]
      rule no_insults "不得辱骂" {
        clause   D-1
        severity minor
        when message from seller and contains any insults
        test "卖家骂人" {
          buyer  10:00 "在吗"
          seller 10:01 "你是不是神经病"
          expect violation at 0
        }
        test "买家骂人不算" {
          buyer 10:00 "神经病"
          expect no violation
        }
      }

      """
    try Data(policy.utf8).write(to: dir.appendingPathComponent("demo.policy"))
    let result = try PolicycBinary.run(["test", "demo.policy"], cwd: dir)
    #expect(result.status == 1)
    #expect(
      result.stdout == """
        demo.policy:11:3: FAIL test "卖家骂人" (rule no_insults)
          14 | expect violation at 0
            expected: violation of no_insults at 0
            actual:   no_insults at 1 [term:神经病]
        1 passed, 1 failed

        """)
  }

  @Test func aFailingTestShowsTimesInThePolicysZone() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("test-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let policy = """
      policy demo "演示" {
        zone Asia/Shanghai
      }
      clause D-1 "回复" timeline
      severity minor sanction "警告" clause D-1
      rule reply "回复" {
        clause   D-1
        severity minor
        every message from buyer
        expect human reply within 1h
        test "晚回复" {
          buyer  10:00 "在吗"
          seller 12:00 "在的"
          expect no violation
        }
      }

      """
    try Data(policy.utf8).write(to: dir.appendingPathComponent("demo.policy"))
    let result = try PolicycBinary.run(["test", "demo.policy"], cwd: dir)
    #expect(result.status == 1)
    #expect(result.stdout.contains("deadline 2026-"), "\(result.stdout)")
    #expect(result.stdout.contains("T11:00:00+08:00 answered "), "\(result.stdout)")
    #expect(result.stdout.contains("T12:00:00+08:00"), "\(result.stdout)")
  }
}
