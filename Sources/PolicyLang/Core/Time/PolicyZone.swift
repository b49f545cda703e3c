import Foundation

/// An IANA time zone with exact offsets for any instant, read from the system's TZif files.
///
/// Loading reads `/usr/share/zoneinfo/<identifier>` (the 64-bit section of TZif v2+ and its footer
/// rule) and precomputes every transition up to the year 2200 into one sorted array, so a lookup is
/// a binary search with no Foundation call; later instants use the footer rule directly.
///
/// Local times that do not exist or exist twice (a DST gap or overlap) resolve as follows in
/// `instant(of:secondsOfDay:)`: a time in a gap is read with the offset in effect before the gap, so
/// it lands as far after the transition as it was written after it (02:30 on a spring-forward day in
/// New York is 03:30 EDT); a time in an overlap is its EARLIER instant (the first 01:30 in autumn).
public struct PolicyZone: Hashable, Sendable, CustomStringConvertible {
  /// The identifier as given, e.g. `Asia/Shanghai`.
  public let identifier: String
  /// Transition instants (seconds since the epoch), ascending.
  let transitions: [Int64]
  /// The offset (seconds east of UTC) from each transition on.
  let offsets: [Int32]
  /// The offset before the first transition.
  let initialOffset: Int32
  /// The footer rule for instants after the table; nil means the last offset holds forever.
  let rule: PosixTZRule?
  /// The footer rule's offset when it has no daylight saving time (`CST-8`): read without copying
  /// the rule, for every instant after the table (every chat of most zones).
  private let ruleFixedOffset: Int32?
  /// Unix seconds that lie in years 0001-9999 in this zone whatever its offset: `accepts` decides
  /// them without looking an offset up (see SupportedYears.swift).
  package let surelyAcceptedSeconds: Range<Int64>

  /// The year up to which the footer rule's transitions are precomputed.
  static let precomputedThroughYear: Int64 = 2200

  /// The default directory of TZif files.
  public static let defaultDirectory = "/usr/share/zoneinfo"

  /// Coordinated Universal Time, available without any file.
  public static let utc = PolicyZone(
    identifier: "UTC", transitions: [], offsets: [], initialOffset: 0, rule: nil)

  init(identifier: String, transitions: [Int64], offsets: [Int32], initialOffset: Int32, rule: PosixTZRule?) {
    self.identifier = identifier
    self.transitions = transitions
    self.offsets = offsets
    self.initialOffset = initialOffset
    self.rule = rule
    ruleFixedOffset = rule.flatMap { $0.dst == nil ? $0.stdOffset : nil }
    let largest =
      ([initialOffset] + offsets + [rule?.stdOffset, rule?.dst?.offset].compactMap { $0 })
      .map { Int64($0.magnitude) }.max() ?? 0
    surelyAcceptedSeconds = Self.interior(ofSupportedYearsWithOffsetsUpTo: largest)
  }

  /// The zone named `identifier`, or nil when it is not a known IANA zone on this system.
  public init?(identifier: String) {
    guard let zone = try? PolicyZone.load(identifier: identifier) else { return nil }
    self = zone
  }

  /// Loads a zone, saying why it cannot be loaded.
  public static func load(
    identifier: String, directory: String = PolicyZone.defaultDirectory
  ) throws(ZoneError) -> PolicyZone {
    guard isWellFormedIdentifier(identifier) else { throw ZoneError.unknownZone(identifier) }
    let path = directory + "/" + identifier
    guard let data = FileManager.default.contents(atPath: path) else {
      if identifier == "UTC" || identifier == "Etc/UTC" { return .utc }
      throw ZoneError.unknownZone(identifier)
    }
    let parsed = try TZifParser.parse([UInt8](data), identifier: identifier)
    return parsed.precomputed(throughYear: precomputedThroughYear)
  }

