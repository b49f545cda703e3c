import Foundation

/// A deterministic corpus of chat events shaped like real customer-service traffic: buyers asking
/// about stock, sizes and delivery, sellers answering, digit-heavy texts (order and tracking
/// numbers, prices, street addresses), emoji, some Traditional script, auto-replies, about 1% of
/// messages that break a content rule (disguised contact details, off-platform links, insults),
/// and replies that come late (`lateReplyRate` of the sellers' turns wait one to five hours), so
/// that about one event in eight draws a verdict, nearly all of them for a late reply.
struct CorpusGenerator {
  var random: SplitMix64
  let conversations: Int
  let eventsPerConversation: ClosedRange<Int>
  let violationRate: Double
  let lateReplyRate: Double

  init(
    seed: UInt64, conversations: Int, eventsPerConversation: ClosedRange<Int> = 6...14,
    violationRate: Double = 0.01, lateReplyRate: Double = 0.25
  ) {
    self.random = SplitMix64(seed: seed)
    self.conversations = conversations
    self.eventsPerConversation = eventsPerConversation
    self.violationRate = violationRate
    self.lateReplyRate = lateReplyRate
  }

  static let buyerLines = [
    "在吗?这个有货吗", "请问什么时候发货", "这个尺码偏大还是偏小", "可以便宜一点吗", "我的订单号是{order},帮我查一下物流",
    "颜色和图片一样吗", "能开发票吗", "收到了,质量不错👍", "怎么还没到啊", "退货地址是哪里", "這個有現貨嗎",
    "請問可以換貨嗎", "好的谢谢", "快递到哪里了", "有优惠券吗😊", "东西坏了怎么办", "M码还有吗", "发什么快递",
    "订单 {order} 怎么还没发货", "寄到{address}可以吗", "这个{price}元包邮吗", "快递单号 {tracking} 查不到",
    "买两件{price}可以吗", "我地址改成{address}了",
  ]
  static let sellerLines = [
    "亲,有货的哦", "亲,今天下午四点前下单当天发货", "建议您按平时的尺码选择", "亲,已经是活动价了呢", "帮您查了,包裹在运输中",
    "亲,以实物为准,色差很小的", "可以开的,下单时备注抬头", "感谢支持,欢迎再来🌹", "亲,物流单号 {order} 已更新", "亲,申请退货后系统会给地址",
    "親,有現貨的", "可以的亲", "不客气,有问题随时找我", "亲,领券中心有满减券哦", "非常抱歉,给您补发一件", "有的亲,库存充足",
    "亲,单号 {tracking} 已经发出了", "亲,这款现在{price}元", "亲,地址{address}已经备注了", "亲,订单 {order} 明天发",
    "亲,满{price}元包邮哦",
  ]
  static let autoLines = ["您好,欢迎光临本店,客服稍后回复您", "亲,您的消息已收到,请稍候", "欢迎光临~"]
  static let violationLines = [
    "加我薇信 abc_123 给你便宜", "这边不方便说,加V信 kefu_8888 聊", "直接转账到 6222 0202 0000 1234 562 就行",
    "打 １３８ ００１３ ８０００ 找我", "去 https://item.taobao.com/item.htm?id=1 买更便宜", "发邮件到 kf@qq.com",
    "一三八零零一三八零零零 打这个电话", "你是不是傻逼", "扣扣 12345678 联系我",
  ]

  /// Generates every conversation's events as JSONL lines, conversation by conversation.
  mutating func generate(into body: (String) -> Void) {
    let base: Int64 = 1_795_132_800  // 2026-11-20T00:00:00+08:00
    for c in 0..<conversations {
      let id = "c-\(c)"
      let shop = "s-\(c % 500)"
      let buyer = "b-\(random.next() % 100_000)"
      var t = base + Int64(random.next() % (86_400 * 3))
      let count = Int(random.next() % UInt64(eventsPerConversation.count)) + eventsPerConversation.lowerBound
      for i in 0..<count {
        t += Int64(10 + random.next() % 900)
        if i % 2 == 1 && random.nextDouble() < lateReplyRate { t += Int64(3600 + random.next() % (4 * 3600)) }
        let at = Self.rfc3339(t)
        var line: String
        let roll = random.nextDouble()
        if i % 2 == 0 {
          let text = pick(Self.buyerLines)
          line =
            "{\"conversation\":\"\(id)\",\"shop\":\"\(shop)\",\"buyer\":\"\(buyer)\",\"at\":\"\(at)\",\"from\":\"buyer\",\"text\":\"\(text)\"}"
        } else if roll < violationRate {
          let text = pick(Self.violationLines)
          line =
            "{\"conversation\":\"\(id)\",\"at\":\"\(at)\",\"from\":\"seller\",\"agent\":\"kefu-\(c % 7)\",\"text\":\"\(text)\"}"
        } else if roll < 0.08 {
          line =
            "{\"conversation\":\"\(id)\",\"at\":\"\(at)\",\"from\":\"seller\",\"auto\":true,\"text\":\"\(pick(Self.autoLines))\"}"
        } else {
          let text = pick(Self.sellerLines)
          line =
            "{\"conversation\":\"\(id)\",\"at\":\"\(at)\",\"from\":\"seller\",\"agent\":\"kefu-\(c % 7)\",\"text\":\"\(text)\"}"
        }
        line = line.replacingOccurrences(of: "{order}", with: orderNumber())
        line = line.replacingOccurrences(of: "{tracking}", with: trackingNumber())
        line = line.replacingOccurrences(of: "{price}", with: price())
        line = line.replacingOccurrences(of: "{address}", with: address())
        body(line)
      }
    }
  }

  private mutating func pick(_ lines: [String]) -> String {
    lines[Int(random.next() % UInt64(lines.count))]
  }

  private mutating func orderNumber() -> String {
    var s = "2311"
    for _ in 0..<14 { s.append(Character(Unicode.Scalar(UInt8(48 + random.next() % 10)))) }
    return s
  }

  private mutating func trackingNumber() -> String {
    var s = pick(["SF", "YT", "ZTO", "JD"])
    for _ in 0..<12 { s.append(Character(Unicode.Scalar(UInt8(48 + random.next() % 10)))) }
    return s
  }

  private mutating func price() -> String {
    "\(19 + random.next() % 480).\(random.next() % 10)0"
  }

  private mutating func address() -> String {
    let road = pick(["文三路", "中山北路", "解放大道", "人民路", "建设路"])
    return pick(["浙江省杭州市西湖区", "上海市静安区", "广东省深圳市南山区", "湖北省武汉市江汉区"]) + road
      + "\(1 + random.next() % 999)号\(1 + random.next() % 30)栋\(101 + random.next() % 2000)室"
  }

  /// RFC 3339 in +08:00 for a Unix time.
  static func rfc3339(_ unix: Int64) -> String {
    let local = unix + 8 * 3600
    let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    let secs = local - days * 86_400
    let (y, m, d) = civil(fromDays: days)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, Int(secs / 3600), Int(secs / 60 % 60),
      Int(secs % 60))
  }

  /// Howard Hinnant's civil_from_days.
  static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
  }
}

/// SplitMix64: small, fast and reproducible from its seed.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
