// The conversation words of Grammar.md 3 ("Conversation words"): `after D idle`, `unanswered`,
// `proactive`, `answered within D` and `after first`, each run over a transcript with its edges.

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangFrontend

@Suite("Conversation words")
struct ConversationWordTests {
  @Test func aConsultationStartsAfterAnIdleGapOfAnyParty() throws {
    let fired = try PolicyCase(
      """
      rule first_reply "first reply within 3 minutes" {
        clause   D-1
        severity minor
        every message from buyer and after 30m idle
        expect human reply within 3m
      }
      """
    ).fired(
      [
        #"10:00 {"from":"buyer","text":"first event: a start"}"#,
        #"10:02 {"from":"seller","text":"in time"}"#,
        #"10:40 {"from":"buyer","text":"38m idle: a start"}"#,
        #"10:50 {"from":"seller","text":"late"}"#,
        #"11:00 {"event":"order_placed"}"#,
        #"11:29 {"from":"buyer","text":"29m after the event: not a start"}"#,
        #"12:00 {"from":"buyer","text":"31m idle: a start, never answered"}"#,
        #"12:30 {"from":"buyer","text":"exactly 30m: not a start"}"#,
      ], asOf: "2026-11-21T00:00:00+08:00")
    #expect(fired == ["first_reply@2", "first_reply@6"])
  }

  @Test func idleOfZeroIsAnyGapAndTheFirstEvent() throws {
    let fired = try PolicyCase(
      """
      rule gap "any gap" {
        clause   D-1
        severity minor
        when message from buyer and after 0s idle
      }
      """
    ).fired([
      #"10:00 {"from":"buyer","text":"a"}"#,
      #"10:00 {"from":"buyer","text":"same instant"}"#,
      #"10:00:00.000000001 {"from":"buyer","text":"a nanosecond later"}"#,
    ])
    #expect(fired == ["gap@0", "gap@2"])
  }

  @Test func unansweredIsABuyerMessageWithNoSellerMessageSince() throws {
    let fired = try PolicyCase(
      """
      rule follow_up "buyer writes again before any answer" {
        clause   D-1
        severity minor
        when message from buyer and unanswered
      }
      """
    ).fired([
      #"10:00 {"from":"buyer","text":"a"}"#,
      #"10:01 {"from":"buyer","text":"b"}"#,
      #"10:02 {"from":"seller","auto":true,"text":"auto reply answers too"}"#,
      #"10:03 {"from":"buyer","text":"c"}"#,
      #"10:04 {"event":"order_placed"}"#,
      #"10:05 {"from":"platform","text":"a platform message is no answer"}"#,
      #"10:06 {"from":"buyer","text":"d"}"#,
    ])
    #expect(fired == ["follow_up@1", "follow_up@6"])
  }

  @Test func proactiveIsASellerMessageBeforeAnyBuyerMessage() throws {
    let fired = try PolicyCase(
      """
      rule cold "no unsolicited messages" {
        clause   D-1
        severity minor
        when message proactive
      }
      """
    ).fired([
      #"10:00 {"event":"order_placed"}"#,
      #"10:01 {"from":"seller","text":"hello, new deals"}"#,
      #"10:02 {"from":"platform","text":"not a seller"}"#,
      #"10:03 {"from":"buyer","text":"?"}"#,
      #"10:04 {"from":"seller","text":"answer"}"#,
      #"2026-11-25T10:00 {"from":"seller","text":"days later: the buyer wrote before"}"#,
    ])
    #expect(fired == ["cold@1"])
  }

  @Test func answeredWithinMeasuresFromTheFirstWaitingBuyerMessage() throws {
    let fired = try PolicyCase(
      """
      rule late_answer "answer within 5 minutes" {
        clause   D-1
        severity minor
        when message unanswered and from seller and not answered within 5m
      }
      rule fast "answered in time" {
        clause   D-1
        severity minor
        when message answered within 5m
      }
      """
    ).fired([
      #"10:00 {"from":"buyer","text":"first waiting"}"#,
      #"10:04 {"from":"buyer","text":"second"}"#,
      #"10:06 {"from":"seller","text":"6m after the first: late"}"#,
      #"10:10 {"from":"buyer","text":"again"}"#,
      #"10:15 {"from":"seller","text":"exactly 5m: in time"}"#,
      #"10:30 {"from":"seller","text":"nothing waiting"}"#,
    ])
    #expect(fired == ["late_answer@2", "fast@4"])
  }

  @Test func afterFirstKeepsTheEarliestHappeningSinceTheWithout() throws {
    let fired = try PolicyCase(
      """
      rule since_first "more than 10m since the first buyer message of the wait" {
        clause   D-1
        severity minor
        when message from buyer and more than 10m after first message from buyer without message from seller
      }
      rule since_latest "more than 10m since the latest buyer message" {
        clause   D-1
        severity minor
        when message from buyer and more than 10m after message from buyer without message from seller
      }
      """
    ).fired([
      #"10:00 {"from":"buyer","text":"a"}"#,
      #"10:06 {"from":"buyer","text":"b"}"#,
      #"10:12 {"from":"buyer","text":"12m after a, 6m after b"}"#,
      #"10:13 {"from":"seller","text":"answer"}"#,
      #"10:20 {"from":"buyer","text":"c"}"#,
      #"10:31 {"from":"buyer","text":"11m after c"}"#,
    ])
    #expect(fired == ["since_first@2", "since_first@5", "since_latest@5"])
  }

  @Test func aProactiveBuyerMessageCanNeverFire() throws {
    let result = PolicyChecker.check(
      source: PolicyCase.header + """
        rule r "r" {
          clause   D-1
          severity minor
          when message from buyer and proactive
        }
        """, name: "p.policy")
    #expect(result.diagnostics.items.contains { $0.code.id == "E0506" })
  }
}

@Suite("Conversation words in a program file")
struct ConversationWordProgramTests {
  @Test func theWordsRoundTripThroughAProgramFile() throws {
    let result = PolicyChecker.check(
      path: "compile/6-conversation.policy", provider: DiskSourceProvider(baseDirectory: Golden.testdata.path)
    )
    let policy = try #require(result.policy)
    let program = try RuleProgram(compiling: policy)
    let metadata = ProgramMetadata(policy: policy, compilerVersion: "policyc test")
    let loaded = try ProgramArchive.decode(ProgramArchive.encode(program, metadata: metadata))
    #expect(loaded.program == program)
    #expect(loaded.program.ir.histories.contains { $0.first })
    #expect(loaded.program.ir.histories.contains { $0.happening == .anyEvent })
  }
}
