// The rate forms of Grammar.md 3 ("Rates") and 6.6: sliding windows (`over last D`) and the
// thresholds `at most`, `more than`, `less than` beside `at least`, with exact periods, edges and
// a daylight-saving day.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime

@Suite("Rate forms")
struct RateFormTests {
  static let reply = """
    rule reply "reply within an hour" {
      clause   D-1
      severity minor
      every message from buyer
      expect human reply within 1h
    }

    """

  /// Day 20: 0 of 1 met; day 21: 1 of 1; day 23: 0 of 1 (local dates of November 2026).
  static let days = [
    #"2026-11-20T10:00 {"from":"buyer","text":"never answered"}"#,
    #"2026-11-21T10:00 {"from":"buyer","text":"answered"}"#,
    #"2026-11-21T10:30 {"from":"seller","text":"in time"}"#,
    #"2026-11-23T10:00 {"from":"buyer","text":"never answered"}"#,
  ]

  @Test func aSlidingWindowIsJudgedForEveryDayItsDaysReach() throws {
    let policy = try PolicyCase(
      Self.reply + """
        rule speed "half answered, last 3 days" {
          clause   D-1
          severity minor
          rate of reply per message over last 3d
          at least 50%
        }
        """)
    // Windows of 3 days end on the 20th (0/1), 21st (1/2), 22nd (1/2), 23rd (1/2), 24th (0/1),
    // 25th (0/1): three fall short, named by their first day.
    let fired = try policy.fired(Self.days, asOf: "2026-12-31T00:00:00+08:00")
    #expect(
      fired == [
        "reply@0", "reply@3", "speed@2026-11-18T00:00:00+08:00", "speed@2026-11-22T00:00:00+08:00",
        "speed@2026-11-23T00:00:00+08:00",
      ])
    let lines = try policy.run(Self.days, asOf: "2026-12-31T00:00:00+08:00")
    #expect(
      lines.contains {
        $0.contains(#""period":{"start":"2026-11-22T00:00:00+08:00","end":"2026-11-25T00:00:00+08:00"}"#)
          && $0.contains(#""count":0,"total":1"#)
      })
  }

