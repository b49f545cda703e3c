/// An SVG drawing built as text, deterministically: coordinates are written with one decimal by
/// integer arithmetic (never `description` of a `Double`), elements in the order drawn, every text
/// escaped. Charts are styled by attributes only, so a chart reads the same inside the page, alone
/// in a file, or printed.
struct SVGCanvas {
  let width: Int
  let height: Int
  private(set) var body = ""

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  /// `value` with one decimal, rounded half away from zero; `12.0` is written `12`.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = Int((value * 10).rounded(.toNearestOrAwayFromZero))
    let sign = tenths < 0 ? "-" : ""
    let magnitude = tenths.magnitude
    return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
  }

  private static func attribute(_ name: String, _ value: Double) -> String {
    " \(name)=\"\(number(value))\""
  }

  mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String, title: String? = nil
  ) {
    body += "<rect" + Self.attribute("x", x) + Self.attribute("y", y) + Self.attribute("width", max(0, width))
    body += Self.attribute("height", max(0, height)) + " fill=\"\(fill)\""
    if let title {
      body += "><title>" + HTMLText.escape(title) + "</title></rect>\n"
    } else {
      body += "/>\n"
    }
  }

  mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dashed: Bool = false
  ) {
    body += "<line" + Self.attribute("x1", x1) + Self.attribute("y1", y1) + Self.attribute("x2", x2)
    body += Self.attribute("y2", y2) + " stroke=\"\(stroke)\"" + Self.attribute("stroke-width", width)
    body += dashed ? " stroke-dasharray=\"4 3\"/>\n" : "/>\n"
  }

  mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 2) {
    let list = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
    body += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\""
    body += Self.attribute("stroke-width", width) + " stroke-linejoin=\"round\"/>\n"
  }

  mutating func circle(x: Double, y: Double, radius: Double, fill: String, title: String? = nil) {
    body += "<circle" + Self.attribute("cx", x) + Self.attribute("cy", y) + Self.attribute("r", radius)
    body += " fill=\"\(fill)\""
    if let title {
      body += "><title>" + HTMLText.escape(title) + "</title></circle>\n"
    } else {
      body += "/>\n"
    }
  }

  enum Anchor: String {
    case start, middle, end
  }

  mutating func text(
    _ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Int = 12,
    fill: String = "#333", bold: Bool = false, title: String? = nil
  ) {
    body += "<text" + Self.attribute("x", x) + Self.attribute("y", y)
    if anchor != .start { body += " text-anchor=\"\(anchor.rawValue)\"" }
    body += " font-size=\"\(size)\" fill=\"\(fill)\""
    if bold { body += " font-weight=\"bold\"" }
    body += ">"
    if let title { body += "<title>" + HTMLText.escape(title) + "</title>" }
    body += HTMLText.escape(content) + "</text>\n"
  }

  /// The whole `<svg>` element, with an accessible title and, optionally, a CSS class.
  func render(title: String, className: String = "chart") -> String {
    var out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(className)\" viewBox=\"0 0 \(width) \(height)\""
    out += " width=\"\(width)\" height=\"\(height)\" role=\"img\" font-family=\"inherit\">\n"
    out += "<title>" + HTMLText.escape(title) + "</title>\n"
    out += body
    out += "</svg>\n"
    return out
  }
}

/// Tick values for an axis from 0: steps of 1, 2 or 5 times a power of ten, at most about
/// `count` of them, the last at or above `maximum`.
enum AxisTicks {
  static func ticks(maximum: Int, count: Int = 5) -> [Int] {
    guard maximum > 0 else { return [0, 1] }
    var power = 1
    var step = 1
    search: while power <= Int.max / 10 {
      for base in [1, 2, 5] {
        step = base * power
        if (maximum + step - 1) / step <= count { break search }
      }
      power *= 10
    }
    let top = (maximum + step - 1) / step * step
    return Array(stride(from: 0, through: top, by: step))
  }
}

/// The fixed colors of the charts.
enum ChartPalette {
  /// By severity rank, most severe first; ranks past the end take the last.
  static let severity = ["#7f1d1d", "#dc2626", "#f59e0b", "#64748b", "#94a3b8", "#cbd5e1"]
  /// Series of a trend, in order (Okabe-Ito, colour-blind safe).
  static let series = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442", "#999999",
  ]
  static let axis = "#999"
  static let grid = "#e5e5e5"
  static let onTime = "#16a34a"
  static let between = "#f59e0b"
  static let late = "#dc2626"
  static let unanswered = "#7f1d1d"

  static func severity(rank: Int) -> String { severity[min(max(0, rank), severity.count - 1)] }
  static func series(_ index: Int) -> String { series[index % series.count] }
}
