// The shipped word lists (Policies/common/*.txt and the policies' own lists): evidence names the
// phrase that matched, every list file states its format, and ordinary seller messages full of
// look-alike words break no content rule of either shipped policy.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangText

@Suite("Shipped word lists")
struct ShippedListTests {
  static let policies = ["pinduoduo", "aliexpress"]

  static func compiled(_ name: String) throws -> CompiledPolicy {
    try CompiledPolicy(
      policyAt: "Policies/\(name).policy",
      provider: DiskSourceProvider(baseDirectory: ShippedPolicyTests.root))
  }

  /// The lines of a testdata file that are neither blank nor comments.
  static func lines(_ path: String) throws -> [String] {
    let text = try #require(Golden.read(path), "missing testdata/\(path)")
    return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
  }

  /// A phrase that a list used to join to another phrase with `|` is reported as its own term:
  /// the term of a match is the first spelling of its entry, as `MessageContext.evidence` writes it.
  @Test func splitPhrasesAreReportedAsThemselves() throws {
    let cases = try Self.lines("shipped/own-terms.txt").map { line in
      let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
      return (list: parts.first ?? "", phrase: parts.count > 1 ? parts[1] : "")
    }
    #expect(cases.count > 400)
    let programs = try Self.policies.map { try Self.compiled($0).program }
    let matchers = programs.map { AutomatonTextMatcher(request: $0.textRequest) }
    for (list, phrase) in cases {
      guard let p = programs.firstIndex(where: { $0.ir.lists.contains { $0.name == list } }),
        let slot = programs[p].ir.lists.firstIndex(where: { $0.name == list })
      else {
        Issue.record("no shipped policy uses list \(list)")
        continue
      }
      let entries = programs[p].ir.lists[slot].entries
      let matches = matchers[p].match(phrase)
      let terms = matches.matches(inList: slot).map {
        entries.indices.contains($0.entry) ? entries[$0.entry].first : nil
      }
      #expect(terms == [phrase], "\(list): \(phrase)")
    }
  }

  /// The same through a verdict: the issue's example.
  @Test func verdictEvidenceNamesThePhrase() throws {
    let policy = try Self.compiled("aliexpress")
    let message = Fixture.message(.seller, "2026-11-20 10:07", "国家级品质")
    let evidence = policy.evaluate(message: message).flatMap { $0.evidence ?? [] }
    #expect(evidence.map(\.term) == ["国家级"])
  }

  /// Every list file says what `|` is for, so whoever adds a line knows.
  @Test func everyListFileStatesTheRule() throws {
    let common = URL(fileURLWithPath: ShippedPolicyTests.root).appendingPathComponent("Policies/common")
    let names = try FileManager.default.contentsOfDirectory(atPath: common.path).filter {
      $0.hasSuffix(".txt")
    }
    #expect(names.count > 20)
    for name in names {
      let text = try String(contentsOf: common.appendingPathComponent(name), encoding: .utf8)
      #expect(text.contains("# One phrase a line. `|` joins only spellings of that same phrase"), "\(name)")
    }
  }

  /// Ordinary seller messages (testdata/shipped/ordinary-seller-messages.txt) give no verdict of
  /// any message rule in either shipped policy.
  @Test(arguments: policies)
  func ordinaryMessagesBreakNoContentRule(_ name: String) throws {
    let policy = try Self.compiled(name)
    let texts = try Self.lines("shipped/ordinary-seller-messages.txt")
    #expect(texts.count > 100)
    for text in texts {
      let verdicts = policy.evaluate(message: Fixture.message(.seller, "2026-11-20 10:00", text))
      #expect(verdicts.isEmpty, "\(name): \(text) -> \(verdicts.map(\.rule))")
    }
  }
}
