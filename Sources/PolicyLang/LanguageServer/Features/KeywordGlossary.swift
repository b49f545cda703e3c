// The one-line meaning of every keyword, as Grammar.md states it, for hover and completion.
// The switch is exhaustive: a keyword added to the lexer's table fails to compile here until it
// is explained.

import PolicyLang

/// One-line meanings of the language's keywords.
public enum KeywordGlossary {
  /// What `keyword` means, in one line, in English and Chinese.
  public static func meaning(of keyword: Keyword) -> LocalizedText {
    switch keyword {
    case .policy:
      return .init(
        "`policy NAME \"TITLE\" { ... }`: the header that makes a file a platform's policy (source, zone, normalize)",
        zh: "`policy 名称 \"标题\" { ... }`:使文件成为某平台策略的头(来源、时区、规范化)")
    case .import:
      return .init(
        "`import \"path\"`: includes a library's declarations; the path is relative to this file",
        zh: "`import \"路径\"`:引入库文件的声明;路径相对于本文件")
    case .clause:
      return .init(
        "`clause ID \"TITLE\" KIND` declares a clause of the platform's rules; in a rule, the clause it enforces",
        zh: "`clause 编号 \"标题\" 种类` 声明平台规则的条款;在规则中表示它执行的条款")
    case .terms:
      return .init(
        "`terms NAME = [...]` or `= file \"x.txt\"`: a term list; `+=` adds to an imported one",
        zh: "`terms 名称 = [...]` 或 `= file \"x.txt\"`:词表;`+=` 向导入的词表追加")
    case .domains:
      return .init(
        "`domains NAME = [...]`: hosts a `url outside` condition admits (with their subdomains)",
        zh: "`domains 名称 = [...]`:`url outside` 条件允许的域名(含子域名)")
    case .const:
      return .init(
        "`const NAME = VALUE`: a named count, duration, percent, length, string, time or date",
        zh: "`const 名称 = 值`:命名的计数、时长、百分比、长度、字符串、时刻或日期")
    case .hours:
      return .init(
        "`hours NAME = [DAYS] HH:MM-HH:MM, ...`: a weekly window in the policy's zone, half-open",
        zh: "`hours 名称 = [星期] HH:MM-HH:MM, ...`:按策略时区的每周时段,左闭右开")
    case .pattern:
      return .init(
        "`pattern NAME = \"REGEX\"`: a named pattern, used as `matches NAME`; its matches are evidence",
        zh: "`pattern 名称 = \"正则\"`:命名的模式,以 `matches 名称` 使用;其匹配即证据")
    case .dates:
      return .init(
        "`dates NAME = [YYYY-MM-DD, ...]`: whole days, for `except` in hours",
        zh: "`dates 名称 = [YYYY-MM-DD, ...]`:整日日期,用于时段的 `except`")
    case .severity:
      return .init(
        "`severity NAME \"TITLE\" sanction \"...\"` declares a severity (least severe first); in a rule, its severity",
        zh: "`severity 名称 \"标题\" sanction \"...\"` 声明处罚等级(先轻后重);在规则中表示其等级")
    case .escalate:
      return .init(
        "`escalate N A within D to B`: the N-th violation of severity A by a shop within D counts as B",
        zh: "`escalate N A within D to B`:同一店铺在 D 内第 N 次 A 级违规按 B 计")
    case .rule:
      return .init(
        "`rule NAME \"TITLE\" { clause ... severity ... BODY }`: one rule of the policy",
        zh: "`rule 名称 \"标题\" { clause ... severity ... 规则体 }`:策略中的一条规则")
    case .test:
      return .init(
        "`test \"NAME\" { events, expect ... }`: a conversation and the verdicts it must give (`policyc test`)",
        zh: "`test \"名称\" { 事件, expect ... }`:一段会话及其应有的判定(`policyc test`)")
    case .override:
      return .init(
        "`override`: replaces an imported declaration of the same name",
        zh: "`override`:替换导入的同名声明")
    case .source:
      return .init(
        "`source \"FILE\" [dated DATE]`: the rules document this policy states",
        zh: "`source \"文件\" [dated 日期]`:本策略所依据的规则文件")
    case .dated:
      return .init("`dated YYYY-MM-DD`: the date of the source document", zh: "`dated YYYY-MM-DD`:来源文件的日期")
    case .zone:
      return .init(
        "`zone Asia/Shanghai`: the IANA time zone every window, day and period is read in (default UTC)",
        zh: "`zone Asia/Shanghai`:所有时段、日期和周期所用的 IANA 时区(默认 UTC)")
    case .normalize:
      return .init(
        "`normalize OPTION...`: the text normalization steps (default `all`)",
        zh: "`normalize 选项...`:文本规范化步骤(默认 `all`)")
    case .all:
      return .init("`normalize all`: every normalization step", zh: "`normalize all`:全部规范化步骤")
    case .none:
      return .init("`normalize none`: text is matched as written", zh: "`normalize none`:按原文匹配")
    case .nfkc:
      return .init(
        "`nfkc`: Unicode NFKC (`ＡＢＣ１２３` → `ABC123`)", zh: "`nfkc`:Unicode NFKC 规范化(`ＡＢＣ１２３` → `ABC123`)")
    case .casefold:
      return .init(
        "`casefold`: full Unicode case folding (`ＶＸ` → `vx`)", zh: "`casefold`:完整的 Unicode 大小写折叠(`ＶＸ` → `vx`)"
      )
    case .simplified:
      return .init(
        "`simplified`: Traditional characters become Simplified (`支付寶` → `支付宝`)",
        zh: "`simplified`:繁体转简体(`支付寶` → `支付宝`)")
    case .separators:
      return .init(
        "`separators`: separators inside words and numbers are removed (`微 信` → `微信`)",
        zh: "`separators`:删除词语和数字中的分隔符(`微 信` → `微信`)")
    case .digits:
      return .init(
        "`digits`: digit variants and Chinese numeral runs become ASCII digits",
        zh: "`digits`:各种数字写法和中文数字串转为 ASCII 数字")
    case .file:
      return .init(
        "`file \"x.txt\"`: a word list, one entry a line, relative to this file",
        zh: "`file \"x.txt\"`:词表文件,每行一条,路径相对于本文件")
    case .except:
      return .init("`except DATES`: days on which the hours hold no time", zh: "`except 日期表`:该时段不生效的日期")
    case .mon, .tue, .wed, .thu, .fri, .sat, .sun:
      return .init(
        "`\(keyword.spelling)`: a day of the week in an hours window (`mon-fri`)",
        zh: "`\(keyword.spelling)`:时段中的星期(`mon-fri`)")
    case .content:
      return .init(
        "`content`: a clause about what a message says (needs a rule)", zh: "`content`:关于消息内容的条款(需要规则)")
    case .timeline:
      return .init("`timeline`: a clause about reply times (needs a rule)", zh: "`timeline`:关于回复时间的条款(需要规则)")
    case .aggregate:
      return .init(
        "`aggregate`: a clause about rates over many conversations (needs a rule)",
        zh: "`aggregate`:关于多会话比率的条款(需要规则)")
    case .sanction:
      return .init(
        "`sanction`: a clause naming penalties (needs a severity or escalation); in a severity, its penalty",
        zh: "`sanction`:规定处罚的条款(需要处罚等级或升级);在处罚等级中表示处罚措施")
    case .manual:
      return .init(
        "`manual`: a clause or rule only a person can judge (no verdicts)",
        zh: "`manual`:只能由人判断的条款或规则(不产生判定)")
    case .definition:
      return .init(
        "`definition`: a clause that defines terms (needs nothing)", zh: "`definition`:定义术语的条款(无需规则)")
    case .informational:
      return .init(
        "`informational`: a clause for information only (needs nothing)", zh: "`informational`:仅供参考的条款(无需规则)")
    case .within:
      return .init("`within D`: a time limit or window (`within 24h`)", zh: "`within D`:时限或时间窗(`within 24h`)")
    case .to:
      return .init(
        "`to B`: the severity an escalation raises to; `up to N chars`: a length limit",
        zh: "`to B`:升级后的处罚等级;`up to N chars`:长度上限")
    case .chars:
      return .init("`N chars`: a length in characters of normalized text", zh: "`N chars`:规范化文本的字符长度")
    case .when:
      return .init(
        "`when message COND`: a rule decided on each message; `when more than N messages`: a burst",
        zh: "`when message 条件`:逐条消息判定的规则;`when more than N messages`:连发")
    case .message:
      return .init(
        "`message`: a chat message (the unit a message rule looks at)", zh: "`message`:一条聊天消息(消息规则考察的单位)")
    case .and:
      return .init("`and`: both conditions hold (binds tighter than `or`)", zh: "`and`:两个条件都成立(优先于 `or`)")
    case .or:
      return .init("`or`: either condition holds", zh: "`or`:任一条件成立")
    case .not:
      return .init("`not`: the condition does not hold", zh: "`not`:条件不成立")
    case .from:
      return .init("`from [human|auto] ROLE`: who sent the message", zh: "`from [human|auto] 角色`:消息的发送者")
    case .contains:
      return .init(
        "`contains any LIST`, `contains \"term\"`, `contains url`...: the normalized text holds it",
        zh: "`contains any 词表`、`contains \"词\"`、`contains url`...:规范化后的文本含有它")
    case .any:
      return .init("`any LIST`: a term of the list", zh: "`any 词表`:词表中的任一词")
    case .near:
      return .init(
        "`near account within N`: the term is within N characters of an account token (`abc_123`); "
          + "`near any LIST within N`: within N characters of the original text of a term of LIST",
        zh: "`near account within N`:该词与账号串(如 `abc_123`)相距不超过 N 个字符;"
          + "`near any 词表 within N`:与该词表中的词在原文中相距不超过 N 个字符")
    case .account:
      return .init(
        "`account`: a run of 5+ ASCII letters, digits, `_`, `-` (an account id)",
        zh: "`account`:5 个以上 ASCII 字母、数字、`_`、`-` 组成的串(账号)")
    case .at:
      return .init(
        "`at least`/`at most`, and in tests `at N`: the 0-based event index",
        zh: "`at least`/`at most`;测试中 `at N` 为从 0 开始的事件序号")
    case .least:
      return .init("`at least N`: N or more", zh: "`at least N`:不少于 N")
    case .most:
      return .init("`at most N`: N or fewer", zh: "`at most N`:不超过 N")
    case .of:
      return .init(
        "`of`: names a list (`at least 2 of L`), a rule (`rate of R`, `violation of R`) or the events a ratio counts (`rate of event E`)",
        zh: "`of`:指明词表(`at least 2 of L`)、规则(`rate of R`、`violation of R`)或比率计数的事件(`rate of event E`)")
    case .matches:
      return .init(
        "`matches \"pattern\"`: a regular-expression subset, matched without backtracking",
        zh: "`matches \"模式\"`:正则表达式子集,无回溯匹配")
    case .length:
      return .init(
        "`length at most N chars`: the length of the normalized text", zh: "`length at most N chars`:规范化文本的长度"
      )
    case .has:
      return .init(
        "`has attachment [TYPE]`: the message has an attachment", zh: "`has attachment [类型]`:消息带有附件")
    case .attachment:
      return .init(
        "`attachment [TYPE]`: image, file, link, card, video or qr_code",
        zh: "`attachment [类型]`:image、file、link、card、video 或 qr_code")
    case .type:
      return .init(
        "`[not] of type [\".pdf\", \"image/*\"]`: attachments by extension or media type",
        zh: "`[not] of type [\".pdf\", \"image/*\"]`:按扩展名或媒体类型判断附件")
    case .human:
      return .init("`human`: a message that is not `auto`", zh: "`human`:非自动发送的消息")
    case .auto:
      return .init(
        "`auto`: a message sent automatically (`\"auto\": true`)", zh: "`auto`:自动发送的消息(`\"auto\": true`)")
    case .buyer:
      return .init("`buyer`: the customer", zh: "`buyer`:买家")
    case .seller:
      return .init("`seller`: the shop's customer-service agent", zh: "`seller`:店铺客服")
    case .platform:
      return .init("`platform`: the marketplace itself", zh: "`platform`:平台方")
    case .system:
      return .init("`system`: system messages", zh: "`system`:系统消息")
    case .url:
      return .init(
        "`url [outside DOMAINS]`: a link or host name in the text", zh: "`url [outside 域名表]`:文本中的链接或域名")
    case .outside:
      return .init(
        "`outside DOMAINS`: only URLs whose host the domains list does not admit",
        zh: "`outside 域名表`:只算主机不在域名表中的链接")
    case .email:
      return .init("`email`: an e-mail address in the text", zh: "`email`:文本中的电子邮件地址")
    case .phone:
      return .init(
        "`phone`: a Chinese mobile, landline or 400/800 number; `phone in [us, sg, my, ph, tw, intl]`: "
          + "numbers of those plans",
        zh: "`phone`:中国手机号、固话或 400/800 号码;`phone in [us, sg, my, ph, tw, intl]`:这些区域的号码")
    case .in:
      return .init(
        "`in [PLANS]`: the numbering plans of `phone` (`cn`, `us`, `sg`, `my`, `ph`, `tw`, `intl`)",
        zh: "`in [区域]`:`phone` 的号码区域(`cn`、`us`、`sg`、`my`、`ph`、`tw`、`intl`)")
    case .bankCard:
      return .init(
        "`bank_card`: a 13-19 digit number passing the Luhn check, read in context",
        zh: "`bank_card`:通过 Luhn 校验的 13-19 位数字,结合上下文判断")
    case .qrCode:
      return .init("`qr_code`: an attachment that is a QR code", zh: "`qr_code`:二维码附件")
    case .address:
      return .init(
        "`address`: a Chinese street address, from its province, city or road down to its house number",
        zh: "`address`:中国街道地址,从省、市或道路到门牌号")
    case .after:
      return .init(
        "`after buyer says any LIST`: while a buyer's stop request holds",
        zh: "`after buyer says any 词表`:买家要求停止联系期间")
    case .says:
      return .init(
        "`says any LIST`: the buyer's message holds a term of the list", zh: "`says any 词表`:买家消息含有词表中的词")
    case .allow:
      return .init(
        "`allow reply within D ...`: one reply excused after a stop request",
        zh: "`allow reply within D ...`:停止请求后允许的一次回复")
    case .reply:
      return .init(
        "`reply`: any seller message; `human reply`: one that is not `auto`",
        zh: "`reply`:卖家的任何消息;`human reply`:非自动的消息")
    case .up:
      return .init("`up to N chars`: at most that long", zh: "`up to N chars`:不超过该长度")
    case .containing:
      return .init(
        "`containing any LIST`: the reply holds a term of the list", zh: "`containing any 词表`:回复含有词表中的词")
    case .more:
      return .init("`more than N`: strictly more", zh: "`more than N`:严格多于 N")
    case .than:
      return .init("`than`: in `more than N`", zh: "`than`:用于 `more than N`")
    case .messages:
      return .init("`messages`: in a burst, the messages counted", zh: "`messages`:连发规则计数的消息")
    case .events:
      return .init(
        "`events`: in a history count, the non-message events counted (`at least 2 events order_cancelled`)",
        zh: "`events`:历史计数中计数的非消息事件(`at least 2 events order_cancelled`)")
    case .without:
      return .init(
        "`without message from S`: no message from S in between", zh: "`without message from S`:期间没有 S 的消息")
    case .first:
      return .init(
        "`within D after first H without Y`: from the first H since the latest Y, not the latest H",
        zh: "`within D after first H without Y`:从最近一次 Y 之后的第一个 H 起算,而非最近的 H")
    case .idle:
      return .init(
        "`after D idle`: the conversation's first event, or one more than D after the previous event of any party",
        zh: "`after D idle`:会话的第一个事件,或距上一个事件(任何一方)超过 D 的事件")
    case .unanswered:
      return .init(
        "`unanswered`: a buyer message is waiting: no seller message since it",
        zh: "`unanswered`:有买家消息尚未回复:其后没有卖家消息")
    case .proactive:
      return .init(
        "`proactive`: a seller message with no buyer message before it in the conversation",
        zh: "`proactive`:会话中此前没有买家消息的卖家消息(主动联系)")
    case .answered:
      return .init(
        "`answered within D`: a seller message at most D after the first buyer message it answers",
        zh: "`answered within D`:距其回复的第一条买家消息不超过 D 的卖家消息")
    case .every:
      return .init(
        "`every TRIGGER expect RESPONSE within D`: an obligation opened by each trigger",
        zh: "`every 触发 expect 响应 within D`:每次触发都开启一项义务")
    case .during:
      return .init("`during HOURS`: only inside that window", zh: "`during 时段`:仅在该时段内")
    case .expect:
      return .init(
        "`expect RESPONSE within D`; in tests, `expect [no] violation ...`",
        zh: "`expect 响应 within D`;测试中为 `expect [no] violation ...`")
    case .if:
      return .init(
        "`within L if during H`: a limit that applies when the obligation opens inside H",
        zh: "`within L if during H`:义务在 H 内开启时适用的时限")
    case .counting:
      return .init(
        "`counting only during H`: the clock runs only inside H", zh: "`counting only during H`:只在 H 内计时")
    case .only:
      return .init("`only`: in `counting only during H`", zh: "`only`:用于 `counting only during H`")
    case .event:
      return .init(
        "`event NAME`: a non-message event (`refund_requested`)", zh: "`event 名称`:非消息事件(如 `refund_requested`)"
      )
    case .rate:
      return .init(
        "`rate of RULE per UNIT over PERIOD at least P`: a rate over many conversations",
        zh: "`rate of 规则 per 单位 over 周期 at least P`:多会话比率")
    case .per:
      return .init(
        "`per message`, `per buyer day`, `per conversation`: the unit a rate counts; `per event E`, `per message C`: what a count ratio divides by",
        zh: "`per message`、`per buyer day`、`per conversation`:比率计数的单位;`per event E`、`per message C`:计数比率的除数")
    case .over:
      return .init(
        "`over day`, `over month`, `over rolling D`: the period a rate judges",
        zh: "`over day`、`over month`、`over rolling D`:比率评判的周期")
    case .day:
      return .init("`day`: a local calendar day in the policy's zone", zh: "`day`:策略时区的自然日")
    case .month:
      return .init("`month`: a local calendar month", zh: "`month`:自然月")
    case .rolling:
      return .init(
        "`rolling D`: consecutive spans of D from 1970-01-01 local time",
        zh: "`rolling D`:从本地时间 1970-01-01 起连续的 D 长时段")
    case .last:
      return .init(
        "`last D`: a sliding window of D whole days, judged for the D local days ending with each day",
        zh: "`last D`:D 个整天的滑动窗口,对以每一天结束的 D 个本地日期进行判断")
    case .less:
      return .init(
        "`less than P`: a rate's share must be strictly below P", zh: "`less than P`:比率必须严格低于 P")
    case .conversation:
      return .init("`conversation`: one chat between a shop and a buyer", zh: "`conversation`:店铺与买家之间的一次会话")
    case .as:
      return .init("`as of [DATE] TIME`: the moment a test is judged at", zh: "`as of [日期] 时刻`:测试的评判时刻")
    case .with:
      return .init(
        "`with TYPE [qr] [\"url\"]`: an attachment of a test message", zh: "`with 类型 [qr] [\"url\"]`:测试消息的附件")
    case .qr:
      return .init("`qr`: the attachment is a QR code", zh: "`qr`:附件是二维码")
    case .no:
      return .init("`expect no violation`: the rule must not fire", zh: "`expect no violation`:规则不应触发")
    case .violation:
      return .init(
        "`expect violation [of RULE] [at N] [matching \"text\"]`: a verdict the test needs",
        zh: "`expect violation [of 规则] [at N] [matching \"文本\"]`:测试要求的判定")
    case .matching:
      return .init(
        "`matching \"text\"`: the verdict's evidence holds this text", zh: "`matching \"文本\"`:判定的证据包含该文本")
    case .name:
      return .init(
        "`with file name \"invoice.pdf\"`: a test attachment's file name",
        zh: "`with file name \"invoice.pdf\"`:测试附件的文件名")
    case .mime:
      return .init(
        "`with file mime \"application/pdf\"`: a test attachment's media type",
        zh: "`with file mime \"application/pdf\"`:测试附件的媒体类型")
    }
  }
}
