// The verdicts of a streaming run, kept as rendered bytes instead of `Verdict` values: each judged
// conversation's verdicts become one block of lines (escalation fields left open), blocks are
// sorted by conversation when memory fills and written as a sorted run to one temporary file, and
// the runs are merged into io.md's order at the end. Memory then holds one run's worth of bytes
// plus what escalation needs of the verdicts it can raise, whatever the input size.

import PolicyLangCore
import PolicyLangRuntime
import PolicyLangText

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One judged conversation's verdicts, rendered (in the worker that judged it).
struct RenderedConversation: Sendable {
  /// The conversation id (the sort key of the block).
  var conversation: ByteString
  /// Each verdict as a 4-byte little-endian length and its line up to the escalation fields, in
  /// (event, policy, rule) order.
  var bytes: [UInt8] = []
  /// The number of verdicts in `bytes`.
  var count = 0
  /// The verdicts escalation may raise: policy, index of the verdict in this block, and what
  /// escalation needs of it.
  var candidates: [(policy: Int, entry: Int, candidate: EscalationCandidate)] = []
  /// Whether a verdict is a violation that is not pending.
  var hasViolation = false

  /// Bytes reserved per verdict before rendering.
  static let typicalVerdictBytes = 384

  /// The verdicts of every policy's result for one conversation, rendered in output order.
  init(conversation: ByteString, results: [ConversationResult?], session: EvaluationSession) {
    self.conversation = conversation
    var order: [(event: Int, policy: Int, rule: Int, index: Int)] = []
    for (p, result) in results.enumerated() {
      guard let result else { continue }
      for (i, v) in result.verdicts.enumerated() {
        order.append((v.reference?.event ?? 0, p, v.rule, i))
      }
    }
    guard !order.isEmpty else { return }
    order.sort { ($0.event, $0.policy, $0.rule, $0.index) < ($1.event, $1.policy, $1.rule, $1.index) }
    var writer = VerdictWriter()
    // About what a verdict line takes (evidence makes some longer): one allocation, not doublings.
    writer.reserveCapacity(order.count * Self.typicalVerdictBytes)
    for item in order {
      guard session.evaluators.indices.contains(item.policy), let result = results[item.policy],
        result.verdicts.indices.contains(item.index)
      else { continue }
      let evaluator = session.evaluators[item.policy]
      let v = result.verdicts[item.index]
      if !v.verdict.pending { hasViolation = true }
      if let candidate = evaluator.escalationCandidate(v) {
        candidates.append((item.policy, count, candidate))
      }
      writer.appendLengthPrefixed(v.verdict, zone: evaluator.calendar.zone)
      count += 1
    }
    bytes = writer.bytes
  }
}

/// Rendered conversation blocks of a run, in memory up to a limit, then in sorted runs on disk.
final class VerdictSpool {
  /// A block in memory: its conversation, the id of its first verdict, and its bytes in `arena`.
  struct Block {
    var conversation: ByteString
    var firstID: Int
    var count: Int
    var offset: Int
    var length: Int
  }

  /// A sorted run in the temporary file.
  struct Run {
    var offset: Int
    var length: Int
  }

  /// Bytes of blocks kept in memory before they are written as a sorted run.
  let limit: Int
  private var arena: [UInt8] = []
  private var blocks: [Block] = []
  private var runs: [Run] = []
  private var descriptor: Int32 = -1
  private var fileSize = 0
  private var fileUnavailable = false
  /// Verdicts stored so far (the next verdict's id).
  private(set) var verdictCount = 0
  /// Per policy, the verdicts escalation may raise, with their ids.
  private(set) var candidates: [[EscalationCandidate]]
  private(set) var candidateIDs: [[Int]]
  /// Problems with the temporary file (the output is then incomplete).
  private(set) var errors: [String] = []

