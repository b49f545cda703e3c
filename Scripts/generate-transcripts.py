#!/usr/bin/env python3
"""Generate the example transcripts under Examples/transcripts/ (deterministic, seeded).

Run from the repository root:  python3 Scripts/generate-transcripts.py

Writes pinduoduo.jsonl, aliexpress.jsonl, pinduoduo-busy-day.jsonl and the expected-verdict
tables of README.md. quickstart.jsonl is hand-written and only copied into the README text.
Every scenario states the verdicts it is meant to produce, so the README and the data cannot
drift apart. The output is byte-identical on every run (fixed seed, no clock, sorted keys off).
"""

import json
import os
import random
from datetime import datetime, timedelta, timezone

SEED = 20261120
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Examples", "transcripts")
CST = timezone(timedelta(hours=8))
AS_OF = "2026-12-31T00:00:00+08:00"


def at(day, hms, utc=False):
    """An RFC 3339 time on 2026-11-<day> at HH:MM[:SS] in +08:00 (or the same instant in Z)."""
    parts = [int(p) for p in hms.split(":")]
    while len(parts) < 3:
        parts.append(0)
    t = datetime(2026, 11, day, 0, 0, 0, tzinfo=CST) + timedelta(
        hours=parts[0], minutes=parts[1], seconds=parts[2])
    if utc:
        return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return t.strftime("%Y-%m-%dT%H:%M:%S+08:00")


class Conversation:
    """One conversation's events plus the verdicts it is meant to produce."""

    def __init__(self, cid, platform, shop, buyer=None, expect=(), note=""):
        self.cid, self.platform, self.shop, self.buyer = cid, platform, shop, buyer
        self.events = []
        self.expect = list(expect)  # (rule, clause, event index or None, why)
        self.note = note

    def _base(self, day, hms, utc=False):
        e = {"conversation": self.cid, "platform": self.platform}
        if not self.events:
            e["shop"] = self.shop
            if self.buyer:
                e["buyer"] = self.buyer
        e["at"] = at(day, hms, utc)
        return e

    def buyer_says(self, day, hms, text, utc=False):
        e = self._base(day, hms, utc)
        e["from"] = "buyer"
        e["text"] = text
        self.events.append(e)
        return self

    def seller_says(self, day, hms, text=None, agent="kefu-1", auto=False, attachments=None):
        e = self._base(day, hms)
        e["from"] = "seller"
        if auto:
            e["auto"] = True
        else:
            e["agent"] = agent
        if text is not None:
            e["text"] = text
        if attachments:
            e["attachments"] = attachments
        self.events.append(e)
        return self

    def system_says(self, day, hms, text):
        e = self._base(day, hms)
        e["from"] = "system"
        e["text"] = text
        self.events.append(e)
        return self

    def event(self, day, hms, name):
        e = self._base(day, hms)
        e["event"] = name
        self.events.append(e)
        return self


def write_jsonl(name, conversations, rng, shuffle_fraction=0.0):
    """Interleave by time, then move a few lines out of order (input order must not matter)."""
    lines = []
    for c in conversations:
        for i, e in enumerate(c.events):
            lines.append((e["at"], c.cid, i, e))
    # Sort by instant: the Z lines compare as the instants they name.
    def instant(s):
        return datetime.fromisoformat(s.replace("Z", "+00:00"))
    lines.sort(key=lambda x: (instant(x[0]), x[1], x[2]))
    events = [x[3] for x in lines]
    moves = int(len(events) * shuffle_fraction)
    for _ in range(moves):
        i = rng.randrange(len(events))
        e = events.pop(i)
        events.insert(rng.randrange(len(events) + 1), e)
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as f:
        for e in events:
            f.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")
    return len(events)


# ---------------------------------------------------------------------------------------------
# Pinduoduo

