import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Checks the formatter's promises on one source text.
enum FormatCheck {
  /// The repository's root, found from this file.
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func source(_ text: String, name: String = "test.policy") -> SourceFile {
    SourceFile(id: FileID(0), name: name, text: text)
  }

  static func format(_ text: String) -> String? {
    PolicyFormatter.format(source(text)).text
  }

  /// The AST dump without positions: the tree as the parser saw it, wherever it was written.
  static func shape(_ text: String) -> String? {
    let file = source(text)
    let parsed = Parser.parse(file)
    guard !parsed.diagnostics.hasErrors else { return nil }
    return ASTDump.dump(parsed.file, source: file)
      .split(separator: "\n", omittingEmptySubsequences: false)
      .map { line -> String in
        guard let space = line.lastIndex(of: " ") else { return String(line) }
        return String(line[..<space])
      }
      .joined(separator: "\n")
  }

  /// The comments of a text, trailing white space removed, sorted.
  static func comments(_ text: String) -> [String] {
    Lexer.tokenize(source(text), keepComments: true).tokens
      .filter { $0.kind == .comment }
      .map { token -> String in
        var comment = source(text).text(of: token.span)
        while let last = comment.last, last == " " || last == "\t" { comment.removeLast() }
        return comment
      }
      .sorted()
  }

  /// Every promise the formatter makes about `text` (which must parse); the failures found.
  static func problems(_ text: String) -> [String] {
    guard let before = shape(text) else { return ["the input does not parse"] }
    guard let once = format(text) else { return ["the formatter refused a file that parses"] }
    var problems: [String] = []
    if let after = shape(once) {
      if after != before { problems.append("the formatted file parses to another tree:\n\(once)") }
    } else {
      let diagnostics = Parser.parse(source(once)).diagnostics.items.map(\.message.english)
      problems.append("the formatted file does not parse: \(diagnostics)\n\(once)")
    }
    if let twice = format(once), twice != once {
      problems.append("formatting twice changes the text:\n--- once\n\(once)--- twice\n\(twice)")
    }
    if comments(text) != comments(once) { problems.append("comments differ:\n\(once)") }
    if !once.isEmpty && !once.hasSuffix("\n") { problems.append("no final newline") }
    if once.contains("\r") || once.contains("\t") { problems.append("CR or tab in the output") }
    if once.split(separator: "\n").contains(where: { $0.hasSuffix(" ") }) {
      problems.append("trailing white space:\n\(once)")
    }
    return problems
  }

  /// Every `.policy` file of the repository under `Policies/` and the tests' testdata.
  static func repositoryPolicies() -> [URL] {
    var found: [URL] = []
    for dir in ["Policies", "Tests", "Examples"] {
      let base = root.appendingPathComponent(dir)
      guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
      else { continue }
      for case let url as URL in walker where url.pathExtension == "policy" {
        found.append(url)
      }
    }
    return found.sorted { $0.path < $1.path }
  }
}
