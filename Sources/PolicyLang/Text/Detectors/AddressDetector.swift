/// The `address` detector (Grammar.md 5.2): a Chinese street address, found by its house number
/// and reported from the first place name it can attribute to the address to the end of the number.
///
/// An address is
/// - optionally, a chain of administrative parts, each a name and a suffix: `省 市 区 县 镇 乡`
///   (and `自治区 自治州 自治县 新区 开发区`): `广东省广州市白云区`;
/// - a road: a name of at least two Chinese characters and `路 街 巷 大道 大街 胡同`, optionally a
///   section (`信义路五段`);
/// - a house number: 1-5 ASCII digits (optionally `-` and 1-4 more) and `号`, or `弄` with an
///   optional `N号` after it (`123弄4号`);
/// - optionally, building, floor and room parts: `号院`, `3栋`, `A座`, `1203室`, `三楼`, `B1-05铺`.
///
/// The road and the house number are required: `广州市白云区` alone is a place, not an address,
/// and `3号` alone is a date. Normalization has already folded Traditional script (`號 區 廣`),
/// full-width digits and removed separators (`机场路 88 号`).
///
/// Where a name starts is decided without a gazetteer of streets. An administrative part ending in
/// a known province or city name takes it (`石家庄市`). Otherwise a name runs back from its suffix
/// over Chinese characters: to the previous part's suffix, a scalar that is not Chinese or a
/// removed separator, it is all it ran over; to a character that ends the words before an address
/// (`在 是 于 到 址` ...) or the start of the text, all it ran over if at most three characters;
/// else its last two characters (three for a road name ending in a direction, `中山北路`). So
/// `我们实体店在广州市白云区机场路88号` reports `广州市白云区机场路88号`.
public enum AddressDetector {
  /// The addresses of `text`, in order, without overlaps.
  public static func find(in text: NormalizedText) -> [TextEvidence] {
    let s = text.scalars
    var out: [TextEvidence] = []
    var nextFree = 0
    var i = 0
    while i < s.count {
      guard TextClass.isASCIIDigit(s[i]), i > 0, !TextClass.isASCIIAlnum(s[i - 1]) else {
        i += 1
        continue
      }
      guard let number = houseNumber(at: i, in: text) else {
        i += 1
        continue
      }
      guard let road = roadStart(before: i, in: text), road >= nextFree else {
        i = number
        continue
      }
      let start = administrativeStart(before: road, notBefore: nextFree, in: text)
      let end = units(after: number, in: text)
      out.append(TextEvidence(kind: .address, normalized: start..<end, in: text))
      nextFree = end
      i = end
    }
    return out
  }

  /// The pairs of mapped scalars of which every address holds one, for the prefilter: a road
  /// suffix's last character (or `段`), then a digit or a Chinese numeral (a run of four numerals
  /// becomes digits). Built once: each matcher's prefilter adds them, and tests build many.
  static let watchedPairs: [(UInt32, UInt32)] = {
    var digits: [UInt32] = Array(0x30...0x39)
    for v in UInt32(0x3007)...UInt32(0x96F6) where SeparatorPass.isNumeral(v) { digits.append(v) }
    let lasts: [UInt32] = [0x8DEF, 0x8857, 0x5DF7, 0x9053, 0x540C, 0x6BB5]  // 路 街 巷 道 同 段
    return lasts.flatMap { last in digits.map { (last, $0) } }
  }()

  // MARK: The house number

  /// The end of the house number whose digits start at `i` (`88号`, `12-3号`, `123弄`,
  /// `123弄4号`), or nil.
  private static func houseNumber(at i: Int, in text: NormalizedText) -> Int? {
    let s = text.scalars
    var j = digitsEnd(from: i, in: s, atMost: 5)
    guard j > i else { return nil }
    if j + 1 < s.count, s[j] == 0x2D, TextClass.isASCIIDigit(s[j + 1]) {
      let more = digitsEnd(from: j + 1, in: s, atMost: 4)
      guard more > j + 1 else { return nil }
      j = more
    }
    guard j < s.count else { return nil }
    if s[j] == Han.hao { return j + 1 }
    guard s[j] == Han.nong else { return nil }
    // A lane (`123弄`), and the house in it when one follows (`123弄4号`).
    let house = digitsEnd(from: j + 1, in: s, atMost: 5)
    if house > j + 1, house < s.count, s[house] == Han.hao, isJoined(j + 1, in: text) {
      return house + 1
    }
    return j + 1
  }

  /// The end of the ASCII digits from `i`, or `i` when there are none or more than `atMost`.
  private static func digitsEnd(from i: Int, in s: [UInt32], atMost: Int) -> Int {
    var j = i
    while j < s.count, TextClass.isASCIIDigit(s[j]) { j += 1 }
    return j - i <= atMost ? j : i
  }

