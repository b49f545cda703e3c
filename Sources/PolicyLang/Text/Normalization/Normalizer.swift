/// Normalizes text for matching and keeps, for every normalized scalar, the original scalars it
/// came from (Grammar.md 5.1 states the rules; `NormalizedText` holds the result).
///
/// The UTF-8 entry point is the evaluator's hot path: it decodes UTF-8 itself, appends to the
/// reused buffers of a `NormalizedText`, allocates nothing per scalar, and copies ASCII through a
/// fast path. Policy terms go through `normalizeTerm(_:)`, the same steps, so terms and text agree.
public struct Normalizer: Sendable {
  /// The steps this normalizer applies.
  public let options: NormalizationOptions

  /// Chinese-numeral runs shorter than this stay text (`一个`, `第一`, `三星` are words;
  /// `一三八零` and longer become digits). A run counts ASCII digits and numerals together.
  public static let numeralRunMinimum = 4
  /// At most this many visible separators between two word characters are removed;
  /// longer gaps are kept (invisible characters are removed whatever the gap).
  public static let maximumRemovedGap = 3

  /// Creates a normalizer applying `options`.
  public init(options: NormalizationOptions = .all) { self.options = options }

  /// Normalizes `text`, replacing the contents of `output`.
  public func normalize(_ text: String, into output: inout NormalizedText) {
    var text = text
    text.withUTF8 { normalize(utf8: $0, into: &output) }
  }

  /// Normalizes `text` into a new `NormalizedText`.
  public func normalize(_ text: String) -> NormalizedText {
    var output = NormalizedText()
    normalize(text, into: &output)
    return output
  }

  /// Normalizes a policy author's term the same way as text; returns the normalized scalars.
  public func normalizeTerm(_ term: String) -> [UInt32] {
    normalize(term).scalars
  }

  /// Normalizes UTF-8 bytes, replacing the contents of `output`.
  ///
  /// The bytes are expected to be valid UTF-8 (the event decoder validated them); an invalid
  /// byte still never traps: it reads as U+FFFD.
  public func normalize(utf8 bytes: UnsafeBufferPointer<UInt8>, into output: inout NormalizedText) {
    output.removeAll()
    // One scalar per byte at most before decompositions: no growth on the usual path.
    output.scalars.reserveCapacity(bytes.count)
    output.originStart.reserveCapacity(bytes.count)
    output.originEnd.reserveCapacity(bytes.count)
    output.original.reserveCapacity(bytes.count)
    let tables = TextTables.shared
    var needsComposition = false
    var position = 0
    var index: UInt32 = 0
    let casefold = options.contains(.casefold)
    while position < bytes.count {
      let lead = bytes[position]
      if lead < 0x80 {
        var scalar = UInt32(lead)
        output.original.append(scalar)
        if casefold, scalar >= 0x41, scalar <= 0x5A { scalar += 0x20 }
        output.scalars.append(scalar)
        output.originStart.append(index)
        output.originEnd.append(index + 1)
        position += 1
        index += 1
        continue
      }
      let (scalar, length) = Normalizer.decode(bytes, at: position)
      if scalar == 0xFFFD && length == 1 { output.sawInvalidUTF8 = true }
      position += length
      output.original.append(scalar)
      if map(scalar, index: index, tables: tables, into: &output) { needsComposition = true }
      index += 1
    }
    finish(&output, needsComposition: needsComposition, tables: tables)
  }

  /// Normalizes UTF-8 bytes held in an array slice.
  public func normalize(utf8 bytes: ArraySlice<UInt8>, into output: inout NormalizedText) {
    bytes.withUnsafeBufferPointer { normalize(utf8: $0, into: &output) }
  }

