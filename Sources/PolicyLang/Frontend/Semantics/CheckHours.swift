// Hours windows: times of day that exist, windows that hold time, day ranges that run forward,
// and the split of a window that crosses midnight onto the next day.

import PolicyLangCore

extension Checker {
  /// Whether a time of day exists (`24:00` only where `allowEndOfDay`); reports E0402.
  @discardableResult
  mutating func checkTime(_ time: TimeOfDayLiteral, allowEndOfDay: Bool) -> Bool {
    let endOfDay = time.hour == 24 && time.minute == 0 && time.second == 0
    if endOfDay && allowEndOfDay { return true }
    let valid =
      (0...23).contains(time.hour) && (0...59).contains(time.minute) && (0...59).contains(time.second)
    if valid { return true }
    let help: LocalizedText
    if endOfDay {
      help = LocalizedText(
        "`24:00` only ends a window; a window starting at midnight starts at `00:00`",
        zh: "`24:00` 只能作为时段的结束;从午夜开始的时段写 `00:00`")
    } else if time.hour > 24 || time.hour < 0 {
      help = LocalizedText(
        "hours run from 00 to 23 (and `24:00` for the end of the day)",
        zh: "小时为 00 到 23(一天的结束写 `24:00`)")
    } else {
      help = LocalizedText("minutes and seconds run from 00 to 59", zh: "分钟和秒为 00 到 59")
    }
    report(
      Diagnostic(
        .impossibleTime,
        LocalizedText(
          "\(Self.format(time)) is not a time of day", zh: "\(Self.format(time)) 不是存在的时刻"),
        at: time.span, help: help))
    return false
  }

  static func format(_ time: TimeOfDayLiteral) -> String {
    func two(_ n: Int) -> String { n >= 0 && n < 10 ? "0\(n)" : String(n) }
    let base = "\(two(time.hour)):\(two(time.minute))"
    return time.second == 0 ? base : base + ":\(two(time.second))"
  }

  /// Resolves an hours declaration into windows per weekday.
  mutating func resolveHours(_ decl: HoursDecl) -> CheckedHours {
    var byDay = [[SecondsRange]](repeating: [], count: 7)
    for part in decl.parts {
      var days: [Int] = []
      for range in part.days {
        if range.last < range.first {
          report(
            Diagnostic(
              .backwardDayRange,
              LocalizedText(
                "day range `\(range.first.name)-\(range.last.name)` runs backwards",
                zh: "星期范围 `\(range.first.name)-\(range.last.name)` 是倒着写的"),
              at: range.span,
              help: LocalizedText(
                "weeks start on Monday: write `\(range.first.name)-sun, mon-\(range.last.name)`",
                zh: "一周从周一开始:写成 `\(range.first.name)-sun, mon-\(range.last.name)`")))
          continue
        }
        for day in range.first.rawValue...range.last.rawValue where !days.contains(day - 1) {
          days.append(day - 1)
        }
      }
      if part.days.isEmpty { days = Array(0..<7) }
      for range in part.ranges {
        let startOK = checkTime(range.start, allowEndOfDay: false)
        let endOK = checkTime(range.end, allowEndOfDay: true)
        guard startOK && endOK else { continue }
        let start = range.start.secondsOfDay
        let end = range.end.secondsOfDay
        if start == end {
          report(
            Diagnostic(
              .emptyWindow,
              LocalizedText(
                "the window \(Self.format(range.start))-\(Self.format(range.end)) holds no time",
                zh: "时段 \(Self.format(range.start))-\(Self.format(range.end)) 不包含任何时间"),
              at: range.span,
              help: LocalizedText(
                "make the end differ from the start; for the whole day write `00:00-24:00`",
                zh: "让结束时刻不同于开始时刻;全天写 `00:00-24:00`")))
          continue
        }
        for day in days {
          for (weekday, window) in Self.split(start: start, end: end, on: day) {
            byDay[weekday].append(window)
          }
        }
      }
    }
    var excluded: [CivilDate] = []
    switch decl.except {
    case .named(let name):
      if let index = lookup(name, as: .dates), resolvedDates.indices.contains(index) {
        excluded = resolvedDates[index]
      }
    case .dates(let dates, _):
      excluded = checkDates(dates)
    case nil:
      break
    }
    return CheckedHours(
      name: decl.name.name, windowsByWeekday: byDay.map(Self.merge), excludedDates: excluded,
      span: decl.span)
  }

  /// The windows of `start-end` written on weekday `day` (0 = Monday): one window, or two when
  /// it crosses midnight (the rest of this day, then the start of the next).
  static func split(start: Int, end: Int, on day: Int) -> [(Int, SecondsRange)] {
    if start < end { return [(day, SecondsRange(start: start, end: end))] }
    var parts = [(day, SecondsRange(start: start, end: 86_400))]
    if end > 0 { parts.append(((day + 1) % 7, SecondsRange(start: 0, end: end))) }
    return parts
  }

  /// Sorted, with overlapping and touching windows joined.
  static func merge(_ windows: [SecondsRange]) -> [SecondsRange] {
    var merged: [SecondsRange] = []
    for window in windows.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
      if let last = merged.last, window.start <= last.end {
        merged[merged.count - 1].end = max(last.end, window.end)
      } else {
        merged.append(window)
      }
    }
    return merged
  }
}