def pinduoduo(rng):
    P = "pinduoduo"
    cs = []

    # --- clean conversations -----------------------------------------------------------------
    c = Conversation("pdd-clean-01", P, "s-88", note="stock question, order, shipping with a tracking number")
    c.buyer_says(20, "10:00", "在吗？这个有货吗")
    c.seller_says(20, "10:02:10", "亲，有货的😊")
    c.seller_says(20, "10:02:11", "欢迎光临本店，全场满99包邮", auto=True)
    c.event(20, "10:05", "order_placed")
    c.buyer_says(20, "10:06", "拍了，今天能发吗")
    c.seller_says(20, "10:09", "可以的，下午四点前发出", agent="kefu-3")
    c.event(21, "09:00", "order_shipped")
    c.seller_says(21, "09:01", "亲，已发货，运单号 SF1234567890123，顺丰快递", agent="kefu-3")
    c.buyer_says(21, "09:30", "收到，谢谢👍")
    c.seller_says(21, "09:31", "不客气亲～")
    cs.append(c)

    c = Conversation("pdd-clean-02", P, "s-88", note="Traditional script, Pinduoduo's own link, an order number")
    c.buyer_says(20, "11:00", "這個有貨嗎？能便宜一點嗎")
    c.seller_says(20, "11:03", "有貨的親，這是活動鏈接 https://mobile.yangkeduo.com/goods.html?goods_id=1")
    c.buyer_says(20, "11:10", "好的，訂單號 230512345678901234 麻煩備註一下紅色")
    c.seller_says(20, "11:12", "好的，已備註紅色")
    cs.append(c)

    c = Conversation("pdd-clean-03", P, "s-90", note="payment words without an account")
    c.buyer_says(20, "12:00", "可以用微信支付吗")
    c.seller_says(20, "12:01", "可以的，支持微信支付和支付宝哦")
    c.buyer_says(20, "12:30", "付了")
    c.seller_says(20, "12:31", "微信支付已到账，感谢支持")
    cs.append(c)

    c = Conversation("pdd-clean-04", P, "s-90", note="refund with a return address and an order number")
    c.buyer_says(21, "14:00", "衣服小了，想退货")
    c.event(21, "14:01", "refund_requested")
    c.seller_says(21, "14:05", "好的亲，退货地址：浙江省杭州市余杭区文一西路100号 张先生收，请备注订单号")
    c.buyer_says(21, "14:10", "寄出了，单号 YT7531598524561")
    c.seller_says(21, "14:20", "收到，退款已原路退回支付宝，订单号 230512345678901234")
    cs.append(c)

    c = Conversation("pdd-clean-05", P, "s-90", note="stop request honoured with one short acknowledgement")
    c.buyer_says(22, "09:00", "不要再联系我了，不需要")
    c.seller_says(22, "09:03", "好的，不打扰了")
    cs.append(c)

    c = Conversation("pdd-clean-06", P, "s-88", note="buyer writes after 23:00; answered the next morning")
    c.buyer_says(20, "23:20", "明天能发吗？")
    c.seller_says(21, "08:30", "早上好亲，今天上午发")
    cs.append(c)

    c = Conversation("pdd-clean-07", P, "s-88", note="'不要发了' cancels shipping; it is not a stop request")
    c.buyer_says(22, "15:00", "这个不要发了，给我退款")
    c.seller_says(22, "15:02", "好的，已为您拦截")
    c.event(22, "15:03", "refund_requested")
    c.seller_says(22, "15:30", "退款已处理，1-3个工作日原路退回")
    cs.append(c)

    c = Conversation("pdd-clean-08", P, "s-90", note="product photo, courier named 京东快递, times in Z")
    c.buyer_says(23, "02:00", "有实拍图吗", utc=True)  # 10:00 in Shanghai
    c.seller_says(23, "10:04", "亲，这是实拍", attachments=[{"type": "image", "url": "https://img.pddpic.com/a1.jpg"}])
    c.seller_says(23, "10:05", "今天用京东快递发出，我们没有实体店哦")
    c.system_says(23, "10:06", "买家已下单")
    cs.append(c)

    # --- violations ----------------------------------------------------------------------------
    def v(cid, shop, expect, note):
        c = Conversation(cid, P, shop, expect=expect, note=note)
        cs.append(c)
        return c

    c = v("pdd-v-wechat", "s-201", [("third_party_info", "PDD-2.1", 1, "薇信 + account abc_123")],
          "WeChat handle in a homophone")
    c.buyer_says(20, "10:00", "这个多少钱")
    c.seller_says(20, "10:01", "加我薇信 abc_123 给你便宜", agent="kefu-2")

    c = v("pdd-v-link", "s-202", [("third_party_info", "PDD-2.1", 1, "taobao.com link")], "link to another shop")
    c.buyer_says(20, "10:10", "还有别的颜色吗")
    c.seller_says(20, "10:12", "这里有全色 https://item.taobao.com/item.htm?id=1")

    c = v("pdd-v-qr", "s-203", [("third_party_info", "PDD-2.1", 2, "QR image")], "QR code image")
    c.buyer_says(20, "10:20", "怎么付款")
    c.seller_says(20, "10:21", "扫下面的码")
    c.seller_says(20, "10:21:30", attachments=[{"type": "image", "qr": True}])

    c = v("pdd-v-card", "s-204", [("third_party_info", "PDD-2.1", 1, "Luhn-valid card number")], "bank card")
    c.buyer_says(20, "10:30", "能便宜吗")
    c.seller_says(20, "10:31", "转账到 6222 0202 0000 1234 562，户名张三，再减10元")

    c = v("pdd-v-email", "s-205", [("third_party_info", "PDD-2.1", 1, "e-mail address")], "e-mail")
    c.buyer_says(20, "10:40", "发票怎么开")
    c.seller_says(20, "10:41", "发邮件到 kf@qq.com 说明抬头")

    c = v("pdd-v-phone", "s-206", [("third_party_info", "PDD-2.1", 1, "full-width phone number")],
          "full-width phone number")
    c.buyer_says(20, "10:50", "能电话聊吗")
    c.seller_says(20, "10:52", "打这个：１３８００１３８０００")

    c = v("pdd-v-alipay-trad", "s-207", [("third_party_info", "PDD-2.1", 1, "支付寶 + account")],
          "Traditional script payment account")
    c.buyer_says(20, "11:00", "可以先付定金嗎")
    c.seller_says(20, "11:02", "可以，支付寶賬號 zhang_san88")

    c = v("pdd-v-late", "s-208", [("reply_within_hour", "PDD-2.2", 0, "answered after 80 minutes")],
          "late human reply")
    c.buyer_says(20, "10:00", "什么时候发货？")
    c.seller_says(20, "10:00:03", "您好，客服马上为您服务", auto=True)
    c.seller_says(20, "11:20", "亲，今天发")

    c = v("pdd-v-auto-only", "s-208", [("reply_within_hour", "PDD-2.2", 0, "only an automatic reply; answered_at null")],
          "only an automatic reply")
    c.buyer_says(20, "14:00", "尺码偏大吗")
    c.seller_says(20, "14:00:02", "您好，欢迎光临，有问题请留言", auto=True)

    c = v("pdd-v-after-stop", "s-209", [("contact_after_stop", "PDD-2.3", 3, "promotion after 不要再联系我")],
          "contact after a stop request")
    c.buyer_says(21, "10:00", "不要再联系我")
    c.seller_says(21, "10:01", "好的，不打扰了")
    c.seller_says(21, "10:02", "抱歉打扰")  # ack already used: the second one is not allowed either
    c.expect = [("contact_after_stop", "PDD-2.3", 2, "a second acknowledgement is contact"),
                ("contact_after_stop", "PDD-2.3", 3, "promotion after 不要再联系我")]
    c.seller_says(21, "10:30", "亲，店铺上新了，满100减20，看看吧😘")

    c = v("pdd-v-threat", "s-210", [("intimidation", "PDD-2.3", 1, "敢给差评试试 / 我知道你住哪")],
          "intimidation over a bad review")
    c.buyer_says(21, "11:00", "质量太差了，我要给差评")
    c.seller_says(21, "11:03", "敢给差评试试，我知道你住哪")

    c = v("pdd-v-insult", "s-211", [("no_insults", "PDD-2.4", 1, "神经病")], "insult")
    c.buyer_says(21, "11:10", "怎么还没发货？？")
    c.seller_says(21, "11:15", "催什么催，神经病")

    c = v("pdd-v-cashback", "s-212", [("paid_reviews", "PDD-2.5", 1, "好评返现")], "cash back for a good review")
    c.buyer_says(21, "11:20", "收到了")
    c.seller_says(21, "11:22", "亲，五星好评晒图返现5元哦🎁")

    c = v("pdd-v-diversion", "s-213", [("off_platform_diversion", "PDD-2.5", 1, "去淘宝搜")], "send to Taobao")
    c.buyer_says(21, "11:30", "能再便宜点吗")
    c.seller_says(21, "11:31", "去淘宝搜我们店，便宜10块")

    c = v("pdd-v-impersonation", "s-214", [("poses_as_platform", "PDD-2.6", 0, "我是拼多多官方客服")],
          "posing as the platform")
    c.seller_says(21, "12:00", "我是拼多多官方客服，您的订单异常，请按我说的操作")

    c = v("pdd-v-prohibited", "s-215", [("prohibited_content", "PDD-2.7", 1, "pyramid selling")], "pyramid selling")
    c.buyer_says(21, "12:10", "你们招代理吗")
    c.seller_says(21, "12:12", "交入门费，发展下线有提成")

    # Three minor violations of one shop within 30 days: the third is escalated to major.
    c = v("pdd-v-burst", "s-66", [("message_burst", "PDD-2.3", None, "9 seller messages in 8 minutes")],
          "spam burst (1st minor of s-66)")
    c.buyer_says(20, "09:00", "好的我考虑一下")
    c.seller_says(20, "09:01", "好的亲")
    for i, t in enumerate(["亲在吗", "考虑得怎么样", "今天下单送赠品", "亲?", "还在吗",
                           "优惠快结束了", "亲亲", "给您留了库存", "回复一下呗"]):
        c.seller_says(20, "15:%02d" % (i,), t, auto=(i % 3 == 2))

    c = v("pdd-v-ads", "s-66", [("unrelated_ads", "PDD-2.5", 1, "宝妈兼职 (2nd minor of s-66)")], "job ad")
    c.buyer_says(22, "16:00", "发货了吗")
    c.seller_says(22, "16:02", "发了亲。另外宝妈兼职，日结工资，有兴趣吗")

    c = v("pdd-v-disparage", "s-66",
          [("disparages_platform_or_shops", "PDD-2.7", 1, "别家都是假货 (3rd minor of s-66: escalated to major)")],
          "running down other shops")
    c.buyer_says(23, "17:00", "别家便宜五块")
    c.seller_says(23, "17:01", "别家都是假货，只有我们是真的")

    return cs