  /// Whether a name could be a zone file below the directory (no `..`, no absolute path).
  static func isWellFormedIdentifier(_ name: String) -> Bool {
    guard !name.isEmpty, name.utf8.count <= 255 else { return false }
    for part in name.split(separator: "/", omittingEmptySubsequences: false) {
      guard !part.isEmpty, part != ".", part != ".." else { return false }
      for b in part.utf8 {
        let ok =
          (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
          || b == 0x5F || b == 0x2D || b == 0x2B || b == 0x2E
        guard ok else { return false }
      }
    }
    return true
  }

  /// The offset from UTC (seconds east) in effect at an instant.
  public func offset(at t: Timestamp) -> Int32 { offset(atSeconds: t.seconds) }

  /// The offset from UTC (seconds east) in effect at a Unix second.
  public func offset(atSeconds t: Int64) -> Int32 {
    if let fixed = ruleFixedOffset, let last = transitions.last, t > last { return fixed }
    return offsetFromTable(atSeconds: t)
  }

  /// `offset(atSeconds:)` by the table and the rule alone (the tests' reference for its shortcut).
  func offsetFromTable(atSeconds t: Int64) -> Int32 {
    var lo = 0
    var hi = transitions.count
    // Find the number of transitions at or before t.
    while lo < hi {
      let mid = (lo + hi) >> 1
      if transitions[mid] <= t { lo = mid + 1 } else { hi = mid }
    }
    if lo == transitions.count, let rule, let last = transitions.last, t > last {
      return rule.offset(atSeconds: t)
    }
    return lo == 0 ? initialOffset : offsets[lo - 1]
  }

  /// The local civil date and time of an instant in this zone.
  public func localTime(of t: Timestamp) -> LocalDateTime {
    let offset = offset(atSeconds: t.seconds)
    let local = t.seconds &+ Int64(offset)
    let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
    return LocalDateTime(
      date: CivilDate(daysSinceEpoch: days), daysSinceEpoch: days,
      secondsOfDay: Int(local - days * 86400), nanoseconds: t.nanoseconds, offsetSeconds: offset)
  }

  /// The instant of a local date plus seconds since its local midnight (may be 86400 or more, for
  /// a window's end `24:00`). Gaps and overlaps resolve as the type's documentation says.
  public func instant(of date: CivilDate, secondsOfDay: Int64) -> Timestamp {
    instant(localSeconds: date.daysSinceEpoch &* 86400 &+ secondsOfDay)
  }

  /// The instant of a local time given as seconds since 1970-01-01T00:00 local.
  public func instant(localSeconds local: Int64) -> Timestamp {
    // Transitions are far more than two days apart, so the offsets a day either side bound every
    // offset that can apply at this local time.
    let before = offset(atSeconds: local &- 2 * 86400)
    let after = offset(atSeconds: local &+ 2 * 86400)
    var best: Int64?
    for candidate in [before, after] {
      let t = local &- Int64(candidate)
      if offset(atSeconds: t) == candidate, best.map({ t < $0 }) ?? true { best = t }
    }
    return Timestamp(seconds: best ?? (local &- Int64(before)))
  }

  /// The instant in RFC 3339 with this zone's offset at that instant (an instant outside years
  /// 0001-9999 in the zone as the nearest one inside, see `writable(_:)`).
  public func rfc3339(_ t: Timestamp) -> String {
    let (instant, offset) = writable(t)
    return instant.rfc3339(offsetSeconds: offset)
  }

  /// Appends the instant in RFC 3339 with this zone's offset at that instant (an instant outside
  /// years 0001-9999 in the zone as the nearest one inside, see `writable(_:)`).
  public func appendRFC3339(_ t: Timestamp, to out: inout [UInt8]) {
    let (instant, offset) = writable(t)
    RFC3339.append(instant, offsetSeconds: offset, to: &out)
  }

  /// The identifier.
  public var description: String { identifier }

  /// Zones are equal when they have the same identifier.
  public static func == (a: PolicyZone, b: PolicyZone) -> Bool { a.identifier == b.identifier }
  /// Hashes the identifier.
  public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

  /// The zone with the footer rule's transitions appended up to the end of `year`.
  func precomputed(throughYear year: Int64) -> PolicyZone {
    guard let rule, rule.dst != nil else { return self }
    var times = transitions
    var offs = offsets
    let lastTable = transitions.last ?? Int64.min
    let startYear = max(
      1970, CivilDate(daysSinceEpoch: (lastTable == Int64.min ? 0 : lastTable) / 86400).year)
    guard startYear <= year else { return self }
    for y in startYear...year {
      for (t, o) in rule.transitions(year: y) where t > lastTable {
        times.append(t)
        offs.append(o)
      }
    }
    return PolicyZone(
      identifier: identifier, transitions: times, offsets: offs, initialOffset: initialOffset, rule: rule)
  }
}

/// A local civil date and time in a zone.
public struct LocalDateTime: Hashable, Sendable {
  /// The local date.
  public var date: CivilDate
  /// The local date as days since 1970-01-01.
  public var daysSinceEpoch: Int64
  /// Seconds since local midnight, 0..<86400.
  public var secondsOfDay: Int
  /// The fraction of the second.
  public var nanoseconds: Int32
  /// The zone's offset at that instant, seconds east of UTC.
  public var offsetSeconds: Int32

