import Testing

@testable import PolicyLang
@testable import PolicyLangText

/// Table tests of the `address` detector on the real normalizer: `«` and `»` mark the exact
/// evidence (original scalar offsets), so each case also says where the address starts and ends.
@Suite("Address detector")
struct AddressDetectorTests {
  /// Addresses, from the house number back to the first place name that belongs to them.
  static let positive = [
    // Province, city, district, road, number; the words before are not the address.
    "我们实体店地址在«广州市白云区机场路88号»", "门店位于«广东省广州市天河区天河路385号»", "«上海市浦东新区张江路100号»",
    "地址：«北京市朝阳区建国路88号»", "欢迎光临«杭州市西湖区文三路478号»", "实体店就在«深圳市南山区深南大道9988号»",
    // A road and a number are enough.
    "店在«机场路88号»", "地址«人民路8号»", "«中山北路100号»", "就在«解放大道1号»", "«南锣鼓巷59号»",
    "来«南京东路100号»看看", "«中关村大街27号»", "«杭州路12号»", "«烟袋斜街5号»",
    // Names that are undelimited: a known province or city, else two characters (three when a
    // road name ends in a direction).
    "欢迎光临«广州市白云区机场路88号»", "欢迎光临«中山北路100号»", "我们公司«石家庄市桥西区中山西路8号»",
    "«内蒙古自治区呼和浩特市新城区新华大街1号»", "«黑龙江省哈尔滨市南岗区西大直街92号»",
    "«北京市海淀区高新区中关村大街1号»", "«浦东新区张江路100号»",
    // Separators, Traditional script, full-width digits.
    "«广州市 白云区 机场路 88 号»", "«廣州市白雲區機場路88號»", "«机场路８８号»", "实体店:«臺北市信義區信義路五段7號»",
    "«广州市，白云区，机场路88号»", "«机场路\u{200B}88号»",
    // Lanes, sections, ranges, buildings, floors and rooms.
    "«张江路123弄4号»", "«淮海中路1285弄»", "«人民南路3段8号»", "«建国路88-2号»", "«建国路88号院»",
    "«建国路88号3栋501室»", "«建国路88号A座1203室»", "«天河路385号三楼»", "«天河路385号B1-05铺»",
    "«天河路385号 2楼»", "«天河路385号3号楼»", "«解放路12号2单元»",
    // Two addresses.
    "老店«人民路8号»，新店«解放路12号»",
  ]

  /// Not addresses: places without a number, dates, numbers without a road, road-like words.
  static let negative = [
    "我们在广州市白云区发货", "3号发货", "深圳市南山区科技园南区12号", "地铁2号线", "走这条路3号到",
    "快递还在半路3号到", "物流在路上，3号到", "一路顺风", "公交3路", "知道3号发", "频道3号", "味道12号",
    "订单号 230512345678901234", "机场路1234567号", "机场路", "人民路88", "7号", "88号", "路8号",
    "马路边上8号", "机场路，88号", "机场路    88号", "人民路8点到", "口号3号", "三号线", "亲，这款有货的哦",
    "退货地址我发您", "12号前发货", "今天是11月11号",
  ]

  @Test func addresses() {
    Marked.check(Self.positive) { AddressDetector.find(in: $0) }
    Marked.check(Self.negative) { AddressDetector.find(in: $0) }
  }

  /// The evidence is the address the buyer would read, whatever the text around it.
  @Test func evidenceQuotesTheAddress() {
    let text = "亲，我们實體店地址在廣州市白雲區機場路88號，欢迎到店"
    let normalized = Normalizer().normalize(text)
    let found = AddressDetector.find(in: normalized)
    #expect(found.map { normalized.originalText($0.start..<$0.end) } == ["廣州市白雲區機場路88號"])
  }

  /// Hostile input: long runs of suffixes, digits and names never make the scan slow or crash.
  @Test func hostileTextsAreLinear() {
    let texts = [
      String(repeating: "路1号", count: 20_000), String(repeating: "市区县", count: 20_000) + "路1号",
      String(repeating: "8", count: 100_000) + "号", String(repeating: "广州市白云区机场路88号", count: 5_000),
      String(repeating: "段", count: 50_000) + "1号",
    ]
    for text in texts {
      let found = AddressDetector.find(in: Normalizer().normalize(text))
      for (a, b) in zip(found, found.dropFirst()) { #expect(a.end <= b.start) }
    }
  }
}
