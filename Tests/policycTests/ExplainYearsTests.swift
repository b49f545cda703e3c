import Foundation
import Testing

/// `explain --conversation` never writes a time outside years 0001-9999 in the policy's zone: an
/// `--as-of` beyond them is a usage error, and an event beyond them is an unreadable line.
@Suite struct ExplainYearsTests {
  static let arguments = [
    "explain", "--policy", "Policies/pinduoduo.policy", "-", "--conversation", "q-1",
  ]

  @Test func anAsOfOutsideTheYearsIsAUsageError() throws {
    let line = #"{"conversation":"q-1","at":"2026-11-20T10:00:00+08:00","from":"buyer","text":"在吗"}"#
    let result = try PolicycBinary.run(
      Self.arguments + ["--as-of", "9999-12-31T23:59:59-05:00"], stdin: Data((line + "\n").utf8),
      cwd: repositoryRoot)
    #expect(result.status == 64)
    #expect(result.stderr.contains("--as-of falls outside years 0001-9999 in Asia/Shanghai"))
  }

  @Test func anEventOutsideTheYearsIsNotShown() throws {
    let lines = [
      #"{"conversation":"q-1","at":"9999-12-31T23:59:59Z","from":"seller","text":"加我微信 abc_123"}"#,
      #"{"conversation":"q-1","at":"9999-12-31T10:00:00+08:00","from":"buyer","text":"在吗"}"#,
    ]
    let result = try PolicycBinary.run(
      Self.arguments + ["--as-of", "9999-12-31T12:00:00+08:00"],
      stdin: Data(lines.joined(separator: "\n").utf8), cwd: repositoryRoot)
    #expect(result.status == 2)
    #expect(!result.stdout.contains("10000-"))
    #expect(result.stdout.contains("#0  9999-12-31 10:00:00  buyer  在吗"))
    #expect(result.stderr.contains("1 lines could not be read"))
  }
}
