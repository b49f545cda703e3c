import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Every diagnostic the golden cases raise is written in Chinese too: its message, labels, notes
/// and help each hold Chinese text (names and code in backticks stay as written).
@Suite struct ChineseMessagesTests {
  /// Chinese text, or nothing but quoted code (a label that only quotes `from buyer`).
  static func hasChinese(_ text: String) -> Bool {
    let prose = text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
      .filter { $0.offset % 2 == 0 }.map(\.element).joined()
    if prose.allSatisfy({ $0.isWhitespace || $0.isPunctuation }) { return true }
    return containsCJK(text)
  }

  static func containsCJK(_ text: String) -> Bool {
    text.unicodeScalars.contains {
      (0x4E00...0x9FFF).contains($0.value) || (0x3000...0x303F).contains($0.value)
    }
  }

  static var cases: [String] {
    let base = Golden.testdata.appendingPathComponent("diagnostics")
    let dirs = ["syntax", "semantics"]
    return dirs.flatMap { dir in
      Golden.inputs("diagnostics/\(dir)", ext: "policy").map { "\(dir)/\($0)" }
    }.filter { FileManager.default.fileExists(atPath: base.appendingPathComponent($0).path) }
  }

  @Test func goldenCasesExist() {
    #expect(Self.cases.count > 40)
  }

  @Test(arguments: cases)
  func everyMessageHasAChineseText(_ path: String) {
    let dir = Golden.testdata.appendingPathComponent("diagnostics").path
    let result = PolicyChecker.check(path: path, provider: DiskSourceProvider(baseDirectory: dir))
    for d in result.diagnostics {
      #expect(Self.hasChinese(d.message.chinese), "\(path) \(d.code.id): \(d.message.chinese)")
      for label in d.labels {
        #expect(
          Self.hasChinese(label.message.chinese), "\(path) \(d.code.id) label: \(label.message.chinese)")
      }
      for note in d.notes {
        #expect(Self.hasChinese(note.chinese), "\(path) \(d.code.id) note: \(note.chinese)")
      }
      if let help = d.help {
        #expect(Self.hasChinese(help.chinese), "\(path) \(d.code.id) help: \(help.chinese)")
      }
    }
  }
}
