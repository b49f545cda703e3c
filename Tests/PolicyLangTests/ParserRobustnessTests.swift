import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Bad input never crashes the parser: prefixes, random mutations, invalid UTF-8, huge and deeply
/// nested inputs all return a tree and diagnostics.
@Suite struct ParserRobustnessTests {
  static func parse(_ bytes: [UInt8]) -> ParseResult {
    Parser.parse(SourceFile(id: FileID(0), name: "t", bytes: bytes))
  }

  static func validPolicies() -> [[UInt8]] {
    Golden.inputs("syntax", ext: "policy").compactMap { Golden.readBytes("syntax/" + $0) }
      + ParserGrammarTests.policyBlocks().map { Array($0.utf8) }
  }

  @Test func everyLinePrefixParses() {
    for bytes in Self.validPolicies() {
      for (i, byte) in bytes.enumerated() where byte == 0x0A {
        let result = Self.parse(Array(bytes[...i]))
        #expect(result.file.span.end == UInt32(i + 1))
        // The cut is inside a declaration or between two: never more than the cap of errors.
        #expect(result.diagnostics.count <= Parser.maxSyntaxErrors + 10)
      }
    }
  }

  @Test func seededMutationsNeverCrash() {
    var random = SeededRandom(seed: 0x5EED_2026)
    let corpus = Self.validPolicies()
    let alphabet: [UInt8] = Array("{}()[],;=|-/+\"#: \n\tanotr0123456789%hms".utf8) + [0xFF, 0xC3, 0xE4]
    for round in 0..<3000 {
      guard var bytes = corpus.randomElement(using: &random), !bytes.isEmpty else { continue }
      let file = SourceFile(id: FileID(0), name: "m", bytes: bytes)
      let tokens = Lexer.tokenize(file).tokens.dropLast()
      for _ in 0..<(1 + round % 4) {
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
          let i = Int.random(in: 0..<bytes.count, using: &random)
          bytes[i] = alphabet.randomElement(using: &random) ?? 0
        case 1:
          let i = Int.random(in: 0..<bytes.count, using: &random)
          bytes[i] ^= UInt8.random(in: 1...255, using: &random)
        case 2:
          // Delete a token's bytes.
          if let t = tokens.randomElement(using: &random), Int(t.span.end) <= bytes.count {
            bytes.removeSubrange(Int(t.span.start)..<Int(t.span.end))
          }
        default:
          // Duplicate a token's bytes.
          if let t = tokens.randomElement(using: &random), Int(t.span.end) <= bytes.count {
            bytes.insert(contentsOf: bytes[Int(t.span.start)..<Int(t.span.end)], at: Int(t.span.start))
          }
        }
        if bytes.isEmpty { break }
      }
      let result = Self.parse(bytes)
      #expect(result.file.span.end == UInt32(bytes.count))
      let syntax = result.diagnostics.items.filter { $0.code.id.hasPrefix("E02") }
      #expect(syntax.count <= Parser.maxSyntaxErrors)
    }
  }

  @Test func hundredThousandNestedParentheses() {
    let text =
      "rule r \"t\" {\n clause A-1\n severity minor\n when message "
      + String(repeating: "(", count: 100_000) + "from seller" + String(repeating: ")", count: 100_000)
      + "\n}\nconst after = 1\n"
    let result = Self.parse(Array(text.utf8))
    #expect(result.diagnostics.items.map(\.code) == [.nestingTooDeep])
    #expect(result.file.declarations.count == 2)
  }

  @Test func longNotChainsAndUnclosedParentheses() {
    let nots =
      "rule r \"t\" { clause A-1 severity minor when message "
      + String(repeating: "not ", count: 100_000) + "from seller }"
    #expect(Self.parse(Array(nots.utf8)).diagnostics.items.map(\.code) == [.nestingTooDeep])
    let open = "rule r \"t\" { when message " + String(repeating: "(", count: 100_000)
    #expect(Self.parse(Array(open.utf8)).diagnostics.hasErrors)
    let exactly64 =
      "rule r \"t\" { clause A-1 severity minor when message "
      + String(repeating: "(", count: 64) + "from seller" + String(repeating: ")", count: 64) + " }"
    #expect(Self.parse(Array(exactly64.utf8)).diagnostics.isEmpty)
  }

  @Test func tenMegabyteLineAndFile() {
    var line = Array("const x = \"".utf8)
    line += [UInt8](repeating: 0x61, count: 10_000_000)
    line += Array("\"\n".utf8)
    #expect(Self.parse(line).diagnostics.isEmpty)
    let declaration = Array("terms t = [\"微信\" | \"薇信\", \"vx\"] # c\n".utf8)
    var file: [UInt8] = []
    file.reserveCapacity(10_000_000 + declaration.count)
    while file.count < 10_000_000 { file += declaration }
    let result = Self.parse(file)
    #expect(result.diagnostics.isEmpty)
    #expect(result.file.declarations.count == file.count / declaration.count)
  }

  @Test func garbageIsCappedAndUnterminatedStringAtEOF() {
    let garbage = [UInt8](repeating: 0xFF, count: 100_000) + Array(" } ) ] = == , \"open".utf8)
    let result = Self.parse(garbage)
    #expect(result.diagnostics.hasErrors)
    #expect(result.diagnostics.count <= 500)
    let lines = String(repeating: "@ x y z\n", count: 2000)
    #expect(Self.parse(Array(lines.utf8)).diagnostics.count <= 500)
    let eof = Self.parse(Array("rule r \"unterminated".utf8))
    #expect(eof.diagnostics.items.contains { $0.code == .unterminatedString })
  }
}
