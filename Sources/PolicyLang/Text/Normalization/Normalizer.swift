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

  /// The one-scalar mappings of the BMP and the emoji plane (nil only while building them).
  private let scalarMap: ScalarMap?

  /// Creates a normalizer applying `options`.
  public init(options: NormalizationOptions = .all) {
    self.options = options
    scalarMap = ScalarMap.shared(for: options)
  }

  /// A normalizer that maps every scalar through the tables (the one `ScalarMap` is built with).
  init(withoutScalarMap options: NormalizationOptions) {
    self.options = options
    scalarMap = nil
  }

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

  /// Texts of up to this many scalars are normalized in temporary buffers; longer ones in the
  /// output's working space.
  static let temporaryBufferLimit = 4096

  /// Normalizes UTF-8 bytes, replacing the contents of `output`.
  ///
  /// The bytes are expected to be valid UTF-8 (the event decoder validated them); an invalid
  /// byte still never traps: it reads as U+FFFD.
  public func normalize(utf8 bytes: UnsafeBufferPointer<UInt8>, into output: inout NormalizedText) {
    let tables = TextTables.shared
    let n = Self.scalarCount(bytes)
    // The passes run in temporary buffers (on the stack for chat-sized texts) and the result is
    // copied into `output` once: resizing five arrays to the scalar count and back on every
    // message cost more than the passes themselves.
    let done: Bool
    if n <= Self.temporaryBufferLimit {
      done = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4 * n + 1) { words in
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n + 1) { gaps in
          normalizeInBuffers(bytes, scalarCount: n, words: words, gaps: gaps, tables: tables, into: &output)
        }
      }
    } else {
      // A long text: the passes run in the output's own arrays, so a text costs one set of
      // arrays (17 bytes per scalar), not a working copy besides them.
      done = normalizeInOutput(bytes, scalarCount: n, tables: tables, into: &output)
    }
    if done { return }
    // A text whose decompositions outgrow one scalar per byte (rare: `ﷺ` alone gives 18).
    normalizeByAppending(bytes, tables: tables, into: &output)
  }

  /// Normalizes chat-sized valid UTF-8 in temporary buffers and gives them to `body`, without
  /// building a `NormalizedText`. Returns nil (and does not call `body`) when the text needs
  /// `normalize(utf8:into:)`: longer than `temporaryBufferLimit` scalars, invalid UTF-8, a
  /// mapping that may compose, or one that outgrows the buffers. Both give the same result.
  func withNormalizedBuffers<R>(
    utf8 bytes: UnsafeBufferPointer<UInt8>, _ body: (NormalizedBuffers) -> R
  ) -> R? {
    let n = Self.scalarCount(bytes)
    guard n <= Self.temporaryBufferLimit else { return nil }
    // One allocation: the four word buffers, then the gap bytes in the words after them.
    let gapWords = (n + 4) / 4
    return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4 * n + 1 + gapWords) { all in
      guard let base = all.baseAddress, all.count >= 4 * n + 1 + gapWords else { return nil }
      let words = UnsafeMutableBufferPointer(start: base, count: 4 * n + 1)
      let gapBase = UnsafeMutableRawPointer(base + (4 * n + 1))
        .bindMemory(to: UInt8.self, capacity: 4 * gapWords)
      let gaps = UnsafeMutableBufferPointer(start: gapBase, count: n + 1)
      let normalized = passesInBuffers(bytes, scalarCount: n, words: words, gaps: gaps)
      guard let normalized else { return nil }
      return body(normalized)
    }
  }

  /// The map and separator passes of `normalizeInBuffers`, leaving the result in the buffers;
  /// nil when the text needs the array path (see `withNormalizedBuffers`). Not inlined: in the
  /// caller's generic closure the map loop compiled to twice the instructions.
  @inline(never)
  private func passesInBuffers(
    _ bytes: UnsafeBufferPointer<UInt8>, scalarCount n: Int, words: UnsafeMutableBufferPointer<UInt32>,
    gaps: UnsafeMutableBufferPointer<UInt8>
  ) -> NormalizedBuffers? {
    guard let base = words.baseAddress, words.count >= 4 * n, gaps.count >= n else { return nil }
    var buffers = MapBuffers(carving: base, count: n)
    guard let scalarMap, let gapBase = gaps.baseAddress else { return nil }
    // Most texts: both passes in one loop.
    let fused = scalarMap.entries.withUnsafeBufferPointer { entries in
      fusedPass(
        bytes, entries: entries, capacity: n, original: base, scalars: base + n, starts: base + 2 * n,
        ends: base + 3 * n, gaps: gapBase)
    }
    if let fused, fused.originalCount <= n, fused.count <= n {
      return NormalizedBuffers(
        original: UnsafeBufferPointer(rebasing: buffers.original[0..<fused.originalCount]),
        scalars: UnsafeBufferPointer(rebasing: buffers.scalars[0..<fused.count]),
        starts: UnsafeBufferPointer(rebasing: buffers.starts[0..<fused.count]),
        ends: UnsafeBufferPointer(rebasing: buffers.ends[0..<fused.count]),
        gaps: UnsafeBufferPointer(rebasing: gaps[0..<fused.count]))
    }
    // The separate passes (the shared tables are read only here: their access costs a lazy
    // initialization check and reference counting on every text).
    let tables = TextTables.shared
    var state = MapState()
    scalarMap.entries.withUnsafeBufferPointer { entries in
      mapLoop(bytes, tables: tables, entries: entries, into: &buffers, state: &state)
    }
    guard state.fits, !state.invalid, state.originalCount <= n, state.count <= n else { return nil }
    if options.contains(.nfkc) && state.needsComposition { return nil }
    var count = state.count
    let separated =
      (options.contains(.separators) || options.contains(.digits)) && state.needsSeparatorPass
    if separated {
      count = SeparatorPass(options: options, tables: tables).run(
        scalars: buffers.scalars, starts: buffers.starts, ends: buffers.ends, gaps: gaps, count: count,
        numerals: state.sawNumeral)
    } else {
      UnsafeMutableBufferPointer(rebasing: gaps[0..<count]).update(repeating: 0)
    }
    return NormalizedBuffers(
      original: UnsafeBufferPointer(rebasing: buffers.original[0..<state.originalCount]),
      scalars: UnsafeBufferPointer(rebasing: buffers.scalars[0..<count]),
      starts: UnsafeBufferPointer(rebasing: buffers.starts[0..<count]),
      ends: UnsafeBufferPointer(rebasing: buffers.ends[0..<count]),
      gaps: UnsafeBufferPointer(rebasing: gaps[0..<count]))
  }

  /// The general path: every scalar through the mapping tables (no `ScalarMap`), appended to the
  /// arrays, then the passes on the arrays. Texts whose mappings outgrow the buffers take it;
  /// tests compare it with the buffer path.
  func normalizeByAppending(
    _ bytes: UnsafeBufferPointer<UInt8>, tables: TextTables = .shared, into output: inout NormalizedText
  ) {
    output.removeAll()
    output.scalars.reserveCapacity(bytes.count)
    output.originStart.reserveCapacity(bytes.count)
    output.originEnd.reserveCapacity(bytes.count)
    output.original.reserveCapacity(bytes.count)
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
    let summary = MapSummary(needsComposition: needsComposition, needsSeparatorPass: true)
    finish(&output, summary: summary, tables: tables)
  }

  /// What the map pass saw, so that later passes that would change nothing are skipped.
  struct MapSummary {
    /// A mapped scalar may compose with its neighbour.
    var needsComposition: Bool
    /// A separator, an invisible character or a Chinese numeral was seen.
    var needsSeparatorPass: Bool
  }

  /// The map pass (digit variants, NFKC decomposition, case folding, Traditional to Simplified),
  /// then the separator pass, in `words` (four slices of `scalarCount` words: original scalars,
  /// normalized scalars, origin starts and ends) and `gaps`; the result is copied into `output`.
  /// `scalarCount` slots each suffice when every scalar maps to one scalar: a longer mapping checks
  /// that it fits in the slots of the scalars read so far and, when it does not (or the bytes hold
  /// more scalars than counted), the function gives up (false) so the caller takes the appending
  /// path. A text that may compose is copied out before composition, which runs on the arrays.
  ///
  /// Scalars that map to themselves or to one scalar take a fast path: one table load.
  private func normalizeInBuffers(
    _ bytes: UnsafeBufferPointer<UInt8>, scalarCount n: Int, words: UnsafeMutableBufferPointer<UInt32>,
    gaps: UnsafeMutableBufferPointer<UInt8>, tables: TextTables, into output: inout NormalizedText
  ) -> Bool {
    guard let base = words.baseAddress, words.count >= 4 * n, gaps.count >= n else { return false }
    var buffers = MapBuffers(carving: base, count: n)
    var state = MapState()
    let entries = scalarMap?.entries ?? []
    entries.withUnsafeBufferPointer { entries in
      mapLoop(bytes, tables: tables, entries: entries, into: &buffers, state: &state)
    }
    guard state.fits, state.originalCount <= n, state.count <= n else { return false }
    output.sawInvalidUTF8 = state.invalid
    let original = UnsafeBufferPointer(rebasing: buffers.original[0..<state.originalCount])
    output.original.assign(original)
    if options.contains(.nfkc) && state.needsComposition {
      // Rare (a combining mark after a letter): composition and the passes after it run on the
      // arrays.
      output.scalars.assign(UnsafeBufferPointer(rebasing: buffers.scalars[0..<state.count]))
      output.originStart.assign(UnsafeBufferPointer(rebasing: buffers.starts[0..<state.count]))
      output.originEnd.assign(UnsafeBufferPointer(rebasing: buffers.ends[0..<state.count]))
      let summary = MapSummary(needsComposition: true, needsSeparatorPass: state.needsSeparatorPass)
      finish(&output, summary: summary, tables: tables)
      return true
    }
    var count = state.count
    let separated =
      (options.contains(.separators) || options.contains(.digits)) && state.needsSeparatorPass
    if separated {
      // The pass fills the gaps as it compacts.
      count = SeparatorPass(options: options, tables: tables).run(
        scalars: buffers.scalars, starts: buffers.starts, ends: buffers.ends, gaps: gaps, count: count)
    } else {
      // Nothing was removed: every scalar follows the previous one's origin directly.
      UnsafeMutableBufferPointer(rebasing: gaps[0..<count]).update(repeating: 0)
    }
    output.scalars.assign(UnsafeBufferPointer(rebasing: buffers.scalars[0..<count]))
    output.originStart.assign(UnsafeBufferPointer(rebasing: buffers.starts[0..<count]))
    output.originEnd.assign(UnsafeBufferPointer(rebasing: buffers.ends[0..<count]))
    output.gapBefore.assign(UnsafeBufferPointer(rebasing: gaps[0..<count]))
    return true
  }

  /// `normalizeInBuffers` for a long text, with the output's arrays as the buffers: they are
  /// sized to `scalarCount`, the passes run in them, and they are cut to the result (keeping
  /// their capacity for the next long text). False, with `output` emptied, when a mapping
  /// outgrows the slots (the caller then takes the appending path).
  private func normalizeInOutput(
    _ bytes: UnsafeBufferPointer<UInt8>, scalarCount n: Int, tables: TextTables,
    into output: inout NormalizedText
  ) -> Bool {
    // Taken out of `output` while the passes write them, so each is uniquely referenced.
    var original = output.original
    var scalars = output.scalars
    var starts = output.originStart
    var ends = output.originEnd
    var gaps = output.gapBefore
    output.sawInvalidUTF8 = false
    output.original = []
    output.scalars = []
    output.originStart = []
    output.originEnd = []
    output.gapBefore = []
    original.setCount(n)
    scalars.setCount(n)
    starts.setCount(n)
    ends.setCount(n)
    gaps.setCount(n)
    var state = MapState()
    let entries = scalarMap?.entries ?? []
    original.withUnsafeMutableBufferPointer { original in
      scalars.withUnsafeMutableBufferPointer { scalars in
        starts.withUnsafeMutableBufferPointer { starts in
          ends.withUnsafeMutableBufferPointer { ends in
            var buffers = MapBuffers(original: original, scalars: scalars, starts: starts, ends: ends)
            entries.withUnsafeBufferPointer { entries in
              mapLoop(bytes, tables: tables, entries: entries, into: &buffers, state: &state)
            }
          }
        }
      }
    }
    let fits = state.fits && state.originalCount <= n && state.count <= n
    let cut = fits ? state.count : 0
    original.setCount(fits ? state.originalCount : 0)
    scalars.setCount(cut)
    starts.setCount(cut)
    ends.setCount(cut)
    gaps.setCount(cut)
    // Gives the arrays back to `output` (swapped, so that `output` holds the only reference).
    func restore() {
      swap(&output.original, &original)
      swap(&output.scalars, &scalars)
      swap(&output.originStart, &starts)
      swap(&output.originEnd, &ends)
      swap(&output.gapBefore, &gaps)
    }
    guard fits else {
      restore()
      return false
    }
    if options.contains(.nfkc) && state.needsComposition {
      // Rare (a combining mark after a letter): composition and the passes after it run on the
      // arrays, as in `normalizeInBuffers`.
      restore()
      output.sawInvalidUTF8 = state.invalid
      let summary = MapSummary(needsComposition: true, needsSeparatorPass: state.needsSeparatorPass)
      finish(&output, summary: summary, tables: tables)
      return true
    }
    var count = state.count
    let separated =
      (options.contains(.separators) || options.contains(.digits)) && state.needsSeparatorPass
    if separated {
      // The pass fills the gaps as it compacts.
      count = scalars.withUnsafeMutableBufferPointer { scalars in
        starts.withUnsafeMutableBufferPointer { starts in
          ends.withUnsafeMutableBufferPointer { ends in
            gaps.withUnsafeMutableBufferPointer { gaps in
              SeparatorPass(options: options, tables: tables).run(
                scalars: scalars, starts: starts, ends: ends, gaps: gaps, count: state.count,
                numerals: state.sawNumeral)
            }
          }
        }
      }
      scalars.setCount(count)
      starts.setCount(count)
      ends.setCount(count)
      gaps.setCount(count)
    } else {
      // Nothing was removed: every scalar follows the previous one's origin directly.
      gaps.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
    restore()
    output.sawInvalidUTF8 = state.invalid
    return true
  }

  /// The map pass's counters and findings.
  private struct MapState {
    var needsComposition = false
    var needsSeparatorPass = false
    /// A Chinese numeral may be among the scalars (false: the pass need not look for runs).
    var sawNumeral = false
    var invalid = false
    var fits = true
    var originalCount = 0
    var count = 0
  }

  /// The four buffers of the map pass and the next slot to write (all hold the same count).
  private struct MapBuffers {
    let original: UnsafeMutableBufferPointer<UInt32>
    let scalars: UnsafeMutableBufferPointer<UInt32>
    let starts: UnsafeMutableBufferPointer<UInt32>
    let ends: UnsafeMutableBufferPointer<UInt32>
    var write = 0

    /// Four buffers of the same count.
    init(
      original: UnsafeMutableBufferPointer<UInt32>, scalars: UnsafeMutableBufferPointer<UInt32>,
      starts: UnsafeMutableBufferPointer<UInt32>, ends: UnsafeMutableBufferPointer<UInt32>
    ) {
      self.original = original
      self.scalars = scalars
      self.starts = starts
      self.ends = ends
    }

    /// The four buffers, `count` words each, one after another from `base`.
    init(carving base: UnsafeMutablePointer<UInt32>, count n: Int) {
      original = UnsafeMutableBufferPointer(start: base, count: n)
      scalars = UnsafeMutableBufferPointer(start: base + n, count: n)
      starts = UnsafeMutableBufferPointer(start: base + 2 * n, count: n)
      ends = UnsafeMutableBufferPointer(start: base + 3 * n, count: n)
    }

    /// Writes one normalized scalar from original scalar `index`; the caller has checked
    /// `write < scalars.count`.
    @inline(__always)
    mutating func emit(_ scalar: UInt32, from index: Int) {
      scalars[write] = scalar
      starts[write] = UInt32(truncatingIfNeeded: index)
      ends[write] = UInt32(truncatingIfNeeded: index &+ 1)
      write &+= 1
    }
  }

  /// The bytes that are not continuation bytes (`10xxxxxx`): the scalars of valid UTF-8. Eight
  /// bytes at a time: a continuation byte has bit 7 set and bit 6 clear.
  static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = UnsafeRawPointer(bytes.baseAddress) else { return 0 }
    let count = bytes.count
    var continuations = 0
    var position = 0
    let high: UInt64 = 0x8080_8080_8080_8080
    while count &- position >= 8 {
      let word = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
      continuations &+= (word & ~(word << 1) & high).nonzeroBitCount
      position &+= 8
    }
    while position < count {
      if bytes[position] & 0xC0 == 0x80 { continuations &+= 1 }
      position &+= 1
    }
    return count &- continuations
  }

  /// Whether a normalized scalar makes the separator pass necessary: a separator or an invisible
  /// character (with `.separators`), a Chinese numeral (with `.digits`).
  @inline(__always)
  private func separatorPassNeeded(_ scalar: UInt32, info: UInt8) -> Bool {
    let kind = info & 7
    if kind == ScalarClass.separator.rawValue || kind == ScalarClass.invisible.rawValue {
      return options.contains(.separators)
    }
    return options.contains(.digits) && SeparatorPass.isNumeral(scalar)
  }

  /// The map loop over `bytes`. Every buffer holds `n` slots (the scalars of valid UTF-8).
  /// Invalid UTF-8 may decode to more scalars than `n` (a stray continuation byte reads as
  /// U+FFFD), so the loop checks `index < n` before each scalar and gives up otherwise;
  /// `write <= index` holds on the one-scalar paths, and a longer mapping first checks that its
  /// scalars fit in the slots of the scalars read so far (`write + outputLength <= index + 1`).
  ///
  /// The loop keeps its pointers and counters in locals and handles the scalars the table maps
  /// to one scalar inline; the others go through `mapGeneral`, out of line.
  @inline(__always)
  private func mapLoop(
    _ bytes: UnsafeBufferPointer<UInt8>, tables: TextTables, entries: UnsafeBufferPointer<UInt32>,
    into b: inout MapBuffers, state: inout MapState
  ) {
    let n = b.original.count
    guard let input = bytes.baseAddress, let original = b.original.baseAddress,
      let scalars = b.scalars.baseAddress, let starts = b.starts.baseAddress, let ends = b.ends.baseAddress,
      b.scalars.count == n, b.starts.count == n, b.ends.count == n
    else {
      // No bytes (or no slots for them): nothing to map.
      state.fits = bytes.isEmpty
      return
    }
    let byteCount = bytes.count
    // Below this position a three-byte sequence fits in the bytes.
    let threeByteEnd = byteCount &- 2
    let table = entries.baseAddress
    let entryCount = table == nil ? 0 : entries.count
    // The OR of the table entries of the inline path: their separator-pass bit, and the bit that
    // says a numeral was seen (`separatorPass` without `removable`, shifted onto it).
    var seen: UInt32 = 0
    var position = 0
    var index = 0
    var write = b.write
    while position < byteCount {
      guard index < n else {
        state.fits = false
        return
      }
      let lead = input[position]
      var scalar: UInt32
      if lead < 0x80 {
        scalar = UInt32(lead)
        position &+= 1
      } else if lead & 0xF0 == 0xE0, position < threeByteEnd,
        case let second = UInt32(input[position &+ 1]), case let third = UInt32(input[position &+ 2]),
        (second & 0xC0) | ((third & 0xC0) >> 2) == 0xA0,
        case let decoded = (UInt32(lead) & 0x0F) << 12 | (second & 0x3F) << 6 | (third & 0x3F),
        decoded >= 0x800, decoded & 0xF800 != 0xD800
      {
        // A valid three-byte sequence (almost all of Chinese text), as `decode` reads it: both
        // continuation bytes `10xxxxxx` in one test, no overlong form, no surrogate.
        scalar = decoded
        position &+= 3
      } else {
        let (decoded, length) = Normalizer.decode(bytes, at: position)
        if decoded == 0xFFFD && length == 1 { state.invalid = true }
        scalar = decoded
        position &+= length
      }
      original[index] = scalar
      // Most scalars: one load gives the mapping (the table is empty while it is being built).
      if let table, Int(scalar) < entryCount {
        let entry = table[Int(scalar)]
        if entry & ScalarMap.Bit.general == 0 {
          scalars[write] = entry & ScalarMap.Bit.symbol
          starts[write] = UInt32(truncatingIfNeeded: index)
          ends[write] = UInt32(truncatingIfNeeded: index &+ 1)
          write &+= 1
          index &+= 1
          seen |= entry & ~(entry >> 1)
          continue
        }
      }
      b.write = write
      guard
        mapGeneral(
          scalar, inTable: Int(scalar) < entryCount, lead: lead, index: index, tables: tables, into: &b,
          state: &state)
      else {
        state.fits = false
        return
      }
      write = b.write
      index &+= 1
    }
    b.write = write
    state.originalCount = index
    state.count = write
    if seen & ScalarMap.Bit.separatorPass != 0 {
      state.needsSeparatorPass = true
      state.sawNumeral = true
    }
    if seen & ScalarMap.Bit.removable != 0 { state.needsSeparatorPass = true }
  }

  /// The map pass for one scalar the table does not map inline, written at `b.write` (as
  /// `map` does it, into the buffers); false when its mapping does not fit. Sets the state's
  /// separator-pass and composition findings (`sawNumeral` whenever the separator pass becomes
  /// necessary here: it only makes the pass look for numeral runs).
  @inline(never)
  private func mapGeneral(
    _ scalar: UInt32, inTable: Bool, lead: UInt8, index: Int, tables: TextTables, into b: inout MapBuffers,
    state: inout MapState
  ) -> Bool {
    guard b.write < b.scalars.count, b.write <= index else { return false }
    var needsSeparatorPass = false
    defer {
      if needsSeparatorPass {
        state.needsSeparatorPass = true
        state.sawNumeral = true
      }
    }
    if !inTable, lead < 0x80 {
      var scalar = scalar
      if options.contains(.casefold), scalar >= 0x41, scalar <= 0x5A { scalar += 0x20 }
      b.emit(scalar, from: index)
      needsSeparatorPass = separatorPassNeeded(scalar, info: tables.infoByte(scalar))
      return true
    }
    let info = tables.infoByte(scalar)
    let kind = info & 7
    // No flag: no decomposition, folding, Traditional form or composition. Only digits and
    // `other` scalars may still have a digit variant.
    if info & 0xF8 == 0, kind != ScalarClass.digit.rawValue, kind != ScalarClass.other.rawValue {
      b.emit(scalar, from: index)
      needsSeparatorPass = separatorPassNeeded(scalar, info: info)
      return true
    }
    // The general mapping, as `map` does it, into the buffers.
    var table: MappingTable? = nil
    var isDigitVariant = false
    if options.contains(.digits), kind == ScalarClass.digit.rawValue || kind == ScalarClass.other.rawValue,
      tables.digitVariants.range(of: scalar) != nil
    {
      table = tables.digitVariants
      isDigitVariant = true
    } else {
      table = mappingTable(info: info, tables: tables)
    }
    let range = table?.range(of: scalar)
    let outputLength = range?.count ?? 1
    guard b.write + outputLength <= index + 1 else { return false }
    if let table, let range {
      for position in range {
        let value = table.values[position]
        let (mapped, mappedInfo) =
          isDigitVariant ? (value, tables.infoByte(value)) : simplify(value, tables: tables)
        b.emit(mapped, from: index)
        if separatorPassNeeded(mapped, info: mappedInfo) { needsSeparatorPass = true }
        if !isDigitVariant, mappedInfo & TextTables.Flag.composing != 0 { state.needsComposition = true }
      }
    } else {
      let (mapped, mappedInfo) = simplify(scalar, tables: tables)
      b.emit(mapped, from: index)
      if separatorPassNeeded(mapped, info: mappedInfo) { needsSeparatorPass = true }
      if mappedInfo & TextTables.Flag.composing != 0 { state.needsComposition = true }
    }
    return true
  }

  /// The decomposition or folding table of a scalar with info byte `info`, per the options.
  @inline(__always)
  private func mappingTable(info: UInt8, tables: TextTables) -> MappingTable? {
    switch (options.contains(.nfkc), options.contains(.casefold)) {
    case (true, true):
      return info & TextTables.Flag.folded != 0
        ? tables.folded : info & TextTables.Flag.compatibility != 0 ? tables.compatibility : nil
    case (true, false):
      return info & TextTables.Flag.compatibility != 0 ? tables.compatibility : nil
    case (false, true):
      return info & TextTables.Flag.caseFolding != 0 ? tables.caseFolding : nil
    case (false, false):
      return nil
    }
  }

  /// The Simplified form of a mapped scalar (itself when none or when the option is off) and its
  /// info byte.
  @inline(__always)
  private func simplify(_ scalar: UInt32, tables: TextTables) -> (UInt32, UInt8) {
    let info = tables.infoByte(scalar)
    if options.contains(.simplified), info & TextTables.Flag.simplified != 0,
      let simple = tables.simplified.first(of: UInt64(scalar))
    {
      return (simple, tables.infoByte(simple))
    }
    return (scalar, info)
  }

  /// The map pass for one scalar on its own (no composition, no separator pass), into `output`'s
  /// `scalars`; returns whether one of them may compose with a neighbour. `TextPrefilter` builds
  /// its table from it, so the two agree on every scalar.
  func mapAlone(_ scalar: UInt32, into output: inout NormalizedText) -> Bool {
    output.removeAll()
    if scalar < 0x80 {
      var value = scalar
      if options.contains(.casefold), value >= 0x41, value <= 0x5A { value += 0x20 }
      append(value, 0, &output)
      return false
    }
    return map(scalar, index: 0, tables: TextTables.shared, into: &output)
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
    // Chinese text is almost all three-byte sequences: those first, in straight-line code.
    if lead & 0xF0 == 0xE0, bytes.count &- position > 2 {
      let second = UInt32(bytes[position &+ 1])
      let third = UInt32(bytes[position &+ 2])
      if second & 0xC0 == 0x80, third & 0xC0 == 0x80 {
        let scalar = (lead & 0x0F) << 12 | (second & 0x3F) << 6 | (third & 0x3F)
        if scalar >= 0x800, scalar & 0xF800 != 0xD800 { return (scalar, 3) }
      }
    }
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
  private func finish(_ output: inout NormalizedText, summary: MapSummary, tables: TextTables) {
    let composed = options.contains(.nfkc) && summary.needsComposition
    if composed {
      Composition.reorderAndCompose(&output, tables: tables)
    }
    // Composition may create any scalar, so the separator pass then always runs.
    let separated =
      (options.contains(.separators) || options.contains(.digits))
      && (summary.needsSeparatorPass || composed)
    if separated {
      // The pass fills `gapBefore` as it compacts.
      SeparatorPass(options: options, tables: tables).run(&output)
      return
    }
    let count = output.scalars.count
    output.gapBefore.setCount(count)
    guard composed else {
      // Nothing was removed: every scalar follows the previous one's origin directly.
      output.gapBefore.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
      return
    }
    output.gapBefore.withUnsafeMutableBufferPointer { gaps in
      output.originStart.withUnsafeBufferPointer { starts in
        output.originEnd.withUnsafeBufferPointer { ends in
          // All three hold `count` elements (the passes keep them the same length).
          guard gaps.count == count, starts.count == count, ends.count == count else { return }
          var previousEnd: UInt32 = 0
          for position in 0..<count {
            let start = starts[position]
            gaps[position] = start > previousEnd ? UInt8(min(start - previousEnd, 255)) : 0
            previousEnd = ends[position]
          }
        }
      }
    }
  }
}

