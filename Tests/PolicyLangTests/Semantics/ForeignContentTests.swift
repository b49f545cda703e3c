import Testing

@testable import PolicyLang

/// A file that is not a policy or word list is reported once, by name, and none of its lines is
/// shown; every file's diagnostics are rendered up to a bound, then counted in a summary line.
@Suite("Foreign content")
struct ForeignContentTests {
  static let header = "policy p \"测试\" {\n  zone Asia/Shanghai\n}\n"
  static let marker = TemporaryTree.marker

  static func check(_ files: [String: [UInt8]], root: String = "main.policy") -> CheckResult {
    PolicyChecker.check(path: root, provider: InMemorySourceProvider(bytes: files))
  }

  static func text(_ s: String) -> [UInt8] { Array(s.utf8) }

  /// `lines` lines shaped like /etc/passwd, each holding the marker.
  static func passwdLike(_ lines: Int) -> [UInt8] {
    text((0..<lines).map { "user\($0):x:\($0):\($0):\(marker):/home/u:/bin/sh\n" }.joined())
  }

  /// Files that are no policy, by name: their bytes (each holding the marker) and the reason given.
  static let foreignFiles: [String: (bytes: [UInt8], why: String)] = [
    "binary": ([UInt8(ascii: "a"), 0, 1, 2] + Array(marker.utf8), "NUL byte"),
    "GBK text": ([UInt8](repeating: 0xC4, count: 40) + Array(marker.utf8), "are not UTF-8"),
    "one long line": (
      Array(String(repeating: "x", count: PolicyLimits.maximumLineBytes + 1).utf8) + Array(marker.utf8),
      "line 1 is"
    ),
    "twenty errors": (passwdLike(30), "20 or more errors"),
  ]

  @Test(arguments: foreignFiles.keys.sorted())
  func anImportThatIsNoPolicyIsOneErrorWithoutItsLines(_ name: String) throws {
    let (bytes, why) = try #require(Self.foreignFiles[name])
    let result = Self.check([
      "main.policy": Self.text(Self.header + "import \"lib.policy\"\n"), "lib.policy": bytes,
    ])
    #expect(result.diagnostics.map(\.code.id) == ["E0003"], "\(name): \(everythingShown(result))")
    let diagnostic = try #require(result.diagnostics.items.first)
    #expect(diagnostic.message.english.hasPrefix("`lib.policy` is not a policy: "))
    #expect(diagnostic.message.english.contains(why), "\(name): \(diagnostic.message.english)")
    #expect(!everythingShown(result).contains(Self.marker), "\(name)")
    #expect(!result.sources.files.contains { $0.name == "lib.policy" }, "\(name): not kept")
  }

  @Test func aWordListThatIsNoWordListIsOneError() throws {
    for bytes in [[0] + Array(Self.marker.utf8), [UInt8](repeating: 0xFF, count: 30)] {
      let result = Self.check([
        "main.policy": Self.text(Self.header + "terms x = file \"w.txt\"\nterms y = file \"w.txt\"\n"),
        "w.txt": bytes,
      ])
      // Named twice, reported once (at the first string).
      #expect(result.diagnostics.filter { $0.code == .notPolicyText }.count == 1)
      #expect(!everythingShown(result).contains(Self.marker))
    }
    // Twenty malformed lines: empty variants, each line holding the marker.
    let lines = (0..<25).map { _ in "\(Self.marker) | |\n" }.joined()
    let result = Self.check([
      "main.policy": Self.text(Self.header + "terms x = file \"w.txt\"\n"), "w.txt": Self.text(lines),
    ])
    #expect(result.diagnostics.filter { $0.code == .notPolicyText }.count == 1, "\(everythingShown(result))")
    #expect(!everythingShown(result).contains(Self.marker))
  }

