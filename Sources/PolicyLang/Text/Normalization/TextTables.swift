/// The class of a scalar for separator removal and digit runs (numbers match the generator).
enum ScalarClass: UInt8, Sendable {
  /// Not assigned in the tables' Unicode version.
  case unassigned = 0
  /// Assigned, not a word character and not a separator (symbols like `+`, and `.@/:_-#?&%`).
  case other = 1
  /// Default-ignorable: zero-width and format characters, variation selectors.
  case invisible = 2
  /// White space, punctuation, other and modifier symbols (emoji), enclosing marks, controls.
  case separator = 3
  /// Letters of scripts written without spaces: Han, Hiragana, Katakana, Bopomofo.
  case ideographic = 4
  /// Other letters (Latin, Greek, Cyrillic, Hangul, ...).
  case letter = 5
  /// Decimal digits (`Nd`).
  case digit = 6
  /// Non-spacing and spacing combining marks.
  case mark = 7
}

/// One decoded mapping table: a key's values are `values[offset..<offset + count]`.
struct MappingTable: Sendable {
  /// Key to `offset << 8 | count`.
  private(set) var index: [UInt64: UInt32] = [:]
  /// Every entry's values, back to back.
  private(set) var values: [UInt32] = []

  /// Decodes the generator's `delta:v1,v2;...` text.
  init(packed: String) {
    var key: UInt64 = 0
    var number: UInt64 = 0
    var inValues = false
    var entryStart = 0
    for byte in packed.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        number = number &<< 4 | UInt64(byte &- UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"):
        number = number &<< 4 | UInt64(byte &- UInt8(ascii: "a") &+ 10)
      case UInt8(ascii: ":"):
        key &+= number
        number = 0
        inValues = true
        entryStart = values.count
      case UInt8(ascii: ","):
        values.append(UInt32(truncatingIfNeeded: number))
        number = 0
      case UInt8(ascii: ";"):
        finish(key: key, last: number, inValues: inValues, entryStart: entryStart)
        number = 0
        inValues = false
      default:
        continue  // line breaks of the literal
      }
    }
    finish(key: key, last: number, inValues: inValues, entryStart: entryStart)
  }

  private mutating func finish(key: UInt64, last: UInt64, inValues: Bool, entryStart: Int) {
    guard inValues else { return }
    values.append(UInt32(truncatingIfNeeded: last))
    let count = values.count - entryStart
    index[key] = UInt32(entryStart) << 8 | UInt32(min(count, 255))
  }

  /// The range of `values` holding `key`'s mapping, or nil.
  @inline(__always)
  func range(of key: UInt32) -> Range<Int>? {
    guard let packed = index[UInt64(key)] else { return nil }
    let start = Int(packed >> 8)
    return start..<(start + Int(packed & 0xFF))
  }

  /// The first value of `key`'s mapping, or nil.
  @inline(__always)
  func first(of key: UInt64) -> UInt32? {
    guard let packed = index[key] else { return nil }
    let start = Int(packed >> 8)
    return start < values.count ? values[start] : nil
  }

  /// Every key, for tests.
  var keys: Dictionary<UInt64, UInt32>.Keys { index.keys }
}

/// The normalization tables, decoded once from `GeneratedTextTables` at first use.
struct TextTables: Sendable {
  /// Per-scalar byte: class in bits 0-2, then the `Flag` bits.
  private(set) var info: [UInt8]
  let combiningClass: MappingTable
  let compatibility: MappingTable
  let folded: MappingTable
  let caseFolding: MappingTable
  let compositions: MappingTable
  let digitVariants: MappingTable
  let simplified: MappingTable

  /// Flag bits of `info`.
  enum Flag {
    static let compatibility: UInt8 = 1 << 3
    static let folded: UInt8 = 1 << 4
    static let caseFolding: UInt8 = 1 << 5
    static let simplified: UInt8 = 1 << 6
    /// A non-starter, or a starter that can be the second of a composition.
    static let composing: UInt8 = 1 << 7
  }

  /// The shared instance (a global `let`, so initialization is lazy and thread-safe).
  static let shared = TextTables()

