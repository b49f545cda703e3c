import Foundation
import Testing

/// The embedding example loads a program saved by `policyc build` and evaluates a conversation
/// through the public API only.
@Suite struct EmbeddingExampleTests {
  @Test func exampleEvaluatesASavedProgram() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("embed-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let program = dir.appendingPathComponent("pinduoduo.plp").path
    let build = try PolicycBinary.run(
      ["build", "Policies/pinduoduo.policy", "-o", program], cwd: repositoryRoot)
    #expect(build.status == 0, "\(build.stderr)")
    let example = PolicycBinary.url.deletingLastPathComponent().appendingPathComponent("embedding-example")
    let result = try PolicycBinary.run([program], executable: example)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    #expect(lines.first?.contains(#""rule":"reply_within_hour","clause":"PDD-2.2""#) == true)
    #expect(lines.dropFirst().first?.contains(#""match":"薇信 abc_123""#) == true)
    #expect(lines.last == "pinduoduo: 3 events, 2 verdicts")
  }

  @Test func aDamagedProgramIsATypedError() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("embed-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let program = dir.appendingPathComponent("bad.plp")
    try Data("not a program".utf8).write(to: program)
    let example = PolicycBinary.url.deletingLastPathComponent().appendingPathComponent("embedding-example")
    let result = try PolicycBinary.run([program.path], executable: example)
    #expect(result.status == 65)
    #expect(result.stderr.contains("not a compiled PolicyLang program"))
  }
}