  /// A spool for `policies` policies keeping about `limit` bytes in memory.
  init(policies: Int, limit: Int) {
    self.limit = max(1, limit)
    candidates = Array(repeating: [], count: policies)
    candidateIDs = Array(repeating: [], count: policies)
  }

  deinit {
    if descriptor >= 0 { close(descriptor) }
  }

  /// Keeps one conversation's rendered verdicts.
  func add(_ rendered: RenderedConversation) {
    guard rendered.count > 0 else { return }
    let first = verdictCount
    for (policy, entry, candidate) in rendered.candidates where candidates.indices.contains(policy) {
      candidates[policy].append(candidate)
      candidateIDs[policy].append(first + entry)
    }
    if arena.isEmpty {
      // One allocation of the run's size, not doublings past it.
      arena.reserveCapacity(min(limit, 1 << 26) + rendered.bytes.count)
    }
    blocks.append(
      Block(
        conversation: rendered.conversation, firstID: first, count: rendered.count, offset: arena.count,
        length: rendered.bytes.count))
    arena.append(contentsOf: rendered.bytes)
    verdictCount += rendered.count
    if arena.count >= limit { writeRun() }
  }

  /// Blocks in output order: by conversation, then as stored.
  private func sortBlocks() {
    blocks.sort { a, b in
      a.conversation != b.conversation ? a.conversation < b.conversation : a.firstID < b.firstID
    }
  }

  /// Writes the blocks in memory as one sorted run (or keeps them when no file can be made).
  private func writeRun() {
    guard !fileUnavailable, !blocks.isEmpty else { return }
    if descriptor < 0 {
      guard let fd = SpillFile.unlinkedTemporary(named: "policyc-verdicts") else {
        // No temporary file here: keep everything in memory rather than lose anything.
        fileUnavailable = true
        return
      }
      descriptor = fd
    }
    sortBlocks()
    var out: [UInt8] = []
    out.reserveCapacity(min(arena.count + blocks.count * 48, 1 << 22))
    let start = fileSize
    for block in blocks {
      block.conversation.withBytes { id in
        SpillFile.appendInteger(UInt64(id.count), &out)
        out.append(contentsOf: id)
      }
      SpillFile.appendInteger(UInt64(block.firstID), &out)
      SpillFile.appendInteger(UInt64(block.count), &out)
      SpillFile.appendInteger(UInt64(block.length), &out)
      arena.withUnsafeBufferPointer { all in
        out.append(contentsOf: UnsafeBufferPointer(rebasing: all[block.offset..<block.offset + block.length]))
      }
      if out.count >= 1 << 20 {
        writeToFile(out)
        out.removeAll(keepingCapacity: true)
      }
    }
    writeToFile(out)
    runs.append(Run(offset: start, length: fileSize - start))
    blocks.removeAll(keepingCapacity: true)
    arena.removeAll(keepingCapacity: true)
  }

  private func writeToFile(_ bytes: [UInt8]) {
    let ok = bytes.withUnsafeBytes { raw -> Bool in
      var offset = 0
      while offset < raw.count {
        guard let base = raw.baseAddress else { return true }
        let wrote = write(descriptor, base + offset, raw.count - offset)
        if wrote < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += wrote
      }
      return true
    }
    if !ok { errors.append("cannot write a temporary verdict file: \(String(cString: strerror(errno)))") }
    fileSize += bytes.count
  }