  @Test func thePolicyGivenIsJudgedOnItsBytesButShowsItsErrors() throws {
    let binary = Self.check(["main.policy": [0x7F, 0x45, 0x4C, 0x46, 0, 0] + Array(Self.marker.utf8)])
    #expect(binary.diagnostics.map(\.code.id) == ["E0003"])
    #expect(binary.diagnostics.items.first?.span == nil)
    #expect(!everythingShown(binary).contains(Self.marker))
    // Its own mistakes are the author's: shown, 20 of them, then a summary line.
    let broken = Self.check(["main.policy": Self.passwdLike(30)])
    let rendered = DiagnosticRenderer().render(broken.diagnostics, in: broken.sources)
    #expect(broken.diagnostics.count > 20)
    #expect(rendered.components(separatedBy: "error[").count - 1 == 20)
    #expect(rendered.contains("more diagnostics of `main.policy` not shown"))
  }

  @Test func aFewInvalidBytesAreStillShownWhereTheyAre() {
    let bytes = Self.text(Self.header + "terms x = [\"") + [0xFF, 0xFE] + Self.text("\"]\n")
    let result = Self.check(["main.policy": bytes])
    #expect(result.diagnostics.map(\.code.id).contains("E0101"))
    #expect(!result.diagnostics.map(\.code.id).contains("E0003"))
  }

  @Test func aLibraryWithFewErrorsShowsThem() {
    let result = Self.check([
      "main.policy": Self.text(Self.header + "import \"lib.policy\"\n"),
      "lib.policy": Self.text("terms x = [\"a\"\nconst = 3\n"),
    ])
    #expect(!result.diagnostics.map(\.code.id).contains("E0003"))
    #expect(result.diagnostics.contains { $0.span.map { $0.file } == FileID(1) })
  }

  @Test(
    arguments: [
      ("", nil),
      ("policy p {\n}\n", nil),
      ("a\r\nb\rc\n", nil),
      ("a\u{0}b", ForeignContent.nulByte(offset: 1)),
      (String(repeating: "y", count: PolicyLimits.maximumLineBytes), nil),
      (
        "a\n" + String(repeating: "y", count: PolicyLimits.maximumLineBytes + 1),
        .overlongLine(line: 2, bytes: 16_385)
      ),
      ("a\r\nb\r\n" + String(repeating: "y", count: 16_400) + "\n", .overlongLine(line: 3, bytes: 16_400)),
    ] as [(String, ForeignContent?)])
  func inspectJudgesTheBytes(_ text: String, _ expected: ForeignContent?) {
    #expect(ForeignContent.inspect(Array(text.utf8)) == expected)
  }

  @Test func inspectCountsInvalidUTF8() {
    let few = Array("微信".utf8) + [0xFF, 0xFE, 0x80]
    #expect(ForeignContent.inspect(few) == nil)
    let many = [UInt8](repeating: 0xB0, count: 9)
    #expect(ForeignContent.inspect(many) == .notUTF8(invalidBytes: 9))
  }
}

/// The renderer's bound per file.
@Suite("Diagnostics per file")
struct DiagnosticsPerFileTests {
  @Test func eachFileShowsAtMostTheBoundThenASummary() {
    var sources = SourceMap()
    let a = sources.add(name: "a.policy", bytes: Array(String(repeating: "x\n", count: 40).utf8))
    let b = sources.add(name: "b.policy", bytes: Array("y\n".utf8))
    var diagnostics = Diagnostics()
    for i in 0..<25 {
      diagnostics.append(
        Diagnostic(
          .unknownName, LocalizedText("e\(i)", zh: "e\(i)"),
          at: SourceSpan(file: a, start: i * 2, end: i * 2 + 1),
          severity: i < 23 ? .error : .warning))
    }
    diagnostics.append(
      Diagnostic(.unknownName, LocalizedText("in b", zh: "b"), at: SourceSpan(file: b, start: 0, end: 1)))
    let rendered = DiagnosticRenderer(maximumPerFile: 20).render(diagnostics, in: sources)
    #expect(rendered.contains("e19"))
    #expect(!rendered.contains("e20"))
    #expect(rendered.contains("in b"))
    #expect(rendered.hasSuffix("note: 5 more diagnostics of `a.policy` not shown (3 errors)\n"))
    let chinese = DiagnosticRenderer(language: .chinese, maximumPerFile: 20).render(diagnostics, in: sources)
    #expect(chinese.hasSuffix("note: `a.policy` 中另有 5 条诊断未显示(3 个错误)\n"))
  }
}
