/// Figures as the page writes them, the same whatever the machine's locale.
enum ReportFormat {
  /// `3512` as `3,512`.
  static func count(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = n < 0 ? "-" : ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
      out.append(digit)
    }
    return out
  }

  /// Millionths as a percentage with at most two decimals: 750000 is `75%`, 751200 `75.12%`.
  static func percent(millionths: Int64) -> String {
    let hundredths = (millionths + 50) / 100  // hundredths of a percent, rounded half up
    let whole = hundredths / 100
    let fraction = hundredths % 100
    if fraction == 0 { return "\(whole)%" }
    if fraction % 10 == 0 { return "\(whole).\(fraction / 10)%" }
    return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
  }

  /// A duration in seconds, compact: `45s`, `3m`, `1h30m`, `1d2h`.
  static func duration(_ seconds: Int64) -> String {
    seconds < 0 ? "-" + DurationText.compact(-seconds) : DurationText.compact(seconds)
  }
}