  /// The day of the week, 0 = Sunday ... 6 = Saturday.
  public var weekday: Int { CivilDate.weekday(daysSinceEpoch: daysSinceEpoch) }
  /// The hour, 0...23.
  public var hour: Int { secondsOfDay / 3600 }
  /// The minute, 0...59.
  public var minute: Int { secondsOfDay / 60 % 60 }
  /// The second, 0...59.
  public var second: Int { secondsOfDay % 60 }
}

/// Why a zone could not be loaded.
public enum ZoneError: Error, Hashable, Sendable, CustomStringConvertible {
  /// No such zone on this system (or a malformed name).
  case unknownZone(String)
  /// The zone file exists but is not valid TZif, or uses leap seconds.
  case invalidZoneFile(String, reason: String)

  /// A short English explanation.
  public var description: String {
    switch self {
    case .unknownZone(let name): return "unknown time zone `\(name)`"
    case .invalidZoneFile(let name, let reason): return "time zone file of `\(name)` is invalid: \(reason)"
    }
  }
}

/// Reads TZif (RFC 8536) files: the 64-bit section of version 2+ and its footer.
enum TZifParser {
  static func parse(_ bytes: [UInt8], identifier: String) throws(ZoneError) -> PolicyZone {
    var reader = ByteReader(bytes: bytes)
    func invalid(_ reason: String) -> ZoneError { .invalidZoneFile(identifier, reason: reason) }
    guard let header1 = reader.header() else { throw invalid("not a TZif file") }
    guard header1.version >= 2 else {
      // Version 1 files carry only 32-bit times and no rule; the system's files are all v2+.
      throw invalid("TZif version 1 is not supported")
    }
    guard reader.skip(header1.v1DataLength) else { throw invalid("truncated") }
    guard let h = reader.header() else { throw invalid("missing the 64-bit section") }
    guard h.leapCount == 0 else { throw invalid("leap-second zones are not supported") }
    guard h.typeCount > 0 else { throw invalid("no local time types") }
    var times: [Int64] = []
    times.reserveCapacity(h.timeCount)
    for _ in 0..<h.timeCount {
      guard let t = reader.int64() else { throw invalid("truncated") }
      times.append(t)
    }
    var indexes: [Int] = []
    for _ in 0..<h.timeCount {
      guard let i = reader.uint8() else { throw invalid("truncated") }
      guard Int(i) < h.typeCount else { throw invalid("transition type out of range") }
      indexes.append(Int(i))
    }
    var typeOffsets: [Int32] = []
    for _ in 0..<h.typeCount {
      guard let off = reader.int32(), reader.skip(2) else { throw invalid("truncated") }
      typeOffsets.append(off)
    }
    guard reader.skip(h.charCount + h.leapCount * 12 + h.isStdCount + h.isUTCCount) else {
      throw invalid("truncated")
    }
    for k in times.indices.dropFirst() where times[k] <= times[k - 1] {
      throw invalid("transitions not in order")
    }
    var rule: PosixTZRule?
    if let footer = reader.footer(), !footer.isEmpty {
      guard let parsed = PosixTZRule(footer) else { throw invalid("footer rule `\(footer)` not understood") }
      rule = parsed
    }
    // Per RFC 8536, type 0 applies before the first transition.
    let initial = typeOffsets[0]
    let offsets = indexes.map { typeOffsets[$0] }
    if times.isEmpty, let rule {
      // No table: the rule applies to every instant; a sentinel transition makes lookups use it.
      return PolicyZone(
        identifier: identifier, transitions: [Int64.min + 1], offsets: [rule.stdOffset],
        initialOffset: rule.stdOffset, rule: rule)
    }
    return PolicyZone(
      identifier: identifier, transitions: times, offsets: offsets, initialOffset: initial, rule: rule)
  }

  struct Header {
    var version: Int
    var isUTCCount, isStdCount, leapCount, timeCount, typeCount, charCount: Int
    var v1DataLength: Int {
      timeCount * 5 + typeCount * 6 + charCount + leapCount * 8 + isStdCount + isUTCCount
    }
  }

