import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Table tests run on the real normalizer (all steps). `«` and `»` mark the expected evidence in each case; the markers are removed before
/// detection and the expected ranges are original scalar offsets of the unmarked text.
enum Marked {
  static func parse(_ marked: String) -> (text: String, ranges: [Range<Int>]) {
    var text = String.UnicodeScalarView()
    var ranges: [Range<Int>] = []
    var open = 0
    for u in marked.unicodeScalars {
      if u == "«" {
        open = text.count
      } else if u == "»" {
        ranges.append(open..<text.count)
      } else {
        text.append(u)
      }
    }
    return (String(text), ranges)
  }

  /// Runs `detect` over each case and checks the exact original ranges.
  static func check(
    _ cases: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation,
    _ detect: (NormalizedText) -> [TextEvidence]
  ) {
    for marked in cases {
      let (text, expected) = parse(marked)
      let normalized = Normalizer().normalize(text)
      let found = detect(normalized)
      #expect(found.map { $0.start..<$0.end } == expected, "\(marked)", sourceLocation: sourceLocation)
      for e in found {
        #expect(normalized.originalRange(from: e.normalizedStart, to: e.normalizedEnd) == e.start..<e.end)
      }
    }
  }
}

@Suite("Detectors")
struct DetectorTests {
  static let urlPositive = [
    "看看«https://item.taobao.com/item.htm?id=1»吧", "«http://example.com»", "链接«www.taobao.com»",
    "«ｗｗｗ．taobao．com»", "去«taobao.com»买", "«jd.com/item/123.html»", "«abc.cn»", "«shop.vip»",
    "«HTTPS://WWW.TMALL.COM/»", "访问«m.tb.cn/h.abc»。", "«http://192.168.1.1:8080/login»",
    "«https://t.me/abcd»", "«www.example.co.uk»", "网址：«https://a.b.c.example.org/x?y=1#z».",
    "«taobao.com»，«jd.com»", "«xn--fiqs8s.cn»", "«shop123.taobao.com»", "«http://localhost:3000»",
    "«abc.example.com:8443»", "«pdd.xyz»", "(«https://x.com/a»)", "«http://a.com/path»看看",
    "«www。taobao。com»", "«tb.cn»", "«abc.top»", "«abc.tw/x»", "«http://evil.cn/yangkeduo.com»",
    "«yangkeduo.com.evil.cn»", "«mobile.yangkeduo.com/goods.html?goods_id=1»", "加«t.cn/A6abc»",
    "«taobao\u{200B}.com»", "«HTTP://Example.COM/A»", "«www.pinduoduo.com»！",
  ]
  static let urlNegative = [
    "滚筒洗衣机", "file.txt", "readme.md", "Mr.Li 你好", "价格3.5元", "版本1.2.3", "kf@qq.com", "archive.zip",
    "movie.mov", "a.b", "hello world", "http://", "www.", "com", ".com", "abc.invalidtld", "192.168.1.1",
    "node.js", "photo.jpg", "文件.pdf", "script.py", "start.sh", "e.g.", "i.e.", "1.5kg", "淘宝.com",
    "abc-.com", "test.local", "user@mail.example.com", "a..com", "微信支付可以吗", "xhttp", "v1.2",
  ]

  @Test func urls() {
    Marked.check(Self.urlPositive) { t in URLDetector.find(in: t).map(\.evidence) }
    Marked.check(Self.urlNegative) { t in URLDetector.find(in: t).map(\.evidence) }
  }

  @Test func urlHostsAndRegistrableDomains() {
    let cases: [(String, String, String?)] = [
      ("https://mobile.yangkeduo.com/goods.html?goods_id=1", "mobile.yangkeduo.com", "yangkeduo.com"),
      ("yangkeduo.com.evil.cn", "yangkeduo.com.evil.cn", "evil.cn"),
      ("www.example.co.uk", "www.example.co.uk", "example.co.uk"),
      ("ｗｗｗ．ＴＡＯＢＡＯ．com", "www.taobao.com", "taobao.com"),
      ("http://192.168.1.1:8080/", "192.168.1.1", nil),
      ("abc.sina.com.cn", "abc.sina.com.cn", "sina.com.cn"),
      ("http://x.github.io", "x.github.io", "x.github.io"),
    ]
    for (text, host, registrable) in cases {
      let found = URLDetector.find(in: Normalizer().normalize(text))
      #expect(found.map(\.host) == [host], "\(text)")
      #expect(found.first?.registrableDomain == registrable, "\(text)")
    }
  }

