// The ids of the conversations a grouped run has judged: a late line of one of them is an error
// line, decided exactly (io.md). Kept compactly, since a run may judge millions: an open-addressing
// table of 8-byte entries (24 bits of the id's hash and where the id is stored) in memory, and the
// ids themselves appended to an unlinked temporary file (in memory when none can be made). A
// lookup reads a stored id only when its 24 hash bits match: on a real late line, or about once in
// 16 million probes otherwise.

import PolicyLangCore

/// A set of conversation ids that only grows, with exact membership. Hashes are Swift's seeded
/// ones: ids crafted to collide, each collision costing a read of the store, cannot be prepared.
final class JudgedIDs {
  /// Bytes of ids gathered in memory before they are appended to the file.
  static let writeChunk = 1 << 16
  /// Stored positions fit in the 40 low bits of an entry (the store's first terabyte).
  static let positionBits: UInt64 = 40
  static let positionMask: UInt64 = (1 << 40) - 1
  /// Tables of fewer slots (512 KiB) grow fourfold, larger ones twofold: fourfold growth of a
  /// large table would hold up to twice the memory the ids need (8 MiB instead of 4 at 300k
  /// conversations), and memory should grow as little as possible with the input.
  static let quadrupleBelow = 1 << 16

  /// Per slot: 0 when empty, else the top 24 bits of the hash above `positionBits` bits of the
  /// stored id's position plus one.
  private var slots: [UInt64]
  private var mask: Int
  /// Counts the table's growths (a `Vacancy` of another generation is stale).
  private var generation = 0
  /// What `touch` loaded, kept so that its loads are not optimized away.
  private var touched: UInt64 = 0
  private(set) var count = 0
  /// Ids past the store's addressable range (never in practice): kept as they are.
  private var overflow: Set<ByteString> = []
  /// The store: the file's first `fileSize` bytes, then `pending` (everything, when there is
  /// no file). Each id is its 8-byte hash value (so growing the table reads hashes, and hashes
  /// nothing again), a 4-byte length, then its bytes; all little-endian.
  private var file: FileDescriptor?
  private var fileSize = 0
  private var pending: [UInt8] = []
  /// Why no temporary file could be made: the ids then stay in memory.
  private(set) var unavailable: FileError?
  /// The first failure of the temporary file: membership is then no longer exact.
  private(set) var failure: FileError?

  /// An empty set.
  init(capacity: Int = 1 << 12) {
    var size = 16
    while size < capacity { size *= 2 }
    slots = Array(repeating: 0, count: size)
    mask = size - 1
  }

  deinit { file?.close() }

  /// Whether `id` was inserted.
  func contains(_ id: ByteString) -> Bool { contains(id, hash: id.hashValue) }

  /// Whether `id`, whose `hashValue` is `hashValue` (computed by the caller, perhaps on another
  /// thread), was inserted.
  func contains(_ id: ByteString, hash hashValue: Int) -> Bool {
    vacancy(for: id, hash: hashValue) == nil
  }

  /// Where an id not in the set was found missing: its insertion may probe on from there (the
  /// slots before it are taken, and stay so), which spares a second walk through memory the
  /// lookup brought into the cache. Valid until the table grows.
  struct Vacancy {
    var slot: Int
    var generation: Int
  }

  /// Loads the first slot of each hash's probe sequence, so that lookups of many ids that follow
  /// find them in the cache: the loads are independent, and their misses overlap.
  func touch(hashes: [Int]) {
    let mask = mask
    touched = slots.withUnsafeBufferPointer { table in
      var any: UInt64 = 0
      for hash in hashes { any |= table[hash & mask] }
      return any
    }
  }

