// One run of a session: reading, accounting, grouping by conversation, judging and finishing.

import Dispatch
import PolicyLangCore
import PolicyLangRuntime

/// The events of one conversation waiting to be judged, in line order, with its shop and buyer.
struct PendingConversation: Sendable {
  var id: ByteString
  var shop: ByteString?
  var buyer: ByteString?
  var events: [Event]
}

/// One judged conversation: per policy its result (nil when no event is routed to it), and in a
/// streaming run its verdicts rendered (the results then keep only what the rates need).
struct JudgedConversation: Sendable {
  var results: [ConversationResult?]
  var rendered: RenderedConversation?
}

/// The mutable state of one `EvaluationSession.run`.
struct SessionRun {
  /// The reason counted for an event whose `platform` names no policy given. `EventLineReason`
  /// has no case of its own for it yet; its message says exactly what is wrong.
  static let unknownPlatformReason = EventLineReason.unknownPlatform
  /// Memory counted per buffered event beyond its line's bytes (the decoded structure).
  static let eventOverhead = 200
  /// Conversations judged together (in grouped mode also events, whichever fills first): one
  /// worker judges one batch, so batches are small enough to keep every worker busy.
  static let batchConversations = 512
  static let batchEvents = 1 << 13
  /// Events a grouped conversation's list has room for from its start.
  static let typicalConversationEvents = 16

  let session: EvaluationSession
  let options: EvaluationOptions
  let report: (SessionProblem) -> Void
  let decoder = EventDecoder()

  var stats = EvalStats()
  var inputErrors: [InputError] = []
  var stopped = false
  var slotIndex: [ByteString: Int] = [:]
  /// Per conversation seen, by slot: its id, shop and buyer (for conflicts) and buffered events.
  /// Parallel arrays keep the per-line path to reads, and one append. Grouped mode uses slot 0
  /// only, for the conversation being read.
  var ids: [ByteString] = []
  var shops: [ByteString?] = []
  var buyers: [ByteString?] = []
  var eventLists: [[Event]] = []
  /// Grouped mode: the slot of the conversation being read, and finished ones waiting to be judged.
  var current: Int?
  /// Grouped mode: the ids of the conversations already read (a line of one is out of place).
  let judgedConversations = JudgedIDs()
  var batch: [PendingConversation] = []
  var batchEventCount = 0
  /// Ungrouped mode: estimated bytes of buffered events, and the partitions once spilling started.
  var bufferedBytes = 0
  var spill: SpillPartitions?
  var spillUnavailable = false
  /// Grouped runs with several jobs and no `strict`: workers decode the lines (see `enqueue`).
  var parallelDecoding = false
  /// With parallel decoding: chunks taken back from batches, to read into again, and the lines
  /// of the current input taken in so far (error lines of the next batch are numbered after).
  var spareChunks: [ReadChunk] = []
  var linesTaken = 0
  /// Failures of the run's own machinery (temporary files): the output would be incomplete.
  var internalErrors: [String] = []
  /// Batches being judged in the background, oldest first (several jobs only): at most `jobs + 1`,
  /// so workers never wait for the reader while memory stays bounded.
  var inFlight: [InFlightBatch] = []
  /// Per policy, the verdicts of every conversation judged so far, in the order judged (a run
  /// that collects verdicts; a streaming run keeps them rendered in `spool`).
  var verdicts: [[RankedVerdict]]
  /// A streaming run: the rendered verdicts, written in order by `finish(writing:)`.
  var spool: VerdictSpool?
  /// Whether a verdict judged so far is a violation that is not pending.
  var hasViolation = false
  /// Per policy, the rate counters of every conversation judged so far (its obligation records
  /// are folded in as soon as it is judged, then dropped). With several jobs the workers count
  /// into `shared` instead, and `tallies` holds the result once the run is judged.
  var tallies: [RateTally]
  /// Several jobs: the tallies the workers count into, and the obligations of the results kept
  /// since a batch was last handed over (the next batch's worker counts them).
  var shared: SharedTallies?
  var owed: [OwedObligations] = []
  /// Lists of obligations owed that workers gathered (one per batch taken in).
  var owedLists: [[OwedObligations]] = []

  init(
    session: EvaluationSession, options: EvaluationOptions, streaming: Bool = false,
    report: @escaping (SessionProblem) -> Void
  ) {
    self.session = session
    self.options = options
    self.report = report
    verdicts = Array(repeating: [], count: session.evaluators.count)
    tallies = session.evaluators.map { RateTally(for: $0) }
    if options.jobs > 1 { shared = SharedTallies(tallies) }
    if streaming {
      spool = VerdictSpool(policies: session.evaluators.count, limit: Self.spoolLimit(options.memoryLimit))
    }
  }

