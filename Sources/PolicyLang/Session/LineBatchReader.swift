// The reading thread of a grouped run with several jobs: it reads an input in large chunks and
// hands a worker a range of a chunk (whole lines, cut where the conversation changes) without
// splitting or copying its lines; the worker splits them. Only the lines after the last cut of a
// full chunk (usually part of one conversation) are copied, to the start of the next chunk.

import PolicyLangRuntime

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Bytes read from an input, shared by the batches cut from them. A batch's bytes are never
/// written once it is handed over: the reader only reads into the chunk past every batch cut
/// from it, and moves what is left to another chunk.
final class ReadChunk: @unchecked Sendable {
  let bytes: UnsafeMutablePointer<UInt8>
  let capacity: Int

  init(capacity: Int) {
    self.capacity = max(1, capacity)
    bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
  }

  deinit { bytes.deallocate() }
}

/// Whole lines of one input, read and not yet split, for a worker.
struct LineBatch: Sendable {
  /// The input's name in messages.
  var file: String
  /// The bytes; nil when the batch is only a line too long.
  var chunk: ReadChunk?
  /// Where the lines are in `chunk`: each ends with LF, but the input's last may not.
  var range: Range<Int> = 0..<0
  /// The first line is the input's first (a byte order mark there is dropped), and numbering
  /// starts again.
  var startsFile = false
  /// After the lines, one line longer than the limit, of this many bytes, not kept.
  var tooLong: Int?

  /// The lines, for splitting.
  func withLines<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    guard let chunk, range.lowerBound >= 0, range.upperBound <= chunk.capacity else {
      return body(UnsafeBufferPointer(start: nil, count: 0))
    }
    return withExtendedLifetime(chunk) {
      body(UnsafeBufferPointer(start: chunk.bytes + range.lowerBound, count: range.count))
    }
  }

  /// Calls `body` with each line's number in the batch (from 1) and content, split and
  /// classified exactly as `LineReader` does.
  func forEachLine(maxLineLength: Int, _ body: (Int, InputLine.Content) -> Void) {
    var number = 0
    withLines { buffer in
      var splitter = MemoryLineSplitter(buffer, maxLineLength: maxLineLength, startsFile: startsFile)
      while let line = splitter.next() { body(line.number, line.content) }
      number = splitter.number
    }
    if let tooLong { body(number + 1, .tooLong(byteCount: tooLong)) }
  }
}

/// Where the bytes of an input come from.
enum BatchInput {
  case file(LineReader)
  case memory([UInt8], offset: Int)
}

/// Reads one input and cuts it into `LineBatch`es of about `targetBytes`, each ending where the
/// conversation changes (lines whose conversation id can be seen without decoding); a batch is
/// cut anyway past `mostBytes`. A line longer than the limit is skipped without keeping it.
struct LineBatchReader {
  let name: String
  let maxLineLength: Int
  /// Bytes of a chunk read at once.
  let chunkBytes: Int
  /// Bytes per batch before it is cut at the next change of conversation.
  let targetBytes: Int
  /// Bytes per batch when no change of conversation shows: cut anyway.
  let mostBytes: Int
  var input: BatchInput
  /// The chunk being read, its bytes read so far, and where the next batch starts in it.
  var chunk: ReadChunk?
  var end = 0
  var start = 0
  var startsFile = true
  var atEOF = false
  /// A read failed after lines were read: they are handed over first, then this is thrown.
  var failure: InputError?

  init(
    name: String, input: BatchInput, maxLineLength: Int, chunkBytes: Int, targetBytes: Int, mostBytes: Int
  ) {
    self.name = name
    self.input = input
    self.maxLineLength = max(0, maxLineLength)
    self.chunkBytes = max(1, chunkBytes)
    self.targetBytes = max(1, targetBytes)
    self.mostBytes = max(1, mostBytes)
  }

