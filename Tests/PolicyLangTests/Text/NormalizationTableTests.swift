import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// One table row: `input` normalized under `options` gives `output`, and `origins` lists each
/// normalized scalar's original range, `s` for `s..<s+1` and `s-e` for `s..<e`.
struct NormalizationCase: Sendable, CustomTestStringConvertible {
  let input: String
  let options: NormalizationOptions
  let output: String
  let origins: String

  init(_ input: String, _ options: NormalizationOptions, _ output: String, _ origins: String) {
    self.input = input
    self.options = options
    self.output = output
    self.origins = origins
  }

  var testDescription: String { "\(input.debugDescription) → \(output.debugDescription)" }
}

/// Renders a normalized text as (string, origins) in the table's notation.
func render(_ text: NormalizedText) -> (String, String) {
  var scalars = String.UnicodeScalarView()
  for value in text.scalars { if let scalar = Unicode.Scalar(value) { scalars.append(scalar) } }
  let origins = (0..<text.count).map { index in
    let start = text.originStart[index]
    let end = text.originEnd[index]
    return end == start + 1 ? "\(start)" : "\(start)-\(end)"
  }
  return (String(scalars), origins.joined(separator: " "))
}

func check(_ row: NormalizationCase) {
  let normalized = Normalizer(options: row.options).normalize(row.input)
  let (output, origins) = render(normalized)
  #expect(output == row.output)
  #expect(origins == row.origins)
  #expect(normalized.original.count == row.input.unicodeScalars.count)
}

let nfkcCases: [NormalizationCase] = [
  .init("ＡＢＣ１２３", .nfkc, "ABC123", "0 1 2 3 4 5"),
  .init("ｗｗｗ．taobao．com", .nfkc, "www.taobao.com", "0 1 2 3 4 5 6 7 8 9 10 11 12 13"),
  .init("㎏", .nfkc, "kg", "0 0"),
  .init("e\u{301}", .nfkc, "é", "0-2"),
  .init("ﬁle", .nfkc, "file", "0 0 1 2"),
  .init("Ａ\u{301}", .nfkc, "Á", "0-2"),
  .init("½", .nfkc, "1\u{2044}2", "0 0 0"),
  .init("①", .nfkc, "1", "0"),
  .init("⑴", .nfkc, "(1)", "0 0 0"),
  .init("x²", .nfkc, "x2", "0 1"),
  .init("…", .nfkc, "...", "0 0 0"),
  .init("\u{212B}", .nfkc, "\u{C5}", "0"),
  .init("한", .nfkc, "한", "0"),
  .init("\u{1100}\u{1161}", .nfkc, "가", "0-2"),
  .init("가\u{11A8}", .nfkc, "각", "0-2"),
  .init("ｶ", .nfkc, "カ", "0"),
  .init("ｶﾞ", .nfkc, "ガ", "0-2"),
  .init("a\u{323}\u{307}", .nfkc, "\u{1EA1}\u{307}", "0-2 2"),
  .init("a\u{307}\u{323}", .nfkc, "\u{1EA1}\u{307}", "0-3 1-3"),
  .init("Ⅻ", .nfkc, "XII", "0 0 0"),
  .init("ℌ", .nfkc, "H", "0"),
  .init("a\u{3000}b", .nfkc, "a b", "0 1 2"),
  .init("ｈｔｔｐｓ：／／", .nfkc, "https://", "0 1 2 3 4 5 6 7"),
  .init("ＫＦ＠ＱＱ．ＣＯＭ", .nfkc, "KF@QQ.COM", "0 1 2 3 4 5 6 7 8"),
  .init("㍿", .nfkc, "株式会社", "0 0 0 0"),
  .init("𝐀𝐁", .nfkc, "AB", "0 1"),
  .init("café", .nfkc, "café", "0 1 2 3"),
  .init("cafe\u{301}", .nfkc, "café", "0 1 2 3-5"),
  .init("\u{2126}", .nfkc, "\u{3A9}", "0"),
  .init("㈱", .nfkc, "(株)", "0 0 0"),
  .init("\u{1C6}", .nfkc, "d\u{17E}", "0 0"),
  .init("微信", .nfkc, "微信", "0 1"),
]