# ---------------------------------------------------------------------------------------------
# AliExpress

def aliexpress(rng):
    A = "aliexpress"
    cs = []

    c = Conversation("ae-clean-01", A, "a-10", note="peak question answered in 20 minutes")
    c.buyer_says(20, "10:00", "Hi, is this available in blue?")
    c.seller_says(20, "10:00:04", "Thank you for your message, we will reply soon.", auto=True)
    c.seller_says(20, "10:20", "Hello friend, yes, blue is in stock.", agent="cs-amy")
    cs.append(c)

    c = Conversation("ae-clean-02", A, "a-10", note="off-peak question answered at 09:00 (24h limit)")
    c.buyer_says(21, "02:00", "Do you ship to Spain?")
    c.seller_says(21, "09:00", "Yes, 10-15 days to Spain.", agent="cs-amy")
    cs.append(c)

    c = Conversation("ae-clean-03", A, "a-10", note="23:30 question answered 00:20")
    c.buyer_says(21, "23:30", "Can you add a gift box?")
    c.seller_says(22, "00:20", "Sure, we will add it for free 🎁", agent="cs-bob")
    cs.append(c)

    c = Conversation("ae-clean-04", A, "a-11", note="dispute answered the same morning")
    c.buyer_says(22, "09:00", "The item arrived broken")
    c.event(22, "09:01", "dispute_opened")
    c.seller_says(22, "09:30", "We are very sorry. We will resend a new one today, tracking LP00123456789CN.")
    cs.append(c)

    c = Conversation("ae-clean-05", A, "a-11", note="Chinese-speaking buyer, answered in time")
    c.buyer_says(22, "13:00", "这个能防水吗")
    c.seller_says(22, "13:05", "嗯，可以防水，IP68")
    cs.append(c)

    def v(cid, shop, expect, note):
        c = Conversation(cid, A, shop, expect=expect, note=note)
        cs.append(c)
        return c

    c = v("ae-v-late-peak", "a-20", [("reply_speed", "AE-1.2.1", 0, "peak message answered after 90 minutes")],
          "late in the peak period")
    c.buyer_says(20, "10:00", "Hello, when will my order ship?")
    c.seller_says(20, "11:30", "Hi, it ships tomorrow.")

    c = v("ae-v-auto-only", "a-21", [("reply_speed", "AE-1.2.1", 0, "only an automatic reply; answered_at null")],
          "automatic reply only")
    c.buyer_says(20, "15:00", "Is the size true to fit?")
    c.seller_says(20, "15:00:05", "Thanks for your message, we will reply soon.", auto=True)

    c = v("ae-v-over-24h", "a-22", [("reply_speed", "AE-1.2.1", 0, "off-peak message answered after 25 hours")],
          "over 24 hours")
    c.buyer_says(23, "01:00", "Any discount for 3 pieces?")
    c.seller_says(24, "02:00", "Sorry for the late reply, 5% off for 3 pieces.")

    c = v("ae-v-2330", "a-23", [("reply_speed", "AE-1.2.1", 0, "23:30 message answered 00:45")], "late after midnight")
    c.buyer_says(23, "23:30", "Can I change the color?")
    c.seller_says(24, "00:45", "Yes, changed to black.")

    c = v("ae-v-refund", "a-24", [("after_sales_reply", "AE-1.1.3", 1, "refund request answered after 26 hours")],
          "after-sales too late")
    c.buyer_says(20, "16:00", "I want a refund, the item is wrong")
    c.event(20, "16:01", "refund_requested")
    c.seller_says(20, "16:20", "Thanks for your message, we will reply soon.", auto=True)
    c.seller_says(21, "18:01", "Sorry, refund approved.")
    # the buyer message itself is also late: 16:00 in the peak period, first human reply next day
    c.expect.insert(0, ("reply_speed", "AE-1.2.1", 0, "peak message answered the next day"))

    c = v("ae-v-insult", "a-25", [("no_insults", "AE-1.2.3", 1, "stupid")], "insult in English")
    c.buyer_says(21, "10:00", "Why is it not the same as the picture???")
    c.seller_says(21, "10:10", "Are you stupid? Read the description.")

    c = v("ae-v-defame", "a-26", [("no_insults", "AE-1.2.3", 1, "你就是骗子")], "defaming the buyer")
    c.buyer_says(21, "11:00", "我没收到货，要退款")
    c.seller_says(21, "11:05", "你就是骗子，想白拿东西")

    c = v("ae-v-claims", "a-27", [("absolute_claims", "AE-1.1.1", 1, "100% original, 假一赔十 (review)")],
          "absolute claims, a review flag")
    c.buyer_says(21, "12:00", "Is it original?")
    c.seller_says(21, "12:05", "100% original, 假一赔十!")

    c = v("ae-v-contentless", "a-28", [("contentless_reply", "AE-1.2.2", 1, "嗯 alone (review)")],
          "contentless reply, a review flag")
    c.buyer_says(22, "14:00", "这个充电器支持快充吗")
    c.seller_says(22, "14:02", "嗯")

    # Three minor reply_speed violations of shop a-77: the third is escalated to major.
    for n, day in enumerate([20, 22, 24]):
        c = v("ae-v-repeat-%d" % (n + 1), "a-77",
              [("reply_speed", "AE-1.2.1", 0,
                "late reply, %s minor of a-77%s" % (["1st", "2nd", "3rd"][n],
                                                    ": escalated to major" if n == 2 else ""))],
              "repeated late replies")
        c.buyer_says(day, "09:00", "Hello? Any update on my order?")
        c.seller_says(day, "11:%02d" % rng.randrange(0, 59), "Sorry, shipped now.")

    return cs