  /// The next batch, or nil at the end of the input. `spare` holds chunks given back, reused
  /// instead of allocating (and faulting in) new ones.
  mutating func next(spare: inout [ReadChunk]) throws(InputError) -> LineBatch? {
    while true {
      guard let current = chunk else {
        if let failure {
          self.failure = nil
          throw failure
        }
        if atEOF { return nil }
        chunk = Self.take(from: &spare, capacity: chunkBytes)
        end = 0
        start = 0
        continue
      }
      let bytes = current.bytes
      let after = start + targetBytes - 1
      if let cut = Self.firstChange(bytes, from: start, after: after, end: end, most: mostBytes) {
        return batch(upTo: cut)
      }
      if atEOF || failure != nil {
        chunk = nil
        guard start < end else { continue }
        // At a failed read the last line may be incomplete: it is dropped, as `LineReader` does.
        let stop = atEOF ? end : (Self.lastLineEnd(bytes, from: start, end: end).map { $0 + 1 } ?? start)
        guard stop > start else { continue }
        let rest = LineBatch(file: name, chunk: current, range: start..<stop, startsFile: startsFile)
        startsFile = false
        return rest
      }
      if end == current.capacity {
        if let cut = Self.lastChange(bytes, from: start, end: end) { return batch(upTo: cut) }
        if start > 0 {
          moveRest(&spare)
          continue
        }
        if let skipped = try skipLongLine(&spare) { return skipped }
        if end >= mostBytes, let lf = Self.lastLineEnd(bytes, from: start, end: end) {
          return batch(upTo: lf + 1)
        }
        grow()
        continue
      }
      do throws(InputError) {
        let got = try read(into: bytes + end, count: current.capacity - end)
        if got == 0 { atEOF = true } else { end += got }
      } catch {
        failure = error
      }
    }
  }

  /// Hands over the lines from `start` to `cut` of the current chunk.
  mutating func batch(upTo cut: Int) -> LineBatch {
    let lines = LineBatch(file: name, chunk: chunk, range: start..<cut, startsFile: startsFile)
    startsFile = false
    start = cut
    return lines
  }

  mutating func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(InputError) -> Int {
    switch input {
    case .file(let reader):
      return try reader.readBytes(into: destination, count: count)
    case .memory(let bytes, let offset):
      let n = min(count, bytes.count - offset)
      guard n > 0 else { return 0 }
      bytes.withUnsafeBufferPointer { all in
        if let base = all.baseAddress { destination.update(from: base + offset, count: n) }
      }
      input = .memory(bytes, offset: offset + n)
      return n
    }
  }

  /// A chunk of `capacity` bytes: a spare one when one is that large.
  static func take(from spare: inout [ReadChunk], capacity: Int) -> ReadChunk {
    if let last = spare.last, last.capacity >= capacity {
      spare.removeLast()
      return last
    }
    return ReadChunk(capacity: capacity)
  }

  /// Copies the bytes after `start` (lines of the conversation not yet cut, and a partial line)
  /// to the front of another chunk, with room to read at least as much again.
  mutating func moveRest(_ spare: inout [ReadChunk]) {
    guard let old = chunk else { return }
    let rest = end - start
    let next = Self.take(from: &spare, capacity: max(chunkBytes, 2 * rest))
    if rest > 0 { next.bytes.update(from: old.bytes + start, count: rest) }
    chunk = next
    start = 0
    end = rest
  }

  /// The chunk is full of one batch not yet cut: reads on into one twice as large.
  mutating func grow() {
    guard let old = chunk else { return }
    let rest = end - start
    let next = ReadChunk(capacity: 2 * old.capacity)
    if rest > 0 { next.bytes.update(from: old.bytes + start, count: rest) }
    chunk = next
    start = 0
    end = rest
  }

