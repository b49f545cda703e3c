// The compiled program file: round trips, determinism, and every kind of damaged or hostile file
// failing with a typed error (never a trap), or loading as a program that still evaluates safely.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Program archive")
struct ProgramArchiveTests {
  static let compiler = "policyc 0.1.0"

  static func compiled(_ name: String) throws -> (CheckedPolicy, RuleProgram, [UInt8]) {
    let policy = try ShippedPolicyTests.load(name)
    let program = try RuleProgram(compiling: policy)
    let bytes = ProgramArchive.encode(
      program, metadata: ProgramMetadata(policy: policy, compilerVersion: compiler))
    return (policy, program, bytes)
  }

  /// The file with its trailing checksum recomputed, so a change reaches the section decoders.
  static func resealed(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= 4 else { return bytes }
    var out = Array(bytes.dropLast(4))
    let crc = CRC32.checksum(out)
    for shift in stride(from: 0, to: 32, by: 8) {
      out.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift)))
    }
    return out
  }

  static func expectError(
    _ bytes: [UInt8], _ check: (ProgramLoadError) -> Bool,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    do {
      _ = try ProgramArchive.decode(bytes)
      Issue.record("decoded a file that should fail", sourceLocation: sourceLocation)
    } catch {
      #expect(check(error), "unexpected error \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: ["pinduoduo", "aliexpress"])
  func roundTripGivesTheSameProgramAndVerdicts(_ name: String) throws {
    let (policy, program, bytes) = try Self.compiled(name)
    let loaded = try ProgramArchive.decode(bytes)
    #expect(loaded.program == program)
    #expect(loaded.metadata == ProgramMetadata(policy: policy, compilerVersion: Self.compiler))
    #expect(loaded.metadata.policyName == name)
    #expect(loaded.metadata.sourceHash.count == 64)
    #expect(loaded.metadata.formatVersion == ProgramArchive.formatVersion)
    let asOf = try Timestamp(rfc3339: "2026-12-31T00:00:00+08:00")
    let original = try Evaluator(program: program)
    let reloaded = try Evaluator(program: loaded.program)
    let transcripts = [name, "quickstart"] + (name == "pinduoduo" ? ["pinduoduo-busy-day"] : [])
    for transcript in transcripts {
      let events = try ShippedPolicyTests.transcript(transcript)
      let expected = original.evaluate(run: events, asOf: asOf, includePending: true)
      #expect(!expected.isEmpty || transcript == "quickstart")
      #expect(reloaded.evaluate(run: events, asOf: asOf, includePending: true) == expected, "\(transcript)")
    }
  }

  @Test func theSamePolicyCompilesToIdenticalBytes() throws {
    let first = try Self.compiled("pinduoduo").2
    let second = try Self.compiled("pinduoduo").2
    #expect(first == second)
    #expect(try Self.compiled("aliexpress").2 != first)
  }

  @Test func everyTruncationIsATypedError() throws {
    let bytes = try Self.compiled("aliexpress").2
    for length in 0..<bytes.count {
      Self.expectError(Array(bytes.prefix(length))) { error in
        if case .truncated = error { return true }
        return false
      }
    }
  }

  @Test func magicVersionAndChecksumAreChecked() throws {
    let bytes = try Self.compiled("pinduoduo").2
    Self.expectError(Array("policy pinduoduo {".utf8)) { $0 == .notAProgram }
    Self.expectError([]) { $0 == .truncated(offset: 0) }
    // A text-mode transfer turns CR LF into LF: the magic no longer matches.
    var text = bytes
    text.remove(at: 4)
    Self.expectError(text) { $0 == .notAProgram }
    var newer = bytes
    newer[8] = 4
    Self.expectError(newer) { $0 == .unsupportedVersion(found: 4, supported: 3) }
    // Programs of the earlier formats (before history conditions) are refused, not misread.
    for version: UInt8 in [0, 1, 2] {
      var older = bytes
      older[8] = version
      Self.expectError(older) { $0 == .unsupportedVersion(found: UInt16(version), supported: 3) }
    }
    var corrupted = bytes
    corrupted[bytes.count / 2] ^= 0x10
    Self.expectError(corrupted) {
      if case .checksumMismatch = $0 { return true }
      return false
    }
    Self.expectError(bytes + [0]) {
      if case .corrupt = $0 { return true }
      return false
    }
  }

  /// Random flips, with and without the checksum repaired: a typed error, or a program that still
  /// evaluates the shipped transcript without trapping.
  @Test func randomByteFlipsFailTypedOrStillEvaluate() throws {
    let bytes = try Self.compiled("aliexpress").2
    let events = try ShippedPolicyTests.transcript("aliexpress")
    var rng = SeededRandom(seed: 8)
    var loadedCount = 0
    var typedFailures = 0
    for round in 0..<300 {
      var damaged = bytes
      for _ in 0..<Int.random(in: 1...3, using: &rng) {
        let at = Int.random(in: 10..<(bytes.count - 4), using: &rng)
        damaged[at] ^= UInt8.random(in: 1...255, using: &rng)
      }
      do {
        _ = try ProgramArchive.decode(damaged)
        Issue.record("round \(round): a damaged file passed its checksum")
      } catch {
        // Most flips land in section contents (checksum); a few in a frame's tag or length.
        typedFailures += 1
      }
      guard let loaded = try? ProgramArchive.decode(Self.resealed(damaged)) else { continue }
      loadedCount += 1
      if let evaluator = try? Evaluator(program: loaded.program) {
        _ = evaluator.evaluate(run: events, asOf: nil, includePending: true)
      }
    }
    #expect(typedFailures == 300)
    #expect(loadedCount < 300)
  }

  static func minimalIR() -> IR {
    IR(
      policy: "t", zone: "Asia/Shanghai", severities: ["minor"], escalations: [],
      hours: [
        CheckedHours(
          name: "office",
          windowsByWeekday: Array(repeating: [SecondsRange(start: 32400, end: 64800)], count: 7),
          excludedDates: [], span: .none)
      ],
      domainLists: [], nodes: [.from(.seller, .any), .terms(list: 0, atLeast: 1), .and([0, 1])],
      lists: [TextList(name: "contacts", entries: [["微信", "薇信"]])], proximities: [], urlSlots: [],
      patterns: [], normalization: ["casefold", "nfkc"],
      rules: [
        IRRule(name: "contact", clause: "T-1", severity: 0, body: .message(2)),
        IRRule(
          name: "reply", clause: "T-2", severity: 0,
          body: .obligation(
            IRObligation(
              trigger: .message(0), during: nil, response: .reply(.human),
              limits: [CheckedLimit(seconds: 3600, ifDuring: nil)], countingOnly: 0))),
      ])
  }

  static func archive(_ ir: IR) -> [UInt8] {
    ProgramArchive.encode(
      RuleProgram(ir: ir),
      metadata: ProgramMetadata(
        policyName: ir.policy, sourceHash: String(repeating: "0", count: 64), compilerVersion: "t"))
  }

  static func isCorrupt(_ error: ProgramLoadError) -> Bool {
    if case .corrupt = error { return true }
    return false
  }

  static func isInvalid(_ error: ProgramLoadError) -> Bool {
    if case .invalidProgram = error { return true }
    return false
  }

  @Test func handCraftedMinimalProgramLoads() throws {
    let ir = Self.minimalIR()
    #expect(try ProgramArchive.decode(Self.archive(ir)).program == RuleProgram(ir: ir))
  }

  /// Indexes the decoder itself rejects, with the byte offset.
  @Test func outOfRangeIndexesAreCorrupt() {
    var later = Self.minimalIR()
    later.nodes[2] = .and([0, 2])
    Self.expectError(Self.archive(later), Self.isCorrupt)
    var list = Self.minimalIR()
    list.nodes[1] = .terms(list: 4, atLeast: 1)
    Self.expectError(Self.archive(list), Self.isCorrupt)
    var root = Self.minimalIR()
    root.rules[0].body = .message(9)
    Self.expectError(Self.archive(root), Self.isCorrupt)
    var severity = Self.minimalIR()
    severity.rules[0].severity = 3
    Self.expectError(Self.archive(severity), Self.isCorrupt)
    var hours = Self.minimalIR()
    if case .obligation(var o) = hours.rules[1].body {
      o.countingOnly = 1
      hours.rules[1].body = .obligation(o)
    }
    Self.expectError(Self.archive(hours), Self.isCorrupt)
    var rate = Self.minimalIR()
    rate.rules.append(
      IRRule(
        name: "rate", clause: "T-3", severity: 0,
        body: .rate(
          CheckedRate(of: 7, unit: .message, period: .day, during: nil, thresholdMillionths: 1, minimum: nil))
      ))
    Self.expectError(Self.archive(rate), Self.isCorrupt)
    var proximity = Self.minimalIR()
    proximity.proximities = [ProximitySlot(list: 3, distance: 2)]
    Self.expectError(Self.archive(proximity), Self.isCorrupt)
    var words = Self.minimalIR()
    words.nodes.append(.nearWords(list: 0, other: 5, distance: 2))
    Self.expectError(Self.archive(words), Self.isCorrupt)
  }

  /// Values and references only the program's validation sees.
  @Test func invalidValuesAreRejectedByValidation() {
    var cases: [(String, IR)] = []
    var rateOfMessage = Self.minimalIR()
    rateOfMessage.rules.append(
      IRRule(
        name: "rate", clause: "T-3", severity: 0,
        body: .rate(
          CheckedRate(of: 0, unit: .message, period: .day, during: nil, thresholdMillionths: 1, minimum: nil))
      ))
    cases.append(("rate of a message rule", rateOfMessage))
    var zeroLimit = Self.minimalIR()
    zeroLimit.rules[1].body = .obligation(
      IRObligation(
        trigger: .message(0), during: nil, response: .reply(.any),
        limits: [CheckedLimit(seconds: 0, ifDuring: nil)], countingOnly: nil))
    cases.append(("zero limit", zeroLimit))
    var noLimit = Self.minimalIR()
    noLimit.rules[1].body = .obligation(
      IRObligation(trigger: .message(0), during: nil, response: .reply(.any), limits: [], countingOnly: nil))
    cases.append(("no limit", noLimit))
    var window = Self.minimalIR()
    window.hours[0].windowsByWeekday[2] = [SecondsRange(start: 50000, end: 90000)]
    cases.append(("window past midnight", window))
    var unsorted = Self.minimalIR()
    unsorted.hours[0].windowsByWeekday[3] = [
      SecondsRange(start: 500, end: 900), SecondsRange(start: 100, end: 200),
    ]
    cases.append(("windows out of order", unsorted))
    var sixDays = Self.minimalIR()
    sixDays.hours[0].windowsByWeekday.removeLast()
    cases.append(("six days", sixDays))
    var date = Self.minimalIR()
    date.hours[0].excludedDates = [CivilDate(year: 2026, month: 2, day: 30)]
    cases.append(("impossible date", date))
    var zone = Self.minimalIR()
    zone.zone = "Mars/Olympus_Mons"
    cases.append(("unknown zone", zone))
    var pattern = Self.minimalIR()
    pattern.patterns = [PatternSlot(source: "(ab")]
    pattern.nodes.append(.pattern(slot: 0))
    cases.append(("pattern that does not compile", pattern))
    var normalize = Self.minimalIR()
    normalize.normalization = ["nfkc", "casefold"]
    cases.append(("unsorted normalization", normalize))
    var deep = Self.minimalIR()
    for id in 3..<(3 + Lowering.maximumDepth + 1) { deep.nodes.append(.not(id - 1)) }
    cases.append(("nesting too deep", deep))
    // History slots: a window below zero, a slot reading itself, a node that does not exist.
    var negativeWindow = Self.minimalIR()
    negativeWindow.histories = [
      IRHistory(kind: .count(atLeast: 3, withinSeconds: -5), happening: .message(0), without: nil)
    ]
    negativeWindow.nodes.append(ConditionNode.history(slot: 0))
    cases.append(("negative history window", negativeWindow))
    var selfReading = Self.minimalIR()
    selfReading.nodes.append(ConditionNode.history(slot: 0))
    selfReading.histories = [
      IRHistory(kind: .after, happening: .message(selfReading.nodes.count - 1), without: nil)
    ]
    cases.append(("history slot reading itself", selfReading))
    // A happening naming a node that does not exist is refused as the file is read (every node
    // index is checked against the node count there), before validation.
    var missingNode = Self.minimalIR()
    missingNode.histories = [IRHistory(kind: .after, happening: .message(99), without: nil)]
    Self.expectError(Self.archive(missingNode), Self.isCorrupt)
    var missingSlot = Self.minimalIR()
    missingSlot.nodes.append(ConditionNode.history(slot: 1))
    cases.append(("history slot out of range", missingSlot))
    var rolling = Self.minimalIR()
    rolling.rules.append(
      IRRule(
        name: "rate", clause: "T-3", severity: 0,
        body: .rate(
          CheckedRate(
            of: 1, unit: .message, period: .rolling(seconds: 0), during: nil, thresholdMillionths: 2_000_000,
            minimum: nil))))
    cases.append(("rate period and threshold", rolling))
    var nearWords = Self.minimalIR()
    nearWords.nodes.append(.nearWords(list: 0, other: 0, distance: -1))
    cases.append(("negative word distance", nearWords))
    var plans = Self.minimalIR()
    plans.nodes.append(.phones(regions: [.us, .cn, .us]))
    cases.append(("phone plans unsorted", plans))
    var fileTypes = Self.minimalIR()
    fileTypes.nodes.append(.attachmentType(kind: nil, negated: false, fileTypes: [".PDF"]))
    cases.append(("file type not lower-case", fileTypes))
    for (name, ir) in cases {
      Self.expectError(Self.archive(ir)) { error in
        if case .invalidProgram = error { return true }
        Issue.record("\(name): \(error)")
        return true
      }
    }
  }

  /// The node kinds added to format 3 (tags 13 on) round-trip, and programs without them are
  /// written byte for byte as before (the shipped policies' round trips above).
  @Test func issue18ConstructsRoundTrip() throws {
    let source = try #require(Golden.read("compile/6-constructs.policy"))
    let policy = try #require(PolicyChecker.check(source: source, name: "6-constructs.policy").policy)
    let program = try RuleProgram(compiling: policy)
    #expect(program.ir.nodes.contains { if case .nearWords = $0 { return true } else { return false } })
    #expect(program.ir.nodes.contains { if case .phones = $0 { return true } else { return false } })
    #expect(program.textRequest.phoneRegions == [.us, .tw])
    #expect(
      program.ir.nodes.contains(.attachmentType(kind: "file", negated: true, fileTypes: [".pdf", "image/*"])))
    let bytes = ProgramArchive.encode(
      program, metadata: ProgramMetadata(policy: policy, compilerVersion: Self.compiler))
    let loaded = try ProgramArchive.decode(bytes)
    #expect(loaded.program == program)
    #expect(loaded.metadata.formatVersion == 3)
  }

  @Test func goldenDisassemblyOfASmallPolicy() throws {
    let result = PolicyChecker.check(
      path: "serialization/small.policy", provider: DiskSourceProvider(baseDirectory: Golden.testdata.path))
    let policy = try #require(result.policy)
    let program = try RuleProgram(compiling: policy)
    let metadata = ProgramMetadata(policy: policy, compilerVersion: Self.compiler)
    let loaded = try ProgramArchive.decode(ProgramArchive.encode(program, metadata: metadata))
    let text = """
      ; policy \(loaded.metadata.policyName)
      ; format version \(loaded.metadata.formatVersion)
      ; source hash \(loaded.metadata.sourceHash)
      ; compiler \(loaded.metadata.compilerVersion)

      """ + IRDump.dump(loaded.program)
    Golden.check(text, against: "serialization/small.program.txt")
    #expect(IRDump.dump(loaded.program) == IRDump.dump(program))
  }

  @Test func loadAndSaveReportFileProblems() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("p.plp").path
    #expect(throws: ProgramFileError.missing(path: path)) { try ProgramArchive.load(path: path) }
    #expect(throws: ProgramFileError.unreadable(path: dir.path)) { try ProgramArchive.load(path: dir.path) }
    let (policy, program, _) = try Self.compiled("pinduoduo")
    let metadata = ProgramMetadata(policy: policy, compilerVersion: Self.compiler)
    try ProgramArchive.save(program, metadata: metadata, to: path)
    #expect(try ProgramArchive.load(path: path) == LoadedProgram(program: program, metadata: metadata))
    try Data("not a program".utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: ProgramFileError.invalid(path: path, .notAProgram)) {
      try ProgramArchive.load(path: path)
    }
    let missingDir = dir.appendingPathComponent("no/such/dir/p.plp").path
    #expect(throws: (any Error).self) { try ProgramArchive.save(program, metadata: metadata, to: missingDir) }
  }

  @Test func sourceHashCoversNamesAndBytesButNotDirectories() {
    var a = SourceMap()
    a.add(name: "Policies/p.policy", bytes: Array("x".utf8))
    var b = SourceMap()
    b.add(name: "/elsewhere/p.policy", bytes: Array("x".utf8))
    var c = SourceMap()
    c.add(name: "p.policy", bytes: Array("y".utf8))
    var d = SourceMap()
    d.add(name: "q.policy", bytes: Array("x".utf8))
    #expect(ProgramMetadata.sourceHash(of: a) == ProgramMetadata.sourceHash(of: b))
    #expect(ProgramMetadata.sourceHash(of: a) != ProgramMetadata.sourceHash(of: c))
    #expect(ProgramMetadata.sourceHash(of: a) != ProgramMetadata.sourceHash(of: d))
  }
}