  /// The end of the building, floor and room parts after a house number ending at `end`.
  private static func units(after end: Int, in text: NormalizedText) -> Int {
    let s = text.scalars
    var end = end
    if end < s.count, Han.buildingAfterNumber.contains(s[end]), isJoined(end, in: text) {
      end += 1
    }
    for _ in 0..<4 {
      guard end < s.count, isJoined(end, in: text) else { break }
      var j = end
      if TextClass.isASCIIAlnum(s[j]) {
        while j < s.count, j - end < 8, TextClass.isASCIIAlnum(s[j]) || s[j] == 0x2D { j += 1 }
      } else {
        while j < s.count, j - end < 3, Han.numerals.contains(s[j]) { j += 1 }
      }
      guard j > end, j < s.count else { break }
      if Han.units.contains(s[j]) {
        end = j + 1
        // `3号楼`: the building number and its word.
        if s[j] == Han.hao, end < s.count, Han.buildingAfterNumber.contains(s[end]) { end += 1 }
      } else if j + 1 < s.count, s[j] == Han.dan, s[j + 1] == Han.yuan {
        end = j + 2
      } else {
        break
      }
    }
    return end
  }

  /// Whether normalized scalar `i` follows the one before it with nothing removed in between but
  /// white space and invisible characters (`88号 3栋` is one address; `88号，3号发货` is an
  /// address and a date).
  private static func isJoined(_ i: Int, in text: NormalizedText) -> Bool {
    guard text.gap(before: i) > 0 else { return true }
    guard i > 0, i < text.count else { return false }
    let lo = Int(text.originEnd[i - 1])
    let hi = Int(text.originStart[i])
    guard lo <= hi, hi <= text.original.count else { return false }
    return text.original[lo..<hi].allSatisfy {
      $0 == 0x20 || $0 == 0x3000 || $0 == 0x09 || TextTables.shared.scalarClass($0) == .invisible
    }
  }

  // MARK: The road

  /// The start of the road whose suffix (or section) ends just before normalized index `i`, or nil.
  private static func roadStart(before i: Int, in text: NormalizedText) -> Int? {
    let s = text.scalars
    guard isJoined(i, in: text) else { return nil }
    var suffixEnd = i
    // A section: `信义路五段7号`, `人民南路3段8号`.
    if suffixEnd > 0, s[suffixEnd - 1] == Han.duan {
      let duan = suffixEnd - 1
      var k = duan
      while k > 0, duan - k < 2, isSectionNumber(s[k - 1]) { k -= 1 }
      guard k < duan else { return nil }
      suffixEnd = k
    }
    guard let suffix = Han.roadSuffixes.first(where: { ends(s, at: suffixEnd, with: $0) }) else { return nil }
    let nameEnd = suffixEnd - suffix.count
    let name = placeName(endingAt: nameEnd, in: text, longest: 6, keepsThree: Han.directions.contains)
    guard nameEnd - name >= 2 else { return nil }
    return name
  }

  /// A digit or Chinese numeral of a road section (`五段`, `3段`).
  private static func isSectionNumber(_ v: UInt32) -> Bool {
    TextClass.isASCIIDigit(v) || Han.numerals.contains(v)
  }

  // MARK: Administrative parts

  /// The start of the chain of administrative parts just before `road` (`road` itself when none),
  /// not before `floor` (the end of the previous address). A chain has at most six parts, as a
  /// full address from the province to the town has, so a text of nothing but place names cannot
  /// make each house number walk back over all of them.
  private static func administrativeStart(
    before road: Int, notBefore floor: Int, in text: NormalizedText
  ) -> Int {
    let s = text.scalars
    var start = road
    var parts = 0
    while start > floor, parts < 6 {
      var found: Int?
      for suffix in Han.administrativeSuffixes where ends(s, at: start, with: suffix) {
        let nameEnd = start - suffix.count
        let name = placeName(endingAt: nameEnd, in: text, longest: 5, looksUpKnownNames: true)
        if nameEnd - name >= 2 {
          found = name
          break
        }
      }
      guard let next = found, next >= floor else { break }
      start = next
      parts += 1
    }
    return start
  }

  // MARK: Names

