/// A set of labels looked up by a range of normalized scalars, without building a `String`.
///
/// The detectors test a candidate host's last label against the Public Suffix List after every
/// `@` and at every host-shaped word; building a `String` and hashing it there cost more than the
/// rest of the scan. The labels are stored as scalars one after another, indexed by an
/// open-addressing table (linear probing) keyed by a hash of the scalars, and compared scalar by
/// scalar.
struct ScalarLabelTable: Sendable, Equatable {
  /// Every label's scalars, one label after another.
  private var scalars: [UInt32] = []
  /// Label `k` is `scalars[starts[k]..<starts[k + 1]]`.
  private var starts: [Int] = [0]
  /// Label index plus one per slot; 0 marks an empty slot.
  private var slots: [Int32]
  /// The table's size minus one (the size is a power of two).
  private let mask: Int
  /// The longest label's length: a longer range is rejected before hashing.
  private var longest = 0

  /// A table holding `labels` (duplicates are kept once).
  init(_ labels: some Sequence<String>) {
    let unique = Set(labels)
    var size = 16
    while size < unique.count * 2 { size *= 2 }
    slots = [Int32](repeating: 0, count: size)
    mask = size - 1
    for label in unique.sorted() {
      let values = label.unicodeScalars.map(\.value)
      let index = starts.count - 1
      scalars.append(contentsOf: values)
      starts.append(scalars.count)
      longest = max(longest, values.count)
      var slot = values.withUnsafeBufferPointer { Self.hash($0, values.indices) } & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(index + 1)
    }
  }

  /// Whether the label is in the table.
  func contains(_ label: String) -> Bool {
    let values = label.unicodeScalars.map(\.value)
    return values.withUnsafeBufferPointer { contains($0, values.indices, lowercasingASCII: false) }
  }

  /// Whether `text[range]` is in the table, ASCII upper case read as lower case when
  /// `lowercasingASCII` is set. A range outside `text` is not.
  func contains(
    _ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, lowercasingASCII: Bool = true
  ) -> Bool {
    guard range.lowerBound >= 0, range.upperBound <= text.count, range.count <= longest else {
      return false
    }
    var slot = Self.hash(text, range, lowercasingASCII: lowercasingASCII) & mask
    // The table is at most half full, so an empty slot ends every probe sequence.
    while true {
      let entry = Int(slots[slot]) - 1
      guard entry >= 0 else { return false }
      if equals(entry, text, range, lowercasingASCII: lowercasingASCII) { return true }
      slot = (slot + 1) & mask
    }
  }

  private func equals(
    _ entry: Int, _ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, lowercasingASCII: Bool
  ) -> Bool {
    let start = starts[entry]
    guard starts[entry + 1] - start == range.count else { return false }
    var k = start
    for i in range {
      let v = lowercasingASCII ? Scan.lowerASCII(text[i]) : text[i]
      if v != scalars[k] { return false }
      k += 1
    }
    return true
  }

  /// FNV-1a over the scalar values, mixed so that the low bits depend on every scalar.
  private static func hash(
    _ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, lowercasingASCII: Bool = false
  ) -> Int {
    var h: UInt32 = 0x811C_9DC5
    for i in range {
      let v = lowercasingASCII ? Scan.lowerASCII(text[i]) : text[i]
      h = (h ^ v) &* 0x0100_0193
    }
    h ^= h >> 15
    h = h &* 0x2C1B_3C6D
    h ^= h >> 12
    return Int(h)
  }
}
