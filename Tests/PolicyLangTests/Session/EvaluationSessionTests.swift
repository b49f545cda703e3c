// The evaluation session: accounting that loses nothing, verdicts independent of line order,
// grouping, jobs and spilling, routing by platform, strict mode, the spill codec and line splitting.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Evaluation session")
struct EvaluationSessionTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  static func evaluator(_ name: String) throws -> Evaluator {
    let result = PolicyChecker.check(
      path: "Policies/\(name).policy", provider: DiskSourceProvider(baseDirectory: root))
    let policy = try #require(result.policy, "\(name) does not check")
    return try Evaluator(program: try RuleProgram(compiling: policy))
  }

  static let asOf = Timestamp(seconds: 1_798_000_000)

  static let texts = [
    "在吗？这个有货吗", "亲，有货的", "加我微信 abc_123 给你便宜", "神经病", "好评返现五元", "什么时候发货？",
    "别再发了", "亲，店铺上新了，看看吧", "订单号 230512345678901234", "WhatsApp +86 138 0013 8000",
  ]

  static let badLines = [
    "{\"conversation\":\"x\"", "{\"conversation\":\"x\",\"from\":\"buyer\"}",
    "{\"conversation\":\"x\",\"at\":\"2026-11-20T10:00:60+08:00\",\"from\":\"buyer\"}",
    "{\"conversation\":\"x\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"bot\"}",
    "{\"conversation\":\"x\",\"at\":\"2026-11-20T10:00:00+08:00\"}", "[]", "nonsense",
    "{\"conversation\":\"x\",\"conversation\":\"y\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"buyer\"}",
    "{\"conversation\":\"x\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"buyer\",\"text\":\"\\udc00\"}",
  ]

  /// One good event line of conversation `c` (its shop is fixed per conversation: no conflicts).
  /// With `tick` (below 36,000), the time is unique to it.
  static func goodLine(_ c: Int, _ random: inout SeededRandom, tick: Int? = nil) -> String {
    let minute = tick.map { $0 % 600 } ?? Int.random(in: 0..<600, using: &random)
    let second = tick.map { $0 / 600 % 60 } ?? Int.random(in: 0..<60, using: &random)
    let at =
      String(format: "2026-11-%02d", 20 + minute / 300)
      + String(format: "T%02d:%02d:%02d+08:00", 8 + (minute % 300) / 60, minute % 60, second)
    let from = ["buyer", "seller", "seller"].randomElement(using: &random) ?? "buyer"
    let text = texts.randomElement(using: &random) ?? ""
    let auto = Int.random(in: 0..<5, using: &random) == 0 ? ",\"auto\":true" : ""
    let shop = Int.random(in: 0..<3, using: &random) == 0 ? ",\"shop\":\"s-\(c % 4)\"" : ""
    let agent = from == "seller" ? ",\"agent\":\"k-\(c % 3)\"" : ""
    return "{\"conversation\":\"c-\(c)\"\(shop),\"at\":\"\(at)\",\"from\":\"\(from)\"\(agent)\(auto),"
      + "\"text\":\"\(text)\"}"
  }

  static func bytes(_ lines: [String]) -> [UInt8] {
    Array(lines.map { $0 + "\n" }.joined().utf8)
  }

  @Test func accountingLosesNothingOverRandomMixes() throws {
    let session = EvaluationSession(evaluators: [try Self.evaluator("pinduoduo")])
    var random = SeededRandom(seed: 42)
    for round in 0..<40 {
      var lines: [String] = []
      var good = 0
      var blank = 0
      var bad = 0
      for _ in 0..<Int.random(in: 0..<120, using: &random) {
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
          lines.append(["", "   ", "\t", " \t "].randomElement(using: &random) ?? "")
          blank += 1
        case 1, 2:
          lines.append(Self.badLines.randomElement(using: &random) ?? "[]")
          bad += 1
        default:
          lines.append(Self.goodLine(Int.random(in: 0..<8, using: &random), &random))
          good += 1
        }
      }
      var reported = 0
      let options = EvaluationOptions(asOf: Self.asOf, jobs: 1 + round % 3)
      let outcome = session.run([.bytes(name: "mix", Self.bytes(lines))], options: options) { _ in
        reported += 1
      }
      let stats = outcome.stats
      #expect(stats.isBalanced, "round \(round)")
      #expect(stats.linesRead == lines.count)
      #expect(stats.blankSkipped == blank)
      #expect(stats.evaluated == good)
      #expect(stats.rejectedTotal == bad)
      #expect(reported == bad)
      #expect(stats.verdictsWritten == outcome.verdicts.count)
    }
  }

  @Test func strictStopsAtTheFirstErrorLineWithNoVerdicts() throws {
    let session = EvaluationSession(evaluators: [try Self.evaluator("pinduoduo")])
    var random = SeededRandom(seed: 7)
    let lines =
      (0..<5).map { _ in Self.goodLine(1, &random) } + ["[]"] + (0..<5).map { _ in Self.goodLine(1, &random) }
    var problems: [SessionProblem] = []
    let outcome = session.run(
      [.bytes(name: "s", Self.bytes(lines)), .file("/nonexistent/never-opened")],
      options: EvaluationOptions(asOf: Self.asOf, strict: true)
    ) { problems.append($0) }
    #expect(outcome.stoppedAtErrorLine)
    #expect(outcome.verdicts.isEmpty)
    #expect(outcome.stats.linesRead == 6)
    #expect(outcome.stats.evaluated == 5)
    #expect(outcome.inputErrors.isEmpty)
    #expect(
      problems.map(\.rendered) == ["s:6: error: invalid JSON at byte 1: expected an object, found an array"])
  }

  /// Random conversations, judged under every reading the session offers, give one output.
  @Test func verdictsDoNotDependOnOrderGroupingJobsOrSpilling() throws {
    let session = EvaluationSession(evaluators: [
      try Self.evaluator("pinduoduo"), try Self.evaluator("aliexpress"),
    ])
    var random = SeededRandom(seed: 2026)
    for round in 0..<6 {
      var lines: [(conversation: Int, line: String)] = []
      for tick in 0..<300 {
        let c = Int.random(in: 0..<25, using: &random)
        var line = Self.goodLine(c, &random, tick: tick * 97 % 36_000)
        if c % 5 == 0 { line = line.replacingOccurrences(of: "{", with: "{\"platform\":\"aliexpress\",") }
        lines.append((c, line))
      }
      let asOf = EvaluationOptions(asOf: Self.asOf, includePending: round % 2 == 0)
      let reference = session.run([.bytes(name: "a", Self.bytes(lines.map(\.line)))], options: asOf)
      #expect(!reference.verdicts.isEmpty)
      #expect(reference.stats.isBalanced && reference.stats.rejectedTotal == 0)
      let grouped = lines.enumerated().sorted {
        ($0.element.conversation, $0.offset) < ($1.element.conversation, $1.offset)
      }
      .map(\.element.line)
      // Splitting the shuffled lines over two sources keeps line order: files in order, then lines.
      let half = lines.count / 2
      var variants: [(String, [EventSource], EvaluationOptions)] = []
      variants.append(
        (
          "two sources",
          [
            .bytes(name: "1", Self.bytes(lines[..<half].map(\.line))),
            .bytes(name: "2", Self.bytes(lines[half...].map(\.line))),
          ], asOf
        ))
      var o = asOf
      o.grouped = true
      variants.append(("grouped", [.bytes(name: "g", Self.bytes(grouped))], o))
      o.jobs = 3
      variants.append(("grouped jobs 3", [.bytes(name: "g", Self.bytes(grouped))], o))
      o = asOf
      o.jobs = 4
      variants.append(("jobs 4", [.bytes(name: "a", Self.bytes(lines.map(\.line)))], o))
      o.memoryLimit = 1 + round * 4000
      variants.append(("spilled", [.bytes(name: "a", Self.bytes(lines.map(\.line)))], o))
      for (name, sources, options) in variants {
        let outcome = session.run(sources, options: options)
        #expect(outcome.verdicts == reference.verdicts, "round \(round): \(name)")
        #expect(outcome.stats == reference.stats, "round \(round): \(name)")
      }
      // Every instant is distinct, so any order of the lines is the same input.
      var shuffled = lines.map(\.line)
      shuffled.shuffle(using: &random)
      let shuffledOutcome = session.run([.bytes(name: "s", Self.bytes(shuffled))], options: asOf)
      #expect(shuffledOutcome.verdicts == reference.verdicts, "round \(round): shuffled")
    }
  }

  @Test func routingByPlatform() throws {
    let session = EvaluationSession(evaluators: [
      try Self.evaluator("pinduoduo"), try Self.evaluator("aliexpress"),
    ])
    let lines = [
      "{\"conversation\":\"a\",\"shop\":\"s\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"seller\",\"text\":\"神经病\"}",
      "{\"conversation\":\"b\",\"platform\":\"pinduoduo\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"seller\",\"text\":\"神经病\"}",
      "{\"conversation\":\"c\",\"platform\":\"jd\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"seller\",\"text\":\"神经病\"}",
    ]
    var problems: [String] = []
    let outcome = session.run(
      [.bytes(name: "r", Self.bytes(lines))], options: EvaluationOptions(asOf: Self.asOf)
    ) {
      problems.append($0.rendered)
    }
    #expect(
      outcome.verdicts.map { "\($0.verdict.policy)/\($0.policy)" } == [
        "pinduoduo/0", "aliexpress/1", "pinduoduo/0",
      ])
    #expect(problems == ["r:3: error: `platform` `jd` names no policy given (pinduoduo, aliexpress)"])
    #expect(outcome.stats.isBalanced && outcome.stats.evaluated == 2)
    // With one policy, `platform` is ignored.
    let single = EvaluationSession(evaluators: [try Self.evaluator("pinduoduo")])
    let all = single.run([.bytes(name: "r", Self.bytes(lines))], options: EvaluationOptions(asOf: Self.asOf))
    #expect(all.verdicts.count == 3 && all.stats.rejectedTotal == 0)
  }

  /// Grouped mode reuses one slot: a new conversation starts with no shop or buyer of the last,
  /// and a conversation seen before is still out of place.
  @Test func groupedConversationsStartAfresh() throws {
    let session = EvaluationSession(evaluators: [try Self.evaluator("pinduoduo")])
    func line(_ c: String, _ fields: String) -> String {
      "{\"conversation\":\"\(c)\"\(fields),\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"seller\","
        + "\"text\":\"神经病\"}"
    }
    let lines = [
      line("a", ",\"shop\":\"s-1\",\"buyer\":\"b-1\""), line("b", ",\"shop\":\"s-2\",\"buyer\":\"b-2\""),
      line("a", ""), line("c", ""), line("c", ",\"shop\":\"s-3\""), line("b", ",\"shop\":\"s-2\""),
    ]
    var problems: [String] = []
    let outcome = session.run(
      [.bytes(name: "g", Self.bytes(lines))], options: EvaluationOptions(asOf: Self.asOf, grouped: true)
    ) { problems.append($0.rendered) }
    #expect(
      outcome.verdicts.map { "\($0.verdict.conversation?.string ?? "")@\($0.verdict.shop)" } == [
        "a@s-1", "b@s-2", "c@s-3", "c@s-3",
      ])
    #expect(problems.map { $0.prefix(4) } == ["g:3:", "g:6:"])
    #expect(problems.allSatisfy { $0.contains("continues after another began") })
    #expect(outcome.stats.isBalanced && outcome.stats.evaluated == 4)
  }

  /// Aggregate verdicts (from the rate tally) agree however the session reads and judges.
  @Test func ratesDoNotDependOnGroupingJobsOrSpilling() throws {
    let evaluator = try Fixture.evaluator(RunTests.tallyPolicy)
    let session = EvaluationSession(evaluators: [evaluator])
    var random = SeededRandom(seed: 31)
    let events = RunTests.tallyEvents(&random, conversations: 300)
    let reference = evaluator.evaluate(run: events, asOf: nil, includePending: false)
    #expect(reference.filter { $0.aggregate != nil }.count > 5)
    var variants: [EvaluationOptions] = []
    for grouped in [false, true] {
      for jobs in [1, 3] { variants.append(EvaluationOptions(grouped: grouped, jobs: jobs)) }
    }
    variants.append(EvaluationOptions(jobs: 2, memoryLimit: 3000))
    for options in variants {
      let outcome = session.run(events: events, options: options)
      #expect(outcome.verdicts.map(\.verdict) == reference, "\(options)")
      #expect(outcome.stats.rejectedTotal == 0)
    }
  }

  @Test func decodedEventsRunThroughTheSameChecks() throws {
    let session = EvaluationSession(evaluators: [try Self.evaluator("pinduoduo")])
    let decoder = EventDecoder()
    let events = try [
      "{\"conversation\":\"a\",\"shop\":\"s-1\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"seller\",\"text\":\"神经病\"}",
      "{\"conversation\":\"a\",\"shop\":\"s-2\",\"at\":\"2026-11-20T10:01:00+08:00\",\"from\":\"seller\",\"text\":\"神经病\"}",
    ].map { line throws(EventLineError) in try decoder.decode(line) }
    var problems: [String] = []
    let outcome = session.run(events: events, options: EvaluationOptions(asOf: Self.asOf)) {
      problems.append($0.rendered)
    }
    #expect(outcome.verdicts.count == 1)
    #expect(problems.count == 1 && problems[0].hasPrefix("<events>:2: error: shop `s-2` conflicts"))
  }

  @Test func spillCodecRoundTrips() throws {
    var random = SeededRandom(seed: 9)
    let decoder = EventDecoder()
    var events: [Event] = []
    for c in 0..<50 {
      events.append(try decoder.decode(Self.goodLine(c, &random)))
    }
    events.append(
      Event(
        conversation: ByteString(String(repeating: "长", count: 20)), shop: "s", buyer: "b", agent: "a",
        platform: "p", at: Timestamp(seconds: -5, nanoseconds: 999_999_999),
        kind: .message(
          Message(
            role: .platform, auto: true, text: "x",
            attachments: [
              Attachment(kind: .qrCode, url: Array("http://a".utf8), qr: true), Attachment(kind: .image),
            ]))))
    events.append(Event(conversation: "e", at: .epoch, kind: .event(name: "order_shipped")))
    events.append(Event(conversation: "i", id: "msg-7", at: .epoch, kind: .event(name: "x")))
    var bytes: [UInt8] = []
    for (k, e) in events.enumerated() {
      EventCodec.encode(
        PlacedEvent(event: e, position: LinePosition(source: k % 3, line: k + 1)), into: &bytes)
    }
    var reader = SpillFile.Reader(bytes: bytes)
    var back: [PlacedEvent] = []
    while !reader.atEnd, let e = EventCodec.decode(&reader) { back.append(e) }
    #expect(back.map(\.event) == events)
    #expect(back.map(\.position) == events.indices.map { LinePosition(source: $0 % 3, line: $0 + 1) })
    // A cut file is reported, not misread.
    var cut = SpillFile.Reader(bytes: Array(bytes.prefix(bytes.count - 3)))
    var count = 0
    while !cut.atEnd, EventCodec.decode(&cut) != nil { count += 1 }
    #expect(count == events.count - 1)
  }

  @Test func memoryLinesSplitLikeTheFileReader() throws {
    let text: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a\r\n\r\n  \nbb\ncccccc\n\td\nlast".utf8)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID()).jsonl")
    try Data(text).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    func describe(_ line: InputLine) -> String {
      switch line.content {
      case .blank: return "\(line.number):blank"
      case .tooLong(let n): return "\(line.number):long \(n)"
      case .text(let b): return "\(line.number):" + String(decoding: b, as: UTF8.self)
      }
    }
    let reader = try LineReader(path: url.path, maxLineLength: 4)
    var fromFile: [String] = []
    while let line = try reader.next() { fromFile.append(describe(line)) }
    var fromMemory: [String] = []
    text.withUnsafeBufferPointer { buffer in
      var splitter = MemoryLineSplitter(buffer, maxLineLength: 4)
      while let line = splitter.next() { fromMemory.append(describe(line)) }
    }
    #expect(fromMemory == fromFile)
    #expect(fromMemory == ["1:a", "2:blank", "3:blank", "4:bb", "5:long 6", "6:\td", "7:last"])
  }
}