extension Array where Element: FixedWidthInteger {
  /// Makes the count `n`, keeping the capacity: new slots are zero, extra ones are removed.
  /// (Both are cheapest this way: zeros are appended from a slice of `zeros`, a copy without a
  /// loop per element; a few slots are removed one by one, without the general range removal.)
  @inline(__always)
  mutating func setCount(_ n: Int, zeros: [Element]) {
    if count < n {
      reserveCapacity(n)
      while count < n { append(contentsOf: zeros.prefix(n - count)) }
    } else if count > n {
      if count - n <= 16 {
        while count > n { removeLast() }
      } else {
        removeLast(count - n)
      }
    }
  }
}

extension Array where Element: FixedWidthInteger {
  /// Replaces the contents with `source`, keeping the capacity: an update in place when the
  /// count is already right, otherwise one range replacement.
  @inline(__always)
  mutating func assign(_ source: UnsafeBufferPointer<Element>) {
    if count == source.count {
      withUnsafeMutableBufferPointer { target in
        guard let from = source.baseAddress, let to = target.baseAddress else { return }
        to.update(from: from, count: source.count)
      }
    } else {
      replaceSubrange(0..<count, with: source)
    }
  }
}

extension Array where Element == UInt32 {
  /// Makes the count `n` (see `setCount(_:zeros:)`).
  @inline(__always)
  mutating func setCount(_ n: Int) { setCount(n, zeros: zeroWords) }
}

extension Array where Element == UInt8 {
  /// Makes the count `n` (see `setCount(_:zeros:)`).
  @inline(__always)
  mutating func setCount(_ n: Int) { setCount(n, zeros: zeroBytes) }
}

/// Blocks of zeros to grow buffers from.
private let zeroWords = [UInt32](repeating: 0, count: 1024)
private let zeroBytes = [UInt8](repeating: 0, count: 1024)
