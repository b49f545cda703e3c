// `--root DIR` on every command that reads policies, compiled programs that name the word lists
// they embed, and files that are not regular (a FIFO) refused without blocking.

import Foundation
import Testing

@Suite struct RootOptionTests {
  static let taobao = "Policies/examples/taobao.policy"
  static let origins = "Tests/policycTests/testdata/origins"

  @Test func aPolicyImportingASiblingDirectoryNeedsTheCommonRoot() throws {
    let narrow = try PolicycBinary.run(["check", Self.taobao], cwd: repositoryRoot)
    #expect(narrow.status == 1)
    #expect(
      narrow.stderr.hasPrefix(
        "error[E0002]: imported file `../common/shared.policy` leads out of the root `Policies/examples`"))
    let wide = try PolicycBinary.run(["check", "--root", "Policies", Self.taobao], cwd: repositoryRoot)
    #expect(wide.status == 0, "\(wide.stderr)")
    // A root written absolute, the policy relative: compared as absolute paths.
    let absolute = repositoryRoot.appendingPathComponent("Policies").path
    let mixed = try PolicycBinary.run(["check", "--root", absolute, Self.taobao], cwd: repositoryRoot)
    #expect(mixed.status == 0, "\(mixed.stderr)")
    let outside = try PolicycBinary.run(
      ["check", "--root", "Policies/common", "Policies/pinduoduo.policy"], cwd: repositoryRoot)
    #expect(outside.status == 1)
    #expect(outside.stderr.contains("error[E0002]: "))
    #expect(outside.stderr.contains("is not under the root"))
  }

  @Test func everyCommandThatReadsPoliciesTakesTheRoot() throws {
    let test = try PolicycBinary.run(["test", "--root", "Policies", Self.taobao], cwd: repositoryRoot)
    #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
    let build = try PolicycBinary.run(
      ["build", "--root", "Policies", Self.taobao, "--dump", "opt-ir"], cwd: repositoryRoot)
    #expect(build.status == 0, "\(build.stderr)")
    let quickstart = "Examples/transcripts/quickstart.jsonl"
    let eval = try PolicycBinary.run(
      [
        "eval", "--root", "Policies", "--policy", Self.taobao, "--as-of", "2026-12-01T00:00:00+08:00",
        quickstart,
      ],
      cwd: repositoryRoot)
    #expect(eval.status == 0, "\(eval.stderr)")
    let explain = try PolicycBinary.run(
      [
        "explain", "--root", "Policies", "--policy", Self.taobao, quickstart, "--conversation", "q-1",
        "--as-of", "2026-12-01T00:00:00+08:00",
      ], cwd: repositoryRoot)
    #expect(explain.status == 0, "\(explain.stderr)")
    #expect(explain.stdout.hasPrefix("conversation q-1 (shop s-1), policy taobao"))
    for command in [
      ["test"], ["build"], ["eval", "--policy"], ["explain", "--conversation", "q-1", "--policy"],
    ] {
      let result = try PolicycBinary.run(
        command + [Self.taobao] + (command[0] == "explain" ? [quickstart] : []), cwd: repositoryRoot)
      #expect(result.status == 65, "\(command): without --root the import is refused")
      #expect(result.stderr.contains("error[E0002]"), "\(command)")
    }
  }

  /// `build --dump program` names each list's word-list files relative to the root: a reviewer
  /// sees what a program embeds.
  @Test func theDisassemblyNamesTheWordListsRelativeToTheRoot() throws {
    let result = try PolicycBinary.run(
      ["build", "--root", Self.origins, Self.origins + "/shop/shop.policy", "--dump", "program"],
      cwd: repositoryRoot)
    #expect(result.status == 0, "\(result.stderr)")
    let golden = repositoryRoot.appendingPathComponent(Self.origins + ".program.txt")
    if ProcessInfo.processInfo.environment["POLICYLANG_RECORD"] == "1" {
      try Data(result.stdout.utf8).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    #expect(result.stdout == (try String(contentsOf: golden, encoding: .utf8)))
    // Saved and loaded again, the program still names them; from another directory, the same.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("origins-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let saved = dir.appendingPathComponent("shop.plp").path
    let root = repositoryRoot.appendingPathComponent(Self.origins).path
    let build = try PolicycBinary.run(
      ["build", "--root", root, root + "/shop/shop.policy", "-o", saved], cwd: dir)
    #expect(build.status == 0, "\(build.stderr)")
    let loaded = try PolicycBinary.run(["build", "--program", saved, "--dump", "program"], cwd: dir)
    #expect(loaded.stdout == result.stdout)
  }

  @Test(.timeLimit(.minutes(1)))
  func aFIFOIsNeverWaitedOn() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let fifo = dir.appendingPathComponent("pipe.policy").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let policy = "policy p {\n  zone UTC\n}\nimport \"pipe.policy\"\n"
    try Data(policy.utf8).write(to: dir.appendingPathComponent("main.policy"))
    let check = try PolicycBinary.run(["check", "main.policy"], cwd: dir)
    #expect(check.status == 1)
    #expect(check.stderr.contains("it is a FIFO (named pipe), not a regular file"), "\(check.stderr)")
    let direct = try PolicycBinary.run(["check", "pipe.policy"], cwd: dir)
    #expect(direct.status == 66)
    let fmt = try PolicycBinary.run(["fmt", "pipe.policy"], cwd: dir)
    #expect(fmt.status == 66, "\(fmt.stderr)")
    let program = try PolicycBinary.run(["build", "--program", "pipe.policy", "--dump", "program"], cwd: dir)
    #expect(program.status == 66, "\(program.stderr)")
  }

  @Test(arguments: ["E0002", "E0003"])
  func theNewCodesAreExplainedInBothLanguages(_ code: String) throws {
    let english = try PolicycBinary.run(["explain", code], cwd: repositoryRoot)
    #expect(english.status == 0)
    #expect(english.stdout.hasPrefix("\(code) (error): file"))
    let chinese = try PolicycBinary.run(["explain", "--lang", "zh", code], cwd: repositoryRoot)
    #expect(chinese.status == 0)
    #expect(chinese.stdout.contains("修正"))
  }
}
