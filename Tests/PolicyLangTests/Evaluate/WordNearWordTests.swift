// `contains any L near any M within N` from source to verdict lines (Grammar.md 5.2): the
// evidence is one proximity spanning both terms, with the first list's name and term, in
// offsets of the text as sent.

import Foundation
import Testing

@testable import PolicyLang

@Suite("Word near word: verdicts")
struct WordNearWordTests {
  static let rules = """
    terms platforms = ["京东", "淘宝" | "某宝"]
    terms official_words = ["官方客服", "官方"]

    rule official "冒充官方" {
      clause   D-1
      severity minor
      when message from seller and contains any platforms near any official_words within 6 chars
    }

    """

  @Test func evidenceIsOneProximityInOriginalOffsets() throws {
    let c = try PolicyCase(Self.rules)
    let lines = try c.run([
      #"10:00 {"from":"seller","text":"我是官方的\u200B京東客服"}"#,
      #"10:01 {"from":"seller","text":"某宝 官方旗舰店"}"#,
      #"10:02 {"from":"seller","text":"京东快递,七天无理由退货,官方售后"}"#,
      #"10:03 {"from":"buyer","text":"京东官方客服"}"#,
    ]).map { $0.trimmingCharacters(in: .newlines) }
    #expect(
      lines == [
        #"{"conversation":"c-1","shop":"","agent":null,"policy":"demo","rule":"official","clause":"D-1","severity":"minor","at":"2026-11-20T10:00:00+08:00","event":0,"evidence":[{"kind":"proximity","list":"platforms","term":"京东","start":2,"end":8,"match":"官方的\#u{200B}京東"}]}"#,
        #"{"conversation":"c-1","shop":"","agent":null,"policy":"demo","rule":"official","clause":"D-1","severity":"minor","at":"2026-11-20T10:01:00+08:00","event":1,"evidence":[{"kind":"proximity","list":"platforms","term":"淘宝","start":0,"end":5,"match":"某宝 官方"}]}"#,
      ])
  }

  @Test func aTermInBothListsIsNotNearItself() throws {
    let c = try PolicyCase(
      """
      terms shops = ["京东", "淘宝"]

      rule two_shops "两个平台" {
        clause   D-1
        severity minor
        when message contains any shops near any shops within 2 chars
      }

      """)
    #expect(
      try c.fired([
        #"10:00 {"from":"seller","text":"京东"}"#, #"10:01 {"from":"seller","text":"京东、淘宝"}"#,
        #"10:02 {"from":"seller","text":"京东和一些淘宝"}"#,
      ]) == ["two_shops@1"])
  }
}

@Suite("Phone plans: verdicts")
struct PhonePlanVerdictTests {
  /// The `+1` before a parenthesized area code is not part of the evidence (a run of its own).
  @Test func aNumberOfAListedPlanIsOnePhoneItem() throws {
    let c = try PolicyCase(
      """
      rule foreign_phone "外国电话" {
        clause   D-1
        severity minor
        when message from seller and contains phone in [us, intl]
      }

      """)
    let lines = try c.run([
      #"10:00 {"from":"seller","text":"call +1 (415) 555-2671 or (415) 555-2671"}"#,
      #"10:01 {"from":"seller","text":"WhatsApp 0912-345-678"}"#,
      #"10:02 {"from":"seller","text":"order 112-1234567-1234567, ¥1299.00"}"#,
    ]).map { $0.trimmingCharacters(in: .newlines) }
    #expect(
      lines == [
        #"{"conversation":"c-1","shop":"","agent":null,"policy":"demo","rule":"foreign_phone","clause":"D-1","severity":"minor","at":"2026-11-20T10:00:00+08:00","event":0,"evidence":[{"kind":"phone","start":8,"end":22,"match":"(415) 555-2671"},{"kind":"phone","start":26,"end":40,"match":"(415) 555-2671"}]}"#
      ])
  }
}
