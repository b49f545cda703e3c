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

@Suite("History conditions")
struct HistoryConditionTests {
  @Test func moreThanADurationAfterAnEvent() throws {
    let fired = try PolicyCase(
      """
      rule late "发货后 30 天不再联系" {
        clause   D-1
        severity minor
        when message from seller and more than 30d after event order_delivered
      }
      """
    ).fired([
      #"2026-11-01T10:00 {"from":"seller","text":"before delivery"}"#,
      #"2026-11-02T10:00 {"event":"order_delivered"}"#,
      #"2026-12-02T10:00 {"from":"seller","text":"exactly 30 days"}"#,
      #"2026-12-02T10:00:01 {"from":"seller","text":"30 days and a second"}"#,
      #"2026-12-02T10:00:02 {"from":"buyer","text":"buyer message"}"#,
    ])
    #expect(fired == ["late@3"])
  }

  @Test func afterAnEventWithoutAnother() throws {
    let fired = try PolicyCase(
      """
      rule opted_out "退订后不得联系" {
        clause   D-1
        severity minor
        when message from seller and after event opted_out without event opted_in
      }
      """
    ).fired([
      #"10:00 {"from":"seller","text":"a"}"#,
      #"10:01 {"event":"opted_out"}"#,
      #"10:02 {"from":"seller","text":"b"}"#,
      #"10:03 {"event":"opted_in"}"#,
      #"10:04 {"from":"seller","text":"c"}"#,
      #"10:05 {"event":"opted_out"}"#,
      #"10:06 {"from":"seller","text":"d"}"#,
    ])
    #expect(fired == ["opted_out@2", "opted_out@6"])
  }

  @Test func theSecondMatchingMessageSinceAnEvent() throws {
    let fired = try PolicyCase(
      """
      terms review_requests = ["review", "rate us"]
      rule review "每单一次邀评" {
        clause   D-1
        severity minor
        when message from seller and contains any review_requests
         and more than 1 messages (from seller and contains any review_requests) without event order_placed
      }
      """
    ).fired([
      #"10:00 {"from":"seller","text":"please leave a review"}"#,
      #"10:01 {"from":"seller","text":"thanks"}"#,
      #"10:02 {"from":"seller","text":"rate us please"}"#,
      #"10:03 {"event":"order_placed"}"#,
      #"10:04 {"from":"seller","text":"a review?"}"#,
      #"10:05 {"from":"seller","text":"review again"}"#,
    ])
    #expect(fired == ["review@2", "review@5"])
  }

  @Test func firstMessageOfAConsultationOpensTheObligation() throws {
    let fired = try PolicyCase(
      """
      rule first_reply "首次回复 30 秒" {
        clause   D-1
        severity minor
        every message from buyer and not within 30m after message
        expect human reply within 30s
      }
      """
    ).fired(
      [
        #"10:00 {"from":"buyer","text":"hello"}"#,
        #"10:00:20 {"from":"buyer","text":"anyone?"}"#,
        #"10:01 {"from":"seller","text":"hi"}"#,
        #"11:00 {"from":"buyer","text":"me again"}"#,
        #"11:00:10 {"from":"seller","text":"yes"}"#,
      ], asOf: "2026-11-21T00:00:00+08:00")
    #expect(fired == ["first_reply@0"])
  }

  @Test func aReplyOrAnEventAnswers() throws {
    let fired = try PolicyCase(
      """
      rule answer "24 小时内回复或标记无需回复" {
        clause   D-1
        severity minor
        every message from buyer
        expect human reply or event marked_no_response within 1h
      }
      """
    ).fired(
      [
        #"10:00 {"from":"buyer","text":"a"}"#,
        #"10:30 {"event":"marked_no_response"}"#,
        #"12:00 {"from":"buyer","text":"b"}"#,
        #"12:30 {"from":"seller","text":"ok"}"#,
        #"14:00 {"from":"buyer","text":"c"}"#,
      ], asOf: "2026-11-21T00:00:00+08:00")
    #expect(fired == ["answer@4"])
  }
}
