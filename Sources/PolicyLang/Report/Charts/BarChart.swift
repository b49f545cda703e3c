/// A horizontal bar chart, one bar per row, each bar stacked from segments (violations by
/// severity), with the total at the bar's end and a legend of the segments above.
struct BarChart {
  struct Row {
    /// What the row is, shown left of its bar (cut to fit; the whole in `tooltip`).
    var label: String
    /// The hover text of the row.
    var tooltip: String
    /// One value per segment of the legend.
    var values: [Int]
  }

  struct Segment {
    var name: String
    var color: String
  }

  var title: String
  var segments: [Segment]
  var rows: [Row]
  var width = 880

  static let rowHeight = 22.0
  static let barHeight = 14.0
  static let legendHeight = 26.0
  static let axisHeight = 22.0
  static let cellWidth = 7.0

  func svg() -> String {
    let labelCells = min(36, rows.map { HTMLText.cells($0.label) }.max() ?? 4)
    let labelWidth = Double(labelCells) * Self.cellWidth + 12
    let plotLeft = labelWidth
    let maxTotal = rows.map { $0.values.reduce(0, +) }.max() ?? 0
    let totalWidth = Double(ReportFormat.count(maxTotal).count) * Self.cellWidth + 10
    let plotWidth = max(60, Double(width) - plotLeft - totalWidth)
    let ticks = AxisTicks.ticks(maximum: maxTotal)
    let top = Double(ticks.last ?? 1)
    let height = Self.legendHeight + Double(rows.count) * Self.rowHeight + Self.axisHeight
    var canvas = SVGCanvas(width: width, height: Int(height.rounded(.up)))

    var x = plotLeft
    for segment in segments {
      canvas.rect(x: x, y: 7, width: 10, height: 10, fill: segment.color)
      canvas.text(segment.name, x: x + 14, y: 16, size: 11)
      x += 14 + Double(HTMLText.cells(segment.name)) * 6.5 + 14
    }

    let plotTop = Self.legendHeight
    let plotBottom = plotTop + Double(rows.count) * Self.rowHeight
    for tick in ticks {
      let tx = plotLeft + plotWidth * Double(tick) / top
      canvas.line(x1: tx, y1: plotTop, x2: tx, y2: plotBottom, stroke: ChartPalette.grid)
      canvas.text(
        ReportFormat.count(tick), x: tx, y: plotBottom + 15, anchor: .middle, size: 10, fill: "#666")
    }
    for (index, row) in rows.enumerated() {
      let y = plotTop + Double(index) * Self.rowHeight
      let label = HTMLText.truncate(row.label, cells: labelCells)
      canvas.text(label, x: plotLeft - 8, y: y + 15, anchor: .end, title: row.tooltip)
      var barX = plotLeft
      for (k, value) in row.values.enumerated() where value > 0 {
        let w = plotWidth * Double(value) / top
        let name = segments.indices.contains(k) ? segments[k].name : ""
        let color = segments.indices.contains(k) ? segments[k].color : ChartPalette.axis
        canvas.rect(
          x: barX, y: y + (Self.rowHeight - Self.barHeight) / 2, width: w, height: Self.barHeight,
          fill: color, title: "\(row.tooltip): \(name) \(ReportFormat.count(value))")
        barX += w
      }
      canvas.text(ReportFormat.count(row.values.reduce(0, +)), x: barX + 4, y: y + 15, size: 11, fill: "#333")
    }
    canvas.line(x1: plotLeft, y1: plotTop, x2: plotLeft, y2: plotBottom, stroke: ChartPalette.axis)
    return canvas.render(title: title)
  }
}
