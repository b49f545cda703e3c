import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangReport

@Suite struct VerdictLineDecoderTests {
  let decoder = VerdictLineDecoder()
  let origin = ReportLineOrigin(file: 0, line: 1)

  static let content =
    #"{"conversation":"c-1002","shop":"s-88","agent":"kefu-3","policy":"pinduoduo","rule":"third_party_info","clause":"PDD-2.1","severity":"major","at":"2026-11-20T10:07:00+08:00","event":1,"evidence":[{"kind":"term","list":"contact_apps","term":"微信","start":2,"end":4,"match":"薇信"},{"kind":"phone","start":5,"end":18,"match":"138 0013 8000"}]}"#
  static let timing =
    #"{"conversation":"c-2002","shop":"s-9","agent":null,"policy":"aliexpress","rule":"reply_speed","clause":"AE-1.2.1","severity":"minor","at":"2026-11-20T11:00:00+08:00","event":0,"opened_at":"2026-11-20T10:00:00+08:00","deadline":"2026-11-20T11:00:00+08:00","answered_at":"2026-11-20T11:30:00+08:00","escalated_to":"major","escalation":"3rd minor within 30d"}"#
  static let rate =
    #"{"policy":"pinduoduo","rule":"effective_reply_rate","clause":"PDD-2.2","severity":"minor","shop":"s-88","period":{"start":"2026-11-20T08:00:00+08:00","end":"2026-11-20T23:00:00+08:00"},"value":0.75,"threshold":0.8,"count":90,"total":120}"#