  /// Decodes one scalar at `position` (which holds a non-ASCII lead byte); invalid bytes read as
  /// U+FFFD of length 1.
  @inline(__always)
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (UInt32, Int) {
    let lead = UInt32(bytes[position])
    let length: Int
    var scalar: UInt32
    switch lead {
    case 0xC2...0xDF:
      length = 2
      scalar = lead & 0x1F
    case 0xE0...0xEF:
      length = 3
      scalar = lead & 0x0F
    case 0xF0...0xF4:
      length = 4
      scalar = lead & 0x07
    default: return (0xFFFD, 1)
    }
    guard position + length <= bytes.count else { return (0xFFFD, 1) }
    for offset in 1..<length {
      let byte = UInt32(bytes[position + offset])
      guard byte & 0xC0 == 0x80 else { return (0xFFFD, 1) }
      scalar = scalar << 6 | (byte & 0x3F)
    }
    let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x1_0000
    guard scalar >= minimum, scalar <= 0x10_FFFF, !(0xD800...0xDFFF).contains(scalar) else {
      return (0xFFFD, 1)
    }
    return (scalar, length)
  }

  /// Appends the mapping of one non-ASCII original scalar; returns whether it may compose.
  @inline(__always)
  private func map(
    _ scalar: UInt32, index: UInt32, tables: TextTables, into output: inout NormalizedText
  ) -> Bool {
    let info = tables.infoByte(scalar)
    let kind = info & 7
    if options.contains(.digits), kind == ScalarClass.digit.rawValue || kind == ScalarClass.other.rawValue,
      let range = tables.digitVariants.range(of: scalar)
    {
      // Before NFKC, so `⑴` gives `1` and not `(1)`.
      for position in range { append(tables.digitVariants.values[position], index, &output) }
      return false
    }
    let table: MappingTable?
    switch (options.contains(.nfkc), options.contains(.casefold)) {
    case (true, true):
      table =
        info & TextTables.Flag.folded != 0
        ? tables.folded : info & TextTables.Flag.compatibility != 0 ? tables.compatibility : nil
    case (true, false):
      table = info & TextTables.Flag.compatibility != 0 ? tables.compatibility : nil
    case (false, true):
      table = info & TextTables.Flag.caseFolding != 0 ? tables.caseFolding : nil
    case (false, false):
      table = nil
    }
    guard let table, let range = table.range(of: scalar) else {
      return appendMapped(scalar, index, tables, &output)
    }
    var composes = false
    for position in range where appendMapped(table.values[position], index, tables, &output) {
      composes = true
    }
    return composes
  }

  @inline(__always)
  private func appendMapped(
    _ scalar: UInt32, _ index: UInt32, _ tables: TextTables, _ output: inout NormalizedText
  ) -> Bool {
    var scalar = scalar
    var info = tables.infoByte(scalar)
    if options.contains(.simplified), info & TextTables.Flag.simplified != 0,
      let simple = tables.simplified.first(of: UInt64(scalar))
    {
      scalar = simple
      info = tables.infoByte(scalar)
    }
    append(scalar, index, &output)
    return info & TextTables.Flag.composing != 0
  }

  @inline(__always)
  private func append(_ scalar: UInt32, _ index: UInt32, _ output: inout NormalizedText) {
    output.scalars.append(scalar)
    output.originStart.append(index)
    output.originEnd.append(index + 1)
  }

  /// Composition, separators and numeral runs, then `gapBefore`.
  private func finish(_ output: inout NormalizedText, needsComposition: Bool, tables: TextTables) {
    if options.contains(.nfkc), needsComposition {
      Composition.reorderAndCompose(&output, tables: tables)
    }
    if options.contains(.separators) || options.contains(.digits) {
      SeparatorPass(options: options, tables: tables).run(&output)
    }
    output.gapBefore.reserveCapacity(output.scalars.count)
    var previousEnd: UInt32 = 0
    for position in 0..<output.scalars.count {
      let start = output.originStart[position]
      output.gapBefore.append(start > previousEnd ? UInt8(min(start - previousEnd, 255)) : 0)
      previousEnd = output.originEnd[position]
    }
  }
}
