import Foundation
import Testing

/// Golden files beside the tests, found through `#filePath`.
///
/// Set `POLICYLANG_RECORD=1` to (re)write baselines; a recorded baseline is reported as a test
/// issue so that a recording run never passes silently.
enum Golden {
  static let testdata: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("testdata")

  static var recording: Bool { ProcessInfo.processInfo.environment["POLICYLANG_RECORD"] == "1" }

  /// The files of `testdata/<dir>` with the given extension, sorted by name.
  static func inputs(_ dir: String, ext: String) -> [String] {
    let url = testdata.appendingPathComponent(dir)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.filter { $0.hasSuffix("." + ext) }.sorted()
  }

  static func read(_ path: String) -> String? {
    try? String(contentsOf: testdata.appendingPathComponent(path), encoding: .utf8)
  }

  static func readBytes(_ path: String) -> [UInt8]? {
    (try? Data(contentsOf: testdata.appendingPathComponent(path))).map { [UInt8]($0) }
  }

  /// Compares `actual` with `testdata/<path>`, or records it when recording.
  static func check(
    _ actual: String, against path: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let url = testdata.appendingPathComponent(path)
    if recording {
      try? FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? Data(actual.utf8).write(to: url)
      Issue.record("recorded golden file \(path)", sourceLocation: sourceLocation)
      return
    }
    guard let expected = read(path) else {
      Issue.record(
        "missing golden file \(path); run with POLICYLANG_RECORD=1 to create it",
        sourceLocation: sourceLocation)
      return
    }
    #expect(actual == expected, "golden \(path) differs", sourceLocation: sourceLocation)
  }
}

/// A small deterministic generator (SplitMix64) so property tests are reproducible from a seed.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