let casefoldCases: [NormalizationCase] = [
  .init("ABC", [.nfkc, .casefold], "abc", "0 1 2"),
  .init("ＡＢＣ１２３", [.nfkc, .casefold], "abc123", "0 1 2 3 4 5"),
  .init("ß", [.nfkc, .casefold], "ss", "0 0"),
  .init("\u{1E9E}", [.nfkc, .casefold], "ss", "0 0"),
  .init("ΣΑΣ", [.nfkc, .casefold], "σασ", "0 1 2"),
  .init("ς", [.nfkc, .casefold], "σ", "0"),
  .init("\u{130}", [.nfkc, .casefold], "i\u{307}", "0 0"),
  .init("\u{1C4}", [.nfkc, .casefold], "d\u{17E}", "0 0"),
  .init("ﬀ", [.nfkc, .casefold], "ff", "0 0"),
  .init("ﬆ", [.nfkc, .casefold], "st", "0 0"),
  .init("ＱＱ号", [.nfkc, .casefold], "qq号", "0 1 2"),
  .init("Ⅻ", [.nfkc, .casefold], "xii", "0 0 0"),
  .init("㎒", [.nfkc, .casefold], "mhz", "0 0 0"),
  .init("ÉCOLE", [.nfkc, .casefold], "école", "0 1 2 3 4"),
  .init("E\u{301}COLE", [.nfkc, .casefold], "école", "0-2 2 3 4 5"),
  .init("Straße", [.nfkc, .casefold], "strasse", "0 1 2 3 4 4 5"),
  .init("ＷｅＣｈａｔ", [.nfkc, .casefold], "wechat", "0 1 2 3 4 5"),
  .init("\u{B5}", [.nfkc, .casefold], "\u{3BC}", "0"),
  .init("\u{17F}", [.nfkc, .casefold], "s", "0"),
  .init("\u{AB70}", [.nfkc, .casefold], "\u{13A0}", "0"),
  .init("Ωmega", [.nfkc, .casefold], "ωmega", "0 1 2 3 4"),
  .init("\u{2126}", [.nfkc, .casefold], "ω", "0"),
  .init("\u{212A}", [.nfkc, .casefold], "k", "0"),
  .init("\u{1C5}", [.nfkc, .casefold], "d\u{17E}", "0 0"),
  .init("\u{149}", [.nfkc, .casefold], "\u{2BC}n", "0 0"),
  .init("\u{390}", [.nfkc, .casefold], "\u{390}", "0"),
  .init("V信", [.nfkc, .casefold], "v信", "0 1"),
  .init("ＶＸ", [.nfkc, .casefold], "vx", "0 1"),
  .init("Ａ", .casefold, "ａ", "0"),
  .init("ABC", .casefold, "abc", "0 1 2"),
  .init("ß", .casefold, "ss", "0 0"),
  .init("ABC", .nfkc, "ABC", "0 1 2"),
]

let simplifiedCases: [NormalizationCase] = [
  .init("支付寶", .simplified, "支付宝", "0 1 2"),
  .init("銀行", .simplified, "银行", "0 1"),
  .init("賬號", .simplified, "账号", "0 1"),
  .init("二維碼", .simplified, "二维码", "0 1 2"),
  .init("郵箱", .simplified, "邮箱", "0 1"),
  .init("微信", .simplified, "微信", "0 1"),
  .init("聯繫", .simplified, "联系", "0 1"),
  .init("電話", .simplified, "电话", "0 1"),
  .init("號碼", .simplified, "号码", "0 1"),
  .init("帳戶", .simplified, "帐户", "0 1"),
  .init("網址", .simplified, "网址", "0 1"),
  .init("淘寶", .simplified, "淘宝", "0 1"),
  .init("轉賬", .simplified, "转账", "0 1"),
  .init("匯款", .simplified, "汇款", "0 1"),
  .init("優惠", .simplified, "优惠", "0 1"),
  .init("價格", .simplified, "价格", "0 1"),
  .init("發貨", .simplified, "发货", "0 1"),
  .init("退貨", .simplified, "退货", "0 1"),
  .init("貳參陸", .simplified, "贰参陆", "0 1 2"),
  .init("拼多多", .simplified, "拼多多", "0 1 2"),
  .init("臺灣", .simplified, "台湾", "0 1"),
  .init("謝謝", .simplified, "谢谢", "0 1"),
  .init("評價", .simplified, "评价", "0 1"),
  .init("訂單", .simplified, "订单", "0 1"),
  .init("快遞", .simplified, "快递", "0 1"),
  .init("這個", .simplified, "这个", "0 1"),
  .init("麼", .simplified, "么", "0"),
  .init("廣告", .simplified, "广告", "0 1"),
  .init("支付寶", .none, "支付寶", "0 1 2"),
  .init("加我微信", .simplified, "加我微信", "0 1 2 3"),
  .init("ＡＢ支付寶", .all, "ab支付宝", "0 1 2 3 4"),
  .init("\u{F9B2}", [.nfkc, .simplified], "零", "0"),
]

