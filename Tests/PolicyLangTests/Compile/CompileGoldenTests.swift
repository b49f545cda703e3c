// Golden dumps per pass: testdata/compile/N.ir (lowered), N.fold.ir, N.cse.ir, N.order.ir,
// N.opt.ir (every pass) and N.program (with the evaluator's grouping). The inputs are checked
// policies built here (the policy text each one stands for is in its comment).

import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Compile goldens")
struct CompileGoldenTests {
  static let lists = [
    Fixture.list("contact_apps", ["微信|薇信", "QQ"]),
    Fixture.list("insults", ["滚", "傻"]),
    Fixture.list("stop_requests", ["别再发了"]),
    Fixture.list("acks", ["好的"]),
    Fixture.list("unused", ["x"]),
  ]

  static let cases: [String: CheckedPolicy] = [
    // rule a: when message from seller and (true and contains any contact_apps) or false
    // rule b: when message not not (from buyer and from seller)      -> false
    // rule c: when message from human seller and from auto seller    -> false
    // rule d: when message (from seller and contains any insults) or not true
    "1-folding": Fixture.policy(
      [
        Fixture.rule(
          "a",
          .message(
            .or([
              .and([Fixture.fromSeller, .and([.constant(true), .containsAny(list: 0)])]),
              .constant(false),
            ]))),
        Fixture.rule("b", .message(.not(.not(.and([Fixture.fromBuyer, Fixture.fromSeller]))))),
        Fixture.rule("c", .message(.and([.from(.seller, .human), .from(.seller, .auto)]))),
        Fixture.rule(
          "d", .message(.or([.and([Fixture.fromSeller, .containsAny(list: 1)]), .not(.constant(true))]))),
      ], lists: lists),
    // Two rules share `from seller and contains any contact_apps`; a third repeats `contains "滚"`.
    "2-sharing": Fixture.policy(
      [
        Fixture.rule("a", .message(.and([Fixture.fromSeller, .containsAny(list: 0)]))),
        Fixture.rule(
          "b",
          .message(
            .and([
              .and([Fixture.fromSeller, .containsAny(list: 0)]), .detector(.phone, allowed: nil),
            ]))),
        Fixture.rule("c", .message(.or([.containsTerm("滚"), .containsTerm("滚")]))),
      ], lists: lists),
    // Text atoms written first are moved after the sender and attachment checks.
    "3-ordering": Fixture.policy(
      [
        Fixture.rule(
          "a",
          .message(
            .and([
              .matches("加.*微"), .near(list: 0, distance: 12), .containsAtLeast(count: 2, list: 1),
              .hasAttachment(type: "image"), .from(.seller, .human),
            ]))),
        Fixture.rule(
          "b",
          .message(.or([.length(atMost: true, 5), .detector(.qrCode, allowed: nil), Fixture.fromBuyer]))),
      ], lists: lists),
    // Every timeline kind, and a manual rule.
    "4-timeline": Fixture.policy(
      [
        Fixture.rule(
          "reply_speed",
          .obligation(
            CheckedObligation(
              trigger: .message(Fixture.fromBuyer), during: nil, response: .reply(.human),
              limits: [
                CheckedLimit(seconds: 86400, ifDuring: nil), CheckedLimit(seconds: 3600, ifDuring: 0),
              ], countingOnly: 0))),
        Fixture.rule(
          "after_sales",
          .obligation(
            CheckedObligation(
              trigger: .event(["refund_requested"]), during: nil, response: .event(["refund_done"]),
              limits: [CheckedLimit(seconds: 86400, ifDuring: nil)], countingOnly: nil))),
        Fixture.rule(
          "spam",
          .burst(
            CheckedBurst(
              count: 8, sender: SenderSpecValue(role: .seller, kind: .any), windowSeconds: 600,
              breaker: SenderSpecValue(role: .buyer, kind: .any)))),
        Fixture.rule(
          "after_stop",
          .afterStop(
            CheckedAfterStop(
              condition: Fixture.fromSeller, stopList: 2,
              allowance: CheckedAllowance(windowSeconds: 600, maxLength: 20, containing: 3)))),
        Fixture.rule(
          "rate",
          .rate(
            CheckedRate(
              of: 0, unit: .buyerDay, period: .day, during: 0, thresholdMillionths: 800_000,
              minimum: 100))),
        Fixture.rule("manual", .manual(note: nil)),
      ], lists: lists, hours: [Fixture.hours("peak", [(8, 24)])],
      escalations: [
        CheckedEscalation(count: 3, from: 1, to: 2, windowSeconds: 30 * 86400, clause: nil, span: .none)
      ]),
  ]

