// `--jobs N`: one pass shared out between N workers. The reading thread splits the input into
// lines and sends each to the worker that owns its conversation (by a hash of the id, seen without
// decoding the line), in batches. Each worker runs a whole `Pass` of its own (decode, intake,
// ordering, judge, sink) over its share: a conversation's lines all reach one worker, in input
// order, so every ordering strategy works unchanged on a share. The run's end merges the parts.
//
// Threads share only Sendable values: batches (arrays of bytes), a queue per worker behind a
// `Mutex`, an atomic flag; and, once, each worker's result (`Handoff`).

import Dispatch
import PolicyLangCore
import PolicyLangRuntime
import Synchronization

/// Lines for one worker: their bytes end to end, and where each line is and came from.
struct LineBatch: Sendable {
  var bytes: [UInt8] = []
  var positions: [LinePosition] = []
  var ends: [Int] = []

  var isEmpty: Bool { positions.isEmpty }
}

/// A bounded queue of batches from the reading thread to one worker.
final class BatchQueue: Sendable {
  private let items = Mutex<(batches: [LineBatch], closed: Bool)>(([], false))
  private let available = DispatchSemaphore(value: 0)
  private let space: DispatchSemaphore

  init(capacity: Int) { space = DispatchSemaphore(value: capacity) }

  /// Adds a batch, waiting while the queue is full.
  func put(_ batch: LineBatch) {
    space.wait()
    items.withLock { $0.batches.append(batch) }
    available.signal()
  }

  /// No more batches will come.
  func close() {
    items.withLock { $0.closed = true }
    available.signal()
  }

  /// The next batch, waiting for one; nil once the queue is closed and empty.
  func take() -> LineBatch? {
    while true {
      available.wait()
      let next = items.withLock { state -> (batch: LineBatch?, closed: Bool) in
        guard !state.batches.isEmpty else { return (nil, state.closed) }
        return (state.batches.removeFirst(), false)
      }
      if let batch = next.batch {
        space.signal()
        return batch
      }
      if next.closed {
        // Leave the wake-up for any later call.
        available.signal()
        return nil
      }
    }
  }
}

/// Why a parallel pass stops reading early: 0 while it does not.
final class StopFlag: Sendable {
  static let outOfOrder = 1
  static let errorLine = 2

  private let value = Atomic<Int>(0)

  var reason: Int { value.load(ordering: .relaxed) }

  func set(_ reason: Int) { value.store(reason, ordering: .relaxed) }
}

/// A worker's result, handed to the reading thread once the worker is done.
///
/// `@unchecked Sendable`: the result owns storage that is not `Sendable` (its sink's temporary
/// files). The worker writes it once, as the last thing it does before leaving the dispatch
/// group; the reading thread reads it only after waiting for the group. The two never touch it
/// at once, and the group's wait orders the write before the read.
final class Handoff<Value>: @unchecked Sendable {
  private var value: Value?

  func put(_ value: Value) { self.value = value }

  func take() -> Value? {
    defer { value = nil }
    return value
  }
}

/// One pass over the input shared out between `options.jobs` workers.
struct ParallelPass<Sink: VerdictSink, Ordering: EventOrdering> {
  /// Bytes of lines gathered for a worker before they are sent.
  static var batchBytes: Int { 256 << 10 }
  /// Batches waiting per worker before the reader waits.
  static var queueCapacity: Int { 4 }

  let session: EvaluationSession
  let options: EvaluationOptions
  let carried: CarriedState?
  let makeSink: @Sendable () -> Sink
  let makeOrdering: @Sendable () -> Ordering