  struct ByteReader {
    let bytes: [UInt8]
    var pos = 0

    mutating func skip(_ n: Int) -> Bool {
      guard n >= 0, pos + n <= bytes.count else { return false }
      pos += n
      return true
    }

    mutating func uint8() -> UInt8? {
      guard pos < bytes.count else { return nil }
      pos += 1
      return bytes[pos - 1]
    }

    mutating func uint32() -> UInt32? {
      guard pos + 4 <= bytes.count else { return nil }
      var v: UInt32 = 0
      for k in 0..<4 { v = v << 8 | UInt32(bytes[pos + k]) }
      pos += 4
      return v
    }

    mutating func int32() -> Int32? { uint32().map { Int32(bitPattern: $0) } }

    mutating func int64() -> Int64? {
      guard let hi = uint32(), let lo = uint32() else { return nil }
      return Int64(bitPattern: UInt64(hi) << 32 | UInt64(lo))
    }

    mutating func header() -> Header? {
      guard pos + 44 <= bytes.count, bytes[pos] == 0x54, bytes[pos + 1] == 0x5A, bytes[pos + 2] == 0x69,
        bytes[pos + 3] == 0x66
      else { return nil }
      let versionByte = bytes[pos + 4]
      let version = versionByte == 0 ? 1 : Int(versionByte) - 0x30
      pos += 20
      var counts: [Int] = []
      for _ in 0..<6 {
        guard let c = uint32(), c < 1 << 24 else { return nil }
        counts.append(Int(c))
      }
      return Header(
        version: version, isUTCCount: counts[0], isStdCount: counts[1], leapCount: counts[2],
        timeCount: counts[3], typeCount: counts[4], charCount: counts[5])
    }

    /// The footer `\nRULE\n`, or nil when absent.
    mutating func footer() -> String? {
      guard pos < bytes.count, bytes[pos] == 0x0A else { return nil }
      guard let end = bytes[(pos + 1)...].firstIndex(of: 0x0A) else { return nil }
      return String(decoding: bytes[(pos + 1)..<end], as: UTF8.self)
    }
  }
}

/// A POSIX TZ rule as in a TZif footer, e.g. `EST5EDT,M3.2.0,M11.1.0` or `CST-8`.
struct PosixTZRule: Hashable, Sendable {
  /// A day of the year a transition happens on.
  enum RuleDay: Hashable, Sendable {
    /// `Jn`: day 1...365, February 29 never counted.
    case julianNoLeap(Int)
    /// `n`: day 0...365, February 29 counted.
    case zeroBased(Int)
    /// `Mm.w.d`: weekday d (0 = Sunday) of week w (5 = last) of month m.
    case monthWeekDay(month: Int, week: Int, weekday: Int)

    func daysSinceEpoch(year: Int64) -> Int64 {
      let jan1 = CivilDate(year: year, month: 1, day: 1).daysSinceEpoch
      switch self {
      case .julianNoLeap(let n):
        return jan1 + Int64(n - 1) + (CivilDate.isLeapYear(year) && n >= 60 ? 1 : 0)
      case .zeroBased(let n):
        return jan1 + Int64(n)
      case .monthWeekDay(let month, let week, let weekday):
        let first = CivilDate(year: year, month: month, day: 1).daysSinceEpoch
        let firstWeekday = CivilDate.weekday(daysSinceEpoch: first)
        var day = (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
        let length = CivilDate.daysInMonth(year: year, month: month)
        while day >= length { day -= 7 }
        return first + Int64(day)
      }
    }
  }

  /// Daylight saving time: its offset and when it starts and ends (local times of day in seconds).
  struct DST: Hashable, Sendable {
    var offset: Int32
    var start: RuleDay
    var startTime: Int64
    var end: RuleDay
    var endTime: Int64
  }

  /// Standard offset, seconds east of UTC.
  var stdOffset: Int32
  var dst: DST?

  /// The two transitions of a year: (UTC instant, offset from then on), in time order.
  func transitions(year: Int64) -> [(Int64, Int32)] {
    guard let dst else { return [] }
    // The start is written in standard time, the end in daylight time.
    let start = dst.start.daysSinceEpoch(year: year) * 86400 + dst.startTime - Int64(stdOffset)
    let end = dst.end.daysSinceEpoch(year: year) * 86400 + dst.endTime - Int64(dst.offset)
    return start <= end ? [(start, dst.offset), (end, stdOffset)] : [(end, stdOffset), (start, dst.offset)]
  }

