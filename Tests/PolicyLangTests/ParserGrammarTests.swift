import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Every ```policy block of Grammar.md parses without a diagnostic.
@Suite struct ParserGrammarTests {
  static let grammar: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Grammar.md")

  static func policyBlocks() -> [String] {
    guard let text = try? String(contentsOf: grammar, encoding: .utf8) else { return [] }
    var blocks: [String] = []
    var current: [Substring]?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if current == nil {
        if line.trimmingCharacters(in: .whitespaces) == "```policy" { current = [] }
      } else if line.trimmingCharacters(in: .whitespaces) == "```" {
        blocks.append((current ?? []).joined(separator: "\n") + "\n")
        current = nil
      } else {
        current?.append(line)
      }
    }
    return blocks
  }

  @Test func grammarHasPolicyBlocks() {
    #expect(Self.policyBlocks().count >= 10)
  }

  @Test(arguments: Array(policyBlocks().indices))
  func blockParsesCleanly(_ index: Int) {
    let block = Self.policyBlocks()[index]
    let source = SourceFile(id: FileID(0), name: "Grammar.md#\(index)", text: block)
    let result = Parser.parse(source)
    var map = SourceMap()
    map.add(name: source.name, bytes: source.bytes)
    let rendered = DiagnosticRenderer().render(result.diagnostics, in: map)
    #expect(result.diagnostics.isEmpty, "\(rendered)")
    #expect(!result.file.declarations.isEmpty)
  }
}
