// One libFuzzer binary for every fuzz target, built by Scripts/fuzz.sh with the package's
// sanitizers (`swift build --sanitize fuzzer --sanitize address -Xswiftc -DFUZZING`), so the build
// is paid once. The target is picked by the environment variable POLICYLANG_FUZZ_TARGET. Built
// without `FUZZING` (as `swift build` does), the same binary replays inputs named on its command
// line, which is how a finding is reproduced under a debugger.

import Foundation
import PolicyLang
import PolicyLangReport

@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangLanguageServer
@testable import PolicyLangRuntime
@testable import PolicyLangText

/// The fuzz targets: each takes arbitrary bytes and must return without trapping.
enum FuzzTarget: String, CaseIterable {
  case events
  case normalize
  case parse
  case check
  case program
  case verdicts
  case lsp

  static let selected: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["POLICYLANG_FUZZ_TARGET"] ?? "events"
    return FuzzTarget(rawValue: name) ?? .events
  }()

  func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    switch self {
    case .events:
      let decoder = EventDecoder()
      _ = try? decoder.decode(bytes)
    case .parse:
      let file = SourceFile(id: FileID(0), name: "fuzz.policy", bytes: Array(bytes))
      _ = Lexer.tokenize(file, keepComments: true)
      _ = Parser.parse(file)
    case .check:
      FuzzCheck.run(bytes)
    case .program:
      // The bytes as a program file, then again with the trailing checksum recomputed so that
      // mutations reach the section decoders and the validation instead of stopping at the CRC.
      let raw = Array(bytes)
      for candidate in [raw, FuzzProgram.resealed(raw)] {
        guard let loaded = try? ProgramArchive.decode(candidate) else { continue }
        FuzzProgram.evaluate(loaded.program)
      }
    case .verdicts:
      // A verdict line through the report: read, counted and drawn on a page, never trapping.
      guard let verdict = try? VerdictLineDecoder().decode(bytes, origin: ReportLineOrigin(file: 0, line: 1))
      else { return }
      let summary = ComplianceSummary(verdicts: [verdict], catalogs: [])
      let inputs = ReportPage.Inputs(
        summary: summary, verdictFiles: ["fuzz"], delays: ReplyDelays.fromVerdicts([verdict], catalogs: [:]))
      _ = ReportPage(inputs, options: ReportPage.Options(language: .english)).render()
    case .lsp:
      // The bytes as the whole input of a language server (framing), then as one message to a
      // server that has a policy open, followed by a request of every kind.
      var raw = LanguageServer(input: MemoryInput(Array(bytes)), output: MemoryOutput(), options: .init())
      _ = raw.run()
      let input = FuzzLSP.preamble + framed(Array(bytes)) + FuzzLSP.requests
      var server = LanguageServer(input: MemoryInput(input), output: MemoryOutput(), options: .init())
      _ = server.run()
    case .normalize:
      // Normalization trusts the event decoder to have validated UTF-8, so mirror that here.
      guard let text = String(validating: bytes, as: UTF8.self) else { return }
      var out = NormalizedText()
      Normalizer(options: .all).normalize(text, into: &out)
      // Detectors and a small automaton run on whatever normalization produced.
      let automaton = TermAutomaton(entries: [
        TermAutomaton.Entry(list: 0, term: 0, scalars: Normalizer(options: .all).normalizeTerm("微信")),
        TermAutomaton.Entry(list: 0, term: 1, scalars: Normalizer(options: .all).normalizeTerm("vx")),
      ])
      let words = automaton.matches(in: out)
      var evidence = URLDetector.find(in: out).map(\.evidence)
      evidence += EmailDetector.find(in: out) + PhoneDetector.find(in: out)
      evidence += BankCardDetector.find(in: out) + AddressDetector.find(in: out)
      evidence += ProximityDetector.find(in: out, contactWords: words, within: 12)
      for e in evidence where e.start > e.end || e.end > out.original.count {
        preconditionFailure("evidence \(e) lies outside the original text")
      }
      for m in RegionalPhoneDetector.find(in: out, regions: Set(PhoneRegion.allCases))
      where m.start > m.end || m.end > out.original.count {
        preconditionFailure("phone \(m) lies outside the original text")
      }
      for i in 0..<out.count
      where out.originStart[i] > out.originEnd[i] || Int(out.originEnd[i]) > out.original.count {
        preconditionFailure("normalized scalar \(i) maps outside the original text")
      }
      // The prefilter may only rule out texts in which the full path finds nothing.
      var scratch = TextMatchScratch()
      var viaPrefilter = FuzzText.matcher.match(utf8: bytes, scratch: &scratch)
      var viaFullPath = FuzzText.matcher.match(text)
      viaPrefilter.original = OriginalText()
      viaFullPath.original = OriginalText()
      if viaPrefilter != viaFullPath {
        preconditionFailure("the prefilter changed the matches of \(Array(text.unicodeScalars))")
      }
    }
  }
}

