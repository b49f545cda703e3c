import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite struct LineReaderTests {
  /// Every line of a file as (number, text or marker).
  func lines(_ bytes: [UInt8], maxLine: Int = LineReader.defaultMaxLineLength) throws -> [(Int, String)] {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lr-\(UUID().uuidString).jsonl")
    try Data(bytes).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let reader = try LineReader(path: url.path, maxLineLength: maxLine)
    var out: [(Int, String)] = []
    while let line = try reader.next() {
      switch line.content {
      case .text(let b): out.append((line.number, String(decoding: b, as: UTF8.self)))
      case .blank: out.append((line.number, "<blank>"))
      case .tooLong(let n): out.append((line.number, "<too long \(n)>"))
      }
    }
    return out
  }

  func render(_ l: [(Int, String)]) -> [String] { l.map { "\($0.0):\($0.1)" } }

  @Test func splitsLinesCRLFBOMAndBlanks() throws {
    let text = "\u{FEFF}{\"a\":1}\r\n\n  \t\r\n{\"b\":2}\n\r\n{\"c\":3}"
    #expect(
      render(try lines(Array(text.utf8))) == [
        "1:{\"a\":1}", "2:<blank>", "3:<blank>", "4:{\"b\":2}", "5:<blank>", "6:{\"c\":3}",
      ])
  }

  @Test func bomOnlyAtTheStartOfTheFile() throws {
    let text = "x\n\u{FEFF}y\n"
    #expect(render(try lines(Array(text.utf8))) == ["1:x", "2:\u{FEFF}y"])
  }

  @Test func emptyFile() throws {
    #expect(try lines([]).isEmpty)
    #expect(render(try lines([0x0A])) == ["1:<blank>"])
  }

  @Test func tooLongLinesAreReportedAndSkipped() throws {
    let long = String(repeating: "x", count: 3_000_000)
    let text = "{\"a\":1}\n" + long + "\r\n" + "12345\n123456\n" + long + "\n{\"b\":2}"
    #expect(
      render(try lines(Array(text.utf8), maxLine: 5))
        == [
          "1:<too long 7>", "2:<too long 3000000>", "3:12345", "4:<too long 6>", "5:<too long 3000000>",
          "6:<too long 7>",
        ])
    #expect(render(try lines(Array(text.utf8), maxLine: 2_999_999))[1] == "2:<too long 3000000>")
    let fitting = try lines(Array(text.utf8), maxLine: 3_000_000)
    #expect(fitting.count == 6 && fitting[1].1.count == 3_000_000 && fitting[4].1.count == 3_000_000)
  }

  @Test func manyLinesAcrossChunks() throws {
    var text = ""
    for k in 1...100_000 { text += "{\"n\":\(k),\"t\":\"在吗\"}\n" }
    let got = try lines(Array(text.utf8))
    #expect(got.count == 100_000)
    #expect(got.last?.1 == "{\"n\":100000,\"t\":\"在吗\"}")
    #expect(got.enumerated().allSatisfy { $0.element.0 == $0.offset + 1 })
  }

  @Test func unreadableFileIsATypedError() {
    #expect(throws: InputError.self) { try LineReader(path: "/nonexistent/events.jsonl") }
    #expect(throws: InputError.self) { try LineReader(path: "/tmp") }
    let error = InputError.cannotOpen(name: "x.jsonl", reason: "No such file or directory")
    #expect(error.description == "cannot open x.jsonl: No such file or directory")
  }

  @Test func statsBalanceAndRender() {
    var stats = EvalStats()
    stats.linesRead = 6
    stats.blankSkipped = 1
    stats.evaluated = 3
    stats.reject(.missingAt)
    stats.reject(.badTime)
    stats.verdictsWritten = 2
    #expect(stats.isBalanced)
    Golden.check(stats.rendered, against: "events/stats.txt")
  }
}
