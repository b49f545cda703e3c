// Reading instants in the policy's zone: local dates, hour windows, deadlines with a paused clock,
// and the periods of rates. Integer arithmetic only (seconds and nanoseconds).

import PolicyLangCore
import PolicyLangFrontend

/// Floor division.
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
  let q = a / b
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// The policy's zone and hours, for deciding windows, deadlines and periods.
public struct PolicyCalendar: Sendable {
  /// The zone.
  public let zone: PolicyZone
  /// The policy's hours declarations.
  public let hours: [CheckedHours]
  /// A paused clock looks this many days ahead before deciding a deadline never comes.
  public static let maximumPausedDays: Int64 = 3660

  /// A calendar.
  public init(zone: PolicyZone, hours: [CheckedHours]) {
    self.zone = zone
    self.hours = hours
  }

  /// Local seconds since the local epoch at instant `t` (whole seconds, floor).
  public func localSeconds(_ t: Timestamp) -> Int64 {
    t.seconds &+ Int64(zone.offset(atSeconds: t.seconds))
  }

  /// The local day number (days since 1970-01-01) of `t`.
  public func localDay(_ t: Timestamp) -> Int64 { floorDiv(localSeconds(t), 86400) }

  /// The UTC instant of local midnight starting day `day`.
  public func midnight(_ day: Int64) -> Timestamp {
    zone.instant(localSeconds: day &* 86400)
  }

  /// Monday 0 ... Sunday 6 of a day number (1970-01-01 was a Thursday), as `CheckedHours` indexes.
  public static func weekday(_ day: Int64) -> Int { Int(((day + 3) % 7 + 7) % 7) }

  /// The windows of hours `h` on local day `day`, as UTC instants, in order.
  public func windows(_ h: Int, day: Int64) -> [(start: Timestamp, end: Timestamp)] {
    guard hours.indices.contains(h) else { return [] }
    let decl = hours[h]
    if decl.excludedDates.contains(CivilDate(daysSinceEpoch: day)) { return [] }
    let weekday = Self.weekday(day)
    guard decl.windowsByWeekday.indices.contains(weekday) else { return [] }
    return decl.windowsByWeekday[weekday].map { w in
      (
        zone.instant(localSeconds: day &* 86400 &+ Int64(w.start)),
        zone.instant(localSeconds: day &* 86400 &+ Int64(w.end))
      )
    }
  }

  /// Whether instant `t` is inside hours `h` (windows are half-open).
  public func contains(_ h: Int, _ t: Timestamp) -> Bool {
    guard hours.indices.contains(h) else { return false }
    let local = localSeconds(t)
    let day = floorDiv(local, 86400)
    let secondOfDay = Int(local - day * 86400)
    let weekday = Self.weekday(day)
    // Read in place: copying the declaration would count a reference per array it holds, and
    // this runs for every obligation and every record a rate counts.
    return hours.withUnsafeBufferPointer { all in
      guard let decl = all.baseAddress.map({ $0 + h }) else { return false }
      let excluded = decl.pointee.excludedDates
      if !excluded.isEmpty && excluded.contains(CivilDate(daysSinceEpoch: day)) { return false }
      return decl.pointee.windowsByWeekday.withUnsafeBufferPointer { days in
        guard days.indices.contains(weekday) else { return false }
        for w in days[weekday] where w.start <= secondOfDay && secondOfDay < w.end { return true }
        return false
      }
    }
  }

  /// Nanoseconds from `a` to `b` (`b - a`), saturating.
  package static func nanos(from a: Timestamp, to b: Timestamp) -> Int64 {
    let (seconds, o1) = b.seconds.subtractingReportingOverflow(a.seconds)
    let (scaled, o2) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    let (sum, o3) = scaled.addingReportingOverflow(Int64(b.nanoseconds) - Int64(a.nanoseconds))
    if o1 || o2 || o3 { return seconds >= 0 ? Int64.max : Int64.min }
    return sum
  }