# ---------------------------------------------------------------------------------------------
# Pinduoduo busy day: the daily effective reply rate

def busy_day(rng):
    P = "pinduoduo"
    cs = []
    # s-busy: 120 buyers on 2026-11-25, 90 answered within 60 minutes, 30 not: 75% < 80%.
    late = set(rng.sample(range(120), 30))
    for i in range(120):
        c = Conversation("busy-%03d" % i, P, "s-busy", buyer="b-%04d" % i)
        minute = rng.randrange(8 * 60, 22 * 60)
        hms = "%02d:%02d" % divmod(minute, 60)
        c.buyer_says(25, hms, rng.choice(["在吗", "有货吗", "什么时候发货", "能便宜点吗", "这个尺码偏大吗",
                                          "包邮吗？", "這個有貨嗎", "颜色有色差吗😅"]))
        if i in late:
            if i % 3:
                delay = rng.randrange(70, 180)
                m2 = minute + delay
                c.seller_says(25 + m2 // 1440, "%02d:%02d" % divmod(m2 % 1440, 60), "亲，久等了，有的",
                              agent="kefu-%d" % (i % 4 + 1))
            else:
                c.seller_says(25, "%02d:%02d:05" % divmod(minute, 60), "您好，客服稍后回复", auto=True)
            c.expect = [("reply_within_hour", "PDD-2.2", 0, "late (review)")]
        else:
            m2 = minute + rng.randrange(1, 50)
            c.seller_says(25, "%02d:%02d" % divmod(m2, 60), "亲，有的", agent="kefu-%d" % (i % 4 + 1))
        cs.append(c)
    # s-small: 40 buyers, 20 unanswered: below the 100-buyer floor, so no rate verdict.
    for i in range(40):
        c = Conversation("small-%03d" % i, P, "s-small", buyer="b-9%03d" % i)
        minute = rng.randrange(9 * 60, 21 * 60)
        c.buyer_says(25, "%02d:%02d" % divmod(minute, 60), "在吗")
        if i % 2:
            c.seller_says(25, "%02d:%02d" % divmod(minute + 5, 60), "在的")
        else:
            c.expect = [("reply_within_hour", "PDD-2.2", 0, "never answered (review)")]
        cs.append(c)
    return cs


