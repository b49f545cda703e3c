// The deadlines of every open obligation of a live evaluation, earliest first, so that the clock
// passing an instant settles exactly the conversations with something due, however many others
// are open. An entry may be stale (its obligation answered since): settling finds nothing then.

import PolicyLangCore

/// A min-heap of (deadline, conversation slot).
struct DeadlineQueue {
  private var heap: [(deadline: Timestamp, slot: Int)] = []

  var isEmpty: Bool { heap.isEmpty }
  var count: Int { heap.count }

  /// The earliest deadline queued.
  var earliest: Timestamp? { heap.first?.deadline }

  mutating func push(_ deadline: Timestamp, slot: Int) {
    heap.append((deadline, slot))
    var child = heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard heap[child].deadline < heap[parent].deadline else { break }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  /// The slot of the earliest deadline before `instant`, removed; nil when none is.
  mutating func pop(before instant: Timestamp) -> Int? {
    guard let first = heap.first, first.deadline < instant else { return nil }
    let last = heap.removeLast()
    if !heap.isEmpty {
      heap[0] = last
      var parent = 0
      while true {
        let left = 2 * parent + 1
        let right = left + 1
        var smallest = parent
        if left < heap.count && heap[left].deadline < heap[smallest].deadline { smallest = left }
        if right < heap.count && heap[right].deadline < heap[smallest].deadline { smallest = right }
        guard smallest != parent else { break }
        heap.swapAt(parent, smallest)
        parent = smallest
      }
    }
    return first.slot
  }
}
