import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Any text given as a policy yields diagnostics or a policy, never a crash: every line prefix of
/// the valid sample policies, and seeded random mutations of them.
@Suite("Checker robustness")
struct CheckerRobustnessTests {
  /// The valid sample policies of `testdata/check` with the libraries and word lists they read.
  static let files: [String: [UInt8]] = {
    var files: [String: [UInt8]] = [:]
    for path in ["shop.policy", "demo.policy", "common/shared.policy", "common/contact_apps.txt"] {
      files[path] = Golden.readBytes("check/" + path) ?? []
    }
    return files
  }()
  static let roots = ["shop.policy", "demo.policy"]

  /// Checks `bytes` as the root with the sample's other files beside it and asserts the
  /// invariants every result keeps.
  static func checkInvariants(
    _ bytes: [UInt8], as root: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    var files = Self.files
    files[root] = bytes
    let result = PolicyChecker.check(path: root, provider: InMemorySourceProvider(bytes: files))
    #expect(result.policy != nil || result.diagnostics.hasErrors, sourceLocation: sourceLocation)
    #expect((result.policy == nil) == result.diagnostics.hasErrors, sourceLocation: sourceLocation)
    for diagnostic in result.diagnostics {
      if let span = diagnostic.span {
        #expect(result.sources[span.file] != nil, "span outside the sources", sourceLocation: sourceLocation)
      }
    }
    _ = DiagnosticRenderer(language: .chinese).render(result.diagnostics, in: result.sources)
  }

  @Test func theSamplesAreValid() {
    for root in Self.roots {
      let result = PolicyChecker.check(path: root, provider: InMemorySourceProvider(bytes: Self.files))
      #expect(result.diagnostics.isEmpty && result.policy != nil, "\(root)")
    }
  }

  @Test func everyLinePrefix() {
    for root in Self.roots {
      let bytes = Self.files[root] ?? []
      var cut = 0
      while cut <= bytes.count {
        Self.checkInvariants(Array(bytes[..<cut]), as: root)
        guard let next = bytes[cut...].firstIndex(of: UInt8(ascii: "\n")) else { break }
        cut = next + 1
      }
      Self.checkInvariants(bytes, as: root)
    }
  }

  /// Fragments that make interesting mutations: keywords, values of every unit, bad times.
  static let fragments = [
    "rule", "override", "terms", "+=", "within", "24", "25:00", "09:00-09:00", "fri-mon", "0s", "120%",
    "from seller and from buyer", "not", "(", ")", "{", "}", "\"", "chars", "import \"shop.policy\"",
    "import \"common\"", "clause X-9", "severity nope", "rate of spam", "expect violation at 99", "\n",
    "policy again {", "Asia/Nowhere", "matches \"a*\"", "has attachment gif",
    "escalate 1 major within 1d to minor",
    "\u{FEFF}", "微信", "2026-02-30",
  ]

  @Test func seededMutations() {
    var random = SeededRandom(seed: 0x5EED_C4EC)
    for root in Self.roots {
      let original = Self.files[root] ?? []
      for _ in 0..<1500 {  // 3,000 mutations in all
        var bytes = original
        for _ in 0..<Int.random(in: 1...3, using: &random) {
          Self.mutate(&bytes, using: &random)
        }
        Self.checkInvariants(bytes, as: root)
      }
    }
  }

  static func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
    let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
    switch Int.random(in: 0..<5, using: &random) {
    case 0:
      // Delete a short run of bytes (possibly splitting a UTF-8 sequence).
      let length = min(bytes.count - position, Int.random(in: 1...12, using: &random))
      bytes.removeSubrange(position..<(position + length))
    case 1:
      let fragment = fragments[Int.random(in: 0..<fragments.count, using: &random)]
      bytes.insert(contentsOf: Array((" " + fragment + " ").utf8), at: position)
    case 2:
      bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
    case 3:
      // Duplicate a line: duplicates, overrides of nothing, second headers.
      let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      guard !lines.isEmpty else { return }
      let line = lines[Int.random(in: 0..<lines.count, using: &random)]
      bytes.insert(contentsOf: Array(line) + [UInt8(ascii: "\n")], at: lineStart(bytes, position))
    default:
      // Change a digit: impossible times, dates, counts.
      if let digit = bytes[position...].firstIndex(where: { (0x30...0x39).contains($0) }) {
        bytes[digit] = UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &random)
      }
    }
  }

  static func lineStart(_ bytes: [UInt8], _ position: Int) -> Int {
    var i = min(position, bytes.count)
    while i > 0 && bytes[i - 1] != UInt8(ascii: "\n") { i -= 1 }
    return i
  }
}
