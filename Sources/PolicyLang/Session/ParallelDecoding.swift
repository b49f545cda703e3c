// Parallel decoding of a grouped run: the reader only reads the input in chunks and cuts them into
// batches where the conversation changes (`LineBatchReader`); a worker splits a batch into lines,
// decodes them, checks them as the reader would (routing, shop and buyer conflicts, `--grouped`),
// and judges every conversation it completes. Events are then made, judged and freed by one
// thread. The reader takes results in input order: error lines are reported then, in line order,
// numbered from the batches' line counts. A worker starts from an empty state (no conversation
// open, none judged); when a conversation it began was open or judged before, its view was not the
// run's, and the reader replays the batch's lines itself, exactly as a run without workers would.

import Dispatch
import PolicyLangCore
import PolicyLangRuntime

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a worker found in a batch of lines.
struct DecodedLines: Sendable {
  /// The error lines, in line order, numbered in the batch (from 1).
  var errors: [(line: Int, error: EventLineError)] = []
  /// Physical lines in the batch, and blank ones.
  var lines = 0
  var blank = 0
  /// Events accepted.
  var evaluated = 0
  /// The id of every conversation begun in the batch, in order, and its hash value (computed
  /// here so the reader does not hash it).
  var begun: [ByteString] = []
  var begunHashes: [Int] = []
  /// The conversations completed in the batch (every one begun but the last), judged. When
  /// the run streams and its workers count the rates, their results are moved to `owed`.
  var judged: [JudgedConversation] = []
  /// The obligations of the results of `judged`, when they were moved out.
  var owed: [OwedObligations] = []
  /// The last conversation begun, not judged: the next batch may continue it.
  var open: PendingConversation?

  /// The hash value of `begun[i]`.
  func begunHash(_ i: Int) -> Int {
    begunHashes.indices.contains(i) ? begunHashes[i] : begun[i].hashValue
  }
}

