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
