/// The stable reason code of an error line, as counted by `--stats`.
public enum EventLineReason: String, Hashable, Sendable, CaseIterable, Comparable {
  /// Not one well-formed JSON object.
  case invalidJSON = "invalid_json"
  /// A string (or the line) is not valid UTF-8.
  case invalidUTF8 = "invalid_utf8"
  /// A `\u` escape leaves a lone surrogate.
  case loneSurrogate = "lone_surrogate"
  /// A key appears twice in the object (or twice in one attachment).
  case duplicateKey = "duplicate_key"
  /// A known field has the wrong JSON type.
  case wrongType = "wrong_type"
  /// No `conversation`.
  case missingConversation = "missing_conversation"
  /// No `at`.
  case missingAt = "missing_at"
  /// `at` is not a valid RFC 3339 time (malformed, impossible date, out of range).
  case badTime = "bad_time"
  /// `at` has second 60.
  case leapSecond = "leap_second"
  /// `from` is not buyer, seller, platform or system.
  case badFrom = "bad_from"
  /// Both `from` and `event`.
  case fromAndEvent = "from_and_event"
  /// Neither `from` nor `event`.
  case noFromOrEvent = "no_from_or_event"
  /// An attachment without a `type`.
  case badAttachment = "bad_attachment"
  /// Longer than `--max-line`.
  case lineTooLong = "line_too_long"
  /// A `shop` different from an earlier one of the same conversation (the evaluator's check).
  case conflictingShop = "conflicting_shop"
  /// A `buyer` different from an earlier one of the same conversation (the evaluator's check).
  case conflictingBuyer = "conflicting_buyer"
  /// A line that breaks `--grouped`'s promise (the evaluator's check).
  case notGrouped = "not_grouped"
  /// The event's `platform` names none of the policies given (with several policies).
  case unknownPlatform = "unknown_platform"
  /// Earlier than what its conversation was already judged through by an earlier run (`--state`).
  case late = "late"

  /// Orders by code, for a stable `--stats` rendering.
  public static func < (a: EventLineReason, b: EventLineReason) -> Bool { a.rawValue < b.rawValue }
}

/// Why a line was rejected: a reason code and the human WHY of `FILE:LINE: error: WHY`.
public struct EventLineError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The stable code.
  public var reason: EventLineReason
  /// One line of English, without a trailing period, e.g. "missing `at`".
  public var message: String

  /// An error with its reason and explanation.
  public init(_ reason: EventLineReason, _ message: String) {
    self.reason = reason
    self.message = message
  }

  /// The error of a line longer than the limit.
  public static func lineTooLong(byteCount: Int, limit: Int) -> EventLineError {
    EventLineError(.lineTooLong, "line is \(byteCount) bytes, longer than --max-line \(limit)")
  }

  /// The message.
  public var description: String { message }

  /// The `FILE:LINE: error: WHY` line io.md prescribes (no trailing newline).
  public func formatted(file: String, line: Int) -> String {
    "\(file):\(line): error: \(message)"
  }
}