let digitCases: [NormalizationCase] = [
  .init("１３８００１３８０００", .digits, "13800138000", "0 1 2 3 4 5 6 7 8 9 10"),
  .init("①②③", .digits, "123", "0 1 2"),
  .init("⑩", .digits, "10", "0 0"),
  .init("⑴⑵", .digits, "12", "0 1"),
  .init("⑴⑵", .all, "12", "0 1"),
  .init("⒈", .digits, "1", "0"),
  .init("❶", .digits, "1", "0"),
  .init("⓪", .digits, "0", "0"),
  .init("٣", .digits, "3", "0"),
  .init("३", .digits, "3", "0"),
  .init("一三八零零一三八零零零", .digits, "13800138000", "0 1 2 3 4 5 6 7 8 9 10"),
  .init("壹贰叁肆", .digits, "1234", "0 1 2 3"),
  .init("幺三八幺", .digits, "1381", "0 1 2 3"),
  .init("138零零138零零零", .digits, "13800138000", "0 1 2 3 4 5 6 7 8 9 10"),
  .init("〇一二三", .digits, "0123", "0 1 2 3"),
  .init("微信一三八零", .digits, "微信1380", "0 1 2 3 4 5"),
  .init("貳參陸肆", .digits, "2364", "0 1 2 3"),
  .init("貳參陸肆", [.simplified, .digits], "2364", "0 1 2 3"),
  .init("⑳", .digits, "20", "0 0"),
  .init("㉑", .digits, "21", "0 0"),
  .init("𝟏𝟐", .digits, "12", "0 1"),
  .init("一 三 八 零", .all, "1380", "0 2 4 6"),
  .init("一三八·零零", .all, "13800", "0 1 2 4 5"),
  .init("九九九九", .digits, "9999", "0 1 2 3"),
  .init("幺幺零零", .digits, "1100", "0 1 2 3"),
  .init("1一2二", .digits, "1122", "0 1 2 3"),
  .init("①⑧⑥", .digits, "186", "0 1 2"),
  .init("五伍五伍", .digits, "5555", "0 1 2 3"),
  .init("六陆陸六", .digits, "6666", "0 1 2 3"),
  .init("七柒八捌", .digits, "7788", "0 1 2 3"),
  // Words keep their numerals: runs shorter than Normalizer.numeralRunMinimum, or broken runs.
  .init("一个", .all, "一个", "0 1"),
  .init("一下", .all, "一下", "0 1"),
  .init("三星", .all, "三星", "0 1"),
  .init("九阳", .all, "九阳", "0 1"),
  .init("第一", .all, "第一", "0 1"),
  .init("一五一十", .all, "一五一十", "0 1 2 3"),
  .init("三三两两", .all, "三三两两", "0 1 2 3"),
  .init("十一", .all, "十一", "0 1"),
  .init("幺", .all, "幺", "0"),
  .init("一二三", .all, "一二三", "0 1 2"),
  .init("一，二，三，四", .all, "一二三四", "0 2 4 6"),
  .init("一、二、三、四", .all, "一二三四", "0 2 4 6"),
  .init("2019年一月", .all, "2019年一月", "0 1 2 3 4 5 6"),
  .init("一三八零", .none, "一三八零", "0 1 2 3"),
]