  private init() {
    info = TextTables.decodeClasses(GeneratedTextTables.classRuns)
    combiningClass = MappingTable(packed: GeneratedTextTables.canonicalCombiningClass)
    compatibility = MappingTable(packed: GeneratedTextTables.compatibilityDecomposition)
    folded = MappingTable(packed: GeneratedTextTables.foldedDecomposition)
    caseFolding = MappingTable(packed: GeneratedTextTables.caseFolding)
    compositions = MappingTable(packed: GeneratedTextTables.compositions)
    digitVariants = MappingTable(packed: GeneratedTextTables.digitVariants)
    simplified = MappingTable(packed: GeneratedTextTables.traditionalToSimplified)
    mark(compatibility, Flag.compatibility)
    mark(folded, Flag.folded)
    mark(caseFolding, Flag.caseFolding)
    mark(simplified, Flag.simplified)
    mark(combiningClass, Flag.composing)
    for key in compositions.keys {
      let second = Int(key & 0x1F_FFFF)
      if second < info.count { info[second] |= Flag.composing }
    }
    // Hangul vowel and trailing jamo compose algorithmically.
    for scalar in 0x1161...0x1175 { info[scalar] |= Flag.composing }
    for scalar in 0x11A8...0x11C2 { info[scalar] |= Flag.composing }
  }

  private mutating func mark(_ table: MappingTable, _ flag: UInt8) {
    for key in table.keys where Int(key) < info.count { info[Int(key)] |= flag }
  }

  private static func decodeClasses(_ packed: String) -> [UInt8] {
    var info = [UInt8](repeating: 0, count: 0x11_0000)
    var position = 0
    var length = 0
    var readingClass = false
    var value: UInt8 = 0
    func flush() {
      let end = min(position + length, info.count)
      if position < end { for scalar in position..<end { info[scalar] = value } }
      position = end
    }
    for byte in packed.utf8 {
      switch byte {
      case UInt8(ascii: "."): readingClass = true
      case UInt8(ascii: ";"):
        flush()
        length = 0
        value = 0
        readingClass = false
      case UInt8(ascii: "0")...UInt8(ascii: "9") where readingClass:
        value = value &* 10 &+ (byte &- UInt8(ascii: "0"))
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        length = length &<< 4 | Int(byte &- UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"):
        length = length &<< 4 | Int(byte &- UInt8(ascii: "a") &+ 10)
      default: continue
      }
    }
    flush()
    return info
  }

  /// The per-scalar info byte (0 for values beyond U+10FFFF).
  @inline(__always)
  func infoByte(_ scalar: UInt32) -> UInt8 {
    Int(scalar) < info.count ? info[Int(scalar)] : 0
  }

  /// The scalar's class.
  @inline(__always)
  func scalarClass(_ scalar: UInt32) -> ScalarClass {
    ScalarClass(rawValue: infoByte(scalar) & 7) ?? .other
  }

  /// The canonical combining class (0 for starters).
  @inline(__always)
  func combiningClassOf(_ scalar: UInt32) -> UInt8 {
    guard infoByte(scalar) & Flag.composing != 0, let ccc = combiningClass.first(of: UInt64(scalar))
    else { return 0 }
    return UInt8(truncatingIfNeeded: ccc)
  }

  /// The primary composite of `first` and `second`, including Hangul syllables, or nil.
  func compose(_ first: UInt32, _ second: UInt32) -> UInt32? {
    // Hangul: L + V -> LV, LV + T -> LVT.
    if (0x1100...0x1112).contains(first), (0x1161...0x1175).contains(second) {
      return 0xAC00 + ((first - 0x1100) * 21 + (second - 0x1161)) * 28
    }
    if (0xAC00...0xD7A3).contains(first), (first - 0xAC00) % 28 == 0, (0x11A8...0x11C2).contains(second) {
      return first + (second - 0x11A7)
    }
    guard first < 0x20_0000, second < 0x20_0000 else { return nil }
    return compositions.first(of: UInt64(first) << 21 | UInt64(second))
  }
}
