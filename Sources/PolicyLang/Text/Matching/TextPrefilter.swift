// A test, before normalization, that rules out texts in which nothing can match: most chat
// messages hold no term, no contact detail and no link, and normalizing them is most of the cost
// of matching (issue 9). The test reads the UTF-8 bytes once with one table load per scalar and
// answers "may match" for every text that could match (never the other way round); the full
// path then decides. Hyperscan and YARA-X do the same with literal prefilters before their
// engines.
//
// Why it is sound: without a scalar the table marks `full` (one that maps to several scalars or
// none, may compose, is a Chinese numeral while some term holds a digit, or is beyond U+1FFFF),
// every normalized scalar is the one-scalar mapping of one original scalar, in order, and the
// scalars normalization removes are separators and invisible characters. So two scalars adjacent
// in the normalized text are adjacent in the sequence of mapped scalars with separators and
// invisible characters skipped. Every term of two scalars or more is watched through one of its
// adjacent pairs (any pair will do: a match holds all of them), and the others by their first
// scalar; the detectors by their necessary conditions, computed on mapped scalars (an address by
// the pairs of a road suffix and the first digit of its house number, watched like a term's).

/// Rules out, from the UTF-8 bytes alone, texts in which no term, detector or pattern can match.
///
/// The scan costs one table load per scalar: this prefilter's own table (`entries`) folds the
/// shared per-options table, the watch flags of its terms and its detector conditions into one
/// word per scalar, so the loop tests a few bits and rarely branches away. What the loop carries
/// from one scalar to the next (a watched first scalar, a URL's dot or `:`) is a mask of the
/// `Entry` bits that decide on the next scalar (`pending`).
struct TextPrefilter: Sendable {
  /// Per scalar below `tableLimit`: the mapped scalar in bits 0-20, then `Entry` flags.
  private let entries: [UInt32]
  /// The watched pairs, as `first << 21 | second` of mapped scalars.
  private let pairs: PairSet
  /// A phone or bank card needs this many digits (`Int.max`: no digit detector).
  private let minimumDigits: Int
  /// False when the request holds a pattern (patterns have no watched pairs): every text goes
  /// the full path.
  let isEnabled: Bool

  /// Scalars at and beyond this value always go the full path (they are rare in chats; the
  /// table then covers the BMP and the emoji plane).
  static let tableLimit: UInt32 = 0x2_0000

  /// Flags of the shared per-options table (`BaseTable`).
  enum Bit {
    static let symbol: UInt32 = 0x1F_FFFF
    /// Removed by the separator pass (when it runs): skipped between the scalars of a pair.
    static let skip: UInt32 = 1 << 21
    /// The mapping is not one scalar (or may compose): the text goes the full path.
    static let full: UInt32 = 1 << 22
    /// An ASCII digit, or a Chinese numeral that may become one.
    static let digit: UInt32 = 1 << 23
    /// `.`, `。` or `．`: a URL's dot.
    static let dot: UInt32 = 1 << 24
    /// An ASCII letter or digit: a label may start with it.
    static let alphanumeric: UInt32 = 1 << 25
    static let colon: UInt32 = 1 << 26
    static let slash: UInt32 = 1 << 27
    /// `@`: an e-mail address may be here.
    static let at: UInt32 = 1 << 28
    /// A Chinese numeral (it may become an ASCII digit).
    static let numeral: UInt32 = 1 << 29
  }

  /// Flags of this prefilter's table (`entries`). Each "after" flag is its "before" flag shifted
  /// by `Entry.shift`, so the mask of conditions for the next scalar is one shift of the entry.
  enum Entry {
    /// The first scalar of a watched pair.
    static let first: UInt32 = 1 << 21
    /// A URL's dot (`.`, `。`, `．`), when URLs are detected.
    static let dot: UInt32 = 1 << 22
    /// A scheme's `:`, when URLs are detected.
    static let colon: UInt32 = 1 << 23
    /// The second scalar of a watched pair (after a `first`: look the pair up).
    static let second: UInt32 = 1 << 24
    /// An ASCII letter or digit (after a `dot`: a host may be here).
    static let alphanumeric: UInt32 = 1 << 25
    /// `/` (after a `colon`: a scheme may be here).
    static let slash: UInt32 = 1 << 26
    /// Removed by the separator pass: the scalars around it may still form a pair or a URL.
    static let skip: UInt32 = 1 << 27
    /// The text goes the full path: the mapping is not one scalar, or the scalar starts a
    /// watched single-scalar term, or it is an `@` (e-mail) or a numeral that a digit term needs.
    static let full: UInt32 = 1 << 28
    /// Counts toward the digits a phone or bank card needs.
    static let digit: UInt32 = 1 << 29
    /// The flags that start a condition on the next scalar.
    static let sources: UInt32 = first | dot | colon
    static let shift: UInt32 = 3
  }

