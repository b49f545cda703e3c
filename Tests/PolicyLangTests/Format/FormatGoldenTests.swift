import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// `testdata/format/NAME.input.policy` formats to `NAME.golden.policy`, and the golden file is
/// itself canonical.
@Suite("Formatter golden files")
struct FormatGoldenTests {
  static let inputs = Golden.inputs("format", ext: "input.policy")

  @Test("there are golden cases")
  func casesExist() {
    #expect(Self.inputs.count >= 10)
  }

  @Test(arguments: inputs)
  func golden(_ name: String) throws {
    let bytes = try #require(Golden.readBytes("format/" + name))
    let source = SourceFile(id: FileID(0), name: name, bytes: bytes)
    let result = PolicyFormatter.format(source)
    let text = try #require(
      result.text, "\(name) does not parse: \(String(describing: result.diagnostics?.items))")
    let base = String(name.dropLast(".input.policy".count))
    Golden.check(text, against: "format/\(base).golden.policy")
    #expect(FormatCheck.format(text) == text, "the golden file of \(name) is not canonical")
    #expect(FormatCheck.problems(text).isEmpty)
    let inputText = String(decoding: bytes, as: UTF8.self)
    #expect(FormatCheck.comments(inputText) == FormatCheck.comments(text))
  }

  @Test("a file with syntax errors is not formatted")
  func syntaxErrors() {
    let result = PolicyFormatter.format(FormatCheck.source("rule x \"t\" { severity = minor }\n"))
    #expect(result.text == nil)
    #expect(result.diagnostics?.hasErrors == true)
    #expect(result.changes(FormatCheck.source("")) == false)
  }

  @Test("empty and comment-only files")
  func emptyFiles() {
    #expect(FormatCheck.format("") == "")
    #expect(FormatCheck.format("\n\n  \n") == "")
    #expect(FormatCheck.format("# only\n\n\n# comments   \n") == "# only\n\n# comments\n")
  }

  @Test("changes(_:) tells a canonical file from one that is not")
  func changes() {
    let canonical = FormatCheck.source("const a = 1\n")
    #expect(PolicyFormatter.format(canonical).changes(canonical) == false)
    let loose = FormatCheck.source("const   a = 1")
    #expect(PolicyFormatter.format(loose).changes(loose))
  }
}

@Suite("Grammar.md section 8")
struct FormatGrammarSectionTests {
  @Test("the examples of section 8 are in canonical form")
  func examplesAreCanonical() throws {
    let url = FormatCheck.root.appendingPathComponent("Grammar.md")
    let text = try String(contentsOf: url, encoding: .utf8)
    let section = try #require(text.range(of: "## 8. Formatting"))
    let blocks = text[section.upperBound...].components(separatedBy: "```policy\n").dropFirst()
      .compactMap { $0.components(separatedBy: "```").first }
    #expect(blocks.count >= 2)
    for block in blocks {
      #expect(FormatCheck.format(block) == block)
    }
  }
}