# ---------------------------------------------------------------------------------------------

def table(conversations):
    rows = ["| conversation | shop | what it shows | expected verdicts (rule, clause, event) |",
            "|---|---|---|---|"]
    for c in conversations:
        if c.expect:
            exp = "; ".join("%s %s at %s (%s)" % (r, cl, "-" if i is None else i, why)
                            for r, cl, i, why in c.expect)
        else:
            exp = "none"
        rows.append("| %s | %s | %s | %s |" % (c.cid, c.shop, c.note or "-", exp))
    return "\n".join(rows)


def busy_summary(cs):
    late = [c for c in cs if c.shop == "s-busy" and c.expect]
    small = [c for c in cs if c.shop == "s-small" and c.expect]
    return (
        "- shop `s-busy`: 120 buyers asked on 2026-11-25 between 08:00 and 22:00; %d of them got no human "
        "reply within 60 minutes (%s). Expected: one `reply_within_hour` (PDD-2.2, review) verdict for "
        "each of them, and one aggregate `effective_reply_rate` (PDD-2.2, minor) verdict for s-busy on "
        "2026-11-25 with `count` %d, `total` 120, `value` %.4f, threshold 0.8.\n"
        "- shop `s-small`: 40 buyers, %d never answered (%s). Expected: a `reply_within_hour` review "
        "verdict for each, and NO rate verdict (40 buyers is not more than 100)."
        % (len(late), ", ".join(c.cid for c in late), 120 - len(late), (120 - len(late)) / 120,
           len(small), ", ".join(c.cid for c in small)))


