import PolicyLang

/// One event of an `EventLibrary`: what numbering and reply delays need, in a plain value (no
/// references, so a million of them are copied and sorted as bytes). Its text and attachments,
/// kept only for conversations verdicts are about, are in the library (`message(of:)`).
public struct LibraryEvent: Sendable, Hashable {
  /// When it happened.
  public var at: Timestamp
  /// The sender of a message; nil for a non-message event.
  public var role: SenderRole?
  /// An automatic reply.
  public var auto: Bool
  /// Index into the library's names of the event's `platform` (-1: none).
  var platform: Int32
  /// Index into the library's names of a non-message event's name (-1: a message).
  var name: Int32
  /// Index into the library's kept messages (-1: not kept).
  var message: Int32
  /// Index into the library's kept `id`s (-1: none, or not kept).
  var id: Int32 = -1
  /// Line order across every file: what breaks ties between equal times.
  var sequence: Int
}

/// A message as the report shows it.
public struct LibraryMessage: Sendable, Hashable {
  /// The text as validated UTF-8 (kept as the decoder gave it: most are never shown).
  public var utf8: [UInt8]
  /// The attachments in line order.
  public var attachments: [Attachment]

  /// A message from its parts.
  public init(utf8: [UInt8], attachments: [Attachment]) {
    self.utf8 = utf8
    self.attachments = attachments
  }

  /// The text, as written.
  public var text: String { String(decoding: utf8, as: UTF8.self) }
}

/// The events of the runs the verdicts came from, grouped by conversation, so each verdict can be
/// given its message and each obligation its reply times.
///
/// Lines are read as `policyc eval` reads them: a line the event decoder rejects, or whose shop or
/// buyer conflicts with an earlier line of its conversation, is reported and takes no place in
/// event indexes. A verdict's `event` counts the conversation's events routed to its policy,
/// sorted by (`at`, line order): see `timeline(of:policy:routing:)`.
public struct EventLibrary: Sendable {
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
  /// Each conversation's events, sorted by (`at`, line order) once the files are read: routing
  /// only leaves events out, so one order serves every policy.
  private var timelines: [[LibraryEvent]] = []
  /// Platform and event names, by index.
  private var names: [String] = []
  private var nameIndexes: [ByteString: Int32] = [:]
  /// Texts and attachments of the conversations verdicts are about.
  private var messages: [LibraryMessage] = []
  /// Event `id`s of the conversations verdicts are about.
  private var ids: [String] = []

  /// An empty library over these files.
  public init(files: [String]) {
    self.files = files
  }

  /// The number of conversations.
  public var conversationCount: Int { timelines.count }

  /// The number of accepted events.
  public var eventCount: Int { timelines.reduce(0) { $0 + $1.count } }

