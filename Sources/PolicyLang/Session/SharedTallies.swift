// The rate tallies of a run with several jobs, counted by the workers instead of the reader. A
// tally's counts are sums and its buyer-day units are pass flags cleared by any miss, so the
// order in which conversations are counted never changes it: each worker counts, under a lock,
// the obligations of results the reader kept since it handed over the previous batch.

import Dispatch
import PolicyLangCore
import PolicyLangRuntime

/// The obligations of one judged conversation for one policy, waiting to be counted.
struct OwedObligations: Sendable {
  var policy: Int
  var shop: ByteString
  var records: [ObligationRecord]
}

/// Per policy, a rate tally that several threads count into, one at a time.
final class SharedTallies: @unchecked Sendable {
  /// Guards `tallies`: a worker holds it while it counts one handover (a few thousand records).
  private let lock = DispatchSemaphore(value: 1)
  private var tallies: [RateTally]

  /// Shares `tallies` (one per policy, by index).
  init(_ tallies: [RateTally]) {
    self.tallies = tallies
  }

  /// Counts `owed` (from any thread).
  func add(_ owed: [[OwedObligations]]) {
    guard owed.contains(where: { !$0.isEmpty }) else { return }
    lock.wait()
    defer { lock.signal() }
    for list in owed {
      for entry in list where tallies.indices.contains(entry.policy) {
        tallies[entry.policy].add(entry.records, shop: entry.shop)
      }
    }
  }

  /// The tallies, once no worker counts any more.
  func take() -> [RateTally] {
    lock.wait()
    defer { lock.signal() }
    return tallies
  }
}