  func offset(atSeconds t: Int64) -> Int32 {
    guard dst != nil else { return stdOffset }
    let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
    // Years this far out only come from saturated instants (a deadline past the end of time);
    // their transitions in seconds would overflow, and any year there reads the same.
    let year = min(max(CivilDate(daysSinceEpoch: days).year, -1_000_000), 1_000_000)
    var result = stdOffset
    var latest = Int64.min
    for y in (year - 1)...(year + 1) {
      for (when, off) in transitions(year: y) where when <= t && when >= latest {
        latest = when
        result = off
      }
    }
    return result
  }

  /// Parses a rule; nil when it is not understood.
  init?(_ text: String) {
    var s = PosixScanner(bytes: Array(text.utf8))
    guard s.name(), let std = s.offset() else { return nil }
    stdOffset = Int32(-std)
    if s.atEnd {
      dst = nil
      return
    }
    guard s.name() else { return nil }
    var dstOffset = -std + 3600
    if !s.atEnd && s.peek != 0x2C {
      guard let o = s.offset() else { return nil }
      dstOffset = -o
    }
    guard s.eat(0x2C), let start = s.ruleDay() else { return nil }
    var startTime: Int64 = 7200
    if s.eat(0x2F) {
      guard let t = s.offset() else { return nil }
      startTime = t
    }
    guard s.eat(0x2C), let end = s.ruleDay() else { return nil }
    var endTime: Int64 = 7200
    if s.eat(0x2F) {
      guard let t = s.offset() else { return nil }
      endTime = t
    }
    guard s.atEnd else { return nil }
    dst = DST(offset: Int32(dstOffset), start: start, startTime: startTime, end: end, endTime: endTime)
  }
}

/// A scanner over a POSIX TZ string.
private struct PosixScanner {
  let bytes: [UInt8]
  var pos = 0

  var atEnd: Bool { pos >= bytes.count }
  var peek: UInt8 { pos < bytes.count ? bytes[pos] : 0 }

  mutating func eat(_ b: UInt8) -> Bool {
    guard peek == b else { return false }
    pos += 1
    return true
  }

  /// A zone abbreviation: `<...>` or three or more letters.
  mutating func name() -> Bool {
    if eat(0x3C) {
      while !atEnd && peek != 0x3E { pos += 1 }
      return eat(0x3E)
    }
    let start = pos
    while (peek >= 0x41 && peek <= 0x5A) || (peek >= 0x61 && peek <= 0x7A) { pos += 1 }
    return pos - start >= 3
  }

  mutating func number(maxDigits: Int) -> Int64? {
    let start = pos
    var v: Int64 = 0
    while peek >= 0x30 && peek <= 0x39 && pos - start < maxDigits {
      v = v * 10 + Int64(peek - 0x30)
      pos += 1
    }
    return pos > start ? v : nil
  }

  /// `[+-]hh[:mm[:ss]]` in seconds, with the sign as written (POSIX: positive is west of UTC).
  mutating func offset() -> Int64? {
    var sign: Int64 = 1
    if eat(0x2D) { sign = -1 } else { _ = eat(0x2B) }
    guard let h = number(maxDigits: 3), h <= 167 else { return nil }
    var total = h * 3600
    if eat(0x3A) {
      guard let m = number(maxDigits: 2), m <= 59 else { return nil }
      total += m * 60
      if eat(0x3A) {
        guard let sec = number(maxDigits: 2), sec <= 59 else { return nil }
        total += sec
      }
    }
    return sign * total
  }

  mutating func ruleDay() -> PosixTZRule.RuleDay? {
    if eat(0x4A) {
      guard let n = number(maxDigits: 3), n >= 1, n <= 365 else { return nil }
      return .julianNoLeap(Int(n))
    }
    if eat(0x4D) {
      guard let m = number(maxDigits: 2), m >= 1, m <= 12, eat(0x2E), let w = number(maxDigits: 1), w >= 1,
        w <= 5, eat(0x2E), let d = number(maxDigits: 1), d <= 6
      else { return nil }
      return .monthWeekDay(month: Int(m), week: Int(w), weekday: Int(d))
    }
    guard let n = number(maxDigits: 3), n <= 365 else { return nil }
    return .zeroBased(Int(n))
  }
}