  /// Bytes of rendered verdicts kept in memory before a sorted run is written: a slice of the
  /// memory limit, at most 4 MiB (more buys little: the merge reads each run sequentially).
  static func spoolLimit(_ memoryLimit: Int) -> Int { max(1, min(memoryLimit / 16, 4 << 20)) }

  // MARK: Reading

  mutating func readAll(_ sources: [EventSource]) {
    parallelDecoding = options.grouped && options.jobs > 1 && !options.strict
    for source in sources {
      if stopped { break }
      if parallelDecoding {
        readInBatches(source)
        continue
      }
      switch source {
      case .bytes(let name, let bytes):
        bytes.withUnsafeBufferPointer { buffer in
          var splitter = MemoryLineSplitter(buffer, maxLineLength: options.maxLineLength)
          while !stopped, let line = splitter.next() { take(line, file: name) }
        }
      case .file, .standardInput:
        let reader: LineReader
        do throws(InputError) {
          if case .file(let path) = source {
            reader = try LineReader(path: path, maxLineLength: options.maxLineLength)
          } else {
            reader = LineReader(standardInputWithMaxLineLength: options.maxLineLength)
          }
        } catch {
          fail(error)
          continue
        }
        do throws(InputError) {
          while !stopped, let line = try reader.next() { take(line, file: reader.name) }
        } catch {
          fail(error)
        }
      }
    }
  }

  /// One line read, decoded here.
  mutating func take(_ line: InputLine, file: String) {
    process(line, file: file)
  }

  mutating func fail(_ error: InputError) {
    // Error lines of what was read before are reported first.
    if parallelDecoding {
      if batchIsFull { judgeBatch() }
      collectInFlight()
    }
    inputErrors.append(error)
    report(.input(error))
  }

  mutating func process(_ line: InputLine, file: String) {
    stats.linesRead += 1
    switch line.content {
    case .blank:
      stats.blankSkipped += 1
    case .tooLong(let count):
      reject(.lineTooLong(byteCount: count, limit: options.maxLineLength), file: file, line: line.number)
    case .text(let bytes):
      decodeAndAccept(bytes, file: file, line: line.number)
    }
  }

  /// Decodes a line already counted as read, then accepts or rejects its event.
  mutating func decodeAndAccept(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int) {
    do throws(EventLineError) {
      let event = try decoder.decode(bytes)
      accept(event, file: file, line: line, cost: bytes.count + Self.eventOverhead)
    } catch {
      reject(error, file: file, line: line)
    }
  }

  mutating func reject(_ error: EventLineError, file: String, line: Int) {
    stats.reject(error.reason)
    report(.line(file: file, line: line, error))
    if options.strict { stopped = true }
  }

  /// Routes, checks and keeps one decoded event (counted as read by the caller).
  mutating func accept(_ event: consuming Event, file: String, line: Int, cost: Int) {
    guard session.route(event) != nil else {
      reject(Self.unknownPlatform(event, session: session), file: file, line: line)
      return
    }
    let slot: Int
    if options.grouped {
      if current == nil || ids.first != event.conversation {
        if judgedConversations.contains(event.conversation) {
          reject(Self.notGrouped(event.conversation), file: file, line: line)
          return
        }
        startGrouped(event.conversation)
      }
      slot = 0
    } else if let known = slotIndex[event.conversation] {
      slot = known
    } else {
      slot = ids.count
      ids.append(event.conversation)
      shops.append(nil)
      buyers.append(nil)
      eventLists.append([])
      slotIndex[event.conversation] = slot
    }
    if let conflict = Self.conflict(event, shop: shops[slot], buyer: buyers[slot]) {
      reject(conflict, file: file, line: line)
      return
    }
    if let shop = event.shop, shops[slot] == nil { shops[slot] = shop }
    if let buyer = event.buyer, buyers[slot] == nil { buyers[slot] = buyer }
    stats.evaluated += 1
    if let spill {
      spill.append(event)
      return
    }
    eventLists[slot].append(event)
    guard !options.grouped else { return }
    bufferedBytes += cost
    if bufferedBytes > options.memoryLimit && !spillUnavailable { startSpilling() }
  }

  /// The error of an event whose `platform` names no policy given.
  static func unknownPlatform(_ event: Event, session: EvaluationSession) -> EventLineError {
    let given = session.names.map(\.string).joined(separator: ", ")
    let platform = quoted(event.platform ?? .empty)
    return EventLineError(unknownPlatformReason, "`platform` \(platform) names no policy given (\(given))")
  }

