// The text and attachment constructs of issue 18 from source to verdict lines: word near word
// (one proximity spanning both terms, with the first list's name and term, in offsets of the text
// as sent), phone numbers by plan, and attachments by file type.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangFrontend

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
  /// The `+1` before a parenthesized area code is part of the evidence.
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
        #"{"conversation":"c-1","shop":"","agent":null,"policy":"demo","rule":"foreign_phone","clause":"D-1","severity":"minor","at":"2026-11-20T10:00:00+08:00","event":0,"evidence":[{"kind":"phone","start":5,"end":22,"match":"+1 (415) 555-2671"},{"kind":"phone","start":26,"end":40,"match":"(415) 555-2671"}]}"#
      ])
  }
}

@Suite("Attachment file types: verdicts")
struct AttachmentTypeVerdictTests {
  static let rules = """
    rule file_types "only PDF and images" {
      clause   D-1
      severity minor
      when message from seller and has attachment file not of type [".pdf", "image/*"]

      test "name and mime in a policy test" {
        seller 10:00 with file name "报价.PDF" mime "application/pdf"
        seller 10:01 with file name "setup.exe"
        seller 10:02 with file mime "image/png; q=1"
        seller 10:03 with image name "setup.exe"
        expect no violation at 0
        expect violation at 1
        expect no violation at 2
        expect no violation at 3
      }
    }

    """

  @Test func evidenceNamesEachAttachmentThatMadeItTrue() throws {
    let c = try PolicyCase(Self.rules)
    let lines = try c.run([
      #"10:00 {"from":"seller","attachments":[{"type":"file","name":"a.pdf"},{"type":"file"},{"type":"file","name":"b.EXE","mime":"Application/X-MSDownload"}]}"#,
      #"10:01 {"from":"seller","attachments":[{"type":"file","name":"a.pdf","mime":"text/plain"},{"type":"image","name":"c.exe"}]}"#,
    ]).map { $0.trimmingCharacters(in: .newlines) }
    #expect(
      lines == [
        #"{"conversation":"c-1","shop":"","agent":null,"policy":"demo","rule":"file_types","clause":"D-1","severity":"minor","at":"2026-11-20T10:00:00+08:00","event":0,"evidence":[{"kind":"attachment","attachment":1},{"kind":"attachment","attachment":2}]}"#
      ])
  }

  @Test func theInlineTestPasses() throws {
    let result = PolicyChecker.check(source: PolicyCase.header + Self.rules, name: "files.policy")
    let policy = try #require(result.policy, "\(result.diagnostics)")
    let outcomes = try PolicyTestRunner.run(policy)
    #expect(outcomes.count == 1 && outcomes.allSatisfy(\.passed), "\(outcomes)")
  }
}

@Suite("File types")
struct FileTypeTests {
  @Test func writtenFileTypes() {
    #expect(FileType.normalized(".PDF") == ".pdf")
    #expect(FileType.normalized("Image/*") == "image/*")
    #expect(FileType.normalized("application/vnd.ms-excel") == "application/vnd.ms-excel")
    for bad in [
      "pdf", ".", "", "image", "*/pdf", "image/", "/pdf", ".p/df", "a/b/c", "text/plain; charset=utf-8",
    ] {
      #expect(FileType.normalized(bad) == nil, "\(bad)")
    }
  }

  @Test func namesAndMediaTypes() {
    func has(_ name: String?, _ mime: String?, _ types: [String]) -> Bool {
      FileType.matches(name: name.map { Array($0.utf8) }, mime: mime.map { Array($0.utf8) }, types: types)
    }
    #expect(has("报价.PDF", nil, [".pdf"]))
    #expect(has("a.tar.gz", nil, [".gz"]) && !has("a.tar.gz", nil, [".tar.gz"]))
    #expect(!has("photo", nil, [".photo"]) && !has("x.", nil, [".x"]) && !has(nil, nil, [".pdf", "image/*"]))
    #expect(has(nil, " Application/PDF ; q=1", ["application/pdf"]))
    #expect(
      has(nil, "image/png", ["image/*"]) && !has(nil, "image", ["image/*"])
        && !has(nil, "imagery/png", ["image/*"]))
    #expect(!has("a.pdf", "application/pdf", [".doc", "text/*"]))
  }
}
