// One libFuzzer binary for every fuzz target, compiled together with the library's sources by
// Scripts/fuzz.sh (`swiftc -sanitize=fuzzer,address -parse-as-library`), so the build is paid
// once. The target is picked by the environment variable POLICYLANG_FUZZ_TARGET.

import Foundation

/// The fuzz targets: each takes arbitrary bytes and must return without trapping.
enum FuzzTarget: String, CaseIterable {
  case events
  case normalize
  case parse

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
      evidence += BankCardDetector.find(in: out)
      evidence += ProximityDetector.find(in: out, contactWords: words, within: 12)
      for e in evidence where e.start > e.end || e.end > out.original.count {
        preconditionFailure("evidence \(e) lies outside the original text")
      }
      for i in 0..<out.count
      where out.originStart[i] > out.originEnd[i] || Int(out.originEnd[i]) > out.original.count {
        preconditionFailure("normalized scalar \(i) maps outside the original text")
      }
    }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  FuzzTarget.selected.run(UnsafeBufferPointer(start: data, count: size))
  return 0
}
