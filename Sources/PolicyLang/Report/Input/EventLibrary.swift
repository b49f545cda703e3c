import PolicyLang

/// The events of the runs the verdicts came from, grouped by conversation, so each verdict can be
/// given its message and each obligation its reply times.
///
/// Lines are read as `policyc eval` reads them: a line the event decoder rejects, or whose shop or
/// buyer conflicts with an earlier line of its conversation, is reported and takes no place in
/// event indexes. A verdict's `event` counts the conversation's events routed to its policy,
/// sorted by (`at`, line order): see `timeline(of:policy:routing:)`.
public struct EventLibrary: Sendable {
  /// One accepted event and its place in the input.
  public struct Entry: Sendable {
    /// The event (its text dropped when no verdict is about its conversation).
    public var event: Event
    /// Line order across every file: what breaks ties between equal times.
    public var sequence: Int
  }

  /// How a conversation's events are numbered for one policy (io.md "Several policies").
  public enum Routing: Sendable, Hashable {
    /// One policy judged the run: every event counts, `platform` ignored.
    case every
    /// Several policies judged the run: events without `platform` or naming this policy count.
    case byPlatform
  }

  /// The files in the order given.
  public var files: [String]
  /// Physical lines read, blank ones included.
  public var linesRead = 0
  /// Blank lines.
  public var blankLines = 0
  /// Lines reported and skipped.
  public var skippedLines = 0
  /// Files that could not be opened or read to the end.
  public var unreadableFiles: [InputError] = []
  /// Each conversation's slot in `timelines`.
  private var slots: [ByteString: Int] = [:]
  /// Accepted events of each conversation, in line order.
  private var timelines: [[Entry]] = []

  /// An empty library over these files.
  public init(files: [String]) {
    self.files = files
  }

  /// The number of conversations.
  public var conversationCount: Int { timelines.count }

  /// The number of accepted events.
  public var eventCount: Int { timelines.reduce(0) { $0 + $1.count } }

  /// Reads events files in order (`-` is standard input), keeping message texts only of the
  /// conversations in `keepingTextOf` (the ones verdicts are about); `report` gets each problem.
  public static func read(
    paths: [String], keepingTextOf wanted: Set<String>,
    maxLineLength: Int = LineReader.defaultMaxLineLength, report: (String) -> Void
  ) -> EventLibrary {
    var library = EventLibrary(files: paths.map { $0 == "-" ? LineReader.standardInputName : $0 })
    let wantedIDs = Set(wanted.map { ByteString($0) })
    let decoder = EventDecoder()
    var shops: [ByteString?] = []
    var buyers: [ByteString?] = []
    var sequence = 0
    for path in paths {
      let reader: LineReader
      do {
        reader =
          path == "-"
          ? LineReader(standardInputWithMaxLineLength: maxLineLength)
          : try LineReader(path: path, maxLineLength: maxLineLength)
      } catch {
        library.unreadableFiles.append(error)
        report(error.description)
        continue
      }
      do {
        while let line = try reader.next() {
          library.linesRead += 1
          let bytes: UnsafeBufferPointer<UInt8>
          switch line.content {
          case .blank:
            library.blankLines += 1
            continue
          case .tooLong(let count):
            library.skippedLines += 1
            report(
              EventLineError.lineTooLong(byteCount: count, limit: maxLineLength)
                .formatted(file: reader.name, line: line.number))
            continue
          case .text(let text):
            bytes = text
          }
          var event: Event
          do {
            event = try decoder.decode(bytes)
          } catch {
            library.skippedLines += 1
            report(error.formatted(file: reader.name, line: line.number))
            continue
          }
          let slot: Int
          if let known = library.slots[event.conversation] {
            slot = known
          } else {
            slot = library.timelines.count
            library.slots[event.conversation] = slot
            library.timelines.append([])
            shops.append(nil)
            buyers.append(nil)
          }
          if let conflict = Self.conflict(event, shop: shops[slot], buyer: buyers[slot]) {
            library.skippedLines += 1
            report(EventLineError(conflict.0, conflict.1).formatted(file: reader.name, line: line.number))
            continue
          }
          if let shop = event.shop, shops[slot] == nil { shops[slot] = shop }
          if let buyer = event.buyer, buyers[slot] == nil { buyers[slot] = buyer }
          if case .message(var message) = event.kind, !message.text.isEmpty,
            !wantedIDs.contains(event.conversation)
          {
            message.text = []
            event.kind = .message(message)
          }
          library.timelines[slot].append(Entry(event: event, sequence: sequence))
          sequence += 1
        }
      } catch {
        library.unreadableFiles.append(error)
        report(error.description)
      }
    }
    return library
  }

  /// The reason and message of a shop or buyer that differs from an earlier line's, as `policyc
  /// eval` rejects them.
  private static func conflict(
    _ event: Event, shop: ByteString?, buyer: ByteString?
  ) -> (EventLineReason, String)? {
    if let found = event.shop, let earlier = shop, found != earlier {
      return (
        .conflictingShop,
        "shop `\(found)` conflicts with shop `\(earlier)` of an earlier line of conversation `\(event.conversation)`"
      )
    }
    if let found = event.buyer, let earlier = buyer, found != earlier {
      return (
        .conflictingBuyer,
        "buyer `\(found)` conflicts with buyer `\(earlier)` of an earlier line of conversation `\(event.conversation)`"
      )
    }
    return nil
  }

  /// The events of a conversation that `policy` numbered, sorted by (`at`, line order): a
  /// verdict's `event` indexes this. Empty for an unknown conversation.
  public func timeline(of conversation: String, policy: String, routing: Routing) -> [Event] {
    guard let slot = slots[ByteString(conversation)] else { return [] }
    return Self.sorted(timelines[slot], policy: ByteString(policy), routing: routing)
  }

  /// Calls `body` with every conversation's numbered events for `policy` (conversations in the
  /// order they first appeared), skipping conversations with none.
  public func forEachTimeline(policy: String, routing: Routing, _ body: ([Event]) -> Void) {
    let name = ByteString(policy)
    for entries in timelines {
      let events = Self.sorted(entries, policy: name, routing: routing)
      if !events.isEmpty { body(events) }
    }
  }

  private static func sorted(_ entries: [Entry], policy: ByteString, routing: Routing) -> [Event] {
    var routed = entries
    if routing == .byPlatform {
      routed.removeAll { entry in entry.event.platform.map { $0 != policy } ?? false }
    }
    // Stable by construction: ties in `at` keep line order through `sequence`.
    routed.sort { ($0.event.at, $0.sequence) < ($1.event.at, $1.sequence) }
    return routed.map(\.event)
  }
}