/// The `check` target: the input is the root policy of a root on disk that holds a library, a word
/// list and symbolic links in and out of it; beside the root lies a secret. The whole checker runs
/// and, when the policy checks, the compiler; no diagnostic (in either language, as text or JSON)
/// and no program (its bytes or its disassembly) may ever show the secret.
enum FuzzCheck {
  static let marker = "POLICYLANG-FUZZ-SECRET-6b2d"

  /// The root directory and the path of the policy the input is written to.
  static let tree: (root: String, policy: String) = {
    let base = FileManager.default.temporaryDirectory
      .appendingPathComponent("policylang-fuzz-check-\(ProcessInfo.processInfo.processIdentifier)").path
    let root = base + "/root"
    let files = [
      // Read as a library, a word list or a policy, the secret would show its marker.
      base + "/secret.txt": "terms leaked = [\"\(marker)\"]\n\(marker)\n",
      root + "/common.policy": "terms shared = [\"微信\" | \"vx\"]\nconst limit = 24h\n",
      root + "/words.txt": "微信 | vx\nQQ\n",
    ]
    try? FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
    for (path, text) in files { _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) }
    let links = [
      "out-link.txt": "../secret.txt", "out-dir": "..", "abs-link.txt": base + "/secret.txt",
      "climb.txt": "sub/../../secret.txt", "in-link.txt": "words.txt", "sub/up.txt": "../words.txt",
    ]
    for (name, target) in links {
      try? FileManager.default.createSymbolicLink(atPath: root + "/" + name, withDestinationPath: target)
    }
    return (root, root + "/fuzz.policy")
  }()

  static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    // An input that holds the marker itself would show it as its own text.
    let needle = Array(marker.utf8)
    if bytes.count >= needle.count {
      for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
        if Array(bytes[start..<(start + needle.count)]) == needle { return }
      }
    }
    // Written in place (no temporary file and rename per input).
    guard (try? Data(bytes).write(to: URL(fileURLWithPath: tree.policy))) != nil else { return }
    let result = PolicyChecker.check(
      path: tree.policy, root: SourceRoot(tree.root), provider: DiskSourceProvider())
    var shown = DiagnosticRenderer(language: .english).render(result.diagnostics, in: result.sources)
    shown += DiagnosticRenderer(language: .chinese).render(result.diagnostics, in: result.sources)
    shown += DiagnosticExport.json(result.diagnostics, in: result.sources)
    if let policy = result.policy, let program = try? RuleProgram(compiling: policy) {
      shown += IRDump.dump(program)
      let file = ProgramArchive.encode(
        program, metadata: ProgramMetadata(policy: policy, compilerVersion: "fuzz"))
      shown += String(decoding: file, as: UTF8.self)
    }
    if shown.contains(marker) { preconditionFailure("a file outside the root was shown:\n\(shown)") }
  }
}

/// Helpers of the `normalize` target.
enum FuzzText {
  /// The matcher of the shipped Pinduoduo policy (run from the repository root), or of a small
  /// request with every kind of slot.
  static let matcher: AutomatonTextMatcher = {
    if let policy = try? CompiledPolicy(policyAt: "Policies/pinduoduo.policy") {
      return AutomatonTextMatcher(request: policy.program.textRequest)
    }
    return AutomatonTextMatcher(
      request: TextRequest(
        lists: [[["微信", "vx", "薇信"], ["q"]], [["12315"], ["好的"]]],
        proximities: [ProximitySlot(list: 0, distance: 12)], urlAllowLists: [nil],
        normalization: NormalizationOptions.names, detectors: ["address", "bank_card", "email", "phone"]))
  }()
}

/// Helpers of the `lsp` target.
enum FuzzLSP {
  static func message(_ json: String) -> [UInt8] { framed(Array(json.utf8)) }