  /// Where the place name ending at `end` starts (see the type's documentation), running back at
  /// most `longest` characters. `keepsThree` says, from a name's last character, whether an
  /// undelimited name keeps three characters rather than two; `looksUpKnownNames` tries the
  /// province and city names first.
  private static func placeName(
    endingAt end: Int, in text: NormalizedText, longest: Int,
    keepsThree: (UInt32) -> Bool = { _ in false }, looksUpKnownNames: Bool = false
  ) -> Int {
    let s = text.scalars
    guard end > 0, end <= s.count else { return end }
    if looksUpKnownNames, let known = knownName(endingAt: end, in: s) { return known }
    var k = end
    var delimited = false
    while k > 0, end - k < longest {
      let v = s[k - 1]
      if !isHan(v) || Han.administrativeLast.contains(v) {
        delimited = true
        break
      }
      if Han.stops.contains(v) { break }
      k -= 1
      if text.gap(before: k) > 0 {
        delimited = true
        break
      }
    }
    let length = end - k
    if delimited || (length <= 3 && (k == 0 || Han.stops.contains(s[k - 1]))) { return k }
    let keep = keepsThree(s[end - 1]) ? 3 : 2
    return end - min(length, keep)
  }

  /// The start of the longest known province or city name ending at `end`.
  private static func knownName(endingAt end: Int, in s: [UInt32]) -> Int? {
    for name in Han.knownNames where name.count <= end && ends(s, at: end, with: name) {
      return end - name.count
    }
    return nil
  }

  private static func ends(_ s: [UInt32], at end: Int, with word: [UInt32]) -> Bool {
    guard word.count <= end, end <= s.count else { return false }
    return zip(s[(end - word.count)..<end], word).allSatisfy { $0 == $1 }
  }

  private static func isHan(_ v: UInt32) -> Bool {
    TextTables.shared.scalarClass(v) == .ideographic
  }
}

/// The Chinese characters and words the address detector knows, as normalized (Simplified) scalars.
private enum Han {
  static let hao: UInt32 = 0x53F7  // 号
  static let nong: UInt32 = 0x5F04  // 弄
  static let duan: UInt32 = 0x6BB5  // 段
  static let dan: UInt32 = 0x5355  // 单 (单元)
  static let yuan: UInt32 = 0x5143  // 元

  /// Road suffixes, longest first.
  static let roadSuffixes: [[UInt32]] = ["大道", "大街", "胡同", "路", "街", "巷"].map(scalars)
  /// Administrative suffixes, longest first; a longer one whose name is too short gives way to
  /// the next (`高新区` is the name `高新` and `区`).
  static let administrativeSuffixes: [[UInt32]] =
    ["自治区", "自治州", "自治县", "开发区", "新区", "省", "市", "区", "县", "镇", "乡"].map(scalars)
  /// The last characters of administrative suffixes: a name never runs back across one. `州` is
  /// left out: roads are named after cities (`杭州路`), and `自治州` is matched as a word.
  static let administrativeLast: Set<UInt32> = Set("省市区县镇乡".unicodeScalars.map(\.value))
  /// After `号` as one word: `号院`, `号楼`, `号铺`.
  static let buildingAfterNumber: Set<UInt32> = Set("院楼铺".unicodeScalars.map(\.value))
  /// Building, floor and room words after a number: `3栋`, `A座`, `1203室`, `2楼`, `B1-05铺`.
  static let units: Set<UInt32> = Set("栋幢座楼层室号铺档".unicodeScalars.map(\.value))
  static let numerals: Set<UInt32> = Set("一二三四五六七八九十".unicodeScalars.map(\.value))
  /// A road name ending in a direction keeps three characters when undelimited (`中山北路`).
  static let directions: Set<UInt32> = Set("东西南北中".unicodeScalars.map(\.value))
  /// Characters that end the words before an address and are rare in place names: prepositions,
  /// verbs of going and giving, pronouns, particles (`地址在`, `位于`, `请到`, `就是`).
  static let stops: Set<UInt32> = Set(
    "在是于到址就为我们的店去往至请您你他她它这了着过吧呢吗啊哦呀嘛还很给把被让叫找住看逛与或".unicodeScalars.map(\.value))
  /// Province-level names and the prefecture-level city names of three or more characters (two
  /// characters are the default), longest first, so an undelimited name is cut where it starts.
  static let knownNames: [[UInt32]] = [
    "新疆维吾尔", "广西壮族", "宁夏回族",
    "呼和浩特", "乌鲁木齐", "齐齐哈尔", "鄂尔多斯", "呼伦贝尔", "巴彦淖尔", "乌兰察布", "克拉玛依", "西双版纳",
    "黑龙江", "内蒙古", "石家庄", "张家口", "秦皇岛", "哈尔滨", "牡丹江", "佳木斯", "七台河", "双鸭山",
    "葫芦岛", "连云港", "马鞍山", "景德镇", "平顶山", "驻马店", "三门峡", "张家界", "防城港", "六盘水",
    "攀枝花", "日喀则", "嘉峪关", "石嘴山", "吐鲁番", "香格里拉",
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
    "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "来宾", "那曲",
  ].map(scalars).sorted { $0.count > $1.count }

  static func scalars(_ word: String) -> [UInt32] { word.unicodeScalars.map(\.value) }
}