  /// nil when `id`, whose `hashValue` is `hashValue`, was inserted; else where it would go.
  func vacancy(for id: ByteString, hash hashValue: Int) -> Vacancy? {
    let hash = UInt64(truncatingIfNeeded: hashValue)
    let tag = hash >> Self.positionBits
    let table = slots
    let mask = mask
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = table[slot]
      if entry == 0 { break }
      if entry >> Self.positionBits == tag, storedID(at: Int(entry & Self.positionMask) - 1) == id {
        return nil
      }
      slot = (slot + 1) & mask
    }
    if !overflow.isEmpty && overflow.contains(id) { return nil }
    return Vacancy(slot: slot, generation: generation)
  }

  /// Adds `id`, which must not be in the set yet (a grouped run judges each id once).
  func insert(_ id: ByteString) { insert(id, hash: id.hashValue) }

  /// Adds `id`, whose `hashValue` is `hashValue`; it must not be in the set yet. `vacancy` is what
  /// a lookup of `id` found, if any.
  func insert(_ id: ByteString, hash hashValue: Int, at vacancy: Vacancy? = nil) {
    let position = storedSize
    guard UInt64(position) + 1 < Self.positionMask else {
      overflow.insert(id)
      return
    }
    id.withBytes { bytes in
      // The 12-byte header (hash, then length, little-endian) in one append, not twelve.
      let header = (
        UInt64(truncatingIfNeeded: hashValue).littleEndian,
        UInt32(truncatingIfNeeded: bytes.count).littleEndian
      )
      withUnsafeBytes(of: header) {
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0.prefix(12)))
      }
      pending.append(contentsOf: bytes)
    }
    if pending.count >= Self.writeChunk { flush() }
    count += 1
    if count * 10 > slots.count * 7 {
      // Each growth reads the whole store back: grow fourfold while the table is small, so a
      // run of a million conversations rebuilds it a handful of times.
      rebuild(capacity: slots.count * (slots.count < Self.quadrupleBelow ? 4 : 2))
    } else {
      let from = vacancy.flatMap { $0.generation == generation ? $0.slot : nil }
      place(hash: UInt64(truncatingIfNeeded: hashValue), position: position, from: from)
    }
  }

  /// Adds the first `first` of `ids` (none in the set yet, no two equal), whose hash values are
  /// `hashes`, as `insert` would one by one, with one access to the store and one to the table.
  /// `vacancies` are what lookups of the ids found.
  func insert(_ ids: [ByteString], hashes: [Int], at vacancies: [Vacancy], first: Int) {
    let n = min(first, ids.count)
    guard n > 0 else { return }
    guard hashes.count >= n else {
      for i in 0..<n { insert(ids[i]) }
      return
    }
    let start = storedSize
    var records: [UInt8] = []
    records.reserveCapacity(n * 32)
    var positions: [Int] = []
    positions.reserveCapacity(n)
    for i in 0..<n {
      positions.append(start + records.count)
      ids[i].withBytes { bytes in
        let header = (
          UInt64(truncatingIfNeeded: hashes[i]).littleEndian,
          UInt32(truncatingIfNeeded: bytes.count).littleEndian
        )
        withUnsafeBytes(of: header) {
          records.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0.prefix(12)))
        }
        records.append(contentsOf: bytes)
      }
    }
    guard UInt64(start + records.count) + 1 < Self.positionMask else {
      for i in 0..<n { insert(ids[i], hash: hashes[i]) }
      return
    }
    pending.append(contentsOf: records)
    if pending.count >= Self.writeChunk { flush() }
    count += n
    if count * 10 > slots.count * 7 {
      var capacity = slots.count
      while count * 10 > capacity * 7 { capacity *= capacity < Self.quadrupleBelow ? 4 : 2 }
      rebuild(capacity: capacity)
      return
    }
    let mask = mask
    let generation = generation
    slots.withUnsafeMutableBufferPointer { table in
      for i in 0..<n {
        let hash = UInt64(truncatingIfNeeded: hashes[i])
        let entry = (hash >> Self.positionBits) << Self.positionBits | UInt64(positions[i] + 1)
        let hinted = vacancies.indices.contains(i) && vacancies[i].generation == generation
        var slot = (hinted ? vacancies[i].slot : Int(truncatingIfNeeded: hash)) & mask
        while table[slot] != 0 { slot = (slot + 1) & mask }
        table[slot] = entry
      }
    }
  }

  /// Bytes stored so far (the next id's position).
  private var storedSize: Int { fileSize + pending.count }

  /// Puts an entry in the first free slot of its probe sequence, or of its rest from `from`.
  private func place(hash: UInt64, position: Int, from: Int? = nil) {
    let entry = (hash >> Self.positionBits) << Self.positionBits | UInt64(position + 1)
    let mask = mask
    var slot = (from ?? Int(truncatingIfNeeded: hash)) & mask
    slots.withUnsafeMutableBufferPointer { table in
      while table[slot] != 0 { slot = (slot + 1) & mask }
      table[slot] = entry
    }
  }

  /// A table of `capacity` slots filled from one sequential pass over the store.
  private func rebuild(capacity: Int) {
    generation += 1
    slots = Array(repeating: 0, count: capacity)
    mask = capacity - 1
    forEachStored { position, hash in place(hash: hash, position: position) }
  }

  /// Appends the ids gathered in memory to the file (kept in memory when none can be made).
  private func flush() {
    guard unavailable == nil, failure == nil, !pending.isEmpty else { return }
    do throws(FileError) {
      let file: FileDescriptor
      if let open = self.file {
        file = open
      } else {
        file = try TemporaryDirectory.temporaryFile(named: "policyc-conversations")
        self.file = file
      }
      let at = fileSize
      let result = pending.withUnsafeBytes { raw -> Result<Void, FileError> in
        do throws(FileError) {
          try file.write(raw, at: at)
          return .success(())
        } catch {
          return .failure(error)
        }
      }
      if case .failure(let error) = result {
        // Nothing of `pending` is lost: it stays in memory, and so does every later id.
        failure = error
        return
      }
      fileSize += pending.count
      pending.removeAll(keepingCapacity: true)
    } catch {
      unavailable = error
    }
  }

  /// Reads `count` bytes of the store at `position` into `buffer`; false when the file fails.
  private func read(_ position: Int, _ count: Int, into buffer: inout [UInt8]) -> Bool {
    buffer.removeAll(keepingCapacity: true)
    guard count > 0 else { return true }
    guard position >= 0, position + count <= storedSize else { return false }
    var at = position
    var left = count
    if at < fileSize, let file {
      let fromFile = min(left, fileSize - at)
      buffer = [UInt8](repeating: 0, count: fromFile)
      let from = at
      let result = buffer.withUnsafeMutableBytes { raw -> Result<Void, FileError> in
        do throws(FileError) {
          try file.read(exactly: raw, at: from)
          return .success(())
        } catch {
          return .failure(error)
        }
      }
      if case .failure(let error) = result {
        if failure == nil { failure = error }
        return false
      }
      at += fromFile
      left -= fromFile
    }
    if left > 0 {
      let start = at - fileSize
      buffer.append(contentsOf: pending[start..<start + left])
    }
    return true
  }

  /// The id stored at `position`, or nil when it cannot be read.
  private func storedID(at position: Int) -> ByteString? {
    var buffer: [UInt8] = []
    guard read(position + 8, 4, into: &buffer), buffer.count == 4 else { return nil }
    var length = 0
    for k in 0..<4 { length |= Int(buffer[k]) << (8 * k) }
    guard read(position + 12, length, into: &buffer) else { return nil }
    return buffer.withUnsafeBufferPointer { ByteString($0) }
  }

  /// Calls `body` with the position and hash value of every stored id, in the order inserted
  /// (the ids' bytes are skipped, not read).
  private func forEachStored(_ body: (Int, UInt64) -> Void) {
    var chunk: [UInt8] = []
    var chunkStart = 0
    var position = 0
    let end = storedSize
    while position < end {
      // Keep at least the next record's header in `chunk`.
      if position + 12 > chunkStart + chunk.count {
        var next: [UInt8] = []
        guard read(position, min(Self.writeChunk * 4, end - position), into: &next), next.count >= 12
        else { return }
        chunk = next
        chunkStart = position
      }
      let at = position - chunkStart
      var hash: UInt64 = 0
      for k in 0..<8 { hash |= UInt64(chunk[at + k]) << (8 * k) }
      var length = 0
      for k in 0..<4 { length |= Int(chunk[at + 8 + k]) << (8 * k) }
      body(position, hash)
      position += 12 + length
    }
  }
}
