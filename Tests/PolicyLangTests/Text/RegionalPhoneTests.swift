// `contains phone in [...]` (Grammar.md 5.2): per numbering plan, numbers that match (`«»` marks
// the evidence, original offsets) and near misses that must not (order numbers, prices, dates,
// too few digits, the other plans' numbers).

import Testing

@testable import PolicyLangText

@Suite("Phone numbers by plan")
struct RegionalPhoneTests {
  static func check(
    _ region: PhoneRegion, _ cases: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    for marked in cases {
      let (text, expected) = Marked.parse(marked)
      let found = RegionalPhoneDetector.find(in: Normalizer().normalize(text), regions: [region])
      #expect(found.allSatisfy { $0.entry == Int(region.code) }, sourceLocation: sourceLocation)
      #expect(
        found.map { $0.start..<$0.end } == expected, "\(region) \(marked)", sourceLocation: sourceLocation)
    }
  }

  /// Near misses for every plan: none of these is a number of any plan but `cn`'s own.
  static let nowhere = [
    "订单号 112-1234567-1234567", "价格 1299.00 元", "¥12,999", "日期 2026-11-20", "2026/11/20 18:30",
    "555-2671", "1234567", "快递单号 SF1234567890", "AB12345678", "共 3 件", "第 20261120 期",
  ]

  @Test func northAmerica() {
    Self.check(
      .us,
      [
        "call «+1 415 555 2671»", "«(415) 555-2671»", "«415-555-2671» ext", "«415.555.2671»",
        "«1 415 555 2671»", "«+1-212-555-0100»", "«0014155552671»", "«（415）555-2671»",
        "call «+1 (415) 555-2671»", "«+1(415) 555-2671»",
      ])
    Self.check(
      .us,
      [
        "115-555-2671", "415-155-2671", "(911) 555-2671", "415-911-2671", "+1 415 555 267",
        "+65 9123 4567", "+44 20 7946 0958",
      ] + Self.nowhere)
  }

  @Test func singapore() {
    Self.check(.sg, ["«9123 4567»", "«+65 9123 4567»", "«6123-4567»", "«+6581234567»", "«0065 9123 4567»"])
    Self.check(
      .sg, ["1234 5678", "5123 4567", "+65 1234 5678", "9123 456", "+1 415 555 2671"] + Self.nowhere)
  }

  @Test func malaysia() {
    Self.check(
      .my,
      [
        "«012-345 6789»", "«011-2345 6789»", "«+60 12-345 6789»", "«03-1234 5678»", "«+60 3-1234 5678»",
        "«04-123 4567»",
      ])
    Self.check(.my, ["012-345 678", "02-1234 5678", "+60 012 345 6789", "0912-345-678 2"] + Self.nowhere)
  }

  @Test func philippines() {
    Self.check(.ph, ["«0917 123 4567»", "«+63 917 123 4567»", "«02 8123 4567»", "«+63 2 8123 4567»"])
    Self.check(.ph, ["0917 123 456", "0817 123 4567", "+63 0917 123 4567", "03 8123 4567"] + Self.nowhere)
  }

  @Test func taiwan() {
    Self.check(
      .tw, ["«0912-345-678»", "«+886 912 345 678»", "«02-2345-6789»", "«+886 2 2345 6789»", "«04-2345678»"])
    Self.check(.tw, ["0912-345-67", "01-2345-6789", "09-2345-6789 1", "+886 0912 345 678"] + Self.nowhere)
  }

  @Test func anyInternationalNumber() {
    Self.check(.intl, ["«+44 20 7946 0958»", "«+1 415 555 2671»", "«+86 138 0013 8000»", "«+65 9123 4567»"])
    Self.check(
      .intl,
      ["44 20 7946 0958", "+0 20 7946 0958", "+44 2079", "+1234567890123456", "0044 20 7946 0958"]
        + Self.nowhere)
  }

  @Test func mainlandIsThePhoneDetector() {
    Self.check(.cn, ["«13800138000»", "«+86 138 0013 8000»", "«(0755) 2345678»", "«400-123-4567»"])
    // `+1 415 555 2671` has a mainland mobile's shape too (11 digits, 14x): `cn` finds it from the `1`.
    Self.check(.cn, ["+«1 415 555 2671»"])
    Self.check(.cn, ["+65 9123 4567", "9123 4567", "订单号 112-1234567-1234567"])
  }

  @Test func aNumberOfSeveralPlansIsFoundForEach() {
    // `0912-345-678` is a Taiwanese mobile and a Malaysian landline shape is not: 09 is no area code.
    let text = Normalizer().normalize("+1 415 555 2671 或 0912-345-678")
    let found = RegionalPhoneDetector.find(in: text, regions: [.us, .tw, .intl])
    #expect(
      found.map { "\($0.start)-\($0.end):\(PhoneRegion(code: UInt8($0.entry))?.rawValue ?? "?")" } == [
        "0-15:us", "0-15:intl", "18-30:tw",
      ])
  }
}