  /// Flags of the watch table built per term set.
  private enum Watch {
    static let first: UInt8 = 1
    static let second: UInt8 = 2
    /// A term of one scalar (or without a pair to watch) starts with it.
    static let single: UInt8 = 4
  }

  /// A prefilter for terms (normalized scalars) and detectors; `hasPatterns` disables it.
  init(
    normalizer: Normalizer, terms: [[UInt32]], detectEmail: Bool, detectPhone: Bool,
    detectBankCard: Bool, detectURLs: Bool, detectAddress: Bool, hasPatterns: Bool,
    minimumPhoneDigits: Int = 10
  ) {
    let options = normalizer.options
    let tables = TextTables.shared
    let skips = options.contains(.separators)
    func isSkipped(_ scalar: UInt32) -> Bool {
      guard skips else { return false }
      let kind = tables.scalarClass(scalar)
      return kind == .separator || kind == .invisible
    }
    var watch = [UInt8](repeating: 0, count: Int(Self.tableLimit))
    var chosen: [UInt64] = []
    var digitTerms = false
    let isASCIIDigit = { (v: UInt32) in v >= 0x30 && v <= 0x39 }
    for term in terms where !term.isEmpty {
      var best: (score: Int, first: UInt32, second: UInt32)?
      for k in 0..<(term.count - 1) where !isSkipped(term[k]) && !isSkipped(term[k + 1]) {
        let score = Self.commonness(term[k]) + Self.commonness(term[k + 1])
        if best.map({ score < $0.score }) ?? true { best = (score, term[k], term[k + 1]) }
      }
      if let best {
        chosen.append(UInt64(best.first) << 21 | UInt64(best.second))
        // Scalars beyond the table never reach the pair check: such texts go the full path.
        if best.first < Self.tableLimit { watch[Int(best.first)] |= Watch.first }
        if best.second < Self.tableLimit { watch[Int(best.second)] |= Watch.second }
        if isASCIIDigit(best.first) || isASCIIDigit(best.second) { digitTerms = true }
      } else {
        if term[0] < Self.tableLimit { watch[Int(term[0])] |= Watch.single }
        if isASCIIDigit(term[0]) { digitTerms = true }
      }
    }
    if detectAddress {
      // Numerals are among the pairs' second scalars, so they need not go the full path.
      for (first, second) in AddressDetector.watchedPairs {
        guard first < Self.tableLimit, second < Self.tableLimit else { continue }
        chosen.append(UInt64(first) << 21 | UInt64(second))
        watch[Int(first)] |= Watch.first
        watch[Int(second)] |= Watch.second
      }
    }
    // A term digit may come from a Chinese numeral: numerals then go the full path.
    let fullMask =
      Bit.full | (detectEmail ? Bit.at : 0)
      | (options.contains(.digits) && digitTerms ? Bit.numeral : 0)
    entries = Self.entries(
      base: BaseTable.shared(for: options).entries, watch: watch, fullMask: fullMask,
      watchesURLs: detectURLs)
    pairs = PairSet(chosen)
    minimumDigits = detectPhone ? minimumPhoneDigits : detectBankCard ? 13 : Int.max
    isEnabled = !hasPatterns
  }

