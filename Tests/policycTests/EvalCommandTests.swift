// `policyc eval` end to end: golden cases under Tests/policycTests/testdata/eval/ (arguments, input, expected standard
// output, standard error and exit status), and runs whose output must not depend on line order,
// --grouped, --jobs or --memory-limit.

import Foundation
import Testing

@testable import policyc

/// The golden cases of Tests/policycTests/testdata/eval/: one folder per case.
///
/// `args` holds one argument per line (`$CASE` is the case folder, relative to the repository
/// root, where the binary runs); `stdin`, when present, is standard input. The expected results
/// are `expected.stdout`, `expected.stderr` and `expected.status`; `POLICYLANG_RECORD=1` rewrites
/// them (and reports each rewrite as an issue).
enum EvalGolden {
  static let folder = repositoryRoot.appendingPathComponent("Tests/policycTests/testdata/eval")

  static var cases: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted()
  }

  static func arguments(_ name: String) throws -> [String] {
    let text = try String(contentsOf: folder.appendingPathComponent("\(name)/args"), encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: true).map {
      $0.replacingOccurrences(of: "$CASE", with: "Tests/policycTests/testdata/eval/\(name)")
    }
  }

  static func check(_ actual: String, _ name: String, _ file: String) {
    let url = folder.appendingPathComponent("\(name)/\(file)")
    if ProcessInfo.processInfo.environment["POLICYLANG_RECORD"] == "1" {
      try? Data(actual.utf8).write(to: url)
      Issue.record("recorded \(name)/\(file)")
      return
    }
    let expected = (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) }
    #expect(actual == expected, "\(name)/\(file) differs")
  }
}

@Suite struct EvalCommandTests {
  static let policies = ["--policy", "Policies/pinduoduo.policy", "--policy", "Policies/aliexpress.policy"]
  static let asOf = ["--as-of", "2026-12-31T00:00:00+08:00"]
  static let transcripts = [
    "Examples/transcripts/pinduoduo.jsonl", "Examples/transcripts/aliexpress.jsonl",
    "Examples/transcripts/pinduoduo-busy-day.jsonl", "Examples/transcripts/quickstart.jsonl",
  ]

  @Test func goldenCasesExist() {
    #expect(EvalGolden.cases.count >= 20)
  }

  @Test(arguments: EvalGolden.cases)
  func golden(_ name: String) throws {
    let args = try EvalGolden.arguments(name)
    let stdin = try? Data(contentsOf: EvalGolden.folder.appendingPathComponent("\(name)/stdin"))
    let result = try PolicycBinary.run(["eval"] + args, stdin: stdin ?? Data(), cwd: repositoryRoot)
    EvalGolden.check(result.stdout, name, "expected.stdout")
    EvalGolden.check(result.stderr, name, "expected.stderr")
    EvalGolden.check("\(result.status)\n", name, "expected.status")
  }

  /// Writes `lines` to a temporary file and returns its path.
  static func temporaryFile(_ lines: [String], in dir: URL, name: String) throws -> String {
    let url = dir.appendingPathComponent(name)
    try Data(lines.joined().utf8).write(to: url)
    return url.path
  }

  static func transcriptLines() throws -> [String] {
    try transcripts.flatMap { path in
      let text = try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
      return text.split(separator: "\n").map { String($0) + "\n" }
    }
  }

  /// The conversation id of a transcript line (they all carry one).
  static func conversation(_ line: String) -> String {
    let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    return object?["conversation"] as? String ?? ""
  }

  @Test func outputIsTheSameWhateverTheOrderGroupingJobsAndMemoryLimit() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let lines = try Self.transcriptLines()
    let reference = try PolicycBinary.run(
      ["eval"] + Self.policies + Self.asOf + Self.transcripts, cwd: repositoryRoot)
    #expect(reference.status == 0, "\(reference.stderr)")
    #expect(reference.stdout.split(separator: "\n").count > 60)
    #expect(reference.stdout.contains("\"rule\":\"effective_reply_rate\""))
    #expect(reference.stdout.contains("\"escalated_to\":\"major\""))

