import Foundation
import PolicyLang
import Testing

@testable import PolicyLangLanguageServer

/// UTF-16 positions against byte offsets, and incremental edits, checked against Swift's own
/// UTF-16 view of the same text.
@Suite struct DocumentTests {
  private let text = "ab\n中文😀x\r\n𠮷\rlast é"

  @Test(arguments: [
    // (line, character) → the text before that position on its line
    (0, 0, ""), (0, 2, "ab"), (1, 1, "中"), (1, 2, "中文"), (1, 4, "中文😀"), (1, 5, "中文😀x"),
    (2, 2, "𠮷"), (3, 5, "last "), (3, 6, "last é"),
  ])
  func positionsCountUTF16Units(_ line: Int, _ character: Int, _ before: String) {
    let file = SourceFile(id: FileID(0), name: "t", text: text)
    let offset = file.offset(of: TextPosition(line: line, character: character))
    let lineStart = file.lineStarts[line]
    #expect(Array(file.bytes[lineStart..<offset]) == Array(before.utf8))
    #expect(file.position(of: offset) == TextPosition(line: line, character: character))
  }

  @Test func positionsOutsideTheTextAreClamped() {
    let file = SourceFile(id: FileID(0), name: "t", text: text)
    // Past the end of a line: the line's end, before its CR LF.
    let lineEnd = file.offset(of: TextPosition(line: 1, character: 99))
    #expect(file.bytes[lineEnd] == 0x0D)
    // Inside the surrogate pair of 😀: the start of the character.
    #expect(
      file.offset(of: TextPosition(line: 1, character: 3))
        == file.offset(of: TextPosition(line: 1, character: 2)))
    // A line past the end: the end of the text.
    #expect(file.offset(of: TextPosition(line: 40, character: 0)) == file.bytes.count)
    // An offset inside a character counts from its start.
    #expect(file.position(of: file.lineStarts[1] + 1) == TextPosition(line: 1, character: 0))
  }

  @Test func everyScalarBoundaryRoundTrips() {
    let file = SourceFile(id: FileID(0), name: "t", text: text)
    var offset = 0
    for scalar in text.unicodeScalars {
      // Between the CR and LF of one line break there is no position.
      let insideLineBreak = offset > 0 && file.bytes[offset - 1] == 0x0D && file.bytes[offset] == 0x0A
      if !insideLineBreak { #expect(file.offset(of: file.position(of: offset)) == offset) }
      offset += String(scalar).utf8.count
    }
  }

  @Test func randomEditsMatchSwiftsUTF16View() {
    var random = SeededRandom(seed: 42)
    let alphabet: [String] = ["a", " ", "\n", "中", "😀", "𠮷", "é", "\"", "#", "rule ", "微信"]
    var document = OpenDocument(uri: "file:///t.policy", languageID: "policylang", version: 1, text: "")
    var model: [UInt16] = []
    for step in 0..<2000 {
      let lines = String(decoding: model, as: UTF16.self).split(
        separator: "\n", omittingEmptySubsequences: false)
      // A range on scalar boundaries, as an editor sends.
      func randomPosition() -> (TextPosition, Int) {
        let line = Int.random(in: 0..<lines.count, using: &random)
        let scalars = Array(lines[line].unicodeScalars)
        let count = Int.random(in: 0...scalars.count, using: &random)
        let character = scalars.prefix(count).reduce(0) { $0 + String($1).utf16.count }
        let lineStart = lines.prefix(line).reduce(0) { $0 + $1.utf16.count + 1 }
        return (TextPosition(line: line, character: character), lineStart + character)
      }
      var (start, startOffset) = randomPosition()
      var (end, endOffset) = randomPosition()
      if endOffset < startOffset {
        swap(&start, &end)
        swap(&startOffset, &endOffset)
      }
      let insertion = (0..<Int.random(in: 0..<3, using: &random)).map { _ in
        alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
      }.joined()
      document.apply(insertion, in: TextRange(start: start, end: end))
      model.replaceSubrange(startOffset..<endOffset, with: Array(insertion.utf16))
      #expect(document.text == String(decoding: model, as: UTF16.self), "step \(step)")
      if document.text != String(decoding: model, as: UTF16.self) { return }
    }
  }

  @Test func storeAppliesChangesInOrderAndSetsTheVersion() {
    var store = DocumentStore()
    store.open(
      OpenDocument(uri: "file:///a/./b/../c.policy", languageID: "policylang", version: 1, text: "中文\n"))
    #expect(store["file:///a/./b/../c.policy"]?.path == "/a/c.policy")
    let changed = store.change(
      "file:///a/./b/../c.policy", version: 7,
      changes: [
        DocumentChange(
          text: "😀", range: TextRange(start: .init(line: 0, character: 1), end: .init(line: 0, character: 1))),
        DocumentChange(
          text: "", range: TextRange(start: .init(line: 0, character: 0), end: .init(line: 0, character: 1))),
      ])
    #expect(changed)
    #expect(store["file:///a/./b/../c.policy"]?.text == "😀文\n")
    #expect(store["file:///a/./b/../c.policy"]?.version == 7)
    let changedOther = store.change("file:///other", version: 1, changes: [])
    #expect(!changedOther)
    #expect(store.bytesByPath["/a/c.policy"] == Array("😀文\n".utf8))
  }

  @Test func providerServesOpenDocumentsAndConfinesTheDisk() throws {
    let provider = WorkspaceSourceProvider(documents: ["/w/a.policy": Array("x".utf8)], root: "/w/")
    #expect(try provider.read("/w/a.policy", limit: 10).get() == Array("x".utf8))
    #expect(provider.read("/w/a.policy", limit: 0) == .failure(.tooLarge(bytes: 1)))
    #expect(provider.read("/w/missing.policy", limit: 10) == .failure(.missing))
    guard case .failure(.unreadable(let why)) = provider.read("/etc/passwd", limit: 10) else {
      Issue.record("a file outside the root was read")
      return
    }
    #expect(why.contains("outside the root directory `/w`"))
    #expect(!WorkspaceSourceProvider.path("/wx/a", isInside: "/w"))
    #expect(WorkspaceSourceProvider.path("/w/../w/a", isInside: "/w"))
  }
}