  /// Calls `body` with every block in output order: its first verdict's id, verdict count and bytes.
  func forEachBlock(_ body: (Int, Int, UnsafeBufferPointer<UInt8>) -> Void) {
    if runs.isEmpty {
      sortBlocks()
      arena.withUnsafeBufferPointer { all in
        for block in blocks {
          body(
            block.firstID, block.count,
            UnsafeBufferPointer(rebasing: all[block.offset..<block.offset + block.length]))
        }
      }
      return
    }
    writeRun()
    if !blocks.isEmpty {
      // The file failed after some runs: what is left in memory is merged as one more source.
      sortBlocks()
    }
    var cursors = runs.map { RunCursor(descriptor: descriptor, run: $0) }
    var heads: [RunCursor.Entry?] = []
    for i in cursors.indices { heads.append(cursors[i].next()) }
    var memoryNext = 0
    while true {
      // The smallest head; ties go to the earlier run (runs hold blocks in stored order).
      var best: Int?
      for i in heads.indices {
        guard let head = heads[i] else { continue }
        if let b = best, let current = heads[b], !(head.conversation < current.conversation) { continue }
        best = i
      }
      let memoryHead = blocks.indices.contains(memoryNext) ? blocks[memoryNext] : nil
      if let memoryHead,
        best.flatMap({ heads[$0] }).map({ memoryHead.conversation < $0.conversation }) ?? true
      {
        arena.withUnsafeBufferPointer { all in
          body(
            memoryHead.firstID, memoryHead.count,
            UnsafeBufferPointer(rebasing: all[memoryHead.offset..<memoryHead.offset + memoryHead.length]))
        }
        memoryNext += 1
        continue
      }
      guard let b = best, let head = heads[b] else { break }
      head.bytes.withUnsafeBufferPointer { body(head.firstID, head.count, $0) }
      heads[b] = cursors[b].next()
    }
    for cursor in cursors where cursor.failed {
      errors.append("cannot read a temporary verdict file: \(String(cString: strerror(errno)))")
    }
  }
}

/// Reads the blocks of one sorted run back through a small buffer.
struct RunCursor {
  /// One block read back.
  struct Entry {
    var conversation: ByteString
    var firstID: Int
    var count: Int
    var bytes: [UInt8]
  }

  static let chunk = 1 << 16

  let descriptor: Int32
  var position: Int
  let end: Int
  var buffer: [UInt8] = []
  var start = 0
  /// True when the file could not be read or held something odd.
  var failed = false

  init(descriptor: Int32, run: VerdictSpool.Run) {
    self.descriptor = descriptor
    position = run.offset
    end = run.offset + run.length
  }

  /// Ensures `n` unread bytes are buffered; false at the run's end or on a read error.
  mutating func fill(_ n: Int) -> Bool {
    if buffer.count - start >= n { return true }
    buffer.removeFirst(start)
    start = 0
    while buffer.count < n {
      let want = min(max(Self.chunk, n - buffer.count), end - position)
      guard want > 0 else { return false }
      let old = buffer.count
      buffer.append(contentsOf: repeatElement(0, count: want))
      let got = buffer.withUnsafeMutableBytes { raw -> Int in
        guard let base = raw.baseAddress else { return -1 }
        while true {
          let r = pread(descriptor, base + old, want, off_t(position))
          if r < 0 && errno == EINTR { continue }
          return r
        }
      }
      guard got > 0 else {
        buffer.removeLast(want)
        failed = true
        return false
      }
      buffer.removeLast(want - got)
      position += got
    }
    return true
  }

  mutating func integer() -> Int? {
    guard fill(8) else { return nil }
    var v: UInt64 = 0
    for k in 0..<8 { v |= UInt64(buffer[start + k]) << UInt64(8 * k) }
    start += 8
    return v <= UInt64(Int.max) ? Int(v) : nil
  }

  mutating func bytes(_ n: Int) -> [UInt8]? {
    guard n >= 0, fill(n) else { return nil }
    defer { start += n }
    return Array(buffer[start..<start + n])
  }

  /// The next block, or nil at the run's end.
  mutating func next() -> Entry? {
    if position >= end && start >= buffer.count { return nil }
    guard let idLength = integer(), let id = bytes(idLength), let first = integer(), let count = integer(),
      let length = integer(), let content = bytes(length)
    else {
      failed = true
      return nil
    }
    let conversation = id.withUnsafeBufferPointer { ByteString($0) }
    return Entry(conversation: conversation, firstID: first, count: count, bytes: content)
  }
}