  @Test func allowListAdmitsSubdomainsOnly() {
    let allow = DomainAllowList(["pinduoduo.com", "yangkeduo.com"])
    #expect(allow.admits(host: "mobile.yangkeduo.com"))
    #expect(allow.admits(host: "yangkeduo.com"))
    #expect(!allow.admits(host: "yangkeduo.com.evil.cn"))
    #expect(!allow.admits(host: "notyangkeduo.com"))
    let text = Normalizer().normalize(
      "https://mobile.yangkeduo.com/goods.html?goods_id=1 和 https://item.taobao.com/item.htm?id=1")
    let outside = URLDetector.find(in: text, outside: allow)
    #expect(outside.map(\.host) == ["item.taobao.com"])
    #expect(outside.first?.evidence.start == 53)
  }

  @Test func publicSuffixList() {
    let psl = PublicSuffixList.shared
    #expect(psl.isTopLevelDomain("com") && psl.isTopLevelDomain("cn") && !psl.isTopLevelDomain("txt"))
    #expect(psl.publicSuffix(of: "a.b.co.uk") == "co.uk")
    #expect(psl.registrableDomain(of: "co.uk") == nil)
    #expect(psl.registrableDomain(of: "www.ck") == "www.ck")  // an exception rule
    #expect(psl.registrableDomain(of: "a.b.ck") == "a.b.ck")  // a wildcard rule
    #expect(psl.registrableDomain(of: "a.b.unknowntld") == "b.unknowntld")
    #expect(!PublicSuffixList.version.isEmpty)
  }

  static let emailPositive = [
    "发邮件到 «kf@qq.com»", "«abc.def@163.com»", "«a_b-c+d@example.co.uk»", "«ＫＦ＠ＱＱ．ＣＯＭ»",
    "邮箱：«service@taobao.com»。", "«x@y.cn»", "«123456@qq.com»", "(«a@b.com»)", "«a@b.com»,«c@d.net»",
    "联系«kf@shop.example.org»谢谢", "«first.last@sub.domain.io»", "«a%b@c.com»", "<«a@b.com»>",
    "«A@B.COM»", "«kefu2024@outlook.com»", "«k@gmail.com»", "«abc@foxmail.com»", "邮件«abc@126.com»",
    "«abc@sina.com.cn»", "«x-y@z-w.com»", "«u@h.top»", "«u@h.xyz»", "«u@h.vip»", "«u@h.shop»",
    "«test_1@a.b.c.com»", "«a.b.c@d.com»", "发到«lily@163.com»吧", "«zhang.san@company.com.cn»",
    "«q@q.cc»", ".«kf@qq.com».", "发«kf@qq.com»和«kf2@qq.com»",
  ]
  static let emailNegative = [
    "@qq.com", "kf@", "kf@qq", "kf@qq.", "kf@@qq.com", "kf @ qq.com", "kf@qq.invalidtld", "kf@.com",
    "kf@-qq.com", "a@1.2", "@@", "微信支付", "滚筒洗衣机", "kf＠", "email me", "a@b", "user@localhost",
    ".@qq.com", "kf@qq com", "价格@5元", "@abc", "abc@", "kf@qq.com-", "a@b..com", "kf@qq.c0m", "我@你.com",
    "kf@中国.com", "x@y.123", "kf@qq.txt", "kf@_qq.com", "name(at)qq.com", "kf#qq.com",
  ]

  @Test func emails() {
    Marked.check(Self.emailPositive) { EmailDetector.find(in: $0) }
    Marked.check(Self.emailNegative) { EmailDetector.find(in: $0) }
  }

