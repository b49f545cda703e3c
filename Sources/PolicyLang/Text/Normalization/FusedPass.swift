// The map pass and the separator pass in one loop over the bytes, for the texts that make up
// most of the matcher's work: valid UTF-8 whose every scalar the `ScalarMap` maps to one scalar.
// The separate passes wrote every scalar, then read it back to decide the separators around it;
// here a separator is decided when the next kept scalar arrives (the pass's only lookahead), so
// each scalar is written once, in its final place. What the loop does not decide the way
// `SeparatorPass` does, it hands back (nil) and the caller runs the separate passes.

extension Normalizer {
  /// Decodes, maps and removes separators in one loop, as the map pass followed by
  /// `SeparatorPass` does: writes every original scalar to `original`, and every kept normalized
  /// scalar with its origin (`starts`, `ends`) and the separators removed before it (`gaps`).
  /// Every buffer holds at least `n` elements (the scalar count of valid UTF-8).
  ///
  /// Returns the original and the kept counts, or nil when the text needs the separate passes:
  /// invalid UTF-8 or more than `n` scalars, a scalar the table does not map to one scalar (or
  /// beyond the table), a run of four digits and numerals holding a numeral (it may convert), or
  /// a separator gap between two letters after a single letter (deciding it needs a second
  /// scalar of lookahead).
  @inline(__always)
  func fusedPass(
    _ bytes: UnsafeBufferPointer<UInt8>, entries: UnsafeBufferPointer<UInt32>, capacity n: Int,
    original: UnsafeMutablePointer<UInt32>, scalars: UnsafeMutablePointer<UInt32>,
    starts: UnsafeMutablePointer<UInt32>, ends: UnsafeMutablePointer<UInt32>,
    gaps: UnsafeMutablePointer<UInt8>
  ) -> (originalCount: Int, count: Int)? {
    guard let input = bytes.baseAddress, let table = entries.baseAddress else {
      return bytes.isEmpty ? (0, 0) : nil
    }
    // ASCII and three-byte scalars (below U+10000) need no check against the table's end.
    guard entries.count > 0xFFFF else { return nil }
    // The digit-run count shares a word with the numeral flag (`ScalarMap.Bit.separatorPass`,
    // bit 22): a longer text could carry into it. Chat-sized texts are far below.
    guard n < Int(ScalarMap.Bit.separatorPass) else { return nil }
    let entryCount = entries.count
    let byteCount = bytes.count
    let separator = UInt32(ScalarClass.separator.rawValue)
    let ideographic = UInt32(ScalarClass.ideographic.rawValue)
    let letter = UInt32(ScalarClass.letter.rawValue)
    let digit = UInt32(ScalarClass.digit.rawValue)
    // Ideographic, letter and digit are the three classes from 4 up.
    @inline(__always) func isWord(_ kind: UInt32) -> Bool { kind &- ideographic < 3 }
    var position = 0
    var index = 0
    var write = 0
    // `SeparatorPass.compact`'s state in one word: the last kept scalar's class (bits 0-2),
    // whether it is a single letter (`singleLetter`), whether the previous input scalar was a
    // letter (`wasLetter`).
    let singleLetter: UInt32 = 8
    let wasLetter: UInt32 = 16
    var last = UInt32(ScalarClass.other.rawValue)
    // The gap read since the last kept scalar, from original index `gapStart`: its visible
    // separators wait at `write..<write + gapVisible` until the next kept scalar decides them.
    var gapOpen = false
    var gapStart = 0
    var gapVisible = 0
    var gapBlank = true
    // Kept digits and numerals one after another (a kept separator or another scalar ends the
    // run; removed gaps do not, so it is never shorter than the pass's own), with
    // `ScalarMap.Bit.separatorPass` set once it holds a numeral.
    var run: UInt32 = 0
    let convertingRun = ScalarMap.Bit.separatorPass | UInt32(Normalizer.numeralRunMinimum)
    while position < byteCount {
      guard index < n else { return nil }
      let word = UTF8Word.load(input, at: position, count: byteCount)
      let scalar: UInt32
      if word & 0x80 == 0 {
        scalar = word & 0x7F
        position &+= 1
      } else if word & UTF8Word.threeByteMask == UTF8Word.threeBytePattern,
        case let decoded = UTF8Word.threeByteScalar(word), decoded >= 0x800, decoded & 0xF800 != 0xD800
      {
        // A valid three-byte sequence (almost all of Chinese text), as `decode` reads it.
        scalar = decoded
        position &+= 3
      } else {
        let (decoded, length) = Normalizer.decode(bytes, at: position)
        if decoded == 0xFFFD && length == 1 { return nil }
        guard Int(decoded) < entryCount else { return nil }
        scalar = decoded
        position &+= length
      }
      original[index] = scalar
      let entry = table[Int(scalar)]
      if entry & ScalarMap.Bit.general != 0 { return nil }
      let mapped = entry & ScalarMap.Bit.symbol
      let kind = (entry >> ScalarMap.Bit.kindShift) & 7
      var gap = 0
      if entry & ScalarMap.Bit.removable != 0 {
        // A separator or an invisible character: invisible ones are always removed, visible
        // ones wait for the next kept scalar (`write + gapVisible <= index < n`).
        if !gapOpen {
          gapOpen = true
          gapStart = index
        }
        if kind == separator {
          let slot = write &+ gapVisible
          scalars[slot] = mapped
          starts[slot] = UInt32(truncatingIfNeeded: index)
          ends[slot] = UInt32(truncatingIfNeeded: index &+ 1)
          gapVisible &+= 1
          if gapBlank, !SeparatorPass.isBlank(mapped, .separator) { gapBlank = false }
        }
        index &+= 1
        continue
      }
      if gapOpen {
        let lastKept = last & 7
        var remove = gapVisible == 0
        if !remove, write > 0, gapVisible <= Normalizer.maximumRemovedGap {
          if (lastKept == ideographic && isWord(kind)) || (kind == ideographic && isWord(lastKept))
            || (lastKept == digit && kind == digit && gapBlank)
          {
            remove = true
          } else if lastKept == letter && kind == letter && last & singleLetter != 0 {
            return nil
          }
        }
        var previousEnd = gapStart
        if !remove {
          keepGap(from: write, count: gapVisible, starts: starts, gaps: gaps, previousEnd: &previousEnd)
          write &+= gapVisible
          run = 0
          last = separator
        }
        gap = index &- previousEnd
        last &= ~wasLetter
        gapOpen = false
        gapVisible = 0
        gapBlank = true
      }
      scalars[write] = mapped
      starts[write] = UInt32(truncatingIfNeeded: index)
      ends[write] = UInt32(truncatingIfNeeded: index &+ 1)
      gaps[write] = gap < 255 ? UInt8(truncatingIfNeeded: gap) : 255
      if entry & ScalarMap.Bit.runMember != 0 {
        run = (run &+ 1) | (entry & ScalarMap.Bit.separatorPass)
        if run >= convertingRun { return nil }
      } else {
        run = 0
      }
      if kind == letter {
        last = last & wasLetter == 0 ? letter | singleLetter | wasLetter : letter | wasLetter
      } else {
        last = kind
      }
      write &+= 1
      index &+= 1
    }
    // A gap at the end has no next scalar: its visible separators stay.
    if gapVisible > 0 {
      var previousEnd = gapStart
      keepGap(from: write, count: gapVisible, starts: starts, gaps: gaps, previousEnd: &previousEnd)
      write &+= gapVisible
    }
    return (index, write)
  }

