import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// `testdata/diagnostics/semantics/<CODE>-name.policy` → `.out`: the rendered diagnostics of
/// checking the policy (libraries and word lists it names live in `lib/`).
@Suite("Checker diagnostics (golden)")
struct CheckerGoldenTests {
  static let directory = "diagnostics/semantics"
  static let inputs = Golden.inputs(directory, ext: "policy")

  @Test(arguments: inputs)
  func rendered(_ input: String) {
    let result = CheckFixtures.check(Self.directory, input)
    let stem = String(input.dropLast(".policy".count))
    Golden.check(CheckFixtures.render(result), against: "\(Self.directory)/\(stem).out")
    // The file's code is among what it reports, and a policy with errors is not produced.
    let code = String(stem.prefix(5))
    #expect(result.diagnostics.contains { $0.code.id == code }, "\(input) does not report \(code)")
    #expect((result.policy == nil) == result.diagnostics.hasErrors)
  }

  @Test(arguments: ["E0401-missing-unit", "E0506-never-fires", "E0303-import-cycle"])
  func renderedInChinese(_ stem: String) {
    let result = CheckFixtures.check(Self.directory, stem + ".policy")
    Golden.check(CheckFixtures.render(result, .chinese), against: "\(Self.directory)/\(stem).zh.out")
  }

  /// Codes the parser keeps from being written in a policy (it stops at 64 levels of nesting
  /// and requires `sanction`); unit tests with hand-built trees cover them.
  static let unreachableFromSource: Set<String> = ["E0504", "E0510"]

  @Test func everyCodeHasAGoldenCase() {
    let codes = DiagnosticCode.semanticCatalog + DiagnosticCode.lintCatalog
    for code in codes where !Self.unreachableFromSource.contains(code.id) {
      #expect(Self.inputs.contains { $0.hasPrefix(code.id + "-") }, "no golden case for \(code.id)")
    }
  }

  @Test func everyCodeIsExplainedInBothLanguages() {
    for code in DiagnosticCode.semanticCatalog + DiagnosticCode.lintCatalog {
      #expect(code.explanation.english.contains("Example:"), "\(code.id)")
      #expect(code.explanation.chinese.contains("示例"), "\(code.id)")
      #expect(code.explanation.english.contains("Fix:"), "\(code.id)")
      #expect(!code.title.chinese.isEmpty, "\(code.id)")
      #expect(code.id.hasPrefix("W") == (code.defaultSeverity == .warning), "\(code.id)")
    }
  }
}