  /// When the line being read (after the chunk's last LF) is already longer than the limit: the
  /// lines before it with the skipped line, counted; reading goes on after the line, in a new chunk.
  mutating func skipLongLine(_ spare: inout [ReadChunk]) throws(InputError) -> LineBatch? {
    guard let old = chunk else { return nil }
    let lineStart = Self.lastLineEnd(old.bytes, from: start, end: end).map { $0 + 1 } ?? start
    // The input's first line does not count its byte order mark, as when it is read whole.
    let bom =
      startsFile && lineStart == 0 && end >= 3 && old.bytes[0] == 0xEF && old.bytes[1] == 0xBB
      && old.bytes[2] == 0xBF
    var count = end - lineStart - (bom ? 3 : 0)
    // As `LineReader`: a CR may still be dropped from the count.
    guard count - 1 > maxLineLength else { return nil }
    var last = old.bytes[end - 1]
    let next = Self.take(from: &spare, capacity: chunkBytes)
    var nextStart = 0
    var nextEnd = 0
    while true {
      let got = try read(into: next.bytes, count: next.capacity)
      if got == 0 {
        atEOF = true
        break
      }
      if let hit = memchr(next.bytes, 0x0A, got) {
        let lf = next.bytes.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        count += lf
        if lf > 0 { last = next.bytes[lf - 1] }
        nextStart = lf + 1
        nextEnd = got
        break
      }
      count += got
      last = next.bytes[got - 1]
    }
    if last == 0x0D { count -= 1 }
    var lines = LineBatch(file: name, chunk: lineStart > start ? old : nil, range: start..<lineStart)
    lines.startsFile = startsFile
    lines.tooLong = count
    startsFile = false
    chunk = next
    start = nextStart
    end = nextEnd
    return lines
  }

  // MARK: Finding cuts

  /// The position of the last LF in `from..<end`, if any.
  static func lastLineEnd(_ bytes: UnsafeMutablePointer<UInt8>, from: Int, end: Int) -> Int? {
    var i = end - 1
    while i >= from {
      if bytes[i] == 0x0A { return i }
      i -= 1
    }
    return nil
  }

  /// The start of the line that ends with the LF at `lf`, not before `floor`.
  static func lineStart(_ bytes: UnsafeMutablePointer<UInt8>, endingAt lf: Int, floor: Int) -> Int {
    var i = lf - 1
    while i >= floor {
      if bytes[i] == 0x0A { return i + 1 }
      i -= 1
    }
    return floor
  }

  /// Whether the lines `a` and `b` both show their conversation ids and the ids differ.
  static func differ(_ bytes: UnsafeMutablePointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
    let first = UnsafeBufferPointer(start: bytes + a.lowerBound, count: a.count)
    let second = UnsafeBufferPointer(start: bytes + b.lowerBound, count: b.count)
    guard let x = SessionRun.plainID(first), let y = SessionRun.plainID(second) else { return false }
    guard x.count == y.count else { return true }
    return memcmp(bytes + a.lowerBound + x.lowerBound, bytes + b.lowerBound + y.lowerBound, x.count) != 0
  }

  /// The first change of conversation between two whole lines at or after the line holding byte
  /// `after` (the start of the second line), or a forced cut past `most` bytes; nil when the
  /// bytes read end first.
  static func firstChange(
    _ bytes: UnsafeMutablePointer<UInt8>, from start: Int, after: Int, end: Int, most: Int
  ) -> Int? {
    guard after < end, let hit = memchr(bytes + after, 0x0A, end - after) else { return nil }
    var lf = bytes.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    var previous = lineStart(bytes, endingAt: lf, floor: start)..<lf
    while lf + 1 < end {
      let next = lf + 1
      guard let found = memchr(bytes + next, 0x0A, end - next) else { return nil }
      lf = bytes.distance(to: found.assumingMemoryBound(to: UInt8.self))
      if differ(bytes, previous, next..<lf) { return next }
      if lf + 1 - start >= most { return lf + 1 }
      previous = next..<lf
    }
    return nil
  }

  /// The last change of conversation between two whole lines in `start..<end`, or nil.
  static func lastChange(_ bytes: UnsafeMutablePointer<UInt8>, from start: Int, end: Int) -> Int? {
    guard let lf = lastLineEnd(bytes, from: start, end: end) else { return nil }
    var laterStart = lineStart(bytes, endingAt: lf, floor: start)
    var later = laterStart..<lf
    while laterStart > start {
      let earlierStart = lineStart(bytes, endingAt: laterStart - 1, floor: start)
      let earlier = earlierStart..<laterStart - 1
      if differ(bytes, earlier, later) { return laterStart }
      later = earlier
      laterStart = earlierStart
    }
    return nil
  }
}
