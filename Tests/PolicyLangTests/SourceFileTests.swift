import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite struct SourceFileTests {
  @Test func lineAndColumnCountScalarsAndAllLineEnds() {
    let file = SourceFile(id: FileID(0), name: "t", text: "ab\r\n中文x\rz\n")
    #expect(file.lineStarts == [0, 4, 12, 14])
    #expect(file.location(of: 0) == SourceLocation(line: 1, column: 1))
    #expect(file.location(of: 10) == SourceLocation(line: 2, column: 3))
    #expect(file.location(of: 12) == SourceLocation(line: 3, column: 1))
    #expect(Array(file.lineBytes(1)) == Array("中文x".utf8))
  }

  @Test func cjkCellsAreTwoWide() {
    #expect(DiagnosticRenderer.cellWidth("中") == 2)
    #expect(DiagnosticRenderer.cellWidth("a") == 1)
    #expect(DiagnosticRenderer.cellWidth("\u{200B}") == 0)
  }
}
