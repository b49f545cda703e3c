// How a run's events reach the judge in each conversation's sorted order (by `at`, then line
// order), whatever order the input has. Three strategies, one interface:
//
// - `ArrivalOrder`: each event is judged as it arrives. Right, and fastest, for input in time
//   order (live feeds, exports): a conversation's state is all the memory it needs. It gives up
//   (`.outOfOrder`) at the first event earlier than one its conversation already took; the run
//   then starts over with `BufferedOrder`.
// - `GroupedOrder` (`--grouped`): each conversation's lines are contiguous; a conversation is
//   sorted and judged when the next one begins, then forgotten.
// - `BufferedOrder`: any order. Events are kept, in memory up to a budget and past it in
//   partition files on disk, and each conversation is judged at the end.

import PolicyLangCore
import PolicyLangRuntime

/// What became of an event handed to an ordering.
package enum OrderingResult {
  /// Taken (judged now or kept to be judged in order).
  case taken
  /// Refused: an error line.
  case rejected(EventLineError)
  /// The input is not in the order the strategy needs: the run must start over with another.
  case outOfOrder
}

/// A strategy that hands each conversation's events to the judge in sorted order.
package protocol EventOrdering {
  /// An accepted event, from the line at `position`, judged by the policies of `routes`.
  mutating func add<Sink: VerdictSink>(
    _ event: Event, routes: RouteSet, position: LinePosition, judge: inout RunJudge<Sink>
  ) -> OrderingResult
  /// The input ended: every conversation still waiting is judged and finished.
  mutating func finish<Sink: VerdictSink>(judge: inout RunJudge<Sink>) throws(FileError)
  /// Why events stayed in memory past the budget (no temporary file could be made), if they did.
  var diskUnavailable: FileError? { get }
}

extension EventOrdering {
  package var diskUnavailable: FileError? { nil }
}

// MARK: - Arrival order

/// Judges each event as it arrives, as long as every conversation's events arrive in time order.
package struct ArrivalOrder: EventOrdering {
  private var table = ConversationTable()
  private let policies: Int

  package init(policies: Int) { self.policies = policies }

  package mutating func add<Sink: VerdictSink>(
    _ event: Event, routes: RouteSet, position: LinePosition, judge: inout RunJudge<Sink>
  ) -> OrderingResult {
    let slot = table.slot(of: event.conversation, start: { judge.start($0) })
    return table.withEntry(slot) { entry -> OrderingResult in
      if let last = entry.lastAt, event.at < last { return .outOfOrder }
      // A line the conversation refuses is the judge's to report (in order, at the end).
      judge.take(event, routes: routes, position: position, entry: &entry)
      return .taken
    }
  }

  package mutating func finish<Sink: VerdictSink>(judge: inout RunJudge<Sink>) throws(FileError) {
    for slot in 0..<table.count {
      table.withEntry(slot) { judge.finish(&$0) }
    }
  }
}

// MARK: - Grouped order

/// Judges a conversation when the next one begins (`--grouped`).
package struct GroupedOrder: EventOrdering {
  private var current: ByteString?
  private var events: [(event: Event, routes: RouteSet, position: LinePosition)] = []
  private let judged = JudgedIDs()
  private let policies: Int

  package init(policies: Int) { self.policies = policies }

  package mutating func add<Sink: VerdictSink>(
    _ event: Event, routes: RouteSet, position: LinePosition, judge: inout RunJudge<Sink>
  ) -> OrderingResult {
    if event.conversation != current {
      if judged.contains(event.conversation) { return .rejected(Intake.notGrouped(event.conversation)) }
      judgeCurrent(&judge)
      current = event.conversation
    }
    events.append((event, routes, position))
    return .taken
  }

  /// Sorts and judges the conversation being read, then forgets it.
  private mutating func judgeCurrent<Sink: VerdictSink>(_ judge: inout RunJudge<Sink>) {
    guard let id = current else { return }
    judged.insert(id)
    var entry = judge.start(id)
    events.sort { a, b in a.event.at != b.event.at ? a.event.at < b.event.at : a.position < b.position }
    for item in events { judge.take(item.event, routes: item.routes, position: item.position, entry: &entry) }
    judge.finish(&entry)
    events.removeAll(keepingCapacity: events.count <= 1024)
    current = nil
  }

  package mutating func finish<Sink: VerdictSink>(judge: inout RunJudge<Sink>) throws(FileError) {
    judgeCurrent(&judge)
    if let failure = judged.failure { throw failure }
  }
}