  @Test func readsAContentVerdict() throws {
    let v = try decoder.decode(Self.content, origin: origin)
    #expect(v.conversation == "c-1002" && v.shop == "s-88" && v.agent == "kefu-3")
    #expect(v.policy == "pinduoduo" && v.rule == "third_party_info" && v.clause == "PDD-2.1")
    #expect(v.severity == "major" && v.effectiveSeverity == "major" && !v.pending)
    #expect(v.event == 1 && v.at.text == "2026-11-20T10:07:00+08:00" && v.at.day == "2026-11-20")
    #expect(
      v.evidence == [
        ReportEvidence(kind: "term", list: "contact_apps", term: "微信", start: 2, end: 4, match: "薇信"),
        ReportEvidence(kind: "phone", start: 5, end: 18, match: "138 0013 8000"),
      ])
  }

  @Test func readsATimingVerdictWithEscalation() throws {
    let v = try decoder.decode(Self.timing, origin: origin)
    #expect(v.agent == nil && v.effectiveSeverity == "major" && v.escalation == "3rd minor within 30d")
    let o = try #require(v.obligation)
    #expect(o.openedAt.text == "2026-11-20T10:00:00+08:00" && o.delaySeconds == 5400)
  }

  @Test func readsARateVerdict() throws {
    let v = try decoder.decode(Self.rate, origin: origin)
    let r = try #require(v.rate)
    #expect(v.conversation == nil && v.event == nil && v.at.text == "2026-11-20T08:00:00+08:00")
    #expect(
      r.valueMillionths == 750_000 && r.thresholdMillionths == 800_000 && r.count == 90 && r.total == 120)
  }

  @Test func readsPendingUnknownFieldsEscapesAndWhitespace() throws {
    let line = """
       { "conversation" : "c\\u002d1" , "shop":"s\\/1","agent":null,"policy":"p","rule":"r","clause":"C-1",\
      "severity":"minor","at":"2026-11-20T11:00:00Z","event":0,"opened_at":"2026-11-20T10:00:00Z",\
      "deadline":"2026-11-20T11:00:00Z","answered_at":null,"status":"pending","event_id":"m-\\ud83d\\ude00",\
      "future":{"a":[1,{"b":[true,false,null,"x"]}],"c":{}},"more":[] }\t
      """
    let v = try decoder.decode(line, origin: origin)
    #expect(v.conversation == "c-1" && v.shop == "s/1" && v.pending && v.eventID == "m-😀")
    #expect(v.obligation?.answeredAt == nil && v.obligation?.delaySeconds == nil)
  }

  /// Each malformed line and the reason it is refused.
  static let malformed: [(String, String)] = [
    ("", "invalid JSON: the line is empty"),
    ("[1]", "invalid JSON at byte 1: expected an object, found an array"),
    (#"{"policy":"p""#, "invalid JSON: unexpected end of line, expected `,` or `}` after a field"),
    (#"{"policy":"p"} x"#, "invalid JSON at byte 16: text after the object"),
    (#"{"policy":"p","policy":"q"}"#, "duplicate key `policy`"),
    (#"{"policy":1}"#, "field `policy` must be a string, found a number"),
    (#"{"agent":true}"#, "field `agent` must be a string or null, found a boolean"),
    (#"{"event":-1}"#, "field `event` must be a whole number from 0, not `-1`"),
    (#"{"event":1.5}"#, "field `event` must be a whole number from 0, not `1.5`"),
    (#"{"event":"1"}"#, "field `event` must be a whole number, found a string"),
    (#"{"value":1e2}"#, "field `value` must be a decimal from 0 to 1000 with at most 6 decimals, not `1e2`"),
    (
      #"{"value":0.1234567}"#,
      "field `value` must be a decimal from 0 to 1000 with at most 6 decimals, not `0.1234567`"
    ),
    (#"{"value":01}"#, "invalid JSON at byte 11: expected `,` or `}` after a field"),
    (
      #"{"at":"2026-02-30T10:00:00+08:00"}"#,
      "bad `at` `2026-02-30T10:00:00+08:00`: impossible date: 2026-02-30 (month 2 of 2026 has no day 30)"
    ),
    (
      #"{"at":"2016-12-31T23:59:60Z"}"#, "bad `at` `2016-12-31T23:59:60Z`: leap second (:60) is not supported"
    ),
    (#"{"policy":"\ud83d"}"#, "`\\u` escape at byte 12 leaves a lone surrogate U+D83D"),
    (#"{"policy":"\x"}"#, "invalid JSON at byte 12: unknown escape"),
    ("{\"policy\":\"a\u{01}\"}", "invalid JSON at byte 13: a control character inside a string"),
    (#"{"evidence":{}}"#, "field `evidence` must be an array, found an object"),
    (#"{"evidence":[1]}"#, "evidence 0 must be an object, found a number"),
    (#"{"evidence":[{"start":1,"end":2}]}"#, "evidence 0 has no `kind`"),
    (#"{"evidence":[{"kind":"term","start":3,"end":2}]}"#, "evidence 0 has `start` 3 after `end` 2"),
    (#"{"evidence":[{"kind":"term","start":3}]}"#, "evidence 0 has only one of `start` and `end`"),
    (#"{"evidence":[{"kind":"term","kind":"url"}]}"#, "duplicate key `kind` in evidence 0"),
    (#"{"period":{"start":"2026-11-20T08:00:00Z"}}"#, "missing `period.end`"),
    (#"{"future":[1,2}"#, "invalid JSON at byte 15: expected `,` or `]` in an array"),
    (#"{"policy":"p","rule":"r","clause":"c","severity":"s","shop":""}"#, "missing `conversation`"),
    (
      #"{"policy":"p","rule":"r","clause":"c","severity":"s","shop":"","conversation":"c","event":0,"at":"2026-11-20T08:00:00Z"}"#,
      "a verdict needs `evidence` (a content rule), `opened_at` (a timing rule) or `period` (a rate)"
    ),
    (
      #"{"policy":"p","rule":"r","clause":"c","severity":"s","shop":"","conversation":"c","event":0,"at":"2026-11-20T08:00:00Z","evidence":[],"status":"done"}"#,
      "unknown `status` `done` (expected `pending`)"
    ),
    (
      #"{"policy":"p","rule":"r","clause":"c","severity":"s","shop":"","period":{"start":"2026-11-20T08:00:00Z","end":"2026-11-20T09:00:00Z"},"value":1,"threshold":1,"count":3,"total":2}"#,
      "`count` 3 is larger than `total` 2"
    ),
  ]

  @Test(arguments: malformed)
  func refusesMalformedLines(line: String, reason: String) {
    #expect(throws: VerdictLineError(reason)) { try decoder.decode(line, origin: origin) }
  }

  @Test func refusesInvalidUTF8() {
    var bytes = Array(#"{"policy":"ab"}"#.utf8)
    bytes[11] = 0xFF
    #expect(throws: VerdictLineError("invalid UTF-8 in the string at byte 11")) {
      try bytes.withUnsafeBufferPointer { try decoder.decode($0, origin: origin) }
    }
  }

  /// Nesting depth costs no stack: a deep unknown value is skipped with an explicit stack.
  @Test func skipsDeepUnknownValuesWithoutRecursion() throws {
    let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
    let line = Self.content.dropLast() + #","deep":"# + deep + "}"
    #expect(try decoder.decode(String(line), origin: origin).rule == "third_party_info")
  }
}

@Suite struct VerdictFileReaderTests {
  @Test func reportsMalformedLinesWithFileAndLineAndReadsTheRest() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-reader-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("v.jsonl").path
    let text = [
      VerdictLineDecoderTests.content, "", "{oops", VerdictLineDecoderTests.rate, #"{"policy":2}"#,
      VerdictLineDecoderTests.timing,
    ].joined(separator: "\n")
    try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: path))
    var problems: [String] = []
    let set = VerdictFileReader.read(paths: [path, dir.appendingPathComponent("missing.jsonl").path]) {
      problems.append($0)
    }
    #expect(set.verdicts.map(\.rule) == ["third_party_info", "effective_reply_rate", "reply_speed"])
    #expect(set.verdicts.map(\.origin.line) == [1, 4, 6])
    #expect(set.linesRead == 6 && set.blankLines == 1 && set.skippedLines == 2)
    #expect(set.unreadableFiles.count == 1)
    #expect(problems.count == 3)
    #expect(problems[0] == "\(path):3: error: invalid JSON at byte 2: expected a string key")
    #expect(problems[1] == "\(path):5: error: field `policy` must be a string, found a number")
    #expect(problems[2].hasPrefix("cannot open \(dir.path)/missing.jsonl"))
  }
}
