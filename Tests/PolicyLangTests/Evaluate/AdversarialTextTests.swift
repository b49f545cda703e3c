import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Hostile message texts of 10 MB go through the whole text path of a shipped policy. Nothing
/// backtracks, so each finishes in linear time; the benchmark measures the throughput, this test
/// asserts that the results are complete and every evidence range lies inside the text. Texts
/// that match everywhere produce millions of matches (their evidence is cut at `Evidence.limit`
/// items, but every match is still found), so they are 2 MB here; the benchmark runs all of them
/// at 10 MB.
@Suite struct AdversarialTextTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  static let tenMegabytes = 10 * 1024 * 1024

  /// `unit` repeated up to about `bytes` of UTF-8.
  static func repeated(_ unit: String, bytes: Int) -> String {
    String(repeating: unit, count: bytes / unit.utf8.count)
  }

  @Test(arguments: [
    ("digits", "1234567890", tenMegabytes),
    ("alternating separators", "微 信.1-2 ", tenMegabytes),
    ("contact word", "微信", tenMegabytes / 5),
    ("contact word and account", "vx12345 ", tenMegabytes / 5),
    ("e-mail and URL shapes", "a@b.c.", tenMegabytes / 5),
  ])
  func hostileTextFinishes(name: String, unit: String, bytes: Int) throws {
    let policy = try CompiledPolicy(
      policyAt: "Policies/pinduoduo.policy", provider: DiskSourceProvider(baseDirectory: Self.root))
    let text = Self.repeated(unit, bytes: bytes)
    let scalars = text.unicodeScalars.count
    let event = Event(
      conversation: "c", shop: "s", at: Timestamp(seconds: 1_795_132_800, nanoseconds: 0),
      kind: .message(Message(role: .seller, auto: false, text: text, attachments: [])))
    let verdicts = policy.evaluate(message: event)
    for verdict in verdicts {
      guard case .content(_, let evidence) = verdict.detail else { continue }
      // A list cut at `Evidence.limit` ends with the count of the rest.
      if evidence.count > Evidence.limit {
        #expect(evidence.count == Evidence.limit + 1 && evidence.last?.kind == "omitted", "\(name)")
        #expect((evidence.last?.count ?? 0) > 0, "\(name)")
      }
      for e in evidence.prefix(Evidence.limit) {
        let start = try #require(e.start)
        let end = try #require(e.end)
        #expect(0 <= start && start < end && end <= scalars, "\(name): \(e)")
      }
    }
  }
}