  /// `t` moved forward by `nanos` nanoseconds.
  package static func adding(_ t: Timestamp, nanos: Int64) -> Timestamp {
    let total = Int64(t.nanoseconds) + nanos % 1_000_000_000
    var seconds = t.seconds.addingReportingOverflow(nanos / 1_000_000_000).partialValue
    var rest = total
    if rest >= 1_000_000_000 {
      rest -= 1_000_000_000
      seconds += 1
    }
    return Timestamp(seconds: seconds, nanoseconds: Int32(rest))
  }

  /// The deadline of an obligation opened at `opened` with a limit of `seconds`: wall-clock, or
  /// with `countingOnly`, the instant at which `seconds` of time inside those hours have passed
  /// since `opened`. `nil` (never due) when the hours hold too little time within
  /// `maximumPausedDays`, or when the deadline falls after 9999-12-31 in the zone.
  public func deadline(opened: Timestamp, seconds: Int64, countingOnly: Int?) -> Timestamp? {
    guard let deadline = unboundedDeadline(opened: opened, seconds: seconds, countingOnly: countingOnly),
      zone.accepts(deadline)
    else { return nil }
    return deadline
  }

  /// `deadline(opened:seconds:countingOnly:)` before the supported years are applied.
  private func unboundedDeadline(opened: Timestamp, seconds: Int64, countingOnly: Int?) -> Timestamp? {
    guard let h = countingOnly else { return opened + seconds }
    let limit = min(seconds, 1 << 32)
    var remaining = limit * 1_000_000_000
    if remaining <= 0 { return opened }
    let first = localDay(opened) - 1
    for day in first...(first + Self.maximumPausedDays) {
      for window in windows(h, day: day) {
        let start = max(window.start, opened)
        guard start < window.end else { continue }
        let available = Self.nanos(from: start, to: window.end)
        if remaining <= available { return Self.adding(start, nanos: remaining) }
        remaining -= available
      }
    }
    return nil
  }

  /// The period of a rate that holds instant `t`; for a day narrowed to the span of the rate's
  /// `during` hours on that day.
  /// For `last D` the period is the local day holding `t` (whole, whatever `during` says): the
  /// tally counts days, and each window of D days is their sum (`Evaluator.slidingWindows`).
  public func period(_ period: CheckedPeriod, during: Int?, at t: Timestamp) -> PeriodSpan {
    switch period {
    case .last:
      let day = localDay(t)
      return PeriodSpan(start: midnight(day), end: midnight(day + 1))
    case .day:
      let day = localDay(t)
      if let during {
        let spans = windows(during, day: day)
        if let first = spans.first, let last = spans.last {
          return PeriodSpan(start: first.start, end: last.end)
        }
      }
      return PeriodSpan(start: midnight(day), end: midnight(day + 1))
    case .month:
      let date = CivilDate(daysSinceEpoch: localDay(t))
      let start = CivilDate(year: date.year, month: date.month, day: 1).daysSinceEpoch
      let next =
        date.month == 12
        ? CivilDate(year: date.year + 1, month: 1, day: 1)
        : CivilDate(year: date.year, month: date.month + 1, day: 1)
      return PeriodSpan(start: midnight(start), end: midnight(next.daysSinceEpoch))
    case .rolling(let seconds):
      let size = max(1, seconds)
      let k = floorDiv(localSeconds(t), size)
      let (lo, o1) = k.multipliedReportingOverflow(by: size)
      let hi = lo.addingReportingOverflow(size).partialValue
      if o1 { return PeriodSpan(start: t, end: t) }
      return PeriodSpan(start: zone.instant(localSeconds: lo), end: zone.instant(localSeconds: hi))
    }
  }
}

/// A rate's period, `start..<end`.
public struct PeriodSpan: Hashable, Sendable {
  /// First instant.
  public var start: Timestamp
  /// End (exclusive).
  public var end: Timestamp
  /// A period.
  public init(start: Timestamp, end: Timestamp) {
    self.start = start
    self.end = end
  }
}
