import Testing

@testable import PolicyLangReport

/// The charts' SVG for fixed inputs, against files in testdata/report/ (`POLICYLANG_RECORD=1`
/// re-records them). Open a golden file in a browser to see the chart.
@Suite struct ChartGoldenTests {
  let severities = [
    BarChart.Segment(name: "severe", color: ChartPalette.severity(rank: 0)),
    BarChart.Segment(name: "major", color: ChartPalette.severity(rank: 1)),
    BarChart.Segment(name: "minor", color: ChartPalette.severity(rank: 2)),
    BarChart.Segment(name: "review", color: ChartPalette.severity(rank: 3)),
  ]

  @Test func barChart() {
    let chart = BarChart(
      title: "Violations per clause", segments: severities,
      rows: [
        BarChart.Row(label: "PDD-2.2", tooltip: "PDD-2.2 商家客服應及時響應", values: [0, 0, 1, 53]),
        BarChart.Row(label: "PDD-2.1", tooltip: "PDD-2.1 <第三方信息> & more", values: [0, 8, 0, 0]),
        BarChart.Row(label: "AE-1.2.1 · aliexpress", tooltip: "AE-1.2.1", values: [0, 1, 7, 0]),
        BarChart.Row(label: "一个非常非常非常非常非常非常非常非常非常长的条款标签", tooltip: "long", values: [2, 0, 0, 0]),
      ])
    Golden.check(chart.svg(), against: "report/bar-chart.svg")
  }

  @Test func barChartWithNothing() {
    Golden.check(
      BarChart(title: "Empty", segments: severities, rows: []).svg(), against: "report/bar-chart-empty.svg")
  }

  @Test func trendChart() {
    let chart = TrendChart(
      title: "Daily trend per clause",
      days: ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25"],
      series: [
        TrendChart.Series(name: "PDD-2.2", tooltip: "PDD-2.2 及時響應", counts: [8, 2, 0, 0, 3, 51]),
        TrendChart.Series(name: "PDD-2.1", tooltip: "PDD-2.1", counts: [7, 1, 0, 0, 0, 0]),
        TrendChart.Series(name: "other clauses (4)", tooltip: "other", counts: [3, 3, 1, 1, 2, 0]),
      ])
    Golden.check(chart.svg(), against: "report/trend-chart.svg")
  }

  @Test func trendChartOfOneDay() {
    let chart = TrendChart(
      title: "One day", days: ["2026-11-25"],
      series: [TrendChart.Series(name: "PDD-2.2", tooltip: "PDD-2.2", counts: [51])])
    Golden.check(chart.svg(), against: "report/trend-chart-one-day.svg")
  }

  @Test func delayHistogram() {
    let chart = DelayHistogram(
      title: "reply_speed", delays: [30, 200, 200, 1800, 3600, 3601, 5400, 7300, 90_000, 400_000],
      unanswered: 2,
      limits: [
        DelayHistogram.Limit(seconds: 86400, label: "limit 1d"),
        .init(seconds: 3600, label: "limit 1h (peak)"),
      ],
      unansweredLabel: "no reply", barTooltip: "{range}: {count}")
    Golden.check(chart.svg(), against: "report/delay-histogram.svg")
  }

  @Test func delayHistogramWithoutLimits() {
    let chart = DelayHistogram(
      title: "unknown limits", delays: [4000, 5000], unanswered: 0, limits: [], unansweredLabel: "未回复",
      barTooltip: "{range}:{count} 条")
    Golden.check(chart.svg(), against: "report/delay-histogram-no-limits.svg")
  }

  @Test func sparkline() {
    Golden.check(Sparkline(counts: [0, 3, 1, 7], title: "s-88").svg(), against: "report/sparkline.svg")
  }

  /// Rendering twice gives the same bytes (nothing iterates an unordered collection).
  @Test func chartsAreDeterministic() {
    let make = {
      DelayHistogram(
        title: "t", delays: [5, 70, 70, 4000], unanswered: 1, limits: [.init(seconds: 60, label: "1m")],
        unansweredLabel: "none", barTooltip: "{range}"
      ).svg()
    }
    #expect(make() == make())
  }

  @Test func bucketsAreClosedAboveAndSplitAtLimits() {
    let chart = DelayHistogram(
      title: "t", delays: [0, 60, 61, 5400, 5401], unanswered: 0,
      limits: [.init(seconds: 5400, label: "90m")], unansweredLabel: "", barTooltip: "")
    let buckets = chart.buckets()
    #expect(buckets.first == DelayHistogram.Bucket(lower: 0, upper: 60, count: 2))
    #expect(buckets[1] == DelayHistogram.Bucket(lower: 60, upper: 180, count: 1))
    #expect(buckets.contains(DelayHistogram.Bucket(lower: 3600, upper: 5400, count: 1)))
    #expect(buckets.contains(DelayHistogram.Bucket(lower: 5400, upper: 7200, count: 1)))
    #expect(buckets.last?.upper == 7200)
    #expect(buckets.map(\.count).reduce(0, +) == 5)
  }

  @Test func numbersAndTicksAreFixed() {
    #expect(
      SVGCanvas.number(12) == "12" && SVGCanvas.number(12.25) == "12.3" && SVGCanvas.number(-0.05) == "-0.1")
    #expect(SVGCanvas.number(.nan) == "0" && SVGCanvas.number(0.04) == "0")
    #expect(AxisTicks.ticks(maximum: 0) == [0, 1])
    #expect(AxisTicks.ticks(maximum: 54) == [0, 20, 40, 60])
    #expect(AxisTicks.ticks(maximum: 3) == [0, 1, 2, 3])
    #expect(AxisTicks.ticks(maximum: 117_000) == [0, 50_000, 100_000, 150_000])
    #expect(DurationText.compact(5400) == "1h30m" && DurationText.compact(86400) == "1d")
    #expect(DurationText.compact(45) == "45s" && DurationText.compact(0) == "0s")
  }
}