  func run(_ sources: [InputSource], reports: RunReports, tee: FileDescriptor?) -> PassResults<Sink> {
    let jobs = max(1, options.jobs)
    let queues = (0..<jobs).map { _ in BatchQueue(capacity: Self.queueCapacity) }
    let stop = StopFlag()
    let handoffs = (0..<jobs).map { _ in Handoff<PassOutcome<Sink>>() }
    let done = DispatchGroup()
    for worker in 0..<jobs {
      let queue = queues[worker]
      let handoff = handoffs[worker]
      let evaluators = session.evaluators
      var share = self.options
      share.memoryLimit = max(1, share.memoryLimit / jobs)
      let options = share
      let makeSink = self.makeSink
      let makeOrdering = self.makeOrdering
      let carried = self.carried
      DispatchQueue.global().async(group: done) {
        let outcome = Self.work(
          queue: queue, stop: stop, evaluators: evaluators, options: options, carried: carried,
          sink: makeSink(),
          ordering: makeOrdering())
        handoff.put(outcome)
      }
    }
    var results = PassResults<Sink>()
    // Error lines are reported at the end, in input order, or not at all when the pass is run
    // again: the workers stop at different lines, so no prefix of the input is known reported.
    var found: [FoundError] = []
    var batches = Array(repeating: LineBatch(), count: jobs)
    let decoder = EventDecoder()
    var groupedPromise = options.grouped ? GroupedPromise() : nil
    sourceLoop: for (index, source) in sources.enumerated() {
      let end = InputLines.read(source, index: index, options: options, reports: reports, tee: tee) {
        content, position in
        reports.lastPosition = position
        switch content {
        case .blank:
          // Counted by the reading thread: no worker needs them.
          results.readerStats.linesRead += 1
          results.readerStats.blankSkipped += 1
          return nil
        case .tooLong(let count):
          results.readerStats.linesRead += 1
          let error = EventLineError.lineTooLong(byteCount: count, limit: options.maxLineLength)
          results.readerStats.reject(error.reason)
          found.append(FoundError(position: position, error: error))
          if options.strict {
            stop.set(StopFlag.errorLine)
            return .stopped
          }
          return nil
        case .text(let bytes):
          let id = Self.conversation(of: bytes, decoder: decoder)
          // `--grouped`: the workers see only their own conversations, so the promise is
          // checked here, over the whole input.
          if let id, var promise = groupedPromise {
            let broken = promise.breaks(id)
            groupedPromise = promise
            if broken {
              results.readerStats.linesRead += 1
              let error = Intake.notGrouped(id)
              results.readerStats.reject(error.reason)
              found.append(FoundError(position: position, error: error))
              if options.strict {
                stop.set(StopFlag.errorLine)
                return .stopped
              }
              return nil
            }
          }
          let worker = id.map { id in id.withBytes { Int(ConversationKey.hash($0) % UInt64(jobs)) } } ?? 0
          batches[worker].bytes.append(contentsOf: bytes)
          batches[worker].ends.append(batches[worker].bytes.count)
          batches[worker].positions.append(position)
          if batches[worker].bytes.count >= Self.batchBytes {
            queues[worker].put(batches[worker])
            batches[worker] = LineBatch()
          }
          return stop.reason == 0 ? nil : .stopped
        }
      }
      if end != nil { break sourceLoop }
    }
    for worker in 0..<jobs {
      if !batches[worker].isEmpty { queues[worker].put(batches[worker]) }
      queues[worker].close()
    }
    done.wait()
    for handoff in handoffs {
      guard let outcome = handoff.take() else { continue }
      results.parts.append(outcome)
    }
    switch stop.reason {
    case StopFlag.outOfOrder: results.end = .outOfOrder
    case StopFlag.errorLine: results.end = .stopped
    default: results.end = nil
    }
    for k in results.parts.indices {
      found += results.parts[k].found
      results.parts[k].found = []
    }
    if results.end == .outOfOrder {
      results.reportedThrough = nil
    } else {
      for error in found.sorted(by: { $0.position < $1.position }) { reports.line(error) }
    }
    return results
  }

  /// A worker: a whole pass over the batches of its queue.
  private static func work(
    queue: BatchQueue, stop: StopFlag, evaluators: [Evaluator], options: EvaluationOptions,
    carried: CarriedState?, sink: consuming Sink, ordering: consuming Ordering
  ) -> PassOutcome<Sink> {
    var pass = Pass(
      evaluators: evaluators, options: options, carried: carried, ordering: ordering, sink: sink)
    while let batch = queue.take() {
      guard stop.reason == 0 else { continue }
      let end = batch.bytes.withUnsafeBufferPointer { buffer -> PassEnd? in
        var start = 0
        for (k, position) in batch.positions.enumerated() {
          let text = UnsafeBufferPointer(rebasing: buffer[start..<batch.ends[k]])
          start = batch.ends[k]
          if let end = pass.line(.text(text), at: position) { return end }
        }
        return nil
      }
      switch end {
      case .outOfOrder: stop.set(StopFlag.outOfOrder)
      case .stopped: stop.set(StopFlag.errorLine)
      case nil: break
      }
    }
    var outcome = pass.end()
    outcome.found = pass.found
    return outcome
  }

  /// A line's conversation id: read as written when it is the line's first field and plain,
  /// else decoded. Nil for a line that does not decode (worker 0 takes it, and reports it).
  static func conversation(of line: UnsafeBufferPointer<UInt8>, decoder: EventDecoder) -> ByteString? {
    if let range = ConversationKey.plainID(line) {
      return ByteString(UnsafeBufferPointer(rebasing: line[range]))
    }
    return (try? decoder.decode(line))?.conversation
  }
}

/// The `--grouped` promise over a whole input: a conversation, once another began, never
/// continues.
struct GroupedPromise {
  private var current: ByteString?
  private let ended = JudgedIDs()

  /// Whether a line of conversation `id`, following the lines seen so far, breaks the promise.
  mutating func breaks(_ id: ByteString) -> Bool {
    guard id != current else { return false }
    if ended.contains(id) { return true }
    if let current { ended.insert(current) }
    current = id
    return false
  }
}

/// The conversation id of a line, seen without decoding it.
enum ConversationKey {
  /// `{"conversation":"`: the prefix of nearly every line.
  static let prefixHead: UInt64 = 0x7265_766E_6F63_227B
  static let prefixTail: UInt64 = 0x3A22_6E6F_6974_6173

  /// The byte range of the conversation id when the line starts with `{"conversation":"` and the
  /// id has no escape (its bytes are then the id's).
  static func plainID(_ text: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    let prefix = 17
    guard text.count > prefix, let base = text.baseAddress else { return nil }
    let raw = UnsafeRawPointer(base)
    guard UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) == prefixHead,
      UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) == prefixTail,
      base[16] == 0x22
    else { return nil }
    var end = prefix
    while end < text.count && base[end] != 0x22 {
      if base[end] == 0x5C { return nil }
      end += 1
    }
    return end < text.count ? prefix..<end : nil
  }

  /// FNV-1a of an id's bytes.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      hash ^= UInt64(b)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}
