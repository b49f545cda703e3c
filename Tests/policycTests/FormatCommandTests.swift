import Foundation
import Testing

@Suite struct FormatCommandTests {
  @Test func shippedPoliciesAreCanonical() throws {
    let result = try PolicycBinary.run(
      [
        "fmt", "--check", "Policies/aliexpress.policy", "Policies/pinduoduo.policy",
        "Policies/common/shared.policy", "Policies/examples/taobao.policy",
      ], cwd: repositoryRoot)
    #expect(result.status == 0, "would change: \(result.stdout)")
    #expect(result.stdout.isEmpty)
  }

  @Test func checkListsChangesAndWriteFixesThem() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmt-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let messy = "const   limit=24h   # 回复时限\r\nconst n = 8\n"
    try Data(messy.utf8).write(to: dir.appendingPathComponent("lib.policy"))
    let check = try PolicycBinary.run(["fmt", "--check", "lib.policy"], cwd: dir)
    #expect(check.status == 1)
    #expect(check.stdout == "lib.policy\n")
    let printed = try PolicycBinary.run(["fmt", "lib.policy"], cwd: dir)
    #expect(printed.stdout == "const limit = 24h # 回复时限\nconst n     = 8\n")
    #expect(try PolicycBinary.run(["fmt", "-w", "lib.policy"], cwd: dir).status == 0)
    #expect(try PolicycBinary.run(["fmt", "--check", "lib.policy"], cwd: dir).status == 0)
  }

  @Test func aFileThatDoesNotParseIsNotFormatted() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmt-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data("const = \n".utf8).write(to: dir.appendingPathComponent("bad.policy"))
    let result = try PolicycBinary.run(["fmt", "-w", "bad.policy"], cwd: dir)
    #expect(result.status == 65)
    #expect(result.stderr.contains("error[E02"))
    #expect(try String(contentsOf: dir.appendingPathComponent("bad.policy"), encoding: .utf8) == "const = \n")
  }
}
