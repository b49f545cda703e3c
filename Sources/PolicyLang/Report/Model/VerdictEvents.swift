import PolicyLang

/// The event a verdict is about, as the page shows it.
public struct MatchedEvent: Sendable, Hashable {
  /// When it happened.
  public var at: Timestamp
  /// The sender of a message; nil for a non-message event.
  public var role: SenderRole?
  /// The name of a non-message event.
  public var eventName: String?
  /// The message's text and attachments.
  public var message: LibraryMessage?
  /// The event's own `id`, when it has one.
  public var id: String? = nil
}

/// What the events say about one verdict.
public enum VerdictEventMatch: Sendable, Hashable {
  /// The verdict's event: its message (or opening message, for a timing verdict).
  case found(MatchedEvent)
  /// No event of that conversation and index: the events given are not the run's.
  case missing
  /// An event is there but is not the one judged: its time differs from the verdict's, or the
  /// evidence's characters are not in its text.
  case mismatched(MatchedEvent)
}

/// Finds each verdict's event in an `EventLibrary`.
///
/// The event index counts the conversation's events that the verdict's policy judged, sorted by
/// (`at`, line order) (io.md). Which events a policy judged depends on how many policies the run
/// had, which a verdict file does not say: `preferred` is tried first (every event when the
/// report knows one policy, the `platform` routing when it knows several) and the other routing
/// when the event found does not fit. An event fits when its time is the verdict's (a content
/// verdict's `at`, a timing verdict's `opened_at`), its `id` is the verdict's `event_id` when both
/// have one, and, for text evidence, `match` is exactly the text's scalars `start..<end`.
public struct VerdictEvents: Sendable {
  /// The match of each verdict, by its index in the verdicts given; absent for rate verdicts.
  public private(set) var matches: [Int: VerdictEventMatch] = [:]

  /// Matches every conversation verdict of `verdicts` against `library`.
  public init(verdicts: [ReportVerdict], library: EventLibrary, preferred: EventLibrary.Routing) {
    // One sort of a conversation's events serves all its verdicts.
    var byConversation: [String: [Int]] = [:]
    for (index, verdict) in verdicts.enumerated() {
      guard let conversation = verdict.conversation else { continue }
      byConversation[conversation, default: []].append(index)
    }
    let other: EventLibrary.Routing = preferred == .every ? .byPlatform : .every
    for conversation in byConversation.keys.sorted() {
      var timelines: [String: [EventLibrary.Routing: [LibraryEvent]]] = [:]
      func timeline(_ policy: String, _ routing: EventLibrary.Routing) -> [LibraryEvent] {
        if let known = timelines[policy]?[routing] { return known }
        let events = library.timeline(of: conversation, policy: policy, routing: routing)
        timelines[policy, default: [:]][routing] = events
        return events
      }
      for index in byConversation[conversation] ?? [] {
        let verdict = verdicts[index]
        guard let eventIndex = verdict.event else { continue }
        var result = VerdictEventMatch.missing
        for routing in [preferred, other] {
          let events = timeline(verdict.policy, routing)
          guard events.indices.contains(eventIndex) else { continue }
          let entry = events[eventIndex]
          let event = MatchedEvent(
            at: entry.at, role: entry.role, eventName: library.name(of: entry),
            message: library.message(of: entry), id: library.id(of: entry))
          if Self.fits(event, verdict) {
            result = .found(event)
            break
          }
          if case .missing = result { result = .mismatched(event) }
        }
        matches[index] = result
      }
    }
  }

  /// Whether `event` is the one `verdict` is about.
  public static func fits(_ event: MatchedEvent, _ verdict: ReportVerdict) -> Bool {
    // Ids are the source system's own names of events: two that differ are two events.
    if let wanted = verdict.eventID, let id = event.id, wanted != id { return false }
    switch verdict.kind {
    case .rate:
      return false
    case .timing(let obligation):
      return event.at == obligation.openedAt.instant
    case .content(let evidence):
      guard event.at == verdict.at.instant else { return false }
      let message = event.message
      // Scalars compared one by one: `String ==` would equate canonically equivalent texts.
      var scalars: [Unicode.Scalar]?
      for item in evidence {
        guard let start = item.start, let end = item.end, let match = item.match else { continue }
        if let attachment = item.attachment {
          guard let attachments = message?.attachments, attachments.indices.contains(attachment) else {
            return false
          }
          let url = Array((attachments[attachment].urlString ?? "").unicodeScalars)
          guard end <= url.count, url[start..<end].elementsEqual(match.unicodeScalars) else {
            return false
          }
        } else {
          let text = scalars ?? message.map { Array($0.text.unicodeScalars) } ?? []
          scalars = text
          guard end <= text.count, text[start..<end].elementsEqual(match.unicodeScalars) else {
            return false
          }
        }
      }
      return true
    }
  }
}
