import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Golden files: `testdata/syntax/*.policy` dump to `*.ast` with no diagnostics, and
/// `testdata/diagnostics/syntax/<CODE>-*.policy` render (English) to `*.out`.
@Suite struct ParserGoldenTests {
  static func parse(_ path: String) -> (SourceFile, ParseResult, SourceMap) {
    let bytes = Golden.readBytes(path) ?? []
    var map = SourceMap()
    let id = map.add(name: path, bytes: bytes)
    let source = SourceFile(id: id, name: path, bytes: bytes)
    return (source, Parser.parse(source), map)
  }

  @Test func goldenInputsExist() {
    #expect(Golden.inputs("syntax", ext: "policy").count >= 4)
    #expect(Golden.inputs("diagnostics/syntax", ext: "policy").count >= 19)
  }

  @Test(arguments: Golden.inputs("syntax", ext: "policy"))
  func astDump(_ name: String) {
    let (source, result, map) = Self.parse("syntax/" + name)
    let rendered = DiagnosticRenderer().render(result.diagnostics, in: map)
    #expect(result.diagnostics.isEmpty, "\(rendered)")
    let dump = ASTDump.dump(result.file, source: source)
    Golden.check(dump, against: "syntax/" + name.dropLast("policy".count) + "ast")
  }

  @Test(arguments: Golden.inputs("diagnostics/syntax", ext: "policy"))
  func renderedDiagnostics(_ name: String) {
    let (_, result, map) = Self.parse("diagnostics/syntax/" + name)
    let code = String(name.prefix(5))
    #expect(result.diagnostics.contains { $0.code.id == code }, "no \(code) in \(name)")
    let rendered = DiagnosticRenderer(language: .english).render(result.diagnostics, in: map)
    Golden.check(rendered, against: "diagnostics/syntax/" + name.dropLast("policy".count) + "out")
  }

  @Test func everyLexicalAndSyntaxCodeHasACase() {
    let cases = Set(Golden.inputs("diagnostics/syntax", ext: "policy").map { String($0.prefix(5)) })
    for code in DiagnosticCode.lexicalCatalog + DiagnosticCode.syntaxCatalog {
      #expect(cases.contains(code.id), "no golden case for \(code.id)")
    }
  }

  @Test func catalogsAreCompleteAndBilingual() {
    let codes = DiagnosticCode.lexicalCatalog + DiagnosticCode.syntaxCatalog
    #expect(Set(codes.map(\.id)).count == codes.count)
    for code in codes {
      #expect(code.id.hasPrefix("E01") || code.id.hasPrefix("E02"))
      #expect(!code.title.english.isEmpty && !code.title.chinese.isEmpty)
      #expect(code.explanation.english.contains("Example") && code.explanation.english.contains("Fix"))
      #expect(code.explanation.chinese.contains("示例") && code.explanation.chinese.contains("修正"))
      #expect(DiagnosticCode.named(code.id) == code)
    }
  }
}
