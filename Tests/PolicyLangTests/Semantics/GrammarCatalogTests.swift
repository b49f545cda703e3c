import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Grammar.md section 7 lists every diagnostic code; the table is generated from
/// `DiagnosticCode.all` and this test fails when the two disagree.
@Suite("Grammar.md diagnostics catalogue")
struct GrammarCatalogTests {
  static let grammar = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Grammar.md")
  static let begin = "<!-- BEGIN diagnostics catalogue"
  static let end = "<!-- END diagnostics catalogue -->"

  /// The first line of a code's example, from its explanation's `Example:` paragraph.
  static func example(of code: DiagnosticCode) -> String {
    let lines = code.explanation.english.split(separator: "\n", omittingEmptySubsequences: false)
    guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "Example:" })
    else { return "" }
    for line in lines[(start + 1)...] {
      let text = line.trimmingCharacters(in: .whitespaces)
      if !text.isEmpty { return text }
    }
    return ""
  }

  /// Inline code that survives backticks and `|` inside a Markdown table cell.
  static func cell(code text: String) -> String {
    guard !text.isEmpty else { return "" }
    let escaped = text.replacingOccurrences(of: "|", with: "\\|")
    return text.contains("`") ? "`` \(escaped) ``" : "`\(escaped)`"
  }

  static func table() -> String {
    var lines = [
      "| code | severity | title | 标题 | example |",
      "|---|---|---|---|---|",
    ]
    for code in DiagnosticCode.all {
      let title = code.title.english.replacingOccurrences(of: "|", with: "\\|")
      let zh = code.title.chinese.replacingOccurrences(of: "|", with: "\\|")
      lines.append(
        "| \(code.id) | \(code.defaultSeverity.rawValue) | \(title) | \(zh) | "
          + "\(cell(code: example(of: code))) |"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test func grammarListsEveryCode() throws {
    let text = try String(contentsOf: Self.grammar, encoding: .utf8)
    let start = try #require(text.range(of: Self.begin), "Grammar.md has no catalogue marker")
    let afterBegin = try #require(text.range(of: "-->\n", range: start.upperBound..<text.endIndex))
    let stop = try #require(text.range(of: Self.end, range: afterBegin.upperBound..<text.endIndex))
    let current = String(text[afterBegin.upperBound..<stop.lowerBound])
    let wanted = Self.table()
    if Golden.recording && current != wanted {
      let updated = text.replacingCharacters(in: afterBegin.upperBound..<stop.lowerBound, with: wanted)
      try Data(updated.utf8).write(to: Self.grammar)
      Issue.record("rewrote the diagnostics catalogue in Grammar.md")
      return
    }
    #expect(current == wanted, "Grammar.md section 7 is out of date; run with POLICYLANG_RECORD=1")
  }

  @Test func everyCheckerCodeHasAnExample() {
    for code in DiagnosticCode.semanticCatalog + DiagnosticCode.lintCatalog {
      #expect(!Self.example(of: code).isEmpty, "\(code.id)")
    }
  }
}
