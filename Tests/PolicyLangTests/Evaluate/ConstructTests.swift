// The constructs of Grammar.md written as a policy author writes them: a policy from source, a
// transcript of JSON lines, and the verdicts as `policyc eval` writes them. Each test is a case
// of a construct's section, edges included.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangText

/// A policy written inline and run over transcript lines.
struct PolicyCase {
  static let header = """
    policy demo "示例" {
      zone Asia/Shanghai
    }
    clause D-1 "内容" content
    clause D-9 "处罚" sanction
    severity minor sanction "警告" clause D-9

    """

  let policy: CompiledPolicy

  /// `rules` follow a header with clause `D-1` and severity `minor`.
  init(_ rules: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    do {
      policy = try CompiledPolicy(source: Self.header + rules)
    } catch {
      if case .invalidPolicy(let diagnostics, let sources) = error {
        Issue.record(
          "\(DiagnosticRenderer(language: .english).render(diagnostics, in: sources))",
          sourceLocation: sourceLocation)
      }
      throw error
    }
  }

  /// The JSON lines of the verdicts for events written as `TIME {fields}`: each line is completed
  /// with `conversation` (`c-1` unless given) and `at` (on 2026-11-20 unless a date is given, in
  /// +08:00).
  func run(_ lines: [String], asOf: String? = nil) throws -> [String] {
    let decoder = EventDecoder()
    let events = try lines.map { line -> Event in
      let fields = line.split(separator: " ", maxSplits: 1).map(String.init)
      // `10:00` and `10:00:30` on 2026-11-20, `2026-11-21T10:00` on another day, in +08:00.
      var time = fields[0].contains("T") ? fields[0] : "2026-11-20T" + fields[0]
      if time.count == 16 { time += ":00" }
      time += "+08:00"
      let rest = fields.count > 1 ? fields[1] : "{}"
      let conversation = rest.contains("\"conversation\"") ? "" : #""conversation":"c-1","#
      return try decoder.decode("{\(conversation)\"at\":\"\(time)\",\(rest.dropFirst())")
    }
    let moment = try asOf.map { try Timestamp(rfc3339: $0) }
    return policy.evaluate(events: events, asOf: moment).map { policy.jsonLine($0) }
  }

  /// `run`, each verdict shortened to `rule@event` (or `rule@period-start` for a rate).
  func fired(_ lines: [String], asOf: String? = nil) throws -> [String] {
    try run(lines, asOf: asOf).map(Self.summary)
  }

  static func summary(_ line: String) -> String {
    guard let data = line.data(using: .utf8),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return line }
    let rule = object["rule"] as? String ?? "?"
    if let event = object["event"] as? Int { return "\(rule)@\(event)" }
    let period = (object["period"] as? [String: Any])?["start"] as? String ?? "?"
    return "\(rule)@\(period)"
  }
}

@Suite("Patterns")
struct PatternEvidenceTests {
  static let rules = """
    pattern order_number "订单号" = "\\\\b\\\\d{3}-\\\\d{7}-\\\\d{7}\\\\b"
    pattern paypal = "(?i)\\\\bpaypal\\\\.me/\\\\w+"
    rule links "外部付款链接" {
      clause   D-1
      severity minor
      when message from seller and (matches paypal or matches "(?i)\\\\bvenmo\\\\b")
    }
    rule order "订单号" {
      clause   D-1
      severity minor
      when message matches order_number
    }
    """

  @Test func evidenceIsThePatternsMatchesWithTheDeclaredName() throws {
    let lines = try PolicyCase(Self.rules).run([
      #"10:00 {"from":"seller","text":"Pay at PayPal.Me/shop1 or paypal.me/shop2, or Venmo"}"#,
      #"10:01 {"from":"buyer","text":"order 112-1234567-1234567 and A112-1234567-1234567"}"#,
    ])
    #expect(
      lines == [
        #"{"conversation":"c-1","shop":"","agent":null,"policy":"demo","rule":"links","clause":"D-1","severity":"minor","at":"2026-11-20T10:00:00+08:00","event":0,"evidence":[{"kind":"pattern","name":"paypal","start":7,"end":22,"match":"PayPal.Me/shop1"},{"kind":"pattern","name":"paypal","start":26,"end":41,"match":"paypal.me/shop2"},{"kind":"pattern","start":46,"end":51,"match":"Venmo"}]}"#
          + "\n",
        #"{"conversation":"c-1","shop":"","agent":null,"policy":"demo","rule":"order","clause":"D-1","severity":"minor","at":"2026-11-20T10:01:00+08:00","event":1,"evidence":[{"kind":"pattern","name":"order_number","start":6,"end":25,"match":"112-1234567-1234567"}]}"#
          + "\n",
      ])
  }

  @Test func wordEdgesAreASCIIWordScalars() throws {
    let fired = try PolicyCase(
      """
      rule digits "八位数字" {
        clause   D-1
        severity minor
        when message matches "\\\\b\\\\d{8}\\\\b"
      }
      """
    ).fired([
      #"10:00 {"from":"seller","text":"订单号12345678"}"#,
      #"10:01 {"from":"seller","text":"A12345678"}"#,
      #"10:02 {"from":"seller","text":"123456789"}"#,
    ])
    #expect(fired == ["digits@0"])
  }
}
