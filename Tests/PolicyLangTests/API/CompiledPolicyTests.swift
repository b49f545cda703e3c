import Foundation
import PolicyLang
import Testing

/// The public API only (no `@testable`): what another tool can do with PolicyLang.
@Suite struct CompiledPolicyTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  func pinduoduo() throws -> CompiledPolicy {
    try CompiledPolicy(
      policyAt: "Policies/pinduoduo.policy", provider: DiskSourceProvider(baseDirectory: Self.root))
  }

  @Test func evaluatesOneMessageWithEvidenceInOriginalOffsets() throws {
    let policy = try pinduoduo()
    #expect(policy.name == "pinduoduo")
    let decoder = EventDecoder()
    let event = try decoder.decode(
      #"{"conversation":"c-1","shop":"s-1","at":"2026-11-20T10:07:00+08:00","from":"seller","agent":"kefu-3","text":"加我薇信 abc_123 给你便宜"}"#
    )
    let verdicts = policy.evaluate(message: event)
    let line = try #require(verdicts.first.map(policy.jsonLine))
    #expect(
      line.hasPrefix(
        #"{"conversation":"c-1","shop":"s-1","agent":"kefu-3","policy":"pinduoduo","rule":"third_party_info","clause":"PDD-2.1""#
      ))
    let evidence =
      #""evidence":[{"kind":"proximity","list":"contact_apps","term":"微信","start":2,"end":12,"match":"薇信 abc_123"}]}"#
    #expect(line.hasSuffix(evidence + "\n"))
  }

  @Test func evaluatesAConversationsTimeline() throws {
    let policy = try pinduoduo()
    let decoder = EventDecoder()
    let events = try [
      #"{"conversation":"c-2","shop":"s-1","at":"2026-11-20T10:00:00+08:00","from":"buyer","text":"在吗"}"#,
      #"{"conversation":"c-2","at":"2026-11-20T11:30:00+08:00","from":"seller","text":"在的"}"#,
    ].map { try decoder.decode($0) }
    let asOf = try Timestamp(rfc3339: "2026-11-21T00:00:00+08:00")
    let verdicts = policy.evaluate(conversation: events, asOf: asOf)
    #expect(verdicts.map(\.clause) == ["PDD-2.2"])
    let line = verdicts.first.map(policy.jsonLine) ?? ""
    #expect(
      line.contains(#""deadline":"2026-11-20T11:00:00+08:00","answered_at":"2026-11-20T11:30:00+08:00""#))
  }

  @Test func anInvalidPolicyIsATypedErrorWithDiagnostics() {
    do {
      _ = try CompiledPolicy(source: "policy p { zone Mars/Base }\n")
      Issue.record("expected an error")
    } catch {
      guard case .invalidPolicy(let diagnostics, _) = error else {
        Issue.record("wrong error \(error)")
        return
      }
      #expect(diagnostics.hasErrors)
    }
  }
}
