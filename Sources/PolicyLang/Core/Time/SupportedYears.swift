// The years a policy works in: 0001-9999 in its zone, the years RFC 3339 can write (four digits,
// and year 0000 is outside what io.md accepts). An event is accepted only when its `at` falls in
// them in the zone of every policy that judges it; a deadline or rate period beyond them never
// comes. So every time a verdict carries is written as RFC 3339 in the policy's zone.

extension PolicyZone {
  /// Seconds since 1970-01-01T00:00 local of 0001-01-01T00:00:00 and of 9999-12-31T23:59:59.
  public static let supportedLocalSeconds: ClosedRange<Int64> = {
    let first = CivilDate(year: 1, month: 1, day: 1).daysSinceEpoch * 86400
    let end = CivilDate(year: 10000, month: 1, day: 1).daysSinceEpoch * 86400
    return first...(end - 1)
  }()

  /// Real offsets stay within a day of UTC: an instant a week outside the supported years is
  /// refused without asking the zone's rules about years with no meaning.
  private static let margin: Int64 = 7 * 86400

  /// The Unix seconds whose local time lies in years 0001-9999 under any offset of at most
  /// `largest` seconds: what a zone accepts without looking its offset up.
  static func interior(ofSupportedYearsWithOffsetsUpTo largest: Int64) -> Range<Int64> {
    let lower = supportedLocalSeconds.lowerBound + largest
    let upper = supportedLocalSeconds.upperBound - largest
    return lower <= upper ? lower..<(upper + 1) : 0..<0
  }

  /// Whether the local time of `instant` in this zone, as RFC 3339 writes it, falls in years
  /// 0001-9999. RFC 3339 offsets are whole minutes (`+08:05` for Shanghai's local mean time of
  /// +08:05:43), so the time is read with the offset rounded toward zero, as it is written.
  ///
  /// `policyc eval` refuses an event whose `at` this rejects (an error line, `bad_time`); the
  /// evaluator treats a deadline or a rate period's bound it rejects as never reached.
  @inline(__always)
  public func accepts(_ instant: Timestamp) -> Bool {
    // Every chat's time: two comparisons, inlined where events are taken in.
    surelyAcceptedSeconds.contains(instant.seconds) || acceptsNearTheEnds(instant)
  }

  /// `accepts` for an instant within the zone's largest offset of the years' ends: by its offset.
  private func acceptsNearTheEnds(_ instant: Timestamp) -> Bool {
    let range = Self.supportedLocalSeconds
    guard instant.seconds >= range.lowerBound - Self.margin, instant.seconds <= range.upperBound + Self.margin
    else { return false }
    return range.contains(instant.seconds + Int64(writtenOffset(atSeconds: instant.seconds)))
  }

  /// What writing `instant` in this zone writes: the instant itself with the zone's offset when
  /// the zone accepts it; otherwise the nearest instant it accepts, or (should the zone's offset
  /// change at the very bounds) the nearest UTC bound with offset 0. Its text is always RFC 3339
  /// with a year in 0001-9999.
  public func writable(_ instant: Timestamp) -> (instant: Timestamp, offsetSeconds: Int32) {
    let offset = self.offset(at: instant)
    if Self.supportedLocalSeconds.contains(instant.seconds &+ Int64(offset / 60 * 60)) {
      return (instant, offset)
    }
    let clamped = clampedToSupportedYears(instant)
    return accepts(clamped) ? (clamped, self.offset(at: clamped)) : (clamped, 0)
  }

  /// The offset at a Unix second as RFC 3339 writes it: whole minutes, rounded toward zero.
  func writtenOffset(atSeconds t: Int64) -> Int32 {
    offset(atSeconds: t) / 60 * 60
  }

  /// The local year of `instant` in this zone, as RFC 3339 writes it (for messages).
  public func localYear(of instant: Timestamp) -> Int64 {
    let local = instant.seconds &+ Int64(writtenOffset(atSeconds: instant.seconds))
    // Floor division, without overflow for any `local`.
    let days = local / 86400 - (local % 86400 < 0 ? 1 : 0)
    return CivilDate(daysSinceEpoch: days).year
  }

  /// `instant`, or when the zone does not accept it the first or last instant it does
  /// (0001-01-01T00:00:00 or 9999-12-31T23:59:59.999999999 local): what a verdict built by hand
  /// with a time outside the supported years is written with. Should the zone's offset change
  /// at those very instants, the UTC bounds are returned instead.
  public func clampedToSupportedYears(_ instant: Timestamp) -> Timestamp {
    if accepts(instant) { return instant }
    let range = Self.supportedLocalSeconds
    // The supported years lie on both sides of 1970: a time refused before it is too early.
    let bound =
      instant.seconds < 0
      ? Timestamp(seconds: range.lowerBound - Int64(writtenOffset(atSeconds: range.lowerBound)))
      : Timestamp(
        seconds: range.upperBound - Int64(writtenOffset(atSeconds: range.upperBound)),
        nanoseconds: 999_999_999)
    return accepts(bound) ? bound : RFC3339.clampedToSupportedYears(instant)
  }
}

extension RFC3339 {
  /// `instant` kept within 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59.999999999Z, the instants
  /// whose UTC text has four-digit years 0001-9999.
  static func clampedToSupportedYears(_ instant: Timestamp) -> Timestamp {
    let range = PolicyZone.supportedLocalSeconds
    if instant.seconds < range.lowerBound { return Timestamp(seconds: range.lowerBound) }
    if instant.seconds > range.upperBound {
      return Timestamp(seconds: range.upperBound, nanoseconds: 999_999_999)
    }
    return instant
  }
}
