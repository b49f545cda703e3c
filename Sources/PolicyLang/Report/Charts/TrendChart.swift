/// Daily counts as lines, one per series (a clause), days on the horizontal axis, with a point on
/// each day and a legend below.
struct TrendChart {
  struct Series {
    var name: String
    /// The hover text of the series' points (the clause's title).
    var tooltip: String
    /// One count per day.
    var counts: [Int]
  }

  var title: String
  /// `YYYY-MM-DD`, one per column.
  var days: [String]
  var series: [Series]
  var width = 880

  static let plotHeight = 180.0
  static let left = 44.0
  static let right = 16.0
  static let top = 12.0
  static let legendRowHeight = 18.0

  func svg() -> String {
    let plotWidth = Double(width) - Self.left - Self.right
    let maximum = series.flatMap(\.counts).max() ?? 0
    let ticks = AxisTicks.ticks(maximum: maximum)
    let topValue = Double(ticks.last ?? 1)
    let bottom = Self.top + Self.plotHeight

    // Legend entries laid out in rows that fit the width.
    var legend: [(x: Double, row: Int)] = []
    var x = Self.left
    var row = 0
    for entry in series {
      let w = 18 + Double(HTMLText.cells(entry.name)) * 6.5 + 16
      if x + w > Double(width) && x > Self.left {
        row += 1
        x = Self.left
      }
      legend.append((x, row))
      x += w
    }
    let legendRows = series.isEmpty ? 0 : row + 1
    let height = bottom + 30 + Double(legendRows) * Self.legendRowHeight
    var canvas = SVGCanvas(width: width, height: Int(height.rounded(.up)))

    for tick in ticks {
      let y = bottom - Self.plotHeight * Double(tick) / topValue
      canvas.line(x1: Self.left, y1: y, x2: Double(width) - Self.right, y2: y, stroke: ChartPalette.grid)
      canvas.text(ReportFormat.count(tick), x: Self.left - 6, y: y + 4, anchor: .end, size: 10, fill: "#666")
    }
    func xOf(_ day: Int) -> Double {
      days.count <= 1
        ? Self.left + plotWidth / 2 : Self.left + plotWidth * Double(day) / Double(days.count - 1)
    }
    let labelEvery = max(1, (days.count + 9) / 10)
    for (index, day) in days.enumerated() where index % labelEvery == 0 || index == days.count - 1 {
      if index != days.count - 1 && days.count - 1 - index < labelEvery { continue }
      canvas.text(
        String(day.dropFirst(5)), x: xOf(index), y: bottom + 16, anchor: .middle, size: 10, fill: "#666")
    }
    canvas.line(
      x1: Self.left, y1: bottom, x2: Double(width) - Self.right, y2: bottom, stroke: ChartPalette.axis)

    for (k, entry) in series.enumerated() {
      let color = ChartPalette.series(k)
      let points = entry.counts.enumerated().map { (index, count) in
        (x: xOf(index), y: bottom - Self.plotHeight * Double(count) / topValue)
      }
      if points.count > 1 { canvas.polyline(points, stroke: color) }
      if points.count <= 62 {
        for (index, point) in points.enumerated() {
          let day = days.indices.contains(index) ? days[index] : ""
          canvas.circle(
            x: point.x, y: point.y, radius: 3, fill: color,
            title: "\(entry.tooltip) · \(day): \(ReportFormat.count(entry.counts[index]))")
        }
      }
      let place = legend[k]
      let ly = bottom + 30 + Double(place.row) * Self.legendRowHeight
      canvas.line(x1: place.x, y1: ly - 4, x2: place.x + 14, y2: ly - 4, stroke: color, width: 3)
      canvas.text(entry.name, x: place.x + 18, y: ly, size: 11, title: entry.tooltip)
    }
    return canvas.render(title: title)
  }
}