  @Test func aWindowIsJudgedOnceItsEndPlusTheLongestLimitHasPassed() throws {
    let policy = try PolicyCase(
      Self.reply + """
        rule speed "half answered, last 3 days" {
          clause   D-1
          severity minor
          rate of reply per message over last 3d
          at least 50%
        }
        """)
    // The window ending on the 20th ends at the 21st 00:00; with the 1h limit it is judged from
    // 01:00 on, and no later window is.
    #expect(try policy.fired(Self.days, asOf: "2026-11-21T00:59:59+08:00") == ["reply@0"])
    #expect(
      try policy.fired(Self.days, asOf: "2026-11-21T01:00:00+08:00")
        == ["reply@0", "speed@2026-11-18T00:00:00+08:00"])
  }

  @Test func eachComparisonFallsShortOnItsOwnSide() throws {
    let policy = try PolicyCase(
      Self.reply + """
        rule at_least "at least half" {
          clause   D-1
          severity minor
          rate of reply per message over day
          at least 50%
        }
        rule at_most "at most half" {
          clause   D-1
          severity minor
          rate of reply per message over day
          at most 50%
        }
        rule more_than "more than half" {
          clause   D-1
          severity minor
          rate of reply per message over day
          more than 50%
        }
        rule less_than "less than half" {
          clause   D-1
          severity minor
          rate of reply per message over day
          less than 50%
        }
        rule at_most_third "at most a third" {
          clause   D-1
          severity minor
          rate of reply per message over day
          at most 33.3333%
        }
        """)
    // One of two met: exactly 50%.
    let fired = try policy.fired(
      [
        #"10:00 {"from":"buyer","text":"a"}"#,
        #"10:30 {"from":"seller","text":"in time"}"#,
        #"12:00 {"from":"buyer","text":"b"}"#,
      ], asOf: "2026-12-31T00:00:00+08:00")
    #expect(
      fired == [
        "reply@2", "more_than@2026-11-20T00:00:00+08:00", "less_than@2026-11-20T00:00:00+08:00",
        "at_most_third@2026-11-20T00:00:00+08:00",
      ])
  }

  @Test func aWindowOverTheAutumnChangeHoldsTheRepeatedHour() throws {
    let source = """
      policy dst "dst" {
        zone America/New_York
      }
      clause D-1 "timing" timeline
      clause D-9 "sanctions" sanction
      severity minor sanction "warning" clause D-9

      """ + Self.reply + """
        rule speed "half answered, last 2 days" {
          clause   D-1
          severity minor
          rate of reply per message over last 2d
          at least 50%
        }
        """
    let policy = try CompiledPolicy(source: source)
    let decoder = EventDecoder()
    // 01:30 happens twice on 2026-11-01 (EDT, then EST): both lie on that local day.
    let events = try [
      #"{"conversation":"c","at":"2026-11-01T01:30:00-04:00","from":"buyer","text":"a"}"#,
      #"{"conversation":"c","at":"2026-11-01T01:30:00-05:00","from":"buyer","text":"b"}"#,
    ].map { try decoder.decode($0) }
    let lines = policy.evaluate(events: events, asOf: try Timestamp(rfc3339: "2026-12-01T00:00:00Z"))
      .map { policy.jsonLine($0) }
    // The window ending on the 1st is the 49 hours from Oct 31 00:00 EDT to Nov 2 00:00 EST.
    #expect(
      lines.filter { $0.contains(#""rule":"speed""#) }.map { line in
        line.range(of: #""period":\{[^}]*\}"#, options: .regularExpression).map { String(line[$0]) } ?? line
      } == [
        #""period":{"start":"2026-10-31T00:00:00-04:00","end":"2026-11-02T00:00:00-05:00"}"#,
        #""period":{"start":"2026-11-01T00:00:00-04:00","end":"2026-11-03T00:00:00-05:00"}"#,
      ])
  }

  @Test(arguments: [
    ("rate of reply per conversation over last 7d at least 50%", "E0522"),
    ("rate of reply per message over last 36h at least 50%", "E0522"),
    ("rate of reply per message over last 400d at least 50%", "E0410"),
    ("rate of reply per message over day more than 100%", "E0410"),
    ("rate of reply per message over day less than 0%", "E0410"),
    ("rate of event order_cancelled per buyer day over day at most 5%", "E0521"),
    ("rate of reply per event order_placed over day at least 50%", "E0521"),
    ("rate of r per event order_placed over day at most 5%", "E0507"),
    ("rate of nothing per event order_placed over day at most 5%", "E0301"),
  ])
  func formsThatCannotBeJudgedAreRefused(_ body: String, _ code: String) {
    let result = PolicyChecker.check(
      source: PolicyCase.header + Self.reply + """
        rule r "r" {
          clause   D-1
          severity minor
          \(body)
        }
        """)
    #expect(result.diagnostics.items.filter { $0.severity == .error }.map(\.code.id) == [code], "\(body)")
  }

  @Test func laterRateFormsRoundTripThroughAProgramFile() throws {
    let result = PolicyChecker.check(
      source: PolicyCase.header + Self.reply + """
        rule speed "r" {
          clause   D-1
          severity minor
          rate of reply per buyer day over last 7d
          at most 90% when more than 2 buyers
        }
        rule plain "r" {
          clause   D-1
          severity minor
          rate of reply per message over day
          at least 90%
        }
        """)
    let policy = try #require(result.policy)
    let program = try RuleProgram(compiling: policy)
    let metadata = ProgramMetadata(policy: policy, compilerVersion: "policyc test")
    let bytes = ProgramArchive.encode(program, metadata: metadata)
    #expect(try ProgramArchive.decode(bytes).program == program)
    guard case .rate(let rate) = program.ir.rules[1].body else {
      Issue.record("not a rate")
      return
    }
    #expect(rate.period == .last(days: 7) && rate.comparison == .atMost)
  }
}

@Suite("Count ratios")
struct CountRatioTests {
  static let cancellations = """
    rule cancellations "cancellations at most 2.5% of orders, last 7 days" {
      clause   D-1
      severity minor
      rate of event order_cancelled per event order_placed over last 7d
      at most 2.5% when more than 20 orders
    }
    """

