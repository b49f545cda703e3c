// `policyc eval` when its own storage fails or is missing, and when the input's lines disagree:
// each case was found by a hostile probe of an earlier build, which wrote wrong verdicts, dropped
// the memory limit without a word, or let file order decide a conflict.

import Foundation
import Testing

@testable import policyc

@Suite struct EvalStorageTests {
  static let policies = EvalCommandTests.policies
  static let asOf = EvalCommandTests.asOf

  /// The transcripts `copies` times over (each copy's conversations renamed), in an order that
  /// is not time order, so that a run keeps events to sort them.
  static func shuffledTranscripts(in dir: URL, copies: Int = 1) throws -> String {
    var random = Shuffle(state: 11)
    let transcript = try EvalCommandTests.transcriptLines()
    let lines = (0..<copies).flatMap { k in
      transcript.map {
        $0.replacingOccurrences(of: "{\"conversation\":\"", with: "{\"conversation\":\"\(k)-")
      }
    }
    return try EvalCommandTests.temporaryFile(lines.shuffled(using: &random), in: dir, name: "shuffled.jsonl")
  }

  /// A fixed shuffle, so that a failure can be run again.
  struct Shuffle: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state ^ (state >> 29)
    }
  }

  static func temporaryFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eval-storage-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func aFullDiskWritesNoVerdictAndSaysSo() throws {
    let dir = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    // About 2 MB of events: enough for every partition of the kept events to reach the disk.
    let input = try Self.shuffledTranscripts(in: dir, copies: 30)
    // A file size limit of 4 KiB is a disk that fills: writes past it fail with EFBIG (the
    // signal it would raise is ignored, as a full disk raises none). Standard output is a pipe,
    // which the limit does not touch.
    let script = "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\""
    let arguments =
      ["-c", script, PolicycBinary.url.path, "eval", "--stats", "--memory-limit", "1"]
      + Self.policies + Self.asOf + [input]
    for jobs in ["1", "2"] {
      let result = try PolicycBinary.run(
        arguments + ["--jobs", jobs], cwd: repositoryRoot, executable: URL(fileURLWithPath: "/bin/sh"),
        environment: ["TMPDIR": dir.path])
      #expect(result.status == 70, "--jobs \(jobs): \(result.stderr)")
      #expect(result.stdout.isEmpty, "--jobs \(jobs) wrote verdicts it could not have right")
      #expect(result.stderr.contains("run failed:"), "--jobs \(jobs): \(result.stderr)")
    }
  }

  @Test func aMissingTemporaryDirectoryIsReportedAndTheVerdictsStayRight() throws {
    let dir = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = try Self.shuffledTranscripts(in: dir)
    let reference = try PolicycBinary.run(["eval"] + Self.policies + Self.asOf + [input], cwd: repositoryRoot)
    #expect(reference.status == 0)
    for tmpdir in [dir.appendingPathComponent("missing").path, input] {
      let result = try PolicycBinary.run(
        ["eval", "--memory-limit", "1"] + Self.policies + Self.asOf + [input], cwd: repositoryRoot,
        environment: ["TMPDIR": tmpdir])
      #expect(result.status == 0, "TMPDIR=\(tmpdir): \(result.stderr)")
      #expect(result.stdout == reference.stdout, "TMPDIR=\(tmpdir) gives other verdicts")
      #expect(result.stderr.contains("--memory-limit"), "TMPDIR=\(tmpdir) dropped the limit silently")
      #expect(result.stderr.contains("TMPDIR"), "TMPDIR=\(tmpdir): the hint names TMPDIR")
    }
  }

  @Test func conflictingShopsAreDecidedByTimeNotByFileOrder() throws {
    let dir = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let lines = [
      #"{"conversation":"c-1","shop":"s-early","buyer":"b-1","at":"2026-11-20T10:00:00+08:00","from":"buyer","text":"在吗"}"#,
      #"{"conversation":"c-1","shop":"s-late","buyer":"b-1","at":"2026-11-20T10:05:00+08:00","from":"seller","text":"加我微信 abc_123"}"#,
      #"{"conversation":"c-1","at":"2026-11-20T10:06:00+08:00","from":"seller","text":"加我微信 abc_456"}"#,
    ].map { $0 + "\n" }
    let forward = try EvalCommandTests.temporaryFile(lines, in: dir, name: "forward.jsonl")
    let reversed = try EvalCommandTests.temporaryFile(lines.reversed(), in: dir, name: "reversed.jsonl")
    let policy = ["--policy", "Policies/pinduoduo.policy"]
    let a = try PolicycBinary.run(["eval"] + policy + Self.asOf + [forward], cwd: repositoryRoot)
    let b = try PolicycBinary.run(["eval"] + policy + Self.asOf + [reversed], cwd: repositoryRoot)
    #expect(a.status == 2 && b.status == 2, "\(a.stderr)\n\(b.stderr)")
    #expect(a.stdout == b.stdout)
    #expect(a.stdout.contains("\"shop\":\"s-early\""))
    #expect(!a.stdout.contains("s-late"))
    // The refused line is the later one in time, wherever it is in the file.
    #expect(a.stderr.contains("forward.jsonl:2:"), "\(a.stderr)")
    #expect(b.stderr.contains("reversed.jsonl:2:"), "\(b.stderr)")
  }
}