extension SessionRun {
  /// Bytes per batch when no change of conversation shows (a long conversation): cut anyway.
  static let mostBytesPerBatch = 1 << 23
  /// `{"conversation":"`: a line that starts so shows its conversation id without decoding.
  static let plainPrefix: [UInt8] = Array(#"{"conversation":""#.utf8)
  /// Bytes 0-7 and 8-15 of `plainPrefix`, little-endian (byte 16 is `"`).
  static let plainPrefixHead: UInt64 = 0x7265_766E_6F63_227B
  static let plainPrefixTail: UInt64 = 0x3A22_6E6F_6974_6173

  /// Reads one input in batches for the workers.
  mutating func readInBatches(_ source: EventSource) {
    let input: BatchInput
    switch source {
    case .bytes(_, let bytes):
      input = .memory(bytes, offset: 0)
    case .file(let path):
      do throws(InputError) {
        input = .file(try LineReader(path: path, maxLineLength: options.maxLineLength))
      } catch {
        fail(error)
        return
      }
    case .standardInput:
      input = .file(LineReader(standardInputWithMaxLineLength: options.maxLineLength))
    }
    var reader = LineBatchReader(
      name: source.name, input: input, maxLineLength: options.maxLineLength,
      chunkBytes: options.decodeChunkBytes, targetBytes: options.bytesPerDecodeBatch,
      mostBytes: Self.mostBytesPerBatch)
    do throws(InputError) {
      while let lines = try reader.next(spare: &spareChunks) { dispatchLines(lines) }
    } catch {
      fail(error)
    }
  }

  /// Where the conversation id is in a line that starts `{"conversation":"` and has no escape in
  /// the id; nil otherwise (the line is then never a place to cut).
  static func plainID(_ text: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    let prefix = 17
    guard text.count > prefix, let base = text.baseAddress else { return nil }
    // `plainPrefix` as two little-endian words and its last byte: two loads per line instead of
    // a loop over a static array (the reading thread runs this for every line).
    let raw = UnsafeRawPointer(base)
    guard UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) == Self.plainPrefixHead,
      UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) == Self.plainPrefixTail,
      base[16] == 0x22
    else { return nil }
    guard let quote = memchr(base + prefix, 0x22, text.count - prefix) else { return nil }
    let end = base.distance(to: quote.assumingMemoryBound(to: UInt8.self))
    if end > prefix && memchr(base + prefix, 0x5C, end - prefix) != nil { return nil }
    return prefix..<end
  }

  /// Hands a batch to a worker (after taking in the oldest results when enough are in flight),
  /// then judges the finished conversations the results left waiting, if they fill a batch.
  mutating func dispatchLines(_ lines: LineBatch) {
    while inFlight.count > options.jobs { collectOldest() }
    let job = InFlightBatch()
    job.lines = lines
    let session = session
    var single = options
    single.jobs = 1
    let options = single
    let render = spool != nil
    let shared = shared
    let counted = takeOwed()
    // Streaming, the rendered verdicts are all the reader needs of a result besides its
    // obligations: the worker gathers those, so the reader does not walk the results.
    let owing = render && shared != nil
    DispatchQueue.global().async(group: job.group) {
      // The batch is read through `job` only, so its chunk is referenced there alone once the
      // worker is done, and the reader can reuse it.
      if let lines = job.lines {
        job.decoded = Self.decode(lines, session: session, options: options, render: render, owing: owing)
      }
      shared?.add(counted)
    }
    inFlight.append(job)
    if batchIsFull { judgeBatch() }
  }

  /// Keeps the chunk of a batch taken in for reading into again, when nothing else holds it.
  mutating func recycle(_ lines: inout LineBatch) {
    guard var chunk = lines.chunk else { return }
    lines.chunk = nil
    if chunk.capacity == options.decodeChunkBytes && spareChunks.count <= options.jobs
      && isKnownUniquelyReferenced(&chunk)
    {
      spareChunks.append(chunk)
    }
  }

  /// A worker's part: decodes and checks a batch's lines from an empty state, and judges each
  /// conversation as soon as the next one begins.
  static func decode(
    _ lines: LineBatch, session: EvaluationSession, options: EvaluationOptions, render: Bool,
    owing: Bool = false
  ) -> DecodedLines {
    let decoder = EventDecoder()
    var found = DecodedLines()
    var ended: Set<ByteString> = []
    // The conversation being read, in parts, so appending an event copies nothing.
    var openID: ByteString?
    var openShop: ByteString?
    var openBuyer: ByteString?
    var openEvents: [Event] = []
    lines.forEachLine(maxLineLength: options.maxLineLength) { number, content in
      found.lines = number
      let event: Event
      switch content {
      case .blank:
        found.blank += 1
        return
      case .tooLong(let count):
        found.errors.append((number, .lineTooLong(byteCount: count, limit: options.maxLineLength)))
        return
      case .text(let text):
        do throws(EventLineError) {
          event = try decoder.decode(text)
        } catch {
          found.errors.append((number, error))
          return
        }
      }
      guard session.route(event) != nil else {
        found.errors.append((number, unknownPlatform(event, session: session)))
        return
      }
      if openID != event.conversation {
        if ended.contains(event.conversation) {
          found.errors.append((number, notGrouped(event.conversation)))
          return
        }
        if let id = openID {
          ended.insert(id)
          let done = PendingConversation(id: id, shop: openShop, buyer: openBuyer, events: openEvents)
          openEvents = []
          var judged = judgeOne(done, session: session, options: options, render: render)
          if owing {
            for (p, result) in judged.results.enumerated() {
              guard let result, !result.obligations.isEmpty else { continue }
              found.owed.append(OwedObligations(policy: p, shop: result.shop, records: result.obligations))
            }
            judged.results = []
          }
          // Without verdicts rendered or results kept, the reader would only free it.
          if !owing || (judged.rendered?.count ?? 0) > 0 { found.judged.append(judged) }
        }
        openID = event.conversation
        openShop = nil
        openBuyer = nil
        found.begun.append(event.conversation)
        found.begunHashes.append(event.conversation.hashValue)
      }
      if let conflict = conflict(event, shop: openShop, buyer: openBuyer) {
        found.errors.append((number, conflict))
        return
      }
      if openShop == nil { openShop = event.shop }
      if openBuyer == nil { openBuyer = event.buyer }
      openEvents.append(event)
      found.evaluated += 1
    }
    found.open = openID.map {
      PendingConversation(id: $0, shop: openShop, buyer: openBuyer, events: openEvents)
    }
    return found
  }

  /// Takes in a worker's results for a batch, in input order. When the batch begins a
  /// conversation that was open or judged before, or the worker gave nothing, the lines are
  /// replayed here instead.
  mutating func absorb(_ decoded: DecodedLines?, of lines: LineBatch) {
    // Lines are numbered per input: a batch's from where the previous batch of its input ended.
    let firstLine = lines.startsFile ? 0 : linesTaken
    let openID = current.flatMap { ids.indices.contains($0) ? ids[$0] : nil }
    let judged = judgedConversations
    // Where each conversation begun would be inserted: its insertion probes on from there.
    var vacancies: [JudgedIDs.Vacancy] = []
    if let decoded {
      vacancies.reserveCapacity(decoded.begun.count)
      judged.touch(hashes: decoded.begunHashes)
    }
    guard let decoded,
      !decoded.begun.indices.contains(where: { i in
        guard decoded.begun[i] != openID,
          let vacancy = judged.vacancy(for: decoded.begun[i], hash: decoded.begunHash(i))
        else { return true }
        vacancies.append(vacancy)
        return false
      })
    else {
      linesTaken = firstLine + replay(lines, after: firstLine)
      return
    }
    linesTaken = firstLine + decoded.lines
    stats.linesRead += decoded.lines
    stats.blankSkipped += decoded.blank
    for (line, error) in decoded.errors { reject(error, file: lines.file, line: firstLine + line) }
    stats.evaluated += decoded.evaluated
    guard let open = decoded.open else { return }
    if let current {
      finishGrouped(current)
      if ids.indices.contains(current) { judgedConversations.insert(ids[current]) }
    }
    judgedConversations.insert(
      decoded.begun, hashes: decoded.begunHashes, at: vacancies, first: decoded.begun.count - 1)
    store(decoded.judged)
    if !decoded.owed.isEmpty { owedLists.append(decoded.owed) }
    if ids.isEmpty {
      ids.append(open.id)
      shops.append(open.shop)
      buyers.append(open.buyer)
      eventLists.append(open.events)
    } else {
      ids[0] = open.id
      shops[0] = open.shop
      buyers[0] = open.buyer
      eventLists[0] = open.events
    }
    current = 0
  }

  /// Decodes and accepts a batch's lines here, in order, as a run without workers does, numbered
  /// after `firstLine`; returns how many lines the batch has.
  mutating func replay(_ lines: LineBatch, after firstLine: Int) -> Int {
    var count = 0
    lines.forEachLine(maxLineLength: options.maxLineLength) { number, content in
      count = number
      process(InputLine(number: firstLine + number, content: content), file: lines.file)
    }
    return count
  }
}
