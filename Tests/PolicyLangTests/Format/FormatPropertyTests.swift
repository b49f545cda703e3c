import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Formatter properties")
struct FormatPropertyTests {
  @Test("every policy of the repository that parses: same tree, idempotent, comments kept")
  func repositoryPolicies() {
    let files = FormatCheck.repositoryPolicies()
    #expect(files.count >= 4)
    var checked = 0
    for url in files {
      guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
      guard FormatCheck.shape(text) != nil else { continue }
      checked += 1
      let problems = FormatCheck.problems(text)
      #expect(problems.isEmpty, "\(url.lastPathComponent): \(problems.joined(separator: "\n"))")
      if let dir = ProcessInfo.processInfo.environment["POLICYLANG_FORMAT_DUMP"],
        let formatted = FormatCheck.format(text)
      {
        let name = url.path.replacingOccurrences(of: FormatCheck.root.path + "/", with: "")
          .replacingOccurrences(of: "/", with: "_")
        try? Data(formatted.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
      }
    }
    #expect(checked >= 7, "checked \(checked) of \(files.count)")
  }
}

@Suite("Formatter properties on generated policies")
struct FormatGeneratedPolicyTests {
  @Test("seeded random policies: same tree, idempotent, comments kept", arguments: 0..<12)
  func generated(_ batch: Int) {
    var generator = PolicyGenerator(seed: 0x5EED_0000 + UInt64(batch))
    var checked = 0
    for _ in 0..<60 {
      let text = generator.policy()
      guard FormatCheck.shape(text) != nil else { continue }
      checked += 1
      let problems = FormatCheck.problems(text)
      #expect(problems.isEmpty, "input:\n\(text)\n\(problems.joined(separator: "\n"))")
      if !problems.isEmpty {
        if let dir = ProcessInfo.processInfo.environment["POLICYLANG_FORMAT_DUMP"] {
          try? Data(text.utf8).write(
            to: URL(fileURLWithPath: dir).appendingPathComponent("failed-\(batch).policy"))
        }
        return
      }
    }
    #expect(checked >= 30, "only \(checked) of 60 generated policies parse")
  }
}