  static let phonePositive = [
    "«13800138000»", "电话«138 0013 8000»", "«１３８００１３８０００»", "«138-0013-8000»", "«+8613800138000»",
    "«+86 138 0013 8000»", "«008613800138000»", "«8613800138000»", "«一三八零零一三八零零零»", "«15912345678»",
    "«19912345678»", "«010-62345678»", "«021 6123 4567»", "«0755-2345678»", "«0755-23456789»",
    "«400-123-4567»", "«800 123 4567»", "«+86 10 62345678»", "«+86-755-23456789»",
    "手机«138\u{200B}0013\u{200B}8000»", "«17012345678»", "«138.0013.8000»", "«138/0013/8000»",
    "我的号是«13912345678»，谢谢", "«13800138000»和«13900139000»", "call «4008001234»",
    "«0086 138 0013 8000»", "«１３８ ００１３ ８０００»", "«幺三八零零一三八零零零»", "«18612345678»啊",
    "«020-87654321»", "«138·0013·8000»", "tel «(0755) 2345678»", "«（010）62345678»",
  ]
  static let phoneNegative = [
    "订单号 230512345678901234", "12800138000", "1380013800", "138001380001", "23800138000", "2023-05-12",
    "123456", "0000000000", "138,0013,8000", "138  0013  8000", "138号0013号8000", "价格13800元",
    "13800138000123", "400-123-456", "800123456", "4001234567890", "0123456789", "0001380013800",
    "11111111111", "12345678901", "0755-1234567", "010-1234567", "一三八", "3.14159265358",
    "IP 192.168.100.200", "¥13800.00", "2023年10月1日", "138-0013-8000-1234", "0086123", "+86",
    "86138001380001", "微信支付可以吗", "(0755)  2345678", "(12345) 2345678", "(010)1234567",
  ]

  @Test func phones() {
    Marked.check(Self.phonePositive) { PhoneDetector.find(in: $0) }
    Marked.check(Self.phoneNegative) { PhoneDetector.find(in: $0) }
  }

  static let cardPositive = [
    "转账到 «6222 0202 0000 1234 562»", "«4111111111111111»", "«4111 1111 1111 1111»", "«4012888888881881»",
    "«4222222222222»", "«5555555555554444»", "«5105-1051-0510-5100»", "«2221000000000009»",
    "«378282246310005»", "«3714 496353 98431»", "«3530111333300000»", "«3566002020360505»",
    "«6212345678901232»", "«621234567890123457»", "«6228480012345678903»", "卡号 «1234567812345670»",
    "银行卡«1234567890123452»", "请汇款到«9000000000000001»", "«98765432109875» 是我的银行账户",
    "打款 «2710123456789012»", "«６２２２０２０２００００１２３４５６２»", "工商银行 «6222020200001234562»",
    "账号：«1234567890123452»", "卡«4111-1111-1111-1111»谢谢", "«4111\u{200B}1111\u{200B}1111\u{200B}1111»",
    "«4111111111111111»和«5555555555554444»", "转账«60110000000000001»", "付款：«4111111111111111»",
    "银行 «3566 0020 2036 0505»", "«4111 1111 1111 1111»，谢谢",
  ]
  static let cardNegative = [
    "订单号 230512345678901234", "订单号：4111111111111111", "单号 5555555555554444", "运单4111111111111111",
    "快递 4111 1111 1111 1111", "物流：5555555555554444", "4111111111111112", "1234567812345670",
    "SF4111111111111111", "4111111111111111ab", "41111111111111111111", "411111111111", "13800138000",
    "6222 0202 0000 1234 563", "9000000000000001", "订单 2710123456789012", "4111,1111,1111,1111",
    "4111  1111  1111  1111", "订单编号4111111111111111", "微信支付可以吗", "5555 5555 5555 4444 1",
    "3782822463100050", "60110000000000001", "2221000000000009000", "98765432109875", "卡",
    "12345678901234567890", "4111111111111111111111", "0000000000000000000000000", "银行卡号 123456",
  ]

  @Test func bankCards() {
    Marked.check(Self.cardPositive) { BankCardDetector.find(in: $0) }
    Marked.check(Self.cardNegative) { BankCardDetector.find(in: $0) }
  }

