/// A word-sized line of daily counts for a table cell: is this shop getting worse?
struct Sparkline {
  var counts: [Int]
  var title: String
  var width = 96
  var height = 20

  func svg() -> String {
    var canvas = SVGCanvas(width: width, height: height)
    let maximum = max(1, counts.max() ?? 0)
    let w = Double(width) - 4
    let h = Double(height) - 4
    let points = counts.enumerated().map { (index, count) in
      (
        x: counts.count <= 1 ? Double(width) / 2 : 2 + w * Double(index) / Double(counts.count - 1),
        y: 2 + h - h * Double(count) / Double(maximum)
      )
    }
    if points.count > 1 {
      canvas.polyline(points, stroke: ChartPalette.series(0), width: 1.5)
    }
    if let last = points.last {
      canvas.circle(x: last.x, y: last.y, radius: 2, fill: ChartPalette.late)
    }
    return canvas.render(title: title, className: "spark")
  }
}