  /// Reads events files in order (`-` is standard input), keeping message texts only of the
  /// conversations in `keepingTextOf` (the ones verdicts are about), or of all when it is nil;
  /// `report` gets each problem.
  public static func read(
    paths: [String], keepingTextOf wanted: Set<String>?,
    maxLineLength: Int = LineReader.defaultMaxLineLength, report: (String) -> Void
  ) -> EventLibrary {
    var library = EventLibrary(files: paths.map { $0 == "-" ? LineReader.standardInputName : $0 })
    let wantedIDs = wanted.map { Set($0.map { ByteString($0) }) }
    let decoder = EventDecoder()
    var shops: [ByteString?] = []
    var buyers: [ByteString?] = []
    var sequence = 0
    // Lines of one conversation usually come together: its slot is remembered between them.
    var current: (id: ByteString, slot: Int, wanted: Bool)?
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
          let event: Event
          do {
            event = try decoder.decode(bytes)
          } catch {
            library.skippedLines += 1
            report(error.formatted(file: reader.name, line: line.number))
            continue
          }
          let slot: Int
          let keepText: Bool
          if let current, current.id == event.conversation {
            slot = current.slot
            keepText = current.wanted
          } else {
            if let known = library.slots[event.conversation] {
              slot = known
            } else {
              slot = library.timelines.count
              library.slots[event.conversation] = slot
              library.timelines.append([])
              shops.append(nil)
              buyers.append(nil)
            }
            keepText = wantedIDs?.contains(event.conversation) ?? true
            current = (event.conversation, slot, keepText)
          }
          if let conflict = Self.conflict(event, shop: shops[slot], buyer: buyers[slot]) {
            library.skippedLines += 1
            report(EventLineError(conflict.0, conflict.1).formatted(file: reader.name, line: line.number))
            continue
          }
          if let shop = event.shop, shops[slot] == nil { shops[slot] = shop }
          if let buyer = event.buyer, buyers[slot] == nil { buyers[slot] = buyer }
          library.timelines[slot].append(library.entry(event, sequence: sequence, keepingText: keepText))
          sequence += 1
        }
      } catch {
        library.unreadableFiles.append(error)
        report(error.description)
      }
    }
    for slot in library.timelines.indices {
      library.timelines[slot].sort { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
    }
    return library
  }

  private mutating func entry(_ event: Event, sequence: Int, keepingText: Bool) -> LibraryEvent {
    var entry = LibraryEvent(
      at: event.at, role: nil, auto: false, platform: event.platform.map { nameIndex($0) } ?? -1, name: -1,
      message: -1, sequence: sequence)
    if keepingText, let id = event.id {
      entry.id = Int32(truncatingIfNeeded: ids.count)
      ids.append(id.string)
    }
    switch event.kind {
    case .message(let message):
      entry.role = message.role
      entry.auto = message.auto
      if keepingText {
        entry.message = Int32(truncatingIfNeeded: messages.count)
        messages.append(LibraryMessage(utf8: message.text, attachments: message.attachments))
      }
    case .event(let name):
      entry.name = nameIndex(name)
    }
    return entry
  }

  private mutating func nameIndex(_ name: ByteString) -> Int32 {
    if let known = nameIndexes[name] { return known }
    let index = Int32(truncatingIfNeeded: names.count)
    names.append(name.string)
    nameIndexes[name] = index
    return index
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

  /// The text and attachments of a message of a conversation verdicts are about.
  public func message(of event: LibraryEvent) -> LibraryMessage? {
    messages.indices.contains(Int(event.message)) ? messages[Int(event.message)] : nil
  }

  /// The event's own `id`, for a conversation verdicts are about.
  public func id(of event: LibraryEvent) -> String? {
    ids.indices.contains(Int(event.id)) ? ids[Int(event.id)] : nil
  }

  /// The name of a non-message event.
  public func name(of event: LibraryEvent) -> String? {
    names.indices.contains(Int(event.name)) ? names[Int(event.name)] : nil
  }

  /// The index of a platform or event name, when some event carries it.
  func index(ofName name: String) -> Int32? { nameIndexes[ByteString(name)] }

  /// The events of a conversation that `policy` numbered, sorted by (`at`, line order): a
  /// verdict's `event` indexes this. Empty for an unknown conversation.
  public func timeline(of conversation: String, policy: String, routing: Routing) -> [LibraryEvent] {
    guard let slot = slots[ByteString(conversation)] else { return [] }
    return routed(timelines[slot], policy: policy, routing: routing)
  }

  /// Calls `body` with every conversation's numbered events for `policy` (conversations in the
  /// order they first appeared), skipping conversations with none.
  public func forEachTimeline(policy: String, routing: Routing, _ body: ([LibraryEvent]) -> Void) {
    let index = routing == .byPlatform ? (index(ofName: policy) ?? -2) : -1
    for events in timelines {
      let judged = routed(events, platformIndex: index, routing: routing)
      if !judged.isEmpty { body(judged) }
    }
  }

  private func routed(_ events: [LibraryEvent], policy: String, routing: Routing) -> [LibraryEvent] {
    routed(
      events, platformIndex: routing == .byPlatform ? (index(ofName: policy) ?? -2) : -1, routing: routing)
  }

  /// The events a policy judged: all of them, or (by platform) those without `platform` or naming
  /// it (`platformIndex`, -2 when no event names it); the sorted array itself, uncopied, when
  /// nothing is left out.
  private func routed(_ events: [LibraryEvent], platformIndex: Int32, routing: Routing) -> [LibraryEvent] {
    guard routing == .byPlatform else { return events }
    func judged(_ event: LibraryEvent) -> Bool { event.platform < 0 || event.platform == platformIndex }
    return events.allSatisfy(judged) ? events : events.filter(judged)
  }
}