  static let contacts: TermAutomaton = {
    let groups = [["微信", "薇信", "威信", "v信", "vx", "wx", "微信号"], ["qq", "扣扣", "qq号"], ["加我"]]
    var entries: [TermAutomaton.Entry] = []
    for (term, group) in groups.enumerated() {
      for variant in group {
        entries.append(.init(list: 0, term: UInt32(term), scalars: Normalizer().normalizeTerm(variant)))
      }
    }
    return TermAutomaton(entries: entries)
  }()

  static func proximity(_ t: NormalizedText) -> [TextEvidence] {
    ProximityDetector.find(in: t, contactWords: contacts.matches(in: t), within: 12)
  }

  static let proximityPositive = [
    "«加我微信 abc_123» 给你便宜", "«V信 abc_123»", "«vx: wang-2024»", "«微信号：zhang_san88»", "«qq 12345678»",
    "«扣扣 88889999»", "加«薇信abc123»", "«威信 hello_world»", "«ＷＸ：ａｂｃ１２３»", "«abc_123是我的微信»",
    "«13800138000 微信»同号", "«加我 wx_888»", "«微信 abc-123»", "«微\u{200B}信abc12»", "«vx abc12»",
    "«QQ号 123456»", "«微信: 13800138000»", "«加我微信 abc_123»", "«微信是 a1b2c3»", "«wx 12345»",
    "«微信 _____a»", "«qq：987654321»。", "«v信 kefu_01»，谢谢", "«微信搜索 shop2024»", "有事«加我 kf-001»",
    "«加我微信，号码是 abc_123»", "«微信abc12» 和 «qq 54321»",
    "«V 信 abc_123»"
      .replacingOccurrences(of: "V 信", with: "V信"),
    "«微信(abcde»)", "«wx-abcde»",
  ]
  static let proximityNegative = [
    "微信支付可以吗", "微信支付已到账", "加我微信", "微信 abc", "微信 ab_1", "vx", "avxb 12345",
    "微信 ----- ", "微信 _____", "微信 这是一段很长很长很长很长的文字之后 abc_123", "滚筒洗衣机 abc_123",
    "abc_123", "您可以联系拼多多官方客服", "qq", "扣扣", "微信 一二", "微信 你好啊",
    "myqq号 abc_123"
      .replacingOccurrences(of: "abc_123", with: "ab"),
    "微信 abcd", "", "微信,谢谢", "亲，有货的", "微信 😀😀😀", "联系方式 abc_123", "号码 12345",
    "abc_123 这是一段很长很长很长的文字之后才出现微信", "微信…", "wxyz", "vxabc123", "微信 ab 12 cd",
  ]

  @Test func proximityToAccountTokens() {
    Marked.check(Self.proximityPositive, Self.proximity)
    Marked.check(Self.proximityNegative, Self.proximity)
  }

  @Test func proximityReportsTheContactTerm() {
    let t = Normalizer().normalize("加我薇信 abc_123")
    let found = Self.proximity(t)
    #expect(found.count == 1)
    #expect(found.first?.term == 2 || found.first?.term == 0)
  }

  @Test func everyDetectorHasThirtyCasesEachWay() {
    let tables = [
      Self.urlPositive, Self.urlNegative, Self.emailPositive, Self.emailNegative, Self.phonePositive,
      Self.phoneNegative, Self.cardPositive, Self.cardNegative, Self.proximityPositive,
      Self.proximityNegative,
    ]
    for (k, table) in tables.enumerated() {
      #expect(table.count >= 30, "table \(k)")
      // Positive cases mark evidence, negative cases mark none.
      #expect(table.allSatisfy { Marked.parse($0).ranges.isEmpty == (k % 2 == 1) }, "table \(k)")
    }
  }

  @Test func parenthesesRemovedByNormalizationAreLeftOut() {
    // `(` between a CJK character and a digit is a separator the normalizer removes.
    let t = Normalizer().normalize("电话(0755) 2345678")
    #expect(PhoneDetector.find(in: t).map { $0.start..<$0.end } == [3..<16])
    let kept = StandInNormalizer.normalize("电话(0755) 2345678")
    #expect(PhoneDetector.find(in: kept).map { $0.start..<$0.end } == [2..<16])
  }

