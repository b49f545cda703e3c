// The units of rate rules counted per buyer and day, or per conversation: one pass flag per
// (rate, shop and period, buyer and day or conversation), cleared by any obligation of the unit
// that was missed. A run counts them only at its end, so
// they would grow with the buyers of the input; past a limit the flags in memory are written to
// an unlinked temporary file in partitions by buyer, and at the end each partition is folded back
// alone. Memory then holds the limit's flags plus one partition's, whatever the input size.

@_spi(Storage) import PolicyLangCore

extension BuyerDayUnits.Key: SeededHashable {
  /// The rate, slot and day mixed as words, then the buyer's bytes.
  package func hash(seed: UInt64) -> UInt64 {
    var h = SeededHash.mix(seed, UInt64(truncatingIfNeeded: source) << 48 ^ UInt64(truncatingIfNeeded: slot))
    h = SeededHash.mix(h, UInt64(bitPattern: day))
    return SeededHash.mix(h, buyer)
  }
}

/// Pass flags of rate units, in memory up to a limit, then in partitions on disk.
///
/// `@unchecked Sendable`: a store is changed only through `RateTally`, which copies it first
/// unless its reference is unique (copy on write), so no two threads change one store.
package final class BuyerDayUnits: @unchecked Sendable {
  /// One unit: the rate (its index in the tally's sources), the tally's slot of its shop and
  /// period, and the buyer on one local day (or a conversation: `day` is `conversationDay`).
  package struct Key: Hashable {
    package var source: Int
    package var slot: Int
    package var day: Int64
    package var buyer: ByteString
  }

  /// The `day` of a unit that is a conversation (its `buyer` holds the conversation id).
  package static let conversationDay = Int64.min

  /// Units kept in memory before they are written out.
  package static let memoryUnits = 1 << 14
  package static let partitionCount = 32
  /// Bytes buffered per partition before a write.
  package static let bufferLimit = 1 << 14

  package let memoryLimit: Int
  private var flags: SeededTable<Key, Bool>
  private var file: FileDescriptor?
  /// Why no temporary file could be made: the units then stay in memory, past the limit.
  package private(set) var unavailable: FileError?
  private var fileSize = 0
  /// Per partition: the places of its written chunks, and its bytes not written yet.
  private var chunks: [[(offset: Int, length: Int)]] = []
  private var buffers: [[UInt8]] = []
  /// Per partition: the units written to it (counted again when one is met after a write).
  private var writtenUnits: [Int] = []
  /// The first failure of the temporary file: the rates may then be wrong (the run writes none).
  package private(set) var failure: FileError?

  /// An empty store keeping about `memoryLimit` units in memory.
  package init(memoryLimit: Int = BuyerDayUnits.memoryUnits) {
    self.memoryLimit = max(1, memoryLimit)
    // Grown as units arrive: a run of a few conversations (or one event) should not set up and
    // clear room for `memoryLimit` units (~3.5M instructions per policy at start).
    flags = SeededTable(capacity: min(self.memoryLimit, 256), placeholder: false)
  }

  deinit { file?.close() }

  /// Whether no unit was ever written out (every flag is in memory).
  private var inMemory: Bool { chunks.isEmpty && buffers.isEmpty }

  /// A store with the same units (used when a tally that shares this store is changed).
  package func copy() -> BuyerDayUnits {
    let other = BuyerDayUnits(memoryLimit: memoryLimit)
    forEachPartition { units in
      units.forEach { key, passed in other.flags.update(key, initial: passed) { _ in } }
    }
    other.failure = failure
    return other
  }

  /// Clears the unit's flag when `met` is false (a unit passes while all its obligations are met).
  package func meet(_ key: Key, _ met: Bool) {
    // One lookup: a new unit starts as `met`, a known one keeps false once false.
    let added = flags.update(key, initial: met) { if !met { $0 = false } }
    if added && flags.count >= memoryLimit { writeOut() }
  }

  /// Calls `body` with every unit and whether it passed so far.
  package func forEachUnit(_ body: (Key, Bool) -> Void) {
    forEachPartition { units in units.forEach(body) }
  }

  /// Every unit of `source`, by slot: passed and counted.
  package func counts(of source: Int) -> [Int: (passed: Int, total: Int)] {
    var counts: [Int: (passed: Int, total: Int)] = [:]
    forEachPartition { units in
      units.forEach { key, passed in
        guard key.source == source else { return }
        counts[key.slot, default: (0, 0)].total += 1
        if passed { counts[key.slot, default: (0, 0)].passed += 1 }
      }
    }
    return counts
  }

  /// The partition of a unit, by its buyer and day (FNV-1a, stable across runs).
  package static func partition(of key: Key) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bitPattern: key.day)
    key.buyer.withBytes { bytes in
      for b in bytes {
        hash ^= UInt64(b)
        hash = hash &* 0x100_0000_01b3
      }
    }
    return Int(hash % UInt64(partitionCount))
  }

  /// Calls `body` with the units of each partition in turn, folded (flags in memory included).
  private func forEachPartition(_ body: (SeededTable<Key, Bool>) -> Void) {
    if inMemory {
      body(flags)
      return
    }
    // The flags in memory split by partition in one pass (not one pass per partition).
    var resident: [[(key: Key, passed: Bool)]] = Array(repeating: [], count: Self.partitionCount)
    flags.forEach { key, passed in resident[Self.partition(of: key)].append((key, passed)) }
    for p in 0..<Self.partitionCount {
      let written = writtenUnits.indices.contains(p) ? writtenUnits[p] : 0
      var units = SeededTable<Key, Bool>(capacity: written + resident[p].count, placeholder: false)
      for (key, passed) in resident[p] { units.update(key, initial: passed) { _ in } }
      resident[p] = []
      for (offset, length) in chunks[p] {
        var bytes = [UInt8](repeating: 0, count: length)
        do throws(FileError) {
          try readFile(offset, into: &bytes)
        } catch {
          if failure == nil { failure = error }
          continue
        }
        fold(bytes, into: &units)
      }
      fold(buffers[p], into: &units)
      body(units)
    }
  }

  /// Folds encoded units into `units`.
  private func fold(_ bytes: [UInt8], into units: inout SeededTable<Key, Bool>) {
    var reader = SpillFile.Reader(bytes: bytes)
    while !reader.atEnd {
      guard let source = reader.integer(), let slot = reader.integer(), let day = reader.integer(),
        let buyer = reader.id(), let met = reader.integer()
      else {
        if failure == nil {
          failure = FileError("read", file: "a temporary rate file", reason: "it is corrupt")
        }
        return
      }
      let key = Key(
        source: Int(truncatingIfNeeded: source), slot: Int(truncatingIfNeeded: slot),
        day: Int64(bitPattern: day), buyer: buyer)
      units.update(key, initial: true) { if met == 0 { $0 = false } }
    }
  }

  /// Writes the flags in memory to their partitions (kept in memory when there is no file).
  private func writeOut() {
    guard unavailable == nil, failure == nil else { return }
    if file == nil {
      do throws(FileError) {
        file = try TemporaryDirectory.temporaryFile(named: "policyc-rates")
      } catch {
        unavailable = error
        return
      }
      chunks = Array(repeating: [], count: Self.partitionCount)
      buffers = Array(repeating: [], count: Self.partitionCount)
      writtenUnits = Array(repeating: 0, count: Self.partitionCount)
    }
    flags.forEach { key, passed in
      let p = Self.partition(of: key)
      if writtenUnits.indices.contains(p) { writtenUnits[p] += 1 }
      SpillFile.appendInteger(UInt64(truncatingIfNeeded: key.source), &buffers[p])
      SpillFile.appendInteger(UInt64(truncatingIfNeeded: key.slot), &buffers[p])
      SpillFile.appendInteger(UInt64(bitPattern: key.day), &buffers[p])
      key.buyer.withBytes { bytes in
        SpillFile.appendInteger(UInt64(bytes.count), &buffers[p])
        buffers[p].append(contentsOf: bytes)
      }
      SpillFile.appendInteger(passed ? 1 : 0, &buffers[p])
      if buffers[p].count >= Self.bufferLimit { writeChunk(p) }
    }
    flags.removeAll()
  }

  /// Appends partition `p`'s buffer to the file as one chunk.
  private func writeChunk(_ p: Int) {
    guard let file else { return }
    let offset = fileSize
    let result = buffers[p].withUnsafeBytes { raw -> Result<Void, FileError> in
      do throws(FileError) {
        try file.write(raw, at: offset)
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    if case .failure(let error) = result {
      // The bytes stay in the buffer: nothing is lost, but the file no longer bounds memory.
      if failure == nil { failure = error }
      return
    }
    chunks[p].append((offset, buffers[p].count))
    fileSize += buffers[p].count
    buffers[p].removeAll(keepingCapacity: true)
  }

  private func readFile(_ offset: Int, into bytes: inout [UInt8]) throws(FileError) {
    guard let file else { return }
    let result = bytes.withUnsafeMutableBytes { raw -> Result<Void, FileError> in
      do throws(FileError) {
        try file.read(exactly: raw, at: offset)
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    try result.get()
  }
}