    var random = SystemRandomNumberGenerator()
    let shuffled = try Self.temporaryFile(lines.shuffled(using: &random), in: dir, name: "shuffled.jsonl")
    // Stable grouping keeps each conversation's line order, so event indexes stay the same.
    let grouped = try Self.temporaryFile(
      lines.enumerated().sorted {
        (Self.conversation($0.element), $0.offset) < (Self.conversation($1.element), $1.offset)
      }
      .map(\.element), in: dir, name: "grouped.jsonl")
    let variants: [[String]] = [
      [shuffled],
      [grouped, "--grouped"],
      [grouped, "--grouped", "--jobs", "2"],
      [shuffled, "--jobs", "1"],
      [shuffled, "--jobs", "2"],
      [shuffled, "--jobs=3", "--memory-limit", "2000"],
      [grouped, "--memory-limit=1"],
    ]
    for variant in variants {
      let result = try PolicycBinary.run(["eval"] + Self.policies + Self.asOf + variant, cwd: repositoryRoot)
      #expect(result.status == 0, "\(variant): \(result.stderr)")
      #expect(result.stdout == reference.stdout, "\(variant) gives other verdicts")
    }
  }

  @Test func aTenMegabyteTextIsEvaluatedWithOffsetsIntoTheOriginalText() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let filler = String(repeating: "好的亲这个有货的", count: 10 * 1024 * 1024 / 24)
    let scalars = filler.unicodeScalars.count
    let line =
      "{\"conversation\":\"big\",\"shop\":\"s-1\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"seller\","
      + "\"text\":\"\(filler)加我微信 abc_123\"}\n"
    #expect(line.utf8.count > 10_000_000)
    let path = try Self.temporaryFile([line], in: dir, name: "big.jsonl")
    let result = try PolicycBinary.run(
      ["eval", "--policy", "Policies/pinduoduo.policy"] + Self.asOf + [path], cwd: repositoryRoot)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\"rule\":\"third_party_info\""))
    #expect(result.stdout.contains("\"start\":\(scalars + 2)"))
    let limited = try PolicycBinary.run(
      ["eval", "--policy", "Policies/pinduoduo.policy", "--max-line", "1M", "--stats"] + Self.asOf + [path],
      cwd: repositoryRoot)
    #expect(limited.status == 2)
    #expect(limited.stdout.isEmpty)
    #expect(limited.stderr.contains("big.jsonl:1: error: line is \(line.utf8.count - 1) bytes"))
    #expect(limited.stderr.contains("line_too_long: 1"))
  }

  @Test func aCompiledProgramJudgesLikeItsPolicy() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let programs = ["pinduoduo", "aliexpress"].map { dir.appendingPathComponent("\($0).plp").path }
    for (name, path) in zip(["pinduoduo", "aliexpress"], programs) {
      let built = try PolicycBinary.run(
        ["build", "Policies/\(name).policy", "-o", path], cwd: repositoryRoot)
      #expect(built.status == 0, "\(built.stderr)")
    }
    let fromSource = try PolicycBinary.run(
      ["eval"] + Self.policies + Self.asOf + Self.transcripts, cwd: repositoryRoot)
    let fromPrograms = try PolicycBinary.run(
      ["eval", "--program", programs[0], "--program", programs[1]] + Self.asOf + Self.transcripts,
      cwd: repositoryRoot)
    #expect(fromPrograms.status == 0, "\(fromPrograms.stderr)")
    #expect(fromPrograms.stdout == fromSource.stdout)
  }

  @Test func byteCountsTakeSuffixes() {
    #expect(EvalCommand.byteCount("1024") == 1024)
    #expect(EvalCommand.byteCount("2K") == 2048)
    #expect(EvalCommand.byteCount("1g") == 1 << 30)
    #expect(EvalCommand.byteCount("") == nil)
    #expect(EvalCommand.byteCount("-5") == nil)
    #expect(EvalCommand.byteCount("9999999999999999999G") == nil)
  }
}