  /// This prefilter's table: the shared table's entries with the term watch flags and the
  /// detector conditions folded in.
  private static func entries(
    base: [UInt32], watch: [UInt8], fullMask: UInt32, watchesURLs: Bool
  ) -> [UInt32] {
    var entries = [UInt32](repeating: Entry.full, count: Int(tableLimit))
    for v in 0..<min(entries.count, base.count) {
      let b = base[v]
      guard b & fullMask == 0 else { continue }
      let symbol = b & Bit.symbol
      // The base table keeps only mappings below its limit, so `symbol` indexes `watch`.
      let watched = Int(symbol) < watch.count ? watch[Int(symbol)] : Watch.single
      guard watched & Watch.single == 0 else { continue }
      var entry = symbol
      if b & Bit.skip != 0 {
        entry |= Entry.skip
      } else {
        if watched & Watch.first != 0 { entry |= Entry.first }
        if watched & Watch.second != 0 { entry |= Entry.second }
      }
      if b & Bit.digit != 0 { entry |= Entry.digit }
      if watchesURLs {
        if b & Bit.dot != 0 { entry |= Entry.dot }
        if b & Bit.colon != 0 { entry |= Entry.colon }
        if b & Bit.alphanumeric != 0 { entry |= Entry.alphanumeric }
        if b & Bit.slash != 0 { entry |= Entry.slash }
      }
      entries[v] = entry
    }
    return entries
  }

  /// Whether something may match in `bytes` (always true when disabled or for invalid UTF-8).
  func mayMatch(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard isEnabled else { return true }
    guard let base = bytes.baseAddress else { return false }
    let minimumDigits = self.minimumDigits
    return entries.withUnsafeBufferPointer { table in
      let limit = UInt32(truncatingIfNeeded: table.count)
      // The table covers ASCII and every three-byte scalar (it is built with `tableLimit` entries).
      guard limit > 0xFFFF else { return true }
      // Positions use wrapping arithmetic: they stay within `0...count`, so the overflow checks
      // of `+` would only cost instructions on every scalar.
      var position = 0
      let count = bytes.count
      var digits = 0
      // The entry of the previous kept scalar (its mapped scalar in `Bit.symbol`).
      var previous: UInt32 = 0
      // The `Entry` flags (`second`, `alphanumeric`, `slash`) that decide on the next kept scalar.
      var pending: UInt32 = 0
      while position < count {
        let word = UTF8Word.load(base, at: position, count: count)
        let entry: UInt32
        // ASCII and three-byte scalars are below `tableLimit` (checked once, at the top), so only
        // the general decoder's scalars are checked against it.
        if word & 0x80 == 0 {
          entry = table[Int(word & 0x7F)]
          position &+= 1
        } else if word & UTF8Word.threeByteMask == UTF8Word.threeBytePattern,
          case let scalar = UTF8Word.threeByteScalar(word), scalar >= 0x800
        {
          // Chinese text is almost all three-byte sequences: checked and decoded from the word.
          // Surrogates are `full` in the table.
          entry = table[Int(scalar)]
          position &+= 3
        } else {
          let (decoded, length) = Normalizer.decode(bytes, at: position)
          // An invalid byte reads as U+FFFD of length 1; the full path repairs it.
          if length == 1 { return true }
          guard decoded < limit else { return true }
          entry = table[Int(decoded)]
          position &+= length
        }
        let hit = entry & pending
        if hit != 0 {
          if hit & (Entry.alphanumeric | Entry.slash) != 0 { return true }
          if pairs.contains(UInt64(previous & Bit.symbol) << 21 | UInt64(entry & Bit.symbol)) { return true }
        }
        if entry & (Entry.full | Entry.digit | Entry.skip) != 0 {
          if entry & Entry.full != 0 { return true }
          if entry & Entry.digit != 0 {
            digits &+= 1
            if digits >= minimumDigits { return true }
          }
          if entry & Entry.skip != 0 {
            // A removed scalar keeps what the previous kept scalar started (a dot may be one).
            pending |= (entry & (Entry.dot | Entry.colon)) << Entry.shift
            continue
          }
        }
        pending = (entry & Entry.sources) << Entry.shift
        previous = entry
      }
      return false
    }
  }

  /// The term-independent table: each scalar's one-scalar mapping (from the normalizer's
  /// `ScalarMap`) and its classes, built once per set of options.
  final class BaseTable: Sendable {
    let entries: [UInt32]