README_HEAD = """# Example transcripts

Chat transcripts in the event format of [docs/io.md](../../docs/io.md) (JSON Lines), for trying `policyc eval`
and for a reviewer to compare its verdicts with the ones intended. Everything here except
`quickstart.jsonl` is written by `Scripts/generate-transcripts.py` (seeded, deterministic): edit the
script, not the files, and rerun `python3 Scripts/generate-transcripts.py`.

Every event carries `platform`, so the files can be given to one run with both policies:

```sh
policyc eval --policy Policies/pinduoduo.policy --policy Policies/aliexpress.policy \\
  --as-of %(as_of)s Examples/transcripts/pinduoduo.jsonl Examples/transcripts/aliexpress.jsonl
```

The expected verdicts below assume `--as-of %(as_of)s` (every deadline has passed). Lines are
interleaved across conversations and a few are deliberately out of order; times are `+08:00` except
a few written in `Z` (the same instants). Event indexes are after sorting by time within the
conversation, counted from 0.

## quickstart.jsonl (hand-written, Pinduoduo, 14 events)

| conversation | expected verdict | why |
|---|---|---|
| q-1 | `third_party_info` PDD-2.1 major at event 2 | `加我微信 abc_123`: a contact app next to an account |
| q-2 | `reply_within_hour` PDD-2.2 review at event 0, deadline 10:00+60m, answered_at 11:30 | the automatic greeting at 10:00:05 does not count as a reply |
| q-3 | `contact_after_stop` PDD-2.3 major at event 2 | the buyer said `别再发了`; `好的，不打扰了` was the one allowed acknowledgement, the 15:00 promotion is not |
| q-4 | none | `微信支付` without an account, an order number, an order event |

"""