let separatorCases: [NormalizationCase] = [
  .init("微\u{200B}信", .separators, "微信", "0 2"),
  .init("q q 号", .separators, "qq号", "0 2 4"),
  .init("１３８ ００１３ ８０００", .all, "13800138000", "0 1 2 4 5 6 7 9 10 11 12"),
  .init("V 信", .all, "v信", "0 2"),
  .init("微 信", .separators, "微信", "0 2"),
  .init("微😀信", .separators, "微信", "0 2"),
  .init("微\u{FE0F}信", .separators, "微信", "0 2"),
  .init("微\u{AD}信", .separators, "微信", "0 2"),
  .init("微\u{FEFF}信", .separators, "微信", "0 2"),
  .init("微\u{200C}\u{200D}信", .separators, "微信", "0 3"),
  .init("加 我 微 信", .separators, "加我微信", "0 2 4 6"),
  .init("w e i x i n", .separators, "weixin", "0 2 4 6 8 10"),
  .init("138 0013 8000", .separators, "13800138000", "0 1 2 4 5 6 7 9 10 11 12"),
  .init("微·信", .separators, "微信", "0 2"),
  .init("微★信", .separators, "微信", "0 2"),
  .init("微 ★ 信", .separators, "微信", "0 4"),
  .init("微    信", .separators, "微    信", "0 1 2 3 4 5"),
  .init("hello world", .separators, "hello world", "0 1 2 3 4 5 6 7 8 9 10"),
  .init("add qq now", .separators, "add qq now", "0 1 2 3 4 5 6 7 8 9"),
  .init("kf@qq.com", .all, "kf@qq.com", "0 1 2 3 4 5 6 7 8"),
  .init("https://t.cn/x?id=1", .all, "https://t.cn/x?id=1", "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18"),
  .init("abc_123", .all, "abc_123", "0 1 2 3 4 5 6"),
  .init("my-shop.com", .all, "my-shop.com", "0 1 2 3 4 5 6 7 8 9 10"),
  .init(" 微信 ", .separators, " 微信 ", "0 1 2 3"),
  .init("\u{200B}微信", .separators, "微信", "1 2"),
  .init("vx 12345", .separators, "vx 12345", "0 1 2 3 4 5 6 7"),
  .init("I am", .separators, "I am", "0 1 2 3"),
  .init("微，信", .separators, "微信", "0 2"),
  .init("12,345", .separators, "12,345", "0 1 2 3 4 5"),
  .init("微\n信", .separators, "微信", "0 2"),
  .init("q\u{200B}q", .separators, "qq", "0 2"),
  .init("微 - 信", .separators, "微 - 信", "0 1 2 3 4"),
  .init("👍👍", .separators, "👍👍", "0 1"),
  .init("ｗｗｗ．taobao．com", .all, "www.taobao.com", "0 1 2 3 4 5 6 7 8 9 10 11 12 13"),
  .init("微 信", .none, "微 信", "0 1 2"),
]

@Suite("Normalization tables")
struct NormalizationTableTests {
  @Test("NFKC", arguments: nfkcCases) func nfkc(_ row: NormalizationCase) { check(row) }
  @Test("case folding", arguments: casefoldCases) func casefold(_ row: NormalizationCase) { check(row) }
  @Test("Traditional to Simplified", arguments: simplifiedCases)
  func simplified(_ row: NormalizationCase) { check(row) }
  @Test("digit variants", arguments: digitCases) func digits(_ row: NormalizationCase) { check(row) }
  @Test("separators", arguments: separatorCases) func separators(_ row: NormalizationCase) { check(row) }

  @Test func gapBeforeCountsRemovedScalars() {
    let text = Normalizer().normalize("微\u{200B}\u{200B}信 q q")
    #expect(text.gapBefore == [0, 2, 1, 1])
  }

  @Test func optionNames() {
    #expect(NormalizationOptions(name: "all") == .all)
    #expect(NormalizationOptions(name: "none") == NormalizationOptions.none)
    #expect(NormalizationOptions(name: "digits") == .digits)
    #expect(NormalizationOptions(name: "NFKC") == nil)
    for name in NormalizationOptions.names { #expect(NormalizationOptions(name: name) != nil) }
    #expect(NormalizationOptions([.nfkc, .digits]).policyWords == ["nfkc", "digits"])
  }

  @Test func termsNormalizeLikeText() {
    let normalizer = Normalizer()
    #expect(normalizer.normalizeTerm("支付寶") == normalizer.normalize("支付宝").scalars)
    #expect(normalizer.normalizeTerm("ＱＱ") == Array("qq".unicodeScalars.map(\.value)))
  }

  @Test func utf8PathMatchesStringPath() {
    let input = "加我 V 信：１３８ ００１３ ８０００，支付寶 kf@qq.com"
    let normalizer = Normalizer()
    var fromBytes = NormalizedText()
    normalizer.normalize(utf8: Array(input.utf8)[...], into: &fromBytes)
    let fromString = normalizer.normalize(input)
    #expect(fromBytes.scalars == fromString.scalars)
    #expect(fromBytes.originStart == fromString.originStart)
    #expect(fromBytes.originEnd == fromString.originEnd)
    #expect(fromBytes.gapBefore == fromString.gapBefore)
  }

  @Test func invalidUTF8ReadsAsReplacement() {
    var text = NormalizedText()
    Normalizer().normalize(utf8: [0x61, 0xFF, 0xE4, 0xB8, 0x62][...], into: &text)
    #expect(text.original == [0x61, 0xFFFD, 0xFFFD, 0xFFFD, 0x62])
  }
}
