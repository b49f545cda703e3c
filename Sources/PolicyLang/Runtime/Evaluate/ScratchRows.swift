// Rows of small flags the evaluation scratch keeps (the memo of decided nodes, the history slot
// values), in memory the scratch owns and reads through a pointer: an array stored in a class
// costs a reference count and a uniqueness check on every access, and every condition node
// decided reads these rows.

/// A growable run of `Int8` rows, owned by one `EvaluationScratch` and used by one thread at a
/// time.
struct ScratchRows: ~Copyable {
  private var storage: UnsafeMutablePointer<Int8>
  private var capacity: Int
  /// The bytes in use.
  private(set) var count = 0

  init() {
    capacity = 64
    storage = .allocate(capacity: capacity)
  }

  deinit { storage.deallocate() }

  /// The bytes in use. Valid until the next `append`.
  var buffer: UnsafeMutableBufferPointer<Int8> { UnsafeMutableBufferPointer(start: storage, count: count) }

  /// Appends `count` bytes of `value`; returns the offset of the first.
  mutating func append(_ value: Int8, count added: Int) -> Int {
    let start = count
    let needed = count + max(0, added)
    if needed > capacity {
      let grown = max(needed, capacity * 2)
      let bigger = UnsafeMutablePointer<Int8>.allocate(capacity: grown)
      bigger.update(from: storage, count: count)
      storage.deallocate()
      storage = bigger
      capacity = grown
    }
    (storage + start).initialize(repeating: value, count: needed - start)
    count = needed
    return start
  }

  /// Sets every byte in use to `value`.
  func fill(_ value: Int8) { storage.update(repeating: value, count: count) }

  /// Forgets the bytes, keeping the room.
  mutating func removeAll() { count = 0 }
}