    private init(options: NormalizationOptions) {
      let map = ScalarMap.shared(for: options).entries
      var table = [UInt32](repeating: Bit.full, count: Int(tableLimit))
      for v in table.indices where v < map.count {
        let mapped = map[v]
        guard mapped & ScalarMap.Bit.general == 0 else { continue }
        let symbol = mapped & ScalarMap.Bit.symbol
        var entry = symbol
        if mapped & ScalarMap.Bit.removable != 0 { entry |= Bit.skip }
        if symbol >= 0x30 && symbol <= 0x39 { entry |= Bit.digit }
        if options.contains(.digits), SeparatorPass.isNumeral(symbol) { entry |= Bit.digit | Bit.numeral }
        switch symbol {
        case 0x2E, 0x3002, 0xFF0E: entry |= Bit.dot
        case 0x3A: entry |= Bit.colon
        case 0x2F: entry |= Bit.slash
        case 0x40: entry |= Bit.at
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: entry |= Bit.alphanumeric
        default: break
        }
        table[v] = entry
      }
      entries = table
    }

    private static let cache = PerOptions { BaseTable(options: $0) }

    /// The shared table for `options`.
    static func shared(for options: NormalizationOptions) -> BaseTable { cache.value(for: options) }
  }

  /// How common a scalar is in chat text (lower is rarer), to watch each term through its
  /// rarest pair. A heuristic: it changes how often the full path runs, never what matches.
  static func commonness(_ scalar: UInt32) -> Int {
    if scalar < 0x80 { return 1 }
    guard let character = Unicode.Scalar(scalar) else { return 0 }
    if functionCharacters.contains(character) { return 3 }
    return commonCharacters.contains(character) ? 1 : 0
  }

  /// Particles, pronouns and the politeness of chat: in almost every message.
  private static let functionCharacters: Set<Unicode.Scalar> = Set(
    "的了是不我你他她它们这那个么什怎吗呢吧啊哦呀嗯有在就也都还和很会要能可以好亲您请一下上到说给吗"
      .unicodeScalars)

  /// The most frequent Chinese characters of everyday and customer-service text.
  private static let commonCharacters: Set<Unicode.Scalar> = Set(
    ("的一是不了在人有我他这个们中来上大为和到以说时要就出会可也你对生能子那得于着下自之"
      + "过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样"
      + "理心本前开但因只从想实日者意无力它与长把机十第公此已工使情明性知全三又关点正业外将两高间"
      + "由问很最重并物手应向头文体新己制身果加月话合回特代内信表化老给位次度门任常先海通教儿原东"
      + "声提立及比员解水名真论处走义各入几口认条平系气题活更别打女变四神总何电数安少报才结反受目"
      + "太量再感建务做接必场件计管期市直资命山金指许统区保至队形社便空决治展马科司五基眼书非则听"
      + "白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领"
      + "共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元士证近"
      + "失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离"
      + "况请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾"
      + "除农找装广显吧李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希"
      + "古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续"
      + "施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止"
      + "细愿千值仍男钱破网热助倒育属坐限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚"
      + "兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢"
      + "您哦啊呀嗯亲谢哈吧嘛啦货退款订物递收到换运单客服售后品质发")
      .unicodeScalars)
}

/// A set of 64-bit keys by open addressing: one multiply and usually one probe per lookup (a
/// `Set<UInt64>` hashes with SipHash, several times slower on this path).
struct PairSet: Sendable {
  private let slots: [UInt64]
  private let shift: UInt64
  private static let empty = UInt64.max

  init(_ keys: [UInt64]) {
    var capacity = 16
    while capacity < keys.count * 2 { capacity *= 2 }
    var slots = [UInt64](repeating: Self.empty, count: capacity)
    let shift = UInt64(64 - capacity.trailingZeroBitCount)
    for key in keys {
      var index = Self.index(key, shift)
      while slots[index] != Self.empty && slots[index] != key { index = (index + 1) & (capacity - 1) }
      slots[index] = key
    }
    self.slots = slots
    self.shift = shift
  }

  @inline(__always)
  private static func index(_ key: UInt64, _ shift: UInt64) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
  }

  @inline(__always)
  func contains(_ key: UInt64) -> Bool {
    slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      var index = Self.index(key, shift)
      while true {
        let slot = slots[index]
        if slot == key { return true }
        if slot == Self.empty { return false }
        index = (index + 1) & mask
      }
    }
  }
}
