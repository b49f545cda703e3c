// `policyc eval --state` and `policyc state show` at the edges: a damaged or foreign state is
// refused and left untouched, late lines are counted, an edited policy keeps what it did not
// change and names what it drops.

import Foundation
import Testing

@Suite struct StateCommandTests {
  static let policy = ["--policy", "Policies/pinduoduo.policy"]
  static let events = "Examples/transcripts/pinduoduo-busy-day.jsonl"
  static let midday = ["--as-of", "2026-11-25T14:00:00+08:00"]

  static func folder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func aDamagedStateIsRefusedAndLeftAsItWas() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let state = dir.appendingPathComponent("s.state")
    let first = try PolicycBinary.run(
      ["eval", "--state", state.path] + Self.policy + Self.midday + [Self.events], cwd: repositoryRoot)
    #expect(first.status == 0, "\(first.stderr)")
    var bytes = try Data(contentsOf: state)
    bytes[bytes.count / 2] ^= 0x5A
    try bytes.write(to: state)
    let second = try PolicycBinary.run(
      ["eval", "--state", state.path] + Self.policy + ["--as-of", "2026-11-26T00:00:00+08:00", Self.events],
      cwd: repositoryRoot)
    #expect(second.status == 65)
    #expect(second.stderr.contains("is not usable: the file is damaged"), "\(second.stderr)")
    #expect(second.stdout.isEmpty)
    #expect(try Data(contentsOf: state) == bytes, "the damaged state was changed")
    // Not a state at all.
    try Data("{}\n".utf8).write(to: state)
    let foreign = try PolicycBinary.run(
      ["state", "show", state.path], cwd: repositoryRoot)
    #expect(foreign.status == 65)
    #expect(foreign.stderr.contains("not a PolicyLang state file"), "\(foreign.stderr)")
  }

  @Test func lateLinesAreCountedAndTheSummaryReadsWell() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let state = dir.appendingPathComponent("s.state").path
    _ = try PolicycBinary.run(
      ["eval", "--state", state] + Self.policy + ["--as-of", "2026-11-26T00:00:00+08:00", Self.events],
      cwd: repositoryRoot)
    let again = try PolicycBinary.run(
      ["eval", "--stats", "--state", state] + Self.policy + [
        "--as-of", "2026-11-27T00:00:00+08:00", Self.events,
      ],
      cwd: repositoryRoot)
    #expect(again.status == 2)
    #expect(again.stderr.contains("late: 300"), "\(again.stderr.suffix(400))")
    #expect(again.stderr.contains("events evaluated: 0"))
    let show = try PolicycBinary.run(["state", "show", state], cwd: repositoryRoot)
    #expect(show.status == 0)
    #expect(show.stdout.contains("judged through  2026-11-26T16:00:00Z"), "\(show.stdout)")
    #expect(show.stdout.contains("policy pinduoduo"))
    let missing = try PolicycBinary.run(["state", "show", dir.appendingPathComponent("none").path])
    #expect(missing.status == 66)
  }

  @Test func anEditedPolicyNamesTheRulesWhoseStateItDrops() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let state = dir.appendingPathComponent("s.state").path
    let first = try PolicycBinary.run(
      ["eval", "--state", state] + Self.policy + Self.midday + [Self.events], cwd: repositoryRoot)
    #expect(first.status == 0)
    // The same policy with the reply limit made 2 hours.
    let source = try String(
      contentsOf: repositoryRoot.appendingPathComponent("Policies/pinduoduo.policy"), encoding: .utf8)
    let edited = source.replacingOccurrences(of: "const reply_limit = 60m", with: "const reply_limit = 2h")
    #expect(edited != source)
    let policies = dir.appendingPathComponent("Policies")
    try FileManager.default.copyItem(
      at: repositoryRoot.appendingPathComponent("Policies"), to: policies)
    try edited.write(
      to: policies.appendingPathComponent("pinduoduo.policy"), atomically: true, encoding: .utf8)
    let second = try PolicycBinary.run(
      [
        "eval", "--state", state, "--policy", policies.appendingPathComponent("pinduoduo.policy").path,
        "--as-of", "2026-11-27T00:00:00+08:00", repositoryRoot.appendingPathComponent(Self.events).path,
      ],
      cwd: dir)
    #expect(
      second.stderr.contains("warning: policy `pinduoduo` changed since state"),
      "\(second.stderr.prefix(600))")
    #expect(second.stderr.contains("`reply_within_hour`"))
    // Another policy's state is refused.
    let other = try PolicycBinary.run(
      ["eval", "--state", state, "--policy", "Policies/aliexpress.policy"] + Self.midday + [Self.events],
      cwd: repositoryRoot)
    #expect(other.status == 65)
    #expect(other.stderr.contains("was made with policies pinduoduo"), "\(other.stderr)")
  }
}
