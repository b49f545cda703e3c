// A run's conversation verdicts, rendered, until the run ends and they can be written in order.
// They are kept in memory up to a budget; past it, the ones in memory are sorted and written to
// an unlinked temporary file as one sorted run. At the end the runs are merged, at most
// `fanIn` at a time (a larger number of runs is first merged into fewer, longer ones), so the
// merge costs a few sequential passes over the file however small the budget is.

import PolicyLangCore
import PolicyLangRuntime

/// Rendered verdicts in io.md's order, in memory and in sorted runs on disk.
package final class VerdictSpool {
  /// Runs merged at once: each open run holds one read buffer.
  package static let fanIn = 64
  /// Bytes of a run read at a time during a merge.
  static let readChunk = 1 << 16
  /// The smallest memory budget: below it, every verdict would be a run of its own.
  package static let minimumBudget = 64 << 10

  /// A verdict in memory: its place in the order, its id and its bytes in `arena`.
  private struct Entry {
    var order: Key
    var id: Int
    var offset: Int
    var length: Int
  }

  /// The part of `VerdictOrder` a conversation verdict needs, stored in the runs.
  package struct Key: Comparable, Sendable {
    package var conversation: ByteString
    package var event: Int
    package var policy: Int
    package var rule: Int

    package static func < (a: Key, b: Key) -> Bool {
      if a.conversation != b.conversation { return a.conversation < b.conversation }
      return (a.event, a.policy, a.rule) < (b.event, b.policy, b.rule)
    }
  }

  /// A sorted run in the temporary file.
  private struct Run {
    var offset: Int
    var length: Int
  }

  private let budget: Int
  private var arena: [UInt8] = []
  private var entries: [Entry] = []
  private var runs: [Run] = []
  private var file: FileDescriptor?
  private var fileSize = 0
  /// Sorted runs written to the temporary file so far.
  package var runCount: Int { runs.count }
  /// Verdicts kept so far: the next one's id.
  package private(set) var count = 0
  /// The first failure of the temporary file: the spool no longer holds every verdict.
  package private(set) var failure: FileError?
  /// Why no temporary file could be made: the verdicts all stay in memory, past the budget.
  package private(set) var diskUnavailable: FileError?

  /// A spool keeping about `budget` bytes of rendered verdicts in memory.
  package init(budget: Int) {
    self.budget = max(Self.minimumBudget, budget)
  }

  deinit { file?.close() }

  /// Keeps one rendered verdict (its bytes as `VerdictWriter.appendOpen` leaves them) and
  /// returns its id.
  @discardableResult
  package func add(_ key: Key, bytes: UnsafeRawBufferPointer) -> Int {
    let id = count
    count += 1
    guard failure == nil else { return id }
    if arena.isEmpty { arena.reserveCapacity(min(budget, 1 << 24)) }
    entries.append(Entry(order: key, id: id, offset: arena.count, length: bytes.count))
    arena.append(contentsOf: bytes)
    if arena.count >= budget && diskUnavailable == nil { writeRun() }
    return id
  }

  private func sortEntries() {
    entries.sort { a, b in a.order != b.order ? a.order < b.order : a.id < b.id }
  }

  /// Writes the verdicts in memory as one sorted run.
  private func writeRun() {
    guard failure == nil, !entries.isEmpty else { return }
    do throws(FileError) {
      let file: FileDescriptor
      if let open = self.file {
        file = open
      } else {
        do throws(FileError) {
          file = try TemporaryDirectory.temporaryFile(named: "policyc-verdicts")
        } catch {
          // Nothing is lost yet: keep going in memory, and say so.
          diskUnavailable = error
          return
        }
        self.file = file
      }
      sortEntries()
      var out: [UInt8] = []
      out.reserveCapacity(1 << 20)
      let start = fileSize
      for entry in entries {
        Self.appendHeader(entry.order, id: entry.id, length: entry.length, to: &out)
        arena.withUnsafeBufferPointer { all in
          out.append(
            contentsOf: UnsafeBufferPointer(rebasing: all[entry.offset..<entry.offset + entry.length]))
        }
        if out.count >= 1 << 20 { try flush(&out, to: file) }
      }
      try flush(&out, to: file)
      runs.append(Run(offset: start, length: fileSize - start))
      entries.removeAll(keepingCapacity: true)
      arena.removeAll(keepingCapacity: true)
    } catch {
      fail(error)
    }
  }

  private func flush(_ out: inout [UInt8], to file: FileDescriptor) throws(FileError) {
    guard !out.isEmpty else { return }
    let at = fileSize
    let result = out.withUnsafeBytes { raw -> Result<Void, FileError> in
      do throws(FileError) {
        try file.write(raw, at: at)
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    try result.get()
    fileSize += out.count
    out.removeAll(keepingCapacity: true)
  }

  private func fail(_ error: FileError) {
    if failure == nil { failure = error }
    // What is in memory can no longer be put in order with what is on disk.
    entries = []
    arena = []
  }

  private static func appendHeader(_ key: Key, id: Int, length: Int, to out: inout [UInt8]) {
    SpillFile.appendBytes(key.conversation, &out)
    SpillFile.appendInteger(UInt64(key.event), &out)
    SpillFile.appendInteger(UInt64(key.policy), &out)
    SpillFile.appendInteger(UInt64(key.rule), &out)
    SpillFile.appendInteger(UInt64(id), &out)
    SpillFile.appendInteger(UInt64(length), &out)
  }

  /// The spool's verdicts as sorted sources to merge: the verdicts in memory when nothing went to
  /// disk, else at most `fanIn` sorted runs (more are first merged into fewer, longer ones).
  /// Throws when the temporary file failed.
  package func sources() throws(FileError) -> [SpoolSource] {
    if let failure { throw failure }
    if runs.isEmpty {
      // Everything is still in memory (nothing went to disk, or no file could be made).
      sortEntries()
      let memory = MemoryCursor(
        entries: entries.map {
          MemoryCursor.Entry(key: $0.order, id: $0.id, offset: $0.offset, length: $0.length)
        },
        arena: arena)
      entries = []
      arena = []
      return [.memory(memory)]
    }
    writeRun()
    if let failure { throw failure }
    guard let file else { return [] }
    while runs.count > Self.fanIn {
      var merged: [Run] = []
      var start = 0
      while start < runs.count {
        let group = Array(runs[start..<min(start + Self.fanIn, runs.count)])
        start += Self.fanIn
        if group.count == 1 {
          merged.append(group[0])
          continue
        }
        let offset = fileSize
        var out: [UInt8] = []
        var merge = try SpoolMerge(
          group.map { .run(RunCursor(file: file, offset: $0.offset, end: $0.offset + $0.length)) })
        try merge.forEach { key, _, id, bytes throws(FileError) in
          Self.appendHeader(key, id: id, length: bytes.count, to: &out)
          out.append(contentsOf: bytes)
          if out.count >= 1 << 20 { try flush(&out, to: file) }
        }
        try flush(&out, to: file)
        merged.append(Run(offset: offset, length: fileSize - offset))
      }
      runs = merged
    }
    return runs.map { .run(RunCursor(file: file, offset: $0.offset, end: $0.offset + $0.length)) }
  }
}

/// One sorted source of spooled verdicts.
package enum SpoolSource {
  case memory(MemoryCursor)
  case run(RunCursor)

  /// The entry under the cursor: its key and id (nil at the end).
  var head: (key: VerdictSpool.Key, id: Int)? {
    switch self {
    case .memory(let c): return c.head
    case .run(let c): return c.head.map { ($0.key, $0.id) }
    }
  }

  mutating func advance() throws(FileError) {
    switch self {
    case .memory(var c):
      c.advance()
      self = .memory(c)
    case .run(var c):
      try c.advance()
      self = .run(c)
    }
  }

  func withHeadBytes(_ body: (UnsafeRawBufferPointer) throws(FileError) -> Void) throws(FileError) {
    switch self {
    case .memory(let c): try c.withHeadBytes(body)
    case .run(let c): try c.withHeadBytes(body)
    }
  }
}

/// Merges sorted sources by a binary heap; each source carries the part (worker) it came from,
/// and ties go to the earlier part, then the earlier id.
package struct SpoolMerge {
  private var sources: [SpoolSource]
  private var parts: [Int]
  private var heap: [Int] = []

  /// A merge of sources all of one part.
  package init(_ sources: [SpoolSource]) throws(FileError) {
    try self.init(sources.map { (0, $0) })
  }

  /// A merge of sources, each with its part.
  package init(_ tagged: [(part: Int, source: SpoolSource)]) throws(FileError) {
    sources = tagged.map(\.source)
    parts = tagged.map(\.part)
    for k in sources.indices {
      try sources[k].advance()
      if sources[k].head != nil { heap.append(k) }
    }
    for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
  }

  private func less(_ a: Int, _ b: Int) -> Bool {
    guard let x = sources[a].head, let y = sources[b].head else { return sources[a].head != nil }
    if x.key != y.key { return x.key < y.key }
    if parts[a] != parts[b] { return parts[a] < parts[b] }
    return x.id < y.id
  }

  private mutating func siftDown(_ start: Int) {
    var i = start
    while true {
      let l = 2 * i + 1
      let r = l + 1
      var smallest = i
      if l < heap.count && less(heap[l], heap[smallest]) { smallest = l }
      if r < heap.count && less(heap[r], heap[smallest]) { smallest = r }
      if smallest == i { return }
      heap.swapAt(i, smallest)
      i = smallest
    }
  }

  /// Calls `body` with every entry in order: its key, part, id and bytes.
  package mutating func forEach(
    _ body: (VerdictSpool.Key, Int, Int, UnsafeRawBufferPointer) throws(FileError) -> Void
  ) throws(FileError) {
    while let top = heap.first, let head = sources[top].head {
      let part = parts[top]
      try sources[top].withHeadBytes { bytes throws(FileError) in try body(head.key, part, head.id, bytes) }
      try sources[top].advance()
      if sources[top].head == nil {
        heap[0] = heap[heap.count - 1]
        heap.removeLast()
      }
      if !heap.isEmpty { siftDown(0) }
    }
  }
}

/// The verdicts of a spool that never wrote a run, sorted, in memory.
package struct MemoryCursor {
  struct Entry {
    var key: VerdictSpool.Key
    var id: Int
    var offset: Int
    var length: Int
  }

  let entries: [Entry]
  let arena: [UInt8]
  /// The index of the entry under the cursor; -1 before the first `advance`.
  var index = -1

  var head: (key: VerdictSpool.Key, id: Int)? {
    entries.indices.contains(index) ? (entries[index].key, entries[index].id) : nil
  }

  mutating func advance() { index += 1 }

  func withHeadBytes(_ body: (UnsafeRawBufferPointer) throws(FileError) -> Void) throws(FileError) {
    guard entries.indices.contains(index) else { return }
    let e = entries[index]
    let result = arena.withUnsafeBytes { all -> Result<Void, FileError> in
      do throws(FileError) {
        try body(UnsafeRawBufferPointer(rebasing: all[e.offset..<e.offset + e.length]))
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    try result.get()
  }
}

/// Reads the entries of one sorted run back through a small buffer.
package struct RunCursor {
  struct Head {
    var key: VerdictSpool.Key
    var id: Int
    var length: Int
  }

  let file: FileDescriptor
  var position: Int
  let end: Int
  var buffer: [UInt8] = []
  var start = 0
  /// The entry under the cursor (its bytes at `buffer[start..<start + length]`), nil at the end.
  var head: Head?

  init(file: FileDescriptor, offset: Int, end: Int) {
    self.file = file
    position = offset
    self.end = end
  }

  /// Makes sure `n` unread bytes are buffered.
  mutating func fill(_ n: Int) throws(FileError) {
    if buffer.count - start >= n { return }
    buffer.removeFirst(start)
    start = 0
    let want = max(VerdictSpool.readChunk, n - buffer.count)
    let take = min(want, end - position)
    guard buffer.count + take >= n else {
      throw FileError("read", file: file.name, reason: "a temporary verdict file is shorter than written")
    }
    let old = buffer.count
    buffer.append(contentsOf: repeatElement(0, count: take))
    let at = position
    let result = buffer.withUnsafeMutableBytes { raw -> Result<Void, FileError> in
      do throws(FileError) {
        try file.read(exactly: UnsafeMutableRawBufferPointer(rebasing: raw[old..<old + take]), at: at)
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    try result.get()
    position += take
  }

  mutating func integer() throws(FileError) -> Int {
    try fill(8)
    var v: UInt64 = 0
    for k in 0..<8 { v |= UInt64(buffer[start + k]) << UInt64(8 * k) }
    start += 8
    guard v <= UInt64(Int32.max) * 1024 else {
      throw FileError("read", file: file.name, reason: "a temporary verdict file is corrupt")
    }
    return Int(v)
  }

  /// Moves to the next entry (skipping the current one's bytes).
  mutating func advance() throws(FileError) {
    if let head {
      start += head.length
      self.head = nil
    }
    guard position < end || start < buffer.count else { return }
    let idLength = try integer()
    try fill(idLength)
    let conversation = buffer.withUnsafeBufferPointer { all in
      ByteString(UnsafeBufferPointer(rebasing: all[start..<start + idLength]))
    }
    start += idLength
    let event = try integer()
    let policy = try integer()
    let rule = try integer()
    let id = try integer()
    let length = try integer()
    try fill(length)
    head = Head(
      key: VerdictSpool.Key(conversation: conversation, event: event, policy: policy, rule: rule), id: id,
      length: length)
  }

  func withHeadBytes(_ body: (UnsafeRawBufferPointer) throws(FileError) -> Void) throws(FileError) {
    guard let head else { return }
    let result = buffer.withUnsafeBytes { all -> Result<Void, FileError> in
      do throws(FileError) {
        try body(UnsafeRawBufferPointer(rebasing: all[start..<start + head.length]))
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    try result.get()
  }
}
