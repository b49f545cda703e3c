import Foundation
import Testing

/// The repository root, so tests can run the binary on the shipped policies.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

@Suite struct CheckCommandTests {
  @Test(arguments: [
    "Policies/aliexpress.policy", "Policies/pinduoduo.policy", "Policies/examples/taobao.policy",
  ])
  func shippedPoliciesCheckCleanWithWarningsDenied(path: String) throws {
    let result = try PolicycBinary.run(
      ["check", "--deny-warnings", "--root", "Policies", path], cwd: repositoryRoot)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr == "\(path): ok\n")
  }

  @Test func coverageListsEveryClause() throws {
    let result = try PolicycBinary.run(
      ["check", "--coverage", "--format", "json", "Policies/pinduoduo.policy"], cwd: repositoryRoot)
    #expect(result.status == 0)
    let doc = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let clauses = try #require(doc["clauses"] as? [[String: Any]])
    let ids = clauses.compactMap { $0["clause"] as? String }
    #expect(ids == (1...4).map { "PDD-1.\($0)" } + (1...7).map { "PDD-2.\($0)" })
    #expect(doc["uncovered"] as? Int == 0)
  }

  @Test func errorsExitOneWithCodeLineAndHint() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let policy = """
      policy demo "演示" {
        zone Asia/Shanghai
      }
      clause D-1 "回复" timeline
      severity minor sanction "警告" clause D-1
      rule late "回复慢" {
        clause   D-1
        severity minor
        every message from buyer
        expect human reply within 24
      }

      """
    try Data(policy.utf8).write(to: dir.appendingPathComponent("demo.policy"))
    let result = try PolicycBinary.run(["check", "demo.policy"], cwd: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("--> demo.policy:10:"))
    #expect(result.stderr.contains("24h"))
    let json = try PolicycBinary.run(["check", "--format", "json", "demo.policy"], cwd: dir)
    #expect(json.status == 1)
    #expect(json.stdout.contains("\"line\":10"))
    let sarif = try PolicycBinary.run(["check", "--format", "sarif", "demo.policy"], cwd: dir)
    #expect(sarif.stdout.contains("\"version\":\"2.1.0\""))
  }

  @Test func missingFileExits66AndUnknownFormatIsUsage() throws {
    #expect(try PolicycBinary.run(["check", "no-such.policy"]).status == 66)
    #expect(try PolicycBinary.run(["check", "--format", "xml", "a.policy"]).status == 64)
    #expect(try PolicycBinary.run(["check"]).status == 64)
  }
}
