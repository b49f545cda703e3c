// The reading thread's batches under `--jobs`: whatever the chunk and batch sizes, the lines the
// workers split from the batches are the lines `LineReader` gives, numbered alike; batches end
// where the conversation changes; and a grouped run over files gives with two jobs what it gives
// with one, for lines split between chunks, conversations spanning chunks, CRLF, a byte order
// mark, lines too long for a chunk and a last line without LF.

import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite("Line batch reader")
struct LineBatchReaderTests {
  typealias Base = EvaluationSessionTests

  /// A line as compared: its number and text, or a marker.
  static func describe(_ number: Int, _ content: InputLine.Content) -> String {
    switch content {
    case .text(let bytes): return "\(number):" + String(decoding: bytes, as: UTF8.self)
    case .blank: return "\(number):<blank>"
    case .tooLong(let count): return "\(number):<too long \(count)>"
    }
  }

  static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lbr-\(UUID().uuidString).jsonl")
    try Data(bytes).write(to: url)
    return url
  }

  /// Every line as `LineReader` gives it.
  static func referenceLines(_ path: String, maxLine: Int) throws -> [String] {
    let reader = try LineReader(path: path, maxLineLength: maxLine)
    var out: [String] = []
    while let line = try reader.next() { out.append(describe(line.number, line.content)) }
    return out
  }

  /// Every line of every batch, numbered as the run numbers them, and each batch's lines.
  static func batchedLines(
    _ input: BatchInput, maxLine: Int, chunk: Int, target: Int
  ) throws -> (lines: [String], batches: [[String]]) {
    var reader = LineBatchReader(
      name: "t", input: input, maxLineLength: maxLine, chunkBytes: chunk, targetBytes: target,
      mostBytes: SessionRun.mostBytesPerBatch)
    var spare: [ReadChunk] = []
    var lines: [String] = []
    var batches: [[String]] = []
    var taken = 0
    while let batch = try reader.next(spare: &spare) {
      let first = batch.startsFile ? 0 : taken
      var these: [String] = []
      batch.forEachLine(maxLineLength: maxLine) { number, content in
        these.append(describe(first + number, content))
        taken = first + number
      }
      lines += these
      batches.append(these)
    }
    return (lines, batches)
  }

  /// Grouped lines with blank, CRLF, padded and too-long lines, ids with escapes, a byte order
  /// mark on the first line and, sometimes, no final LF.
  static func awkwardInput(_ random: inout SeededRandom, longLine: Int) -> [UInt8] {
    var text = Int.random(in: 0..<3, using: &random) == 0 ? "\u{FEFF}" : ""
    let conversations = Int.random(in: 1..<25, using: &random)
    for c in 0..<conversations {
      for _ in 0..<Int.random(in: 1..<9, using: &random) {
        var line = Base.goodLine(c, &random)
        var end = "\n"
        switch Int.random(in: 0..<24, using: &random) {
        case 0: line = ""
        case 1: end = "\r\n"
        case 2: line = "  \t"
        case 3: line += String(repeating: " ", count: longLine)
        case 4:
          line = line.replacingOccurrences(
            of: "\"conversation\":\"c-", with: "\"conversation\":\"c\\u002d")
        case 5: line = "\r"
        default: break
        }
        text += line + end
      }
    }
    var bytes = Array(text.utf8)
    if Int.random(in: 0..<2, using: &random) == 0, bytes.last == 0x0A { bytes.removeLast() }
    return bytes
  }

  /// The conversation id a line shows without decoding, if any.
  static func plainID(_ line: String) -> String? {
    guard let colon = line.firstIndex(of: ":") else { return nil }
    let bytes = Array(line[line.index(after: colon)...].utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      SessionRun.plainID(buffer).map { String(decoding: bytes[$0], as: UTF8.self) }
    }
  }

  @Test func batchesHoldTheLinesTheLineReaderGives() throws {
    var random = SeededRandom(seed: 4242)
    for round in 0..<30 {
      let bytes = Self.awkwardInput(&random, longLine: 300 + round * 20)
      let url = try Self.temporaryFile(bytes)
      defer { try? FileManager.default.removeItem(at: url) }
      for maxLine in [250, LineReader.defaultMaxLineLength] {
        let reference = try Self.referenceLines(url.path, maxLine: maxLine)
        for (chunk, target) in [(1 << 20, 1 << 20), (64, 1 << 20), (200, 1), (333, 120), (1000, 400)] {
          let reader = try LineReader(path: url.path, maxLineLength: maxLine)
          let fromFile = try Self.batchedLines(.file(reader), maxLine: maxLine, chunk: chunk, target: target)
          let what = "round \(round), max \(maxLine), chunk \(chunk), target \(target)"
          #expect(fromFile.lines == reference, "\(what)")
          let fromMemory = try Self.batchedLines(
            .memory(bytes, offset: 0), maxLine: maxLine, chunk: chunk, target: target)
          #expect(fromMemory.lines == reference, "\(what), in memory")
        }
      }
    }
  }

  @Test func batchesEndWhereTheConversationChanges() throws {
    var random = SeededRandom(seed: 77)
    for _ in 0..<20 {
      var lines: [String] = []
      for c in 0..<Int.random(in: 2..<30, using: &random) {
        for _ in 0..<Int.random(in: 1..<6, using: &random) { lines.append(Base.goodLine(c, &random)) }
      }
      let bytes = Base.bytes(lines)
      for (chunk, target) in [(256, 1 << 20), (700, 1), (4096, 500)] {
        let batches = try Self.batchedLines(
          .memory(bytes, offset: 0), maxLine: 1 << 20, chunk: chunk, target: target
        ).batches
        #expect(batches.allSatisfy { !$0.isEmpty })
        for (earlier, later) in zip(batches, batches.dropFirst()) {
          let last = earlier.last.flatMap(Self.plainID)
          let first = later.first.flatMap(Self.plainID)
          #expect(last != nil && first != nil && last != first, "a cut inside conversation \(last ?? "?")")
        }
      }
    }
  }

  @Test func aLineLongerThanTheChunkIsSkippedAndCounted() throws {
    let long = String(repeating: "x", count: 5000)
    let text = "{\"conversation\":\"a\"}\n" + long + "\r\n{\"conversation\":\"b\"}\n" + long
    let url = try Self.temporaryFile(Array(text.utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let reader = try LineReader(path: url.path, maxLineLength: 100)
    let read = try Self.batchedLines(.file(reader), maxLine: 100, chunk: 64, target: 1 << 20)
    #expect(
      read.lines == [
        "1:{\"conversation\":\"a\"}", "2:<too long 5000>", "3:{\"conversation\":\"b\"}", "4:<too long 5000>",
      ])
    #expect(read.lines == (try Self.referenceLines(url.path, maxLine: 100)))
  }

  @Test func twoJobsGiveWhatOneGivesOverFiles() throws {
    let session = EvaluationSession(evaluators: [
      try Base.evaluator("pinduoduo"), try Base.evaluator("aliexpress"),
    ])
    var random = SeededRandom(seed: 3131)
    for round in 0..<6 {
      var urls: [URL] = []
      defer { for url in urls { try? FileManager.default.removeItem(at: url) } }
      for _ in 0..<2 {
        var bytes = Self.awkwardInput(&random, longLine: 700)
        bytes += Base.bytes(ParallelDecodingTests.messyGroupedLines(&random))
        urls.append(try Self.temporaryFile(bytes))
      }
      let sources = urls.map { EventSource.file($0.path) }
      var serial = EvaluationOptions(asOf: Base.asOf, includePending: round % 2 == 1, grouped: true)
      serial.maxLineLength = 500
      let reference = ParallelDecodingTests.observe(session, sources, serial)
      #expect(reference.stats.isBalanced)
      let streamed = ParallelDecodingTests.streamed(session, sources, serial)
      for (chunk, target) in [(1 << 20, 1 << 20), (64, 1 << 20), (300, 1), (900, 250)] {
        var parallel = serial
        parallel.jobs = 2
        parallel.decodeChunkBytes = chunk
        parallel.bytesPerDecodeBatch = target
        #expect(
          ParallelDecodingTests.observe(session, sources, parallel) == reference,
          "round \(round), chunk \(chunk), target \(target)")
        #expect(
          ParallelDecodingTests.streamed(session, sources, parallel) == streamed,
          "round \(round), chunk \(chunk), target \(target), streamed")
      }
    }
  }
}
