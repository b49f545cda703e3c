// Runs that continue a state (`policyc eval --state`): a time-ordered multi-day stream split at
// random instants and judged run after run, each run's state written to bytes and read back,
// gives the verdicts of one run over the whole stream, except `answered_at` of an obligation
// missed before a boundary and answered after it (null in the run that judged it).

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession

@Suite("Runs that continue a state")
struct ChainedRunsTests {
  /// Random policies (obligations with hours, bursts, stop requests, history conditions, daily,
  /// monthly and rolling rates, escalation over days) and random streams of several shops.
  @Test func chainedRunsEqualOneRun() throws {
    var runs = 0
    var carriedObligations = 0
    for seed in UInt64(1)...40 {
      var random = RandomPolicy(rng: SeededRandom(seed: seed))
      var second = random.policy()
      second.name = "demo2"
      let session = EvaluationSession(evaluators: [
        try Fixture.evaluator(random.policy()), try Fixture.evaluator(second),
      ])
      let events = Self.stream(&random, conversations: 30)
      let first = events.map(\.at).min() ?? Fixture.at("2026-11-20 00:00")
      let last = events.map(\.at).max() ?? first
      let span = max(1, last.seconds - first.seconds)
      let end = Timestamp(seconds: last.seconds + Int64(random.int(0...2 * 86400)))
      var boundaries = (0..<random.int(1...6)).map { _ in
        Timestamp(seconds: first.seconds + Int64(random.int(0...Int(span))), nanoseconds: 0)
      }
      boundaries = Array(Set(boundaries)).sorted() + [end]

      let whole = try session.run(
        events: events, options: EvaluationOptions(asOf: end), continuing: EvaluationState())
      var expected: [Verdict] = whole.verdicts.map { v in
        var verdict = v.verdict
        // Judged by the first run whose boundary lies after the deadline; a response after that
        // boundary is after its as-of.
        if case .timing(let at, let opened, let deadline, let answered?) = verdict.detail,
          let judgedAt = boundaries.first(where: { deadline < $0 }), answered > judgedAt
        {
          verdict.detail = .timing(at, openedAt: opened, deadline: deadline, answeredAt: nil)
        }
        return verdict
      }
      var chained: [Verdict] = []
      var state = EvaluationState()
      var start = Timestamp(seconds: Int64.min / 4)
      for boundary in boundaries {
        let share = events.filter { $0.at >= start && ($0.at < boundary || boundary == end) }
        let outcome = try session.run(
          events: share, options: EvaluationOptions(asOf: boundary), continuing: state)
        #expect(outcome.stats.rejectedTotal == 0, "seed \(seed)")
        chained += outcome.verdicts.map(\.verdict)
        let next = try #require(outcome.state, "seed \(seed)")
        carriedObligations += next.summary().policies.reduce(0) { $0 + $1.openObligations }
        // Through the file format every time.
        state = try EvaluationState.decode(next.encoded())
        #expect(state.encoded() == next.encoded(), "seed \(seed)")
        start = boundary
        runs += 1
      }
      let (missing, extra) = Self.difference(expected, chained)
      #expect(
        missing.isEmpty && extra.isEmpty,
        "seed \(seed) \(boundaries): missing \(missing.prefix(3)), extra \(extra.prefix(3))")
    }
    #expect(runs >= 80)
    // The chains carried open obligations from run to run (the test would pass trivially if not).
    #expect(carriedObligations > 20)
  }

  /// What `a` has that `b` lacks, and the other way round (as multisets).
  static func difference(_ a: [Verdict], _ b: [Verdict]) -> (missing: [String], extra: [String]) {
    var counts: [String: Int] = [:]
    for v in a { counts["\(v)", default: 0] += 1 }
    for v in b { counts["\(v)", default: 0] -= 1 }
    let missing = counts.filter { $0.value > 0 }.keys.sorted()
    let extra = counts.filter { $0.value < 0 }.keys.sorted()
    return (missing, extra)
  }

  /// Every event of a conversation carries its shop and buyer (a conversation's shop and buyer
  /// are the first its events carry up to a run's end: Grammar.md); times in order.
  static func stream(_ random: inout RandomPolicy, conversations: Int) -> [Event] {
    var events: [Event] = []
    for c in 0..<conversations {
      var conversation = random.events(conversation: "c-\(c)")
      let shop = ByteString(random.pick(["s-1", "s-2", "s-3"]))
      let buyer: ByteString? = random.chance(70) ? ByteString("b-\(random.int(1...5))") : nil
      let routed: ByteString? = random.chance(20) ? "demo2" : nil
      for k in conversation.indices {
        conversation[k].shop = shop
        conversation[k].buyer = buyer
        conversation[k].platform = routed
        if random.chance(30) { conversation[k].id = ByteString("m-\(c)-\(k)") }
      }
      events += conversation
    }
    // Time order, as an export or a feed has it (a stable sort keeps each conversation's order).
    return events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(
      \.element)
  }

  @Test func theSameFileTwiceIsRefusedAsLate() throws {
    var random = RandomPolicy(rng: SeededRandom(seed: 7))
    let session = EvaluationSession(evaluators: [try Fixture.evaluator(random.policy())])
    let events = Self.stream(&random, conversations: 10)
    let last = try #require(events.map(\.at).max())
    // An as-of at the last event: the events at that instant are the state's last instant.
    let first = try session.run(
      events: events, options: EvaluationOptions(asOf: last), continuing: EvaluationState())
    let state = try #require(first.state)
    var problems: [SessionProblem] = []
    let again = try session.run(
      events: events, options: EvaluationOptions(asOf: last), continuing: state,
      report: { problems.append($0) })
    #expect(again.stats.evaluated == 0)
    #expect(again.stats.rejected[EventLineReason.late] == events.count)
    #expect(
      again.verdicts.allSatisfy {
        if case .aggregate = $0.verdict.detail { return true } else { return false }
      })
    let already = problems.filter { "\($0)".contains("already judged by an earlier run") }
    #expect(!already.isEmpty)
  }

  @Test func anEventAtTheWatermarkThatIsNewIsTaken() throws {
    var random = RandomPolicy(rng: SeededRandom(seed: 3))
    let policy = try Fixture.evaluator(random.policy())
    let session = EvaluationSession(evaluators: [policy])
    let at = Fixture.at("2026-11-20 10:00")
    let one = Fixture.message(.buyer, "2026-11-20 10:00", "在吗", conversation: "c", shop: "s-1")
    let other = Fixture.message(.buyer, "2026-11-20 10:00", "有货吗", conversation: "c", shop: "s-1")
    let first = try session.run(
      events: [one], options: EvaluationOptions(asOf: at), continuing: EvaluationState())
    let state = try #require(first.state)
    let second = try session.run(
      events: [one, other], options: EvaluationOptions(asOf: at), continuing: state)
    #expect(second.stats.evaluated == 1)
    #expect(second.stats.rejected[EventLineReason.late] == 1)
  }

  @Test func aStateOfOtherPoliciesIsRefused() throws {
    var random = RandomPolicy(rng: SeededRandom(seed: 5))
    let policy = random.policy()
    var renamed = policy
    renamed.name = "other"
    let at = Fixture.at("2026-11-20 10:00")
    let made = try EvaluationSession(evaluators: [try Fixture.evaluator(policy)]).run(
      events: [], options: EvaluationOptions(asOf: at), continuing: EvaluationState())
    let state = try #require(made.state)
    #expect(throws: StateFileError.self) {
      _ = try EvaluationSession(evaluators: [try Fixture.evaluator(renamed)]).run(
        events: [], options: EvaluationOptions(asOf: at), continuing: state)
    }
  }
}
