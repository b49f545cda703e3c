// An open-addressing map with a cheap seeded hash, for the counters a run updates once per
// obligation record (rate slots and buyer-day units). `Dictionary` hashes its keys with SipHash,
// which cost more than the rest of counting a record. Here a key is hashed with a few multiplies
// seeded once per process, so hashes of crafted keys cannot be prepared in advance, and the full
// hash is kept per slot: growing never hashes a key again, and a probe compares keys only when
// their hashes agree.

/// A key of a `SeededTable`.
@_spi(Storage) public protocol SeededHashable: Equatable {
  /// A 64-bit hash of the key, mixed with `seed`.
  func hash(seed: UInt64) -> UInt64
}

/// The seeded mixing that `SeededHashable` keys use.
@_spi(Storage) public enum SeededHash {
  /// The process's seed (random at start).
  public static let seed = UInt64.random(in: 0...UInt64.max)

  /// Mixes `value` into `hash`: one full-width multiply (the folded halves of its product).
  @inlinable @inline(__always)
  public static func mix(_ hash: UInt64, _ value: UInt64) -> UInt64 {
    let product = (hash ^ value).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
    return product.high ^ product.low
  }

  /// Mixes the bytes of `id` into `hash`: its two words when it is stored inline, else its
  /// bytes eight at a time.
  @inlinable @inline(__always)
  public static func mix(_ hash: UInt64, _ id: ByteString) -> UInt64 {
    guard id.heap != nil else { return mix(mix(hash, id.head), id.tail) }
    return id.withBytes { bytes in
      var h = mix(hash, UInt64(bytes.count))
      var word: UInt64 = 0
      var filled = 0
      for byte in bytes {
        word = word << 8 | UInt64(byte)
        filled += 1
        if filled == 8 {
          h = mix(h, word)
          word = 0
          filled = 0
        }
      }
      return filled > 0 ? mix(h, word) : h
    }
  }
}

/// A map from keys to values, with slots that stay put until the table grows or is cleared.
@_spi(Storage) public struct SeededTable<Key: SeededHashable, Value> {
  /// One slot: its tag, key and value side by side, so that a probe reads one place in memory
  /// (the tables are large and reached at random: each separate array would be a cache miss).
  @usableFromInline
  struct Slot {
    /// 0 when empty, else the key's hash with the top bit set.
    @usableFromInline var tag: UInt64
    @usableFromInline var key: Key?
    @usableFromInline var value: Value

    @inlinable
    init(tag: UInt64, key: Key?, value: Value) {
      self.tag = tag
      self.key = key
      self.value = value
    }
  }

  @usableFromInline var slots: [Slot]
  @usableFromInline let placeholder: Value
  @usableFromInline var mask: Int
  @usableFromInline let seed: UInt64
  @usableFromInline var storedCount = 0
  /// Keys stored.
  @inlinable public var count: Int { storedCount }

  /// An empty table with room for `capacity` keys before it grows; `placeholder` fills free slots.
  @inlinable
  public init(capacity: Int, placeholder: Value) {
    var size = 8
    while size * 7 < max(1, capacity) * 10 { size *= 2 }
    slots = Array(repeating: Slot(tag: 0, key: nil, value: placeholder), count: size)
    self.placeholder = placeholder
    mask = size - 1
    seed = SeededHash.seed
  }

  /// The tag of `key` (its hash, never 0).
  @inlinable
  func tag(_ key: Key) -> UInt64 { key.hash(seed: seed) | 1 << 63 }

  /// The slot holding `key`, or where it would go; and whether it is there.
  @inlinable
  func find(_ key: Key, tag: UInt64) -> (slot: Int, found: Bool) {
    slots.withUnsafeBufferPointer { slots in
      var slot = Int(truncatingIfNeeded: tag) & mask
      while true {
        let t = slots[slot].tag
        if t == 0 { return (slot, false) }
        if t == tag, slots[slot].key == key { return (slot, true) }
        slot = (slot + 1) & mask
      }
    }
  }

  /// The value of `key`, or nil.
  @inlinable
  public func value(of key: Key) -> Value? {
    let (slot, found) = find(key, tag: tag(key))
    return found ? slots[slot].value : nil
  }

  /// Updates the value of `key` with `body`, first storing `initial` when `key` is new; returns
  /// whether it was new.
  @inlinable
  @discardableResult
  public mutating func update(_ key: Key, initial: Value, _ body: (inout Value) -> Void) -> Bool {
    let t = tag(key)
    var (slot, found) = find(key, tag: t)
    if !found {
      if (storedCount + 1) * 10 > slots.count * 7 {
        grow()
        slot = find(key, tag: t).slot
      }
      slots[slot] = Slot(tag: t, key: key, value: initial)
      storedCount += 1
    }
    body(&slots[slot].value)
    return !found
  }

  /// Doubles the slots, placing every key by its kept hash.
  @inlinable
  mutating func grow() {
    var old: [Slot] = []
    swap(&old, &slots)
    let size = old.count * 2
    slots = Array(repeating: Slot(tag: 0, key: nil, value: placeholder), count: size)
    mask = size - 1
    for entry in old where entry.tag != 0 {
      var slot = Int(truncatingIfNeeded: entry.tag) & mask
      while slots[slot].tag != 0 { slot = (slot + 1) & mask }
      slots[slot] = entry
    }
  }

  /// Calls `body` with every key and value, in slot order.
  @inlinable
  public func forEach(_ body: (Key, Value) -> Void) {
    for entry in slots where entry.tag != 0 {
      if let key = entry.key { body(key, entry.value) }
    }
  }

  /// Removes every key, keeping the slots.
  @inlinable
  public mutating func removeAll() {
    for slot in slots.indices where slots[slot].tag != 0 {
      slots[slot] = Slot(tag: 0, key: nil, value: placeholder)
    }
    storedCount = 0
  }
}

extension SeededTable: Sendable where Key: Sendable, Value: Sendable {}
extension SeededTable.Slot: Sendable where Key: Sendable, Value: Sendable {}

@_spi(Storage) extension ByteString: SeededHashable {
  /// The id's bytes mixed into `seed`.
  @inlinable
  public func hash(seed: UInt64) -> UInt64 { SeededHash.mix(seed, self) }
}
