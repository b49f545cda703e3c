// Parallel decoding of a grouped run: the reader only splits lines and copies them into batches cut
// where the conversation changes; a worker decodes a batch, checks it as the reader would (routing,
// shop and buyer conflicts, `--grouped`), and judges every conversation it completes. Events are
// then made, judged and freed by one thread. The reader takes results in input order: error lines
// are reported then, in line order. A worker starts from an empty state (no conversation open,
// none judged); when a conversation it began was open or judged before, its view was not the run's,
// and the reader replays the batch's lines itself, exactly as a run without workers would.

import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One line kept for a worker: its number, and its bytes in the batch (or, when longer than the
/// limit, its length).
struct BatchedLine: Sendable {
  var number: Int
  var start: Int
  /// The byte count; negative for a line too long: `-1 - count`.
  var count: Int
}

/// Lines of one input file read by the reader and not yet decoded.
struct LineBatch: Sendable {
  /// The file's name in messages.
  var file: String
  var bytes: [UInt8] = []
  var lines: [BatchedLine] = []
  /// Where the conversation id of the last line is in `bytes`, when the line starts plainly.
  var lastID: Range<Int>?

  init(file: String) {
    self.file = file
  }
}

/// What a worker found in a batch of lines.
struct DecodedLines: Sendable {
  /// The error lines, in line order.
  var errors: [(line: Int, error: EventLineError)] = []
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
  /// Lines per batch when no change of conversation shows (a long conversation), as a multiple
  /// of `EvaluationOptions.linesPerDecodeBatch`: cut anyway.
  static let mostLinesFactor = 8
  /// Bytes per batch before it is cut at the next change of conversation.
  static let bytesPerBatch = 1 << 20
  /// Bytes per batch when no change of conversation shows: cut anyway.
  static let mostBytesPerBatch = 1 << 23
  /// `{"conversation":"`: a line that starts so shows its conversation id without decoding.
  static let plainPrefix: [UInt8] = Array(#"{"conversation":""#.utf8)
  /// Bytes 0-7 and 8-15 of `plainPrefix`, little-endian (byte 16 is `"`).
  static let plainPrefixHead: UInt64 = 0x7265_766E_6F63_227B
  static let plainPrefixTail: UInt64 = 0x3A22_6E6F_6974_6173

  /// Keeps a line read for a worker; hands the batch over first when the line begins another
  /// conversation and the batch is full.
  mutating func enqueue(_ line: InputLine, file: String) {
    stats.linesRead += 1
    if lineBatch.file != file && !lineBatch.lines.isEmpty { dispatchLines() }
    lineBatch.file = file
    switch line.content {
    case .blank:
      stats.blankSkipped += 1
    case .tooLong(let count):
      lineBatch.lines.append(BatchedLine(number: line.number, start: 0, count: -1 - count))
      lineBatch.lastID = nil
    case .text(let text):
      let id = Self.plainID(text)
      let lineCount = lineBatch.lines.count
      let byteCount = lineBatch.bytes.count
      let perBatch = max(1, options.linesPerDecodeBatch)
      if lineCount >= perBatch || byteCount >= Self.bytesPerBatch {
        let changed =
          if let id, let last = lineBatch.lastID { !Self.same(text, id, lineBatch.bytes, last) } else {
            false
          }
        if changed || lineCount >= perBatch * Self.mostLinesFactor || byteCount >= Self.mostBytesPerBatch {
          dispatchLines()
        }
      }
      let start = lineBatch.bytes.count
      if lineBatch.bytes.isEmpty { lineBatch.bytes.reserveCapacity(Self.bytesPerBatch) }
      lineBatch.bytes.append(contentsOf: text)
      lineBatch.lines.append(BatchedLine(number: line.number, start: start, count: text.count))
      lineBatch.lastID = id.map { start + $0.lowerBound..<start + $0.upperBound }
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

  /// Whether the id at `range` of `text` equals the id at `earlier` in `bytes`.
  static func same(
    _ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ bytes: [UInt8], _ earlier: Range<Int>
  ) -> Bool {
    guard range.count == earlier.count, earlier.upperBound <= bytes.count, range.upperBound <= text.count
    else { return false }
    guard let base = text.baseAddress, !range.isEmpty else { return true }
    return bytes.withUnsafeBufferPointer { all in
      guard let other = all.baseAddress else { return false }
      return memcmp(base + range.lowerBound, other + earlier.lowerBound, range.count) == 0
    }
  }

  /// Hands the lines kept to a worker (after taking in the oldest results when enough are in
  /// flight), then judges the finished conversations the results left waiting, if they fill a batch.
  mutating func dispatchLines() {
    if !lineBatch.lines.isEmpty {
      let lines = lineBatch
      lineBatch = LineBatch(file: lines.file)
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
        job.decoded = Self.decode(lines, session: session, options: options, render: render, owing: owing)
        shared?.add(counted)
      }
      inFlight.append(job)
    }
    if batchIsFull { judgeBatch() }
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
    lines.bytes.withUnsafeBufferPointer { all in
      for line in lines.lines {
        guard line.count >= 0, line.start >= 0, line.start + line.count <= all.count else {
          let count = -1 - line.count
          found.errors.append((line.number, .lineTooLong(byteCount: count, limit: options.maxLineLength)))
          continue
        }
        let event: Event
        do throws(EventLineError) {
          event = try decoder.decode(UnsafeBufferPointer(rebasing: all[line.start..<line.start + line.count]))
        } catch {
          found.errors.append((line.number, error))
          continue
        }
        guard session.route(event) != nil else {
          found.errors.append((line.number, unknownPlatform(event, session: session)))
          continue
        }
        if openID != event.conversation {
          if ended.contains(event.conversation) {
            found.errors.append((line.number, notGrouped(event.conversation)))
            continue
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
            found.judged.append(judged)
          }
          openID = event.conversation
          openShop = nil
          openBuyer = nil
          found.begun.append(event.conversation)
          found.begunHashes.append(event.conversation.hashValue)
        }
        if let conflict = conflict(event, shop: openShop, buyer: openBuyer) {
          found.errors.append((line.number, conflict))
          continue
        }
        if openShop == nil { openShop = event.shop }
        if openBuyer == nil { openBuyer = event.buyer }
        openEvents.append(event)
        found.evaluated += 1
      }
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
    let openID = current.flatMap { ids.indices.contains($0) ? ids[$0] : nil }
    let judged = judgedConversations
    guard let decoded,
      !decoded.begun.indices.contains(where: { i in
        decoded.begun[i] == openID || judged.contains(decoded.begun[i], hash: decoded.begunHash(i))
      })
    else {
      replay(lines)
      return
    }
    for (line, error) in decoded.errors { reject(error, file: lines.file, line: line) }
    stats.evaluated += decoded.evaluated
    guard let open = decoded.open else { return }
    if let current {
      finishGrouped(current)
      if ids.indices.contains(current) { judgedConversations.insert(ids[current]) }
    }
    for i in decoded.begun.indices.dropLast() {
      judgedConversations.insert(decoded.begun[i], hash: decoded.begunHash(i))
    }
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

  /// Decodes and accepts a batch's lines here, in order, as a run without workers does.
  mutating func replay(_ lines: LineBatch) {
    lines.bytes.withUnsafeBufferPointer { all in
      for line in lines.lines {
        guard line.count >= 0, line.start >= 0, line.start + line.count <= all.count else {
          let count = -1 - line.count
          reject(
            .lineTooLong(byteCount: count, limit: options.maxLineLength), file: lines.file, line: line.number)
          continue
        }
        decodeAndAccept(
          UnsafeBufferPointer(rebasing: all[line.start..<line.start + line.count]), file: lines.file,
          line: line.number)
      }
    }
  }
}