def main():
    rng = random.Random(SEED)
    os.makedirs(OUT, exist_ok=True)
    pdd = pinduoduo(rng)
    ae = aliexpress(rng)
    busy = busy_day(rng)
    n1 = write_jsonl("pinduoduo.jsonl", pdd, rng, shuffle_fraction=0.08)
    n2 = write_jsonl("aliexpress.jsonl", ae, rng, shuffle_fraction=0.08)
    n3 = write_jsonl("pinduoduo-busy-day.jsonl", busy, rng, shuffle_fraction=0.05)
    parts = [README_HEAD % {"as_of": AS_OF}]
    parts.append("## pinduoduo.jsonl (%d events)\n\n%s\n" % (n1, table(pdd)))
    parts.append(
        "Escalation: shop s-66 has three minor verdicts within 30 days (message_burst on 11-20,\n"
        "unrelated_ads on 11-22, disparages_platform_or_shops on 11-23); the third carries\n"
        "`escalated_to: major`. Every other violation is in a shop of its own, so nothing else escalates.\n")
    parts.append("## aliexpress.jsonl (%d events)\n\n%s\n" % (n2, table(ae)))
    parts.append(
        "Escalation: shop a-77 has three minor `reply_speed` verdicts (11-20, 11-22, 11-24); the third\n"
        "carries `escalated_to: major` (AliExpress 一.3(1); the count and window are ours).\n")
    parts.append("## pinduoduo-busy-day.jsonl (%d events)\n\n%s\n" % (n3, busy_summary(busy)))
    parts.append(
        "## Verdicts a reviewer may doubt\n\n"
        "- `pdd-v-after-stop` event 2: a second acknowledgement (`抱歉打扰`) one minute after the first is\n"
        "  counted as contact, because only one acknowledgement is allowed (docs/clauses.md).\n"
        "- `ae-v-refund`: one delay gives two verdicts, `reply_speed` for the buyer's message and\n"
        "  `after_sales_reply` for the refund request; they are different obligations.\n"
        "- `ae-v-contentless` and `ae-v-claims` are review flags (`severity review`): a person decides.\n"
        "- `pdd-clean-05`: the buyer's stop request is not a message that needs a reply (the Pinduoduo\n"
        "  policy leaves stop requests out of its reply obligation).\n")
    parts.append(
        "## Changes to these verdicts\n\n"
        "Issue 18 (the shipped word lists): a list line used `|`, which joins spellings of one phrase,\n"
        "to join different phrases, so evidence named the line's first phrase as the `term` of a match\n"
        "of another. Each phrase is now a line of its own, and four verdicts (five evidence items) name\n"
        "the phrase that matched; no verdict was added or removed, and every `match`, offset and\n"
        "severity is as before:\n\n"
        "| conversation | rule | `match` | `term` before | `term` now |\n"
        "|---|---|---|---|---|\n"
        "| ae-v-defame | no_insults | 你就是骗子 | 你是骗子 | 你就是骗子 |\n"
        "| pdd-v-ads | unrelated_ads | 宝妈兼职 | 兼职 | 宝妈兼职 |\n"
        "| pdd-v-ads | unrelated_ads | 日结工资 | 兼职 | 日结工资 |\n"
        "| pdd-v-cashback | paid_reviews | 晒图返现 | 五星好评返现 | 晒图返现 |\n"
        "| pdd-v-prohibited | prohibited_content | 发展下线 | 拉人头 | 发展下线 |\n\n"
        "The new vocabulary of the same issue (one-character insults, chat-app abbreviations, store\n"
        "addresses, review rewards said apart, brushing orders, other platforms' shops, claims to be\n"
        "the platform, disparaging other shops) finds nothing new in these transcripts: the one street\n"
        "address in them is a return address (`pdd-clean-04`), which `third_party_info` leaves alone\n"
        "(a store's address needs a store word and no service word in the message). `quickstart.jsonl`\n"
        "and `pinduoduo-busy-day.jsonl` give the same verdicts as before.\n")
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main()