  @Test(arguments: cases.keys.sorted())
  func passes(_ name: String) throws {
    let policy = try #require(Self.cases[name])
    var ir = try Lowering.lower(policy)
    Golden.check(IRDump.dump(ir), against: "compile/\(name).ir")
    for pass in Passes.all {
      ir = pass.run(ir)
      let file = pass.name == Passes.all.last?.name ? "opt" : pass.name
      Golden.check(IRDump.dump(ir), against: "compile/\(name).\(file).ir")
    }
    Golden.check(IRDump.dump(try RuleProgram(compiling: policy)), against: "compile/\(name).program")
  }

  @Test func operandsAlwaysPrecedeTheirUsers() throws {
    for policy in Self.cases.values {
      let program = try RuleProgram(compiling: policy)
      for (id, node) in program.ir.nodes.enumerated() {
        #expect(node.operands.allSatisfy { $0 < id })
      }
    }
  }

  @Test func validationAcceptsCompiledProgramsAndRefusesBrokenOnes() throws {
    for policy in Self.cases.values {
      let program = try RuleProgram(compiling: policy)
      #expect(RuleProgram.problem(in: program.ir) == nil)
      #expect(try RuleProgram(validating: program.ir) == program)
    }
    let good = try RuleProgram(compiling: try #require(Self.cases["2-sharing"])).ir
    var forward = good
    forward.nodes[0] = .not(5)
    var slot = good
    slot.nodes[1] = .terms(list: 9, atLeast: 1)
    var root = good
    root.rules[0].body = .message(99)
    var severity = good
    severity.rules[0].severity = 7
    for broken in [forward, slot, root, severity] {
      #expect(RuleProgram.problem(in: broken) != nil)
      #expect(throws: CompileError.self) { try RuleProgram(validating: broken) }
    }
    var deep = good
    deep.nodes = [.from(.seller, .any)] + (0..<300).map { .not($0) }
    deep.rules = [IRRule(name: "deep", clause: "C-1", severity: 1, body: .message(300))]
    #expect(RuleProgram.problem(in: deep) == "node 256 nests too deep")
  }

  @Test func tooDeepConditionIsATypedError() {
    var condition = CheckedCondition.from(.seller, .any)
    for _ in 0..<300 { condition = .not(condition) }
    let policy = Fixture.policy([Fixture.rule("deep", .message(condition))])
    #expect(throws: CompileError.conditionTooDeep(rule: "deep")) { try RuleProgram(compiling: policy) }
  }

  @Test func badReferenceAndUnknownZoneAreTypedErrors() {
    let bad = Fixture.policy([Fixture.rule("r", .message(.containsAny(list: 9)))])
    #expect(throws: CompileError.invalidReference(rule: "r", what: "terms")) {
      try RuleProgram(compiling: bad)
    }
    var zone = Fixture.policy([])
    zone.zone = "Mars/Olympus"
    #expect(throws: CompileError.unknownZone("Mars/Olympus")) { try RuleProgram(compiling: zone) }
  }
}

/// Goldens whose input is policy source (`testdata/compile/N.policy`), checked by the checker.
@Suite("Compile goldens from source")
struct CompileSourceGoldenTests {
  @Test(arguments: Golden.inputs("compile", ext: "policy"))
  func passes(_ file: String) throws {
    let source = try #require(Golden.read("compile/\(file)"))
    let result = PolicyChecker.check(source: source, name: file)
    let policy = try #require(result.policy, "\(result.diagnostics)")
    let name = String(file.dropLast(".policy".count))
    var ir = try Lowering.lower(policy)
    Golden.check(IRDump.dump(ir), against: "compile/\(name).ir")
    for pass in Passes.all {
      ir = pass.run(ir)
      let suffix = pass.name == Passes.all.last?.name ? "opt" : pass.name
      Golden.check(IRDump.dump(ir), against: "compile/\(name).\(suffix).ir")
    }
    Golden.check(IRDump.dump(try RuleProgram(compiling: policy)), against: "compile/\(name).program")
  }
}
