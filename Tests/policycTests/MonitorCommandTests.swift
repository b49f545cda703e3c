// `policyc monitor` as a live pipe: each verdict leaves before the next line is read; stopped by
// SIGTERM it checkpoints, and a restart on the rest of the stream repeats and loses nothing;
// killed by SIGKILL, a restart from its last checkpoint and a replay of the stream loses nothing
// and repeats only verdicts found after that checkpoint, byte for byte.

import Foundation
import Synchronization
import Testing

@Suite(.serialized) struct MonitorCommandTests {
  static let policy = ["--policy", "Policies/pinduoduo.policy"]

  /// The busy day's events in time order, as a live feed has them.
  static func feed() throws -> [String] {
    let text = try String(
      contentsOf: repositoryRoot.appendingPathComponent("Examples/transcripts/pinduoduo-busy-day.jsonl"),
      encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    return lines.enumerated().sorted { a, b in
      (Self.time(of: a.element), a.offset) < (Self.time(of: b.element), b.offset)
    }.map(\.element)
  }

  static func time(of line: String) -> String {
    guard let range = line.range(of: "\"at\":\"") else { return "" }
    return String(line[range.upperBound...].prefix(25))
  }

  static func temporaryFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// The whole feed through one monitor: the verdicts every split run must give together.
  static func reference(_ feed: [String]) throws -> [String] {
    let result = try PolicycBinary.run(
      ["monitor"] + policy, stdin: Data(feed.map { $0 + "\n" }.joined().utf8), cwd: repositoryRoot)
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(separator: "\n").map(String.init)
  }

  @Test func aContentVerdictLeavesBeforeTheNextLineIsRead() throws {
    let monitor = try LiveMonitor(["monitor"] + Self.policy)
    defer { monitor.stop(signal: SIGKILL) }
    let line =
      #"{"conversation":"c-1","shop":"s-1","at":"2026-11-25T10:00:00+08:00","from":"seller","text":"加我微信 abc12345 详聊"}"#
    monitor.write(line + "\n")
    let out = try #require(monitor.waitForLines(1, timeout: 20), "no verdict while the pipe stays open")
    #expect(out[0].contains("\"conversation\":\"c-1\""))
    // Nothing more is read or written: the verdict did not wait for input to end.
    #expect(monitor.lines().count == 1)
  }

  @Test func theRealClockReportsALateReplyAtItsDeadlineWhileNoEventComes() throws {
    let dir = try Self.temporaryFolder()
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
        expect human reply within 2s
      }

      """
    let path = dir.appendingPathComponent("demo.policy").path
    try Data(policy.utf8).write(to: URL(fileURLWithPath: path))
    let monitor = try LiveMonitor(["monitor", "--clock", "wall", "--policy", path])
    defer { monitor.stop(signal: SIGKILL) }
    let stamp = ISO8601DateFormatter().string(from: Date())
    let sent = try #require(ISO8601DateFormatter().date(from: stamp))
    monitor.write(#"{"conversation":"w-1","at":"\#(stamp)","from":"buyer","text":"在吗"}"# + "\n")
    // No other line comes: the timer alone must bring the verdict, about 2 s later.
    let out = try #require(monitor.waitForLines(1, timeout: 20), "the deadline passed unreported")
    #expect(Date().timeIntervalSince(sent) >= 2, "reported before its deadline")
    #expect(out[0].contains("\"rule\":\"reply\"") && out[0].contains("\"answered_at\":null"), "\(out)")
  }

  @Test func aStoppedMonitorRestartedOnTheRestLosesAndRepeatsNothing() throws {
    let dir = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    var feed = try Self.feed()
    // Stop after a line whose verdict shows that every earlier line was taken.
    let (cut, marker) = Self.mark(&feed, after: feed.count / 2)
    let reference = try Self.reference(feed)
    let state = dir.appendingPathComponent("live.state").path
    let first = try LiveMonitor(["monitor", "--state", state, "--checkpoint", "0"] + Self.policy)
    first.write(feed[...cut].map { $0 + "\n" }.joined())
    try #require(Self.waitFor(first, containing: marker), "the monitor did not judge the first half")
    let firstStatus = first.stop(signal: SIGTERM)
    #expect(firstStatus == 0)
    #expect(FileManager.default.fileExists(atPath: state), "SIGTERM did not checkpoint")
    let rest = try PolicycBinary.run(
      ["monitor", "--state", state] + Self.policy,
      stdin: Data(feed[(cut + 1)...].map { $0 + "\n" }.joined().utf8), cwd: repositoryRoot)
    #expect(rest.status == 0, "\(rest.stderr)")
    let together = first.lines() + rest.stdout.split(separator: "\n").map(String.init)
    #expect(together.sorted() == reference.sorted())
  }

  @Test func aKilledMonitorRestartedFromItsCheckpointLosesNothing() throws {
    let dir = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    var feed = try Self.feed()
    let (killed, secondMarker) = Self.mark(&feed, after: 2 * feed.count / 3)
    let (checkpointed, firstMarker) = Self.mark(&feed, after: feed.count / 3)
    let reference = try Self.reference(feed)
    let state = dir.appendingPathComponent("live.state").path
    let first = try LiveMonitor(["monitor", "--state", state, "--checkpoint", "0.2"] + Self.policy)
    first.write(feed[...checkpointed].map { $0 + "\n" }.joined())
    try #require(Self.waitFor(first, containing: firstMarker))
    // A checkpoint after the first third (the loop checkpoints when idle for 0.2 s).
    try #require(Self.waitForFile(state, timeout: 30), "no checkpoint was written")
    Thread.sleep(forTimeInterval: 0.5)
    first.write(feed[(checkpointed + 1)...(killed + 1)].map { $0 + "\n" }.joined())
    try #require(Self.waitFor(first, containing: secondMarker))
    _ = first.stop(signal: SIGKILL)
    // The restart replays the whole feed: what the checkpoint already judged is refused as late.
    let replay = try PolicycBinary.run(
      ["monitor", "--state", state] + Self.policy, stdin: Data(feed.map { $0 + "\n" }.joined().utf8),
      cwd: repositoryRoot)
    #expect(replay.status == 2, "late lines are error lines: \(replay.stderr.prefix(300))")
    #expect(
      !replay.stderr.isEmpty && replay.stderr.split(separator: "\n").allSatisfy { $0.contains("earlier run") }
    )
    let before = first.lines()
    let after = replay.stdout.split(separator: "\n").map(String.init)
    // Repeated verdicts are byte-identical, so a set de-duplicates them.
    #expect(Set(before + after) == Set(reference))
    #expect(before.count + after.count >= reference.count)
    let repeated = Set(before).intersection(after)
    #expect(repeated.count == before.count + after.count - reference.count)
  }

  /// Inserts after line `k` a seller message at the same instant that draws a content verdict at
  /// once: seeing its verdict proves every line up to it was taken. Returns the marker's index and
  /// the text its verdict contains.
  static func mark(_ feed: inout [String], after k: Int) -> (Int, String) {
    let id = "marker-\(k)"
    feed.insert(
      #"{"conversation":"\#(id)","shop":"s-m","at":"\#(time(of: feed[k]))","from":"seller","text":"加我微信 abc12345"}"#,
      at: k + 1)
    return (k + 1, "\"conversation\":\"\(id)\"")
  }

  static func waitFor(_ monitor: LiveMonitor, containing text: String) -> Bool {
    let end = Date().addingTimeInterval(30)
    while Date() < end {
      if monitor.lines().contains(where: { $0.contains(text) }) { return true }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return false
  }

  static func waitForFile(_ path: String, timeout: Double) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
      if FileManager.default.fileExists(atPath: path) { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return false
  }
}

/// A `policyc monitor` process fed through a pipe, its output collected as it comes.
final class LiveMonitor: Sendable {
  private let process: Process
  private let input: Pipe
  private let output = Collected()

  /// Bytes written by the process, appended from the pipe's reading thread.
  final class Collected: Sendable {
    let bytes = Mutex<[UInt8]>([])
  }

  init(_ arguments: [String]) throws {
    process = Process()
    process.executableURL = PolicycBinary.url
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    input = Pipe()
    let out = Pipe()
    process.standardInput = input
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    let output = self.output
    out.fileHandleForReading.readabilityHandler = { handle in
      let data = handle.availableData
      output.bytes.withLock { $0 += data }
    }
    try process.run()
  }

  func write(_ text: String) {
    input.fileHandleForWriting.write(Data(text.utf8))
  }

  func lines() -> [String] {
    output.bytes.withLock { String(decoding: $0, as: UTF8.self) }.split(separator: "\n").map(String.init)
  }

  func waitForLines(_ count: Int, timeout: Double) -> [String]? {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
      let now = lines()
      if now.count >= count { return now }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return nil
  }

  func waitFor(_ line: String, timeout: Double) -> [String]? {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
      let now = lines()
      if now.contains(line) { return now }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return nil
  }

  /// Sends `signal`, waits for the exit; the exit status (or the signal number for a kill).
  @discardableResult
  func stop(signal: Int32) -> Int32 {
    guard process.isRunning else { return process.terminationStatus }
    kill(process.processIdentifier, signal)
    // A monitor that ignores the signal fails the test instead of hanging it.
    let end = Date().addingTimeInterval(20)
    while process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      return -1
    }
    // What the monitor wrote before it stopped is all in the pipe by now.
    Thread.sleep(forTimeInterval: 0.1)
    return process.terminationStatus
  }
}