  /// `initialize`, then the opening of a small policy with Chinese text.
  static let preamble: [UInt8] =
    message(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#)
    + message(
      #"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///fuzz.policy","languageId":"policylang","version":1,"text":"policy f {\n  zone Asia/Shanghai\n}\nclause F-1 \"联系方式\" content\nterms apps = [\"微信\" | \"vx\"]\nrule r \"规则\" {\n  clause   F-1\n  severity minr\n  when message contains any ap\n  test \"t\" {\n    seller 10:00 \"加微信\"\n    expect violation at 0\n  }\n}\n"}}}"#
    )

  /// One request of every kind the server answers, at a few positions.
  static let requests: [UInt8] = {
    var bytes: [UInt8] = []
    let methods = [
      "hover", "definition", "references", "completion", "documentSymbol", "formatting", "codeAction",
      "codeLens",
    ]
    for (i, method) in methods.enumerated() {
      for (line, character) in [(8, 28), (40, 3)] {
        bytes += message(
          #"{"jsonrpc":"2.0","id":\#(10 + i),"method":"textDocument/\#(method)","params":{"textDocument":{"uri":"file:///fuzz.policy"},"position":{"line":\#(line),"character":\#(character)},"range":{"start":{"line":0,"character":0},"end":{"line":\#(line),"character":\#(character)}},"context":{"diagnostics":[]},"options":{}}}"#
        )
      }
    }
    return bytes
      + message(
        #"{"jsonrpc":"2.0","id":99,"method":"workspace/executeCommand","params":{"command":"policylang.runTests","arguments":["file:///fuzz.policy"]}}"#
      )
  }()
}

/// Helpers of the `program` target.
enum FuzzProgram {
  /// `bytes` with its last four bytes replaced by the CRC-32 of the rest.
  static func resealed(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= 4 else { return bytes }
    var out = Array(bytes.dropLast(4))
    let crc = CRC32.checksum(out)
    for shift in stride(from: 0, to: 32, by: 8) {
      out.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift)))
    }
    return out
  }

  /// A few fixed events of two conversations: messages of every role with text the detectors
  /// and lists look at, an attachment, a non-message event; evaluated as a run and one by one.
  static let events: [Event] = {
    let base: Int64 = 1_795_600_800  // 2026-11-24T10:00:00+08:00, a Tuesday
    func message(
      _ role: SenderRole, _ minutes: Int64, _ text: String, auto: Bool = false, conversation: String = "c-1"
    )
      -> Event
    {
      var attachments: [Attachment] = []
      if text.isEmpty {
        attachments.append(Attachment(kind: .image, url: Array("https://x.cn/q".utf8), qr: true))
      }
      return Event(
        conversation: ByteString(conversation), shop: "s-1", at: Timestamp(seconds: base + minutes * 60),
        kind: .message(Message(role: role, auto: auto, text: text, attachments: attachments)))
    }
    return [
      message(.buyer, 0, "在吗 请问什么时候发货"),
      message(.seller, 1, "加我薇信 abc_12345 或 qq 13800138000", auto: true),
      message(.seller, 2, "kf@qq.com https://m.example.com/a 6222020200001234562"),
      message(.buyer, 3, "别再发了"),
      message(.seller, 4, "好的 抱歉"),
      message(.seller, 5, ""),
      message(.system, 6, "订单已发货"),
      Event(
        conversation: "c-1", shop: "s-1", at: Timestamp(seconds: base + 600),
        kind: .event(name: "refund_requested")),
      message(.buyer, 600, "还在吗", conversation: "c-2"),
      message(.seller, 2000, "在的", conversation: "c-2"),
    ]
  }()

  static func evaluate(_ program: RuleProgram) {
    guard let evaluator = try? Evaluator(program: program) else { return }
    // The online evaluator (through the session) and the whole-conversation one.
    let session = EvaluationSession(evaluators: [evaluator])
    _ = session.run(events: events, options: EvaluationOptions(includePending: true))
    _ = session.run(events: events, options: EvaluationOptions(asOf: Timestamp(seconds: 1_795_610_000)))
    _ = evaluator.evaluate(
      conversation: events.filter { $0.conversation == "c-1" }, asOf: nil, includePending: true)
    for event in events { _ = evaluator.evaluate(message: event) }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  FuzzTarget.selected.run(UnsafeBufferPointer(start: data, count: size))
  return 0
}

#if !FUZZING
  /// Replays inputs: `POLICYLANG_FUZZ_TARGET=check policylang-fuzz fuzz-out/check/crash-*`.
  @main
  enum FuzzReplay {
    static func main() {
      for path in CommandLine.arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
          print("policylang-fuzz: cannot read \(path)")
          continue
        }
        let bytes = [UInt8](data)
        bytes.withUnsafeBufferPointer { FuzzTarget.selected.run($0) }
        print("policylang-fuzz: \(FuzzTarget.selected.rawValue) ran \(path) (\(bytes.count) bytes)")
      }
    }
  }
#endif