  @Test func qrCodes() {
    #expect(QRCodeDetector.isQRCode(type: "qr_code", qr: nil))
    #expect(QRCodeDetector.isQRCode(type: "image", qr: true))
    #expect(!QRCodeDetector.isQRCode(type: "image", qr: false))
    #expect(!QRCodeDetector.isQRCode(type: nil, qr: nil))
  }

  /// For random strings, every reported range lies within the original text and agrees with the
  /// offset map; every term match spells its term in the normalized text.
  @Test func reportedRangesLieWithinTheOriginalText() {
    let pieces = [
      "a", "b", "x", "1", "3", "8", "0", " ", "-", ".", "@", "/", ":", "+", "_", "微", "信", "号", "订单号", "银行",
      "１", "．", "\u{200B}", "com", "cn", "www", "http://", "qq", "vx", "，", "😀", "一", "零",
      "㎏", "ß", "①", "e\u{301}", "寶", "（", "）", "＠", "。", "三",
    ]
    var rng = SeededRandom(seed: 2024)
    let contactEntries = [("微信", 0), ("vx", 1), ("qq", 2)].map {
      TermAutomaton.Entry(list: 0, term: UInt32($0.1), scalars: Normalizer().normalizeTerm($0.0))
    }
    let contacts = TermAutomaton(entries: contactEntries)
    let normalizer = Normalizer()
    for _ in 0..<800 {
      var text = ""
      for _ in 0..<Int.random(in: 0...30, using: &rng) {
        text += pieces[Int.random(in: 0..<pieces.count, using: &rng)]
      }
      let t = normalizer.normalize(text)
      let words = contacts.matches(in: t)
      for w in words {
        let spelled = Array(t.scalars[w.start..<w.end])
        #expect(contactEntries.contains { $0.term == w.term && $0.scalars == spelled })
      }
      var all =
        URLDetector.find(in: t).map(\.evidence) + EmailDetector.find(in: t) + PhoneDetector.find(in: t)
      all += BankCardDetector.find(in: t) + ProximityDetector.find(in: t, contactWords: words, within: 12)
      all += TextEvidence.terms(words, in: t)
      for e in all {
        #expect(e.start >= 0 && e.start < e.end && e.end <= t.original.count, "\(text)")
        #expect(e.normalizedStart >= 0 && e.normalizedStart < e.normalizedEnd && e.normalizedEnd <= t.count)
        #expect(t.originalRange(from: e.normalizedStart, to: e.normalizedEnd) == e.start..<e.end)
      }
    }
  }
}

@Suite("Detector golden")
struct DetectorGoldenTests {
  /// Every detector over the clear-cut cases of clauses.md and the disguises of issue 4.
  @Test func clearCutCases() throws {
    let input = try #require(Golden.read("text/detectors-cases.txt"))
    let allow = DomainAllowList(["pinduoduo.com", "yangkeduo.com"])
    var out = ""
    for line in input.split(separator: "\n") where !line.hasPrefix("#") {
      let t = Normalizer().normalize(String(line))
      var found = URLDetector.find(in: t).map { ($0.evidence, allow.admits(host: $0.host) ? " allowed" : "") }
      found += EmailDetector.find(in: t).map { ($0, "") }
      found += PhoneDetector.find(in: t).map { ($0, "") }
      found += BankCardDetector.find(in: t).map { ($0, "") }
      let words = DetectorTests.contacts.matches(in: t)
      found += ProximityDetector.find(in: t, contactWords: words, within: 12).map { ($0, "") }
      found += TextEvidence.terms(words, in: t).map { ($0, "") }
      out += line + "\n"
      for (e, note) in found.sorted(by: {
        ($0.0.start, $0.0.kind.rawValue) < ($1.0.start, $1.0.kind.rawValue)
      }) {
        let term = e.term.map { " term \($0)" } ?? ""
        out += "  \(e.kind.rawValue) \(e.start)-\(e.end) «\(t.originalText(e.start..<e.end))»\(term)\(note)\n"
      }
    }
    Golden.check(out, against: "text/detectors-cases.golden")
  }
}