  /// Keeps the `count` visible separators waiting at `first...`: fills their gaps.
  @inline(never)
  private func keepGap(
    from first: Int, count: Int, starts: UnsafeMutablePointer<UInt32>, gaps: UnsafeMutablePointer<UInt8>,
    previousEnd: inout Int
  ) {
    for slot in first..<(first &+ count) {
      let start = Int(starts[slot])
      let gap = start &- previousEnd
      gaps[slot] = gap < 255 ? UInt8(truncatingIfNeeded: gap) : 255
      previousEnd = start &+ 1
    }
  }
}

/// Reading UTF-8 four bytes at a time: one load gives a scalar's lead and continuation bytes, so
/// a three-byte sequence is checked with one mask and compare (lead `1110xxxx`, both
/// continuations `10xxxxxx`) and decoded with three masks and shifts.
enum UTF8Word {
  /// The pattern of a three-byte sequence's bytes, and the mask of the bits that decide it.
  static let threeByteMask: UInt32 = 0x00C0_C0F0
  static let threeBytePattern: UInt32 = 0x0080_80E0

  /// The (up to) four bytes at `position` as a little-endian word; bytes past `count` read as
  /// zero (which no continuation byte is, so a truncated sequence fails every fast check).
  @inline(__always)
  static func load(_ base: UnsafePointer<UInt8>, at position: Int, count: Int) -> UInt32 {
    let left = count &- position
    if left >= 4 {
      return UInt32(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt32.self))
    }
    return tail(base, at: position, left: left)
  }

  /// The last one to three bytes (`left`), zero-padded.
  @inline(__always)
  static func tail(_ base: UnsafePointer<UInt8>, at position: Int, left: Int) -> UInt32 {
    let first = UInt32(base[position])
    if left >= 3 {
      return first | UInt32(base[position &+ 1]) << 8 | UInt32(base[position &+ 2]) << 16
    }
    return left == 2 ? first | UInt32(base[position &+ 1]) << 8 : first
  }

  /// The scalar of a three-byte sequence whose word passed the `threeByteMask` check (it may
  /// still be overlong or a surrogate; the caller checks what it needs).
  @inline(__always)
  static func threeByteScalar(_ word: UInt32) -> UInt32 {
    (word & 0x0F) << 12 | (word & 0x3F00) >> 2 | (word & 0x3F_0000) >> 16
  }
}
