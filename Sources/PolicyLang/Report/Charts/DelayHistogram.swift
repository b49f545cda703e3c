/// A histogram of reply delays against an obligation's limits: one bar per delay range (ranges of
/// growing length, split at every limit), coloured by whether the range is within the limits, a
/// bar for openings never answered, and a dashed line at each limit.
///
/// A reply at the deadline is on time (io.md), so ranges are closed at their upper end: the bar
/// `≤1h` holds delays from just over 30 minutes to exactly one hour.
struct DelayHistogram {
  struct Limit {
    var seconds: Int64
    /// What the line says, e.g. `1h` or `1h (peak)`.
    var label: String
  }

  var title: String
  /// Seconds, any order.
  var delays: [Int64]
  var unanswered: Int
  var limits: [Limit]
  /// The name of the bar of openings never answered.
  var unansweredLabel: String
  /// The hover text of a bar: its range and count (`{range}`, `{count}` replaced).
  var barTooltip: String
  var width = 880

  /// Range ends people think in: 1, 3, 5, 10, 15 and 30 minutes, 1, 2, 4, 8 and 12 hours, 1, 2
  /// and 3 days.
  static let standardEdges: [Int64] = [
    60, 180, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400, 172_800, 259_200,
  ]

  struct Bucket: Equatable {
    /// Delays above this (0: from 0 included).
    var lower: Int64
    /// Delays up to this; nil for the last, open range.
    var upper: Int64?
    var count: Int
  }

  /// The ranges and their counts: standard ends and limits up to the longest delay or limit,
  /// then one open range.
  func buckets() -> [Bucket] {
    let longest = max(delays.max() ?? 0, limits.map(\.seconds).max() ?? 0)
    var edges = Set(Self.standardEdges).union(limits.map(\.seconds).filter { $0 > 0 })
    // Enough ranges to reach the longest figure; the last standard end after it closes them.
    if let cap = edges.sorted().first(where: { $0 >= longest }) {
      edges = edges.filter { $0 <= cap }
    }
    let sorted = edges.sorted()
    var buckets: [Bucket] = []
    var lower: Int64 = 0
    for edge in sorted {
      buckets.append(Bucket(lower: lower, upper: edge, count: 0))
      lower = edge
    }
    if longest > lower || buckets.isEmpty { buckets.append(Bucket(lower: lower, upper: nil, count: 0)) }
    for delay in delays {
      // First range whose upper end is at or above the delay (closed above).
      var low = 0
      var high = buckets.count - 1
      while low < high {
        let mid = (low + high) / 2
        if let upper = buckets[mid].upper, upper < delay { low = mid + 1 } else { high = mid }
      }
      buckets[low].count += 1
    }
    return buckets
  }

  func svg() -> String {
    let buckets = buckets()
    let left = 44.0
    let right = 16.0
    // Limit labels stand in the band above the plot, one line each.
    let top = 14.0 + 13.0 * Double(limits.count)
    let plotHeight = 160.0
    let bottom = top + plotHeight
    let columns = Double(buckets.count + 2)  // a gap, then the unanswered bar
    let plotWidth = Double(width) - left - right
    let slot = plotWidth / columns
    let maximum = max(buckets.map(\.count).max() ?? 0, unanswered)
    let ticks = AxisTicks.ticks(maximum: maximum, count: 4)
    let topValue = Double(ticks.last ?? 1)
    var canvas = SVGCanvas(width: width, height: Int(bottom + 40))

    for tick in ticks {
      let y = bottom - plotHeight * Double(tick) / topValue
      canvas.line(x1: left, y1: y, x2: Double(width) - right, y2: y, stroke: ChartPalette.grid)
      canvas.text(ReportFormat.count(tick), x: left - 6, y: y + 4, anchor: .end, size: 10, fill: "#666")
    }
    let shortest = limits.map(\.seconds).min()
    let longest = limits.map(\.seconds).max()
    for (index, bucket) in buckets.enumerated() {
      let x = left + slot * Double(index)
      let h = plotHeight * Double(bucket.count) / topValue
      let color: String
      if let shortest, let longest {
        if let upper = bucket.upper, upper <= shortest {
          color = ChartPalette.onTime
        } else if bucket.lower >= longest {
          color = ChartPalette.late
        } else {
          color = ChartPalette.between
        }
      } else {
        color = ChartPalette.series(0)
      }
      let range = Self.rangeLabel(bucket)
      canvas.rect(
        x: x + 2, y: bottom - h, width: slot - 4, height: h, fill: color,
        title: barTooltip.replacingOccurrences(of: "{range}", with: range)
          .replacingOccurrences(of: "{count}", with: ReportFormat.count(bucket.count)))
      canvas.text(range, x: x + slot / 2, y: bottom + 14, anchor: .middle, size: 10, fill: "#555")
      if bucket.count > 0 {
        canvas.text(
          ReportFormat.count(bucket.count), x: x + slot / 2, y: bottom - h - 3, anchor: .middle, size: 10)
      }
    }
    let ux = left + slot * Double(buckets.count + 1)
    let uh = plotHeight * Double(unanswered) / topValue
    canvas.rect(
      x: ux + 2, y: bottom - uh, width: slot - 4, height: uh, fill: ChartPalette.unanswered,
      title: "\(unansweredLabel): \(ReportFormat.count(unanswered))")
    canvas.text(unansweredLabel, x: ux + slot / 2, y: bottom + 14, anchor: .middle, size: 10, fill: "#555")
    if unanswered > 0 {
      canvas.text(
        ReportFormat.count(unanswered), x: ux + slot / 2, y: bottom - uh - 3, anchor: .middle, size: 10)
    }
    canvas.line(x1: left, y1: bottom, x2: Double(width) - right, y2: bottom, stroke: ChartPalette.axis)

    // A limit is a range end: its line stands between the range it closes and the next.
    for (k, limit) in limits.enumerated() {
      guard let index = buckets.firstIndex(where: { $0.upper == limit.seconds }) else { continue }
      let x = left + slot * Double(index + 1)
      let labelY = 12.0 + Double(k) * 13
      canvas.line(x1: x, y1: labelY - 9, x2: x, y2: bottom, stroke: "#111", width: 1.5, dashed: true)
      canvas.text(limit.label, x: x + 4, y: labelY, size: 11, fill: "#111", bold: true)
    }
    return canvas.render(title: title)
  }

  /// `≤1m`, `≤1h30m`, or `>3d` for the open range.
  static func rangeLabel(_ bucket: Bucket) -> String {
    if let upper = bucket.upper { return "≤" + DurationText.compact(upper) }
    return ">" + DurationText.compact(bucket.lower)
  }
}

/// Durations as people write them: `45s`, `3m`, `1h30m`, `2d`, `1d12h`.
enum DurationText {
  static func compact(_ seconds: Int64) -> String {
    guard seconds > 0 else { return "0s" }
    let units: [(Int64, String)] = [(86400, "d"), (3600, "h"), (60, "m"), (1, "s")]
    var rest = seconds
    var parts: [String] = []
    for (size, name) in units where rest >= size {
      parts.append("\(rest / size)\(name)")
      rest %= size
      if parts.count == 2 { break }
    }
    return parts.joined()
  }
}
