import Foundation
import Synchronization
import Testing

@testable import PolicyLang
@testable import policyc

/// Runs the built `policyc` binary end to end.
enum PolicycBinary {
  static var url: URL {
    // The test bundle lives in .build/<config>/; the executable sits beside it.
    var dir = Bundle.main.bundleURL
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent("policyc")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      dir.deleteLastPathComponent()
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/policyc")
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(
    _ arguments: [String], stdin: Data? = nil, cwd: URL? = nil, executable: URL? = nil,
    environment: [String: String] = [:]
  ) throws -> Result {
    let process = Process()
    process.executableURL = executable ?? url
    process.arguments = arguments
    if let cwd { process.currentDirectoryURL = cwd }
    var env = ProcessInfo.processInfo.environment
    env["LANG"] = "C"
    env["LC_ALL"] = nil
    env["LC_MESSAGES"] = nil
    env.merge(environment) { _, new in new }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    // Standard error is drained on another thread while standard output is read: a process that
    // fills one pipe while the other is read to its end would block for ever.
    let errors = ErrorPipe()
    let drained = DispatchSemaphore(value: 0)
    let errorHandle = err.fileHandleForReading
    DispatchQueue.global().async {
      errors.set(errorHandle.readDataToEndOfFile())
      drained.signal()
    }
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    let e = errors.data
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }
}

/// Standard error's bytes, handed from the thread that drains them.
final class ErrorPipe: Sendable {
  private let bytes = Mutex<Data>(Data())

  func set(_ data: Data) { bytes.withLock { $0 = data } }
  var data: Data { bytes.withLock { $0 } }
}

@Suite struct DriverTests {
  @Test func unknownCommandIsAUsageError() throws {
    let result = try PolicycBinary.run(["frobnicate"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("unknown command"))
  }
}

@Suite struct ExplainTests {
  @Test func explainsEveryCodeInBothLanguages() throws {
    #expect(!DiagnosticCode.all.isEmpty)
    for code in DiagnosticCode.all {
      let en = ExplainCommand.render(code, language: .english)
      let zh = ExplainCommand.render(code, language: .chinese)
      #expect(en.hasPrefix(code.id) && en.count > 80, "\(code.id) english explanation is too thin")
      #expect(zh.hasPrefix(code.id) && zh != en, "\(code.id) has no Chinese explanation")
      #expect(code.explanation.english.lowercased().contains("example"), "\(code.id) has no example")
    }
  }

  @Test func explainCommandPrintsTheCodeAndRejectsUnknownOnes() throws {
    let ok = try PolicycBinary.run(["explain", "e0101"])
    #expect(ok.status == 0)
    #expect(ok.stdout.hasPrefix("E0101 (error): "))
    let zh = try PolicycBinary.run(["explain", "E0101", "--lang", "zh"])
    #expect(zh.stdout.contains("错误"))
    let bad = try PolicycBinary.run(["explain", "E9999"])
    #expect(bad.status == 64)
  }
}
