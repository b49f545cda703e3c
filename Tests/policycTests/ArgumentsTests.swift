import Foundation
import Testing

@testable import policyc

@Suite struct ArgumentsTests {
  @Test func optionsTakeValuesEitherWayAndMayFollowFiles() throws {
    let parsed = try parseArguments(
      ["a.jsonl", "--as-of=2026-11-20T00:00:00Z", "--policy", "p.policy", "-", "--stats"],
      for: Commands.eval)
    #expect(parsed.positionals == ["a.jsonl", "-"])
    #expect(parsed.value("--as-of") == "2026-11-20T00:00:00Z")
    #expect(parsed.all("--policy") == ["p.policy"])
    #expect(parsed.has("--stats"))
  }

  @Test func repeatableOptionsCollectEveryValue() throws {
    let parsed = try parseArguments(
      ["--policy", "a", "--program", "b", "--policy=c"], for: Commands.eval)
    #expect(parsed.all("--policy") == ["a", "c"])
    #expect(parsed.all("--program") == ["b"])
  }

  @Test func doubleDashEndsOptions() throws {
    let parsed = try parseArguments(["--", "--stats"], for: Commands.eval)
    #expect(parsed.positionals == ["--stats"])
    #expect(!parsed.has("--stats"))
  }

  @Test(arguments: [
    (["--bogus"], "unknown option `--bogus`"),
    (["--as-of"], "needs a value"),
    (["--stats=yes"], "takes no value"),
    (["--as-of", "a", "--as-of", "b"], "given twice"),
    (["--as-off", "x"], "did you mean `--as-of`"),
  ])
  func usageErrorsSayWhatIsWrong(arguments: [String], message: String) {
    do {
      _ = try parseArguments(arguments, for: Commands.eval)
      Issue.record("expected a usage error for \(arguments)")
    } catch {
      #expect(error.message.english.contains(message))
    }
  }

  @Test func exitStatusPrecedenceFollowsIoMd() {
    #expect(ExitStatus.combine([1, 2]) == 2)
    #expect(ExitStatus.combine([2, 65, 66]) == 66)
    #expect(ExitStatus.combine([1, 70]) == 70)
    #expect(ExitStatus.combine([]) == 0)
  }

  @Test func everyOptionHasHelpInBothLanguages() {
    for spec in Commands.all {
      for option in spec.options {
        #expect(!option.help.english.isEmpty && !option.help.chinese.isEmpty, "\(option.name)")
      }
      #expect(!spec.summary.chinese.isEmpty)
    }
  }
}

@Suite struct DispatchTests {
  /// Every command of the table has a handler: none answers with the internal error (70).
  @Test(arguments: Commands.all.map(\.name))
  func everyCommandIsDispatched(_ name: String) throws {
    let result = try PolicycBinary.run([name])
    #expect(result.status != 70, "\(name): \(result.stderr)")
    #expect(!result.stderr.contains("has no handler"))
  }
}

@Suite struct ChineseUsageMessagesTests {
  /// Usage mistakes are explained in Chinese under `--lang zh` and in English by default.
  @Test(arguments: [
    ["check"], ["check", "--format", "xml", "a.policy"], ["check", "--dump", "ir", "a.policy"],
    ["build"], ["build", "--dump", "asm", "a.policy"], ["test"], ["fmt"], ["eval"],
    ["explain", "--policy", "a.policy"],
  ])
  func usageErrorsSpeakChinese(_ arguments: [String]) throws {
    let zh = try PolicycBinary.run(arguments + ["--lang", "zh"], stdin: Data())
    #expect(zh.status == 64, "\(arguments)")
    #expect(zh.stderr.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(zh.stderr)")
    let en = try PolicycBinary.run(arguments, stdin: Data())
    #expect(!en.stderr.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(en.stderr)")
  }
}