  /// The error of a grouped line whose conversation was already judged.
  static func notGrouped(_ conversation: ByteString) -> EventLineError {
    EventLineError(
      .notGrouped,
      "conversation \(quoted(conversation)) continues after another began (--grouped promises contiguous lines)"
    )
  }

  /// The error of an event whose shop or buyer conflicts with its conversation's, or nil.
  static func conflict(
    _ event: Event, shop earlierShop: ByteString?, buyer earlierBuyer: ByteString?
  )
    -> EventLineError?
  {
    if let shop = event.shop, let earlier = earlierShop, earlier != shop {
      return EventLineError(
        .conflictingShop,
        "shop \(quoted(shop)) conflicts with shop \(quoted(earlier)) of an earlier line"
          + " of conversation \(quoted(event.conversation))")
    }
    if let buyer = event.buyer, let earlier = earlierBuyer, earlier != buyer {
      return EventLineError(
        .conflictingBuyer,
        "buyer \(quoted(buyer)) conflicts with buyer \(quoted(earlier)) of an earlier line"
          + " of conversation \(quoted(event.conversation))")
    }
    return nil
  }

  /// An id for a message: at most 40 scalars in backquotes, control characters shown as `?`.
  static func quoted(_ id: ByteString) -> String {
    var out = ""
    var count = 0
    for scalar in id.string.unicodeScalars {
      if count == 40 {
        out += "…"
        break
      }
      out.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? "?" : scalar)
      count += 1
    }
    return "`" + out + "`"
  }

  // MARK: Grouped mode

  /// Grouped mode: the line of a new conversation arrived; the one being read is complete, and
  /// slot 0 is reused for the new one.
  mutating func startGrouped(_ conversation: ByteString) {
    if let current {
      finishGrouped(current)
      judgedConversations.insert(ids[current])
    }
    if ids.isEmpty {
      ids.append(conversation)
      shops.append(nil)
      buyers.append(nil)
      eventLists.append([])
    } else {
      ids[0] = conversation
      shops[0] = nil
      buyers[0] = nil
      eventLists[0] = []
    }
    // Room for a typical conversation at once, instead of growing 1, 2, 4, 8, 16.
    eventLists[0].reserveCapacity(Self.typicalConversationEvents)
    current = 0
  }

  /// The grouped conversation in `slot` is complete: queue it and forget its events.
  mutating func finishGrouped(_ slot: Int) {
    let events = eventLists[slot]
    eventLists[slot] = []
    guard !events.isEmpty else { return }
    batch.append(PendingConversation(id: ids[slot], shop: shops[slot], buyer: buyers[slot], events: events))
    batchEventCount += events.count
    // With parallel decoding this runs while results are collected: the reader judges later.
    if !parallelDecoding && batchIsFull { judgeBatch() }
  }

  /// Whether enough finished conversations wait to make a batch.
  var batchIsFull: Bool { batch.count >= Self.batchConversations || batchEventCount >= Self.batchEvents }

  /// Judges the queued conversations in slices of `batchConversations`, each slice's events
  /// released as it is handed over. With several jobs each slice is judged by one worker in the
  /// background while reading goes on; results are kept in the order the slices were queued.
  mutating func judgeBatch() {
    var pending = batch
    batch = []
    batchEventCount = 0
    let render = spool != nil
    var oneJob = options
    oneJob.jobs = 1
    let single = oneJob
    let session = session
    let shared = shared
    var start = 0
    while start < pending.count {
      let end = min(start + Self.batchConversations, pending.count)
      let slice = Array(pending[start..<end])
      for i in start..<end { pending[i].events = [] }
      start = end
      guard options.jobs > 1 else {
        store(Self.judge(slice, session: session, options: single, render: render))
        continue
      }
      while inFlight.count > options.jobs { collectOldest() }
      let job = InFlightBatch()
      let counted = takeOwed()
      DispatchQueue.global().async(group: job.group) {
        job.results = Self.judge(slice, session: session, options: single, render: render)
        shared?.add(counted)
      }
      inFlight.append(job)
    }
    // Batches already done are kept now: their memory is freed early.
    while let oldest = inFlight.first, oldest.group.wait(timeout: .now()) == .success { collectOldest() }
  }

  /// Waits for the oldest batch in flight and keeps its results.
  mutating func collectOldest() {
    guard !inFlight.isEmpty else { return }
    let job = inFlight.removeFirst()
    job.group.wait()
    if var lines = job.lines {
      let decoded = job.decoded
      job.lines = nil
      job.decoded = nil
      absorb(decoded, of: lines)
      recycle(&lines)
    } else {
      store(job.results)
    }
    job.results = []
  }

  /// Waits for every batch in flight, oldest first, and keeps their results.
  mutating func collectInFlight() {
    while !inFlight.isEmpty { collectOldest() }
  }

  /// Keeps the verdicts of judged conversations and counts their obligations for the rates.
  mutating func store(_ judged: [JudgedConversation]) {
    for conversation in judged {
      if let rendered = conversation.rendered {
        if rendered.hasViolation { hasViolation = true }
        spool?.add(rendered)
      }
      for (p, result) in conversation.results.enumerated() {
        guard let result, verdicts.indices.contains(p) else { continue }
        if spool == nil {
          if !hasViolation && result.verdicts.contains(where: { !$0.verdict.pending }) { hasViolation = true }
          verdicts[p].append(contentsOf: result.verdicts)
        }
        if shared == nil {
          tallies[p].add(result)
        } else if !result.obligations.isEmpty {
          owed.append(OwedObligations(policy: p, shop: result.shop, records: result.obligations))
        }
      }
    }
  }

  /// The obligations owed to the shared tallies, for the next worker to count.
  mutating func takeOwed() -> [[OwedObligations]] {
    var taken: [[OwedObligations]] = []
    swap(&taken, &owedLists)
    if !owed.isEmpty {
      taken.append(owed)
      owed = []
    }
    return taken
  }

  /// Once every batch is collected: counts what is still owed and takes the shared tallies back.
  mutating func settleTallies() {
    guard let shared else { return }
    shared.add(takeOwed())
    tallies = shared.take()
    self.shared = nil
  }

  // MARK: Spilling

  mutating func startSpilling() {
    guard let partitions = SpillPartitions() else {
      // No temporary files here: keep buffering in memory rather than lose anything.
      spillUnavailable = true
      return
    }
    for i in eventLists.indices where !eventLists[i].isEmpty {
      for event in eventLists[i] { partitions.append(event) }
      eventLists[i] = []
    }
    bufferedBytes = 0
    spill = partitions
  }

  /// Judges the spilled partitions one by one, each grouped by conversation in line order.
  mutating func judgeSpilled(_ partitions: SpillPartitions) {
    for p in 0..<partitions.count {
      var order: [ByteString: Int] = [:]
      var pending: [PendingConversation] = []
      partitions.forEachEvent(inPartition: p) { event in
        if let i = order[event.conversation] {
          pending[i].events.append(event)
        } else {
          order[event.conversation] = pending.count
          pending.append(PendingConversation(id: event.conversation, events: [event]))
        }
      }
      for i in pending.indices {
        if let slot = slotIndex[pending[i].id] {
          pending[i].shop = shops[slot]
          pending[i].buyer = buyers[slot]
        }
      }
      batch = pending
      judgeBatch()
    }
    internalErrors += partitions.errors
  }

  // MARK: Judging

  /// Judges conversations on the calling thread; per conversation, one result per policy (nil
  /// when no event of the conversation is routed to it). Parallel runs call it from workers.
  static func judge(
    _ conversations: [PendingConversation], session: EvaluationSession, options: EvaluationOptions,
    render: Bool
  ) -> [JudgedConversation] {
    conversations.map { judgeOne($0, session: session, options: options, render: render) }
  }

  /// Judges one conversation; with `render`, renders its verdicts here, in the worker, and keeps
  /// in its results only what the rates count.
  static func judgeOne(
    _ c: PendingConversation, session: EvaluationSession, options: EvaluationOptions, render: Bool
  ) -> JudgedConversation {
    var results = judgeOne(c, session: session, options: options)
    guard render else { return JudgedConversation(results: results, rendered: nil) }
    let rendered = RenderedConversation(conversation: c.id, results: results, session: session)
    for p in results.indices { results[p]?.verdicts = [] }
    return JudgedConversation(results: results, rendered: rendered)
  }

  static func judgeOne(
    _ c: PendingConversation, session: EvaluationSession, options: EvaluationOptions
  ) -> [ConversationResult?] {
    let single = session.evaluators.count == 1
    return session.evaluators.indices.map { p in
      var events = single ? c.events : c.events.filter { session.route($0)?.contains(p) ?? false }
      guard !events.isEmpty else { return nil }
      // The shop and buyer of the conversation hold for every policy, whichever line named them.
      if let shop = c.shop, !events.contains(where: { $0.shop != nil }) { events[0].shop = shop }
      if let buyer = c.buyer, !events.contains(where: { $0.buyer != nil }) { events[0].buyer = buyer }
      return session.evaluators[p].evaluate(
        conversation: events, asOf: options.asOf, includePending: options.includePending)
    }
  }

  // MARK: Finishing

  /// Judges what is still waiting and collects the batch in flight.
  mutating func judgeRemaining() {
    if !stopped {
      if options.grouped {
        if parallelDecoding {
          if batchIsFull { judgeBatch() }
          // Every decoded batch is taken in before the last conversation is known.
          collectInFlight()
        }
        if let current { finishGrouped(current) }
        if !batch.isEmpty { judgeBatch() }
      } else if let spill {
        judgeSpilled(spill)
      } else {
        batch = eventLists.indices.compactMap { i in
          eventLists[i].isEmpty
            ? nil : PendingConversation(id: ids[i], shop: shops[i], buyer: buyers[i], events: eventLists[i])
        }
        eventLists = []
        judgeBatch()
      }
    }
    collectInFlight()
    settleTallies()
    internalErrors += judgedConversations.errors
  }

  mutating func finish() -> SessionOutcome {
    judgeRemaining()
    var written: [SessionVerdict] = []
    if !stopped {
      // Each policy's verdicts are moved out (not copied) into its finish; with one policy the
      // finish builds the session's verdicts directly.
      var finished: [[Verdict]] = []
      for p in session.evaluators.indices where verdicts.indices.contains(p) {
        var taken: [RankedVerdict] = []
        swap(&taken, &verdicts[p])
        if session.evaluators.count == 1 {
          written = session.evaluators[p].finish(consume taken, tally: tallies[p], asOf: options.asOf) {
            SessionVerdict(policy: p, verdict: $0)
          }
        } else {
          finished.append(
            session.evaluators[p].finish(verdicts: consume taken, tally: tallies[p], asOf: options.asOf))
        }
      }
      if session.evaluators.count > 1 { written = Self.merge(finished) }
    }
    stats.verdictsWritten = written.count
    internalErrors += tallies.flatMap(\.units.errors)
    return SessionOutcome(
      verdicts: written, stats: stats, inputErrors: inputErrors, internalErrors: internalErrors,
      stoppedAtErrorLine: stopped, hasViolation: written.contains { !$0.verdict.pending })
  }

  /// Merges each policy's finished verdicts into the session's order (see `EvaluationSession`).
  static func merge(_ finished: [[Verdict]]) -> [SessionVerdict] {
    if finished.count == 1, let only = finished.first {
      return only.map { SessionVerdict(policy: 0, verdict: $0) }
    }
    struct Keyed {
      var verdict: SessionVerdict
      var position: Int
    }
    var conversations: [Keyed] = []
    var aggregates: [Keyed] = []
    for (p, list) in finished.enumerated() {
      for (position, v) in list.enumerated() {
        let keyed = Keyed(verdict: SessionVerdict(policy: p, verdict: v), position: position)
        if case .aggregate = v.detail { aggregates.append(keyed) } else { conversations.append(keyed) }
      }
    }
    func reference(_ v: Verdict) -> VerdictEvent? {
      switch v.detail {
      case .content(let e, _), .timing(let e, _, _, _): return e
      case .aggregate: return nil
      }
    }
    conversations.sort { a, b in
      let ea = reference(a.verdict.verdict)
      let eb = reference(b.verdict.verdict)
      let ca = ea?.conversation ?? .empty
      let cb = eb?.conversation ?? .empty
      if ca != cb { return ca < cb }
      return (ea?.event ?? 0, a.verdict.policy, a.position) < (eb?.event ?? 0, b.verdict.policy, b.position)
    }
    func period(_ v: Verdict) -> (Timestamp, Timestamp) {
      if case .aggregate(let a) = v.detail { return (a.periodStart, a.periodEnd) }
      return (.epoch, .epoch)
    }
    aggregates.sort { a, b in
      let va = a.verdict.verdict
      let vb = b.verdict.verdict
      if va.shop != vb.shop { return va.shop < vb.shop }
      let pa = period(va)
      let pb = period(vb)
      return (pa.0, pa.1, a.verdict.policy, a.position) < (pb.0, pb.1, b.verdict.policy, b.position)
    }
    return (conversations + aggregates).map(\.verdict)
  }
}

/// A batch judged on a background queue: its results are read after `group` is waited for.
final class InFlightBatch: @unchecked Sendable {
  let group = DispatchGroup()
  var results: [JudgedConversation] = []
  /// With parallel decoding: lines a worker decodes and judges, and what it found.
  var lines: LineBatch?
  var decoded: DecodedLines?
}