// MARK: - Buffered order

/// Keeps every event (in memory up to `budget` bytes, then on disk) and judges each conversation
/// at the end, sorted.
package struct BufferedOrder: EventOrdering {
  /// Memory counted per kept event beyond its text (the decoded structure).
  static let eventOverhead = 200

  private let policies: Int
  private let budget: Int
  private let intake: Intake
  private var kept: [PlacedEvent] = []
  private var keptBytes = 0
  private var partitions: EventPartitions?
  /// Why events could not go to disk: they stay in memory, past the budget.
  package private(set) var diskUnavailable: FileError?

  package init(policies: Int, budget: Int, intake: Intake) {
    self.policies = policies
    self.budget = max(1, budget)
    self.intake = intake
  }

  package mutating func add<Sink: VerdictSink>(
    _ event: Event, routes: RouteSet, position: LinePosition, judge: inout RunJudge<Sink>
  ) -> OrderingResult {
    let placed = PlacedEvent(event: event, position: position)
    if let partitions {
      partitions.append(placed)
      return .taken
    }
    kept.append(placed)
    keptBytes += Self.cost(event)
    if keptBytes > budget && diskUnavailable == nil { spill() }
    return .taken
  }

  /// The memory an event is counted for.
  static func cost(_ event: Event) -> Int {
    guard case .message(let m) = event.kind else { return eventOverhead }
    return eventOverhead + m.text.count + m.attachments.reduce(0) { $0 + ($1.url?.count ?? 0) + 16 }
  }

  /// Moves what is kept to partition files; the rest of the input follows it there.
  private mutating func spill() {
    do throws(FileError) {
      let partitions = try EventPartitions()
      for placed in kept { partitions.append(placed) }
      kept = []
      keptBytes = 0
      self.partitions = partitions
    } catch {
      diskUnavailable = error
    }
  }

  package mutating func finish<Sink: VerdictSink>(judge: inout RunJudge<Sink>) throws(FileError) {
    if let partitions {
      let intake = self.intake
      let policies = self.policies
      try partitions.forEachPartition(budget: budget) { events in
        Self.judge(events, policies: policies, intake: intake, judge: &judge)
      }
    } else {
      Self.judge(kept, policies: policies, intake: intake, judge: &judge)
      kept = []
    }
  }

  /// Groups events by conversation, sorts each conversation and judges it.
  private static func judge<Sink: VerdictSink>(
    _ events: [PlacedEvent], policies: Int, intake: Intake, judge: inout RunJudge<Sink>
  ) {
    var table = ConversationTable()
    var byConversation: [[Int]] = []
    for (k, placed) in events.enumerated() {
      let slot = table.slot(of: placed.event.conversation, start: { judge.start($0) })
      if slot == byConversation.count { byConversation.append([]) }
      byConversation[slot].append(k)
    }
    for slot in byConversation.indices {
      var order = byConversation[slot]
      order.sort { a, b in
        let x = events[a]
        let y = events[b]
        return x.event.at != y.event.at ? x.event.at < y.event.at : x.position < y.position
      }
      table.withEntry(slot) { entry in
        for k in order {
          // Routing was decided when the line was read; it depends on the event alone.
          guard case .success(let routes) = intake.route(events[k].event) else { continue }
          judge.take(events[k].event, routes: routes, position: events[k].position, entry: &entry)
        }
        judge.finish(&entry)
      }
    }
  }
}