  /// 20 orders on Monday 2026-11-16 and 20 on Sunday the 22nd, and `cancelled` cancellations on
  /// the 22nd: only the window ending on the 22nd has more than 20 orders.
  static func orders(cancelled: Int) -> [String] {
    let placed = (0..<20).map { #"2026-11-16T10:\#(String(format: "%02d", $0)) {"event":"order_placed"}"# }
    let later = (0..<20).map { #"2026-11-22T10:\#(String(format: "%02d", $0)) {"event":"order_placed"}"# }
    let cancels = (0..<cancelled).map {
      #"2026-11-22T11:\#(String(format: "%02d", $0)) {"event":"order_cancelled"}"#
    }
    return placed + later + cancels
  }

  @Test func eventsPerEventsOverASlidingWindow() throws {
    let policy = try PolicyCase(Self.cancellations)
    let asOf = "2026-12-31T00:00:00+08:00"
    // 1 of 40 is 2.5%: at most 2.5% holds.
    #expect(try policy.fired(Self.orders(cancelled: 1), asOf: asOf) == [])
    let lines = try policy.run(Self.orders(cancelled: 2), asOf: asOf)
    #expect(lines.count == 1)
    #expect(
      lines.first?.contains(
        #""period":{"start":"2026-11-16T00:00:00+08:00","end":"2026-11-23T00:00:00+08:00"},"value":0.05,"#
          + #""threshold":0.025,"count":2,"total":40"#) == true, "\(lines)")
    // Events are final at once: the window is judged at its end, with no limit to wait for.
    #expect(try policy.fired(Self.orders(cancelled: 2), asOf: "2026-11-22T23:59:59+08:00") == [])
    #expect(
      try policy.fired(Self.orders(cancelled: 2), asOf: "2026-11-23T00:00:00+08:00")
        == ["cancellations@2026-11-16T00:00:00+08:00"])
  }

  @Test func aMessageRulesVerdictsPerMessages() throws {
    let policy = try PolicyCase(
      """
      terms insults = ["滚"]
      rule insult "insults" {
        clause   D-1
        severity minor
        when message from seller and contains any insults
      }
      rule insult_share "insults per seller message" {
        clause   D-1
        severity minor
        rate of insult per message from seller over day
        less than 25%
      }
      rule seller_share "seller messages per message, at most 150%" {
        clause   D-1
        severity minor
        rate of message from seller per message over day
        at most 50%
      }
      """)
    // Day 20: 1 insult in 4 seller messages (25%: not less than 25%); 4 of 5 messages are the
    // seller's (80% > 50%). Day 21: none in 2, and 2 of 3.
    let fired = try policy.fired(
      [
        #"2026-11-20T10:00 {"from":"buyer","text":"hi"}"#,
        #"2026-11-20T10:01 {"from":"seller","text":"滚"}"#,
        #"2026-11-20T10:02 {"from":"seller","text":"a"}"#,
        #"2026-11-20T10:03 {"from":"seller","text":"b"}"#,
        #"2026-11-20T10:04 {"from":"seller","text":"c"}"#,
        #"2026-11-21T10:00 {"from":"buyer","text":"hi"}"#,
        #"2026-11-21T10:01 {"from":"seller","text":"a"}"#,
        #"2026-11-21T10:02 {"from":"seller","text":"b"}"#,
        #"2026-11-21T10:03 {"event":"order_placed"}"#,
      ], asOf: "2026-12-31T00:00:00+08:00")
    #expect(
      fired == [
        "insult@1", "insult_share@2026-11-20T00:00:00+08:00", "seller_share@2026-11-20T00:00:00+08:00",
        "seller_share@2026-11-21T00:00:00+08:00",
      ])
  }

  @Test func aCountRatioRoundTripsThroughAProgramFile() throws {
    let result = PolicyChecker.check(
      source: PolicyCase.header + Self.cancellations + """

        rule share "r" {
          clause   D-1
          severity minor
          rate of event order_cancelled per message (from buyer and contains "取消") over rolling 12h
          more than 150%
        }
        """)
    let policy = try #require(result.policy, "\(result.diagnostics.items)")
    let program = try RuleProgram(compiling: policy)
    let metadata = ProgramMetadata(policy: policy, compilerVersion: "policyc test")
    #expect(try ProgramArchive.decode(ProgramArchive.encode(program, metadata: metadata)).program == program)
  }
}
