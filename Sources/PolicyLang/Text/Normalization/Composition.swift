/// Canonical ordering and canonical composition, the second half of NFKC, on a decomposed
/// `NormalizedText` (the mapping step already wrote full compatibility decompositions).
enum Composition {
  /// Sorts each run of non-starters by combining class (stable), composes, and makes the origin
  /// ranges monotonic: a composite covers every original scalar it absorbed, and scalars that
  /// were reordered or composed past each other share their combined range.
  static func reorderAndCompose(_ text: inout NormalizedText, tables: TextTables) {
    reorder(&text, tables: tables)
    compose(&text, tables: tables)
    repairOrigins(&text)
  }

  private static func reorder(_ text: inout NormalizedText, tables: TextTables) {
    let count = text.scalars.count
    var position = 0
    while position < count {
      guard tables.combiningClassOf(text.scalars[position]) != 0 else {
        position += 1
        continue
      }
      var end = position
      while end < count, tables.combiningClassOf(text.scalars[end]) != 0 { end += 1 }
      if end - position > 1 { sortRun(&text, position..<end, tables: tables) }
      position = end
    }
  }

  /// Stable sort of one run of non-starters; insertion sort for the usual short runs, a sort of
  /// indexes for long (hostile) ones so the work stays O(n log n).
  private static func sortRun(_ text: inout NormalizedText, _ run: Range<Int>, tables: TextTables) {
    if run.count <= 32 {
      for current in (run.lowerBound + 1)..<run.upperBound {
        var slot = current
        while slot > run.lowerBound,
          tables.combiningClassOf(text.scalars[slot - 1]) > tables.combiningClassOf(text.scalars[slot])
        {
          text.scalars.swapAt(slot - 1, slot)
          text.originStart.swapAt(slot - 1, slot)
          text.originEnd.swapAt(slot - 1, slot)
          slot -= 1
        }
      }
      return
    }
    let items = run.map {
      (
        ccc: tables.combiningClassOf(text.scalars[$0]), order: $0, scalar: text.scalars[$0],
        start: text.originStart[$0], end: text.originEnd[$0]
      )
    }
    let sorted = items.sorted { ($0.ccc, $0.order) < ($1.ccc, $1.order) }
    for (offset, item) in sorted.enumerated() {
      text.scalars[run.lowerBound + offset] = item.scalar
      text.originStart[run.lowerBound + offset] = item.start
      text.originEnd[run.lowerBound + offset] = item.end
    }
  }

  /// The canonical composition algorithm of UAX #15, in place.
  private static func compose(_ text: inout NormalizedText, tables: TextTables) {
    let count = text.scalars.count
    var write = 0
    var starter = -1
    var lastClass: UInt8 = 0
    for read in 0..<count {
      let scalar = text.scalars[read]
      let ccc = tables.combiningClassOf(scalar)
      if starter >= 0 {
        let adjacent = write - 1 == starter
        let blocked = !adjacent && (lastClass == 0 || lastClass >= ccc)
        if !blocked, let composite = tables.compose(text.scalars[starter], scalar) {
          text.scalars[starter] = composite
          text.originStart[starter] = min(text.originStart[starter], text.originStart[read])
          text.originEnd[starter] = max(text.originEnd[starter], text.originEnd[read])
          continue
        }
      }
      if ccc == 0 { starter = write }
      lastClass = ccc
      text.scalars[write] = scalar
      text.originStart[write] = text.originStart[read]
      text.originEnd[write] = text.originEnd[read]
      write += 1
    }
    text.scalars.removeSubrange(write..<count)
    text.originStart.removeSubrange(write..<count)
    text.originEnd.removeSubrange(write..<count)
  }

  /// Makes starts and ends non-decreasing by widening ranges (only reordering and composition
  /// can break the order).
  private static func repairOrigins(_ text: inout NormalizedText) {
    let count = text.scalars.count
    guard count > 1 else { return }
    for position in stride(from: count - 2, through: 0, by: -1)
    where text.originStart[position] > text.originStart[position + 1] {
      text.originStart[position] = text.originStart[position + 1]
    }
    for position in 1..<count where text.originEnd[position] < text.originEnd[position - 1] {
      text.originEnd[position] = text.originEnd[position - 1]
    }
  }
}
