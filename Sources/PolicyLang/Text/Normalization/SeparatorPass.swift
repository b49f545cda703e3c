/// The last normalization pass, in place: removes separators inside words and numbers
/// (`.separators`) and turns Chinese-numeral runs into ASCII digits (`.digits`).
struct SeparatorPass {
  let options: NormalizationOptions
  let tables: TextTables

  /// The value of a Chinese numeral (`幺` included), or nil.
  static func numeralValue(_ scalar: UInt32) -> UInt32? {
    switch scalar {
    case 0x96F6, 0x3007: return 0  // 零 〇
    case 0x4E00, 0x58F9, 0x58F1, 0x5E7A: return 1  // 一 壹 壱 幺
    case 0x4E8C, 0x8D30, 0x8CB3, 0x5F10: return 2  // 二 贰 貳 弐
    case 0x4E09, 0x53C1, 0x53C3, 0x53C2: return 3  // 三 叁 參 参
    case 0x56DB, 0x8086: return 4  // 四 肆
    case 0x4E94, 0x4F0D: return 5  // 五 伍
    case 0x516D, 0x9646, 0x9678: return 6  // 六 陆 陸
    case 0x4E03, 0x67D2: return 7  // 七 柒
    case 0x516B, 0x634C: return 8  // 八 捌
    case 0x4E5D, 0x7396: return 9  // 九 玖
    default: return nil
    }
  }

  /// Bit `v & 1023` is set for every numeral `v`: one load rules out almost every other scalar
  /// before the exact check.
  static let numeralFilter: [UInt64] = {
    var bits = [UInt64](repeating: 0, count: 16)
    for v in UInt32(0x3007)...UInt32(0x96F6) where numeralValue(v) != nil {
      let k = Int(v & 1023)
      bits[k >> 6] |= 1 << UInt64(k & 63)
    }
    return bits
  }()

  /// Whether `scalar` is a Chinese numeral (a filter lookup, then the exact check).
  @inline(__always)
  static func isNumeral(_ scalar: UInt32) -> Bool {
    guard scalar >= 0x3007, scalar <= 0x96F6 else { return false }
    let k = Int(scalar & 1023)
    guard numeralFilter[k >> 6] & (1 << UInt64(k & 63)) != 0 else { return false }
    return numeralValue(scalar) != nil
  }

  /// Separators a numeral run may span: white space, invisible characters and middle dots.
  static func isBlank(_ scalar: UInt32, _ kind: ScalarClass) -> Bool {
    if kind == .invisible { return true }
    switch scalar {
    case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
      0x3000, 0xB7, 0x30FB, 0xFF65, 0x2027:
      return true
    default: return false
    }
  }

  private static func isWord(_ kind: ScalarClass) -> Bool {
    kind == .ideographic || kind == .letter || kind == .digit
  }

  /// Runs the pass over `text` and fills its `gapBefore` (separators removed before each kept
  /// scalar), which the pass knows as it moves each scalar to its place.
  func run(_ text: inout NormalizedText) {
    let count = text.scalars.count
    text.gapBefore.setCount(count)
    // The map pass and composition keep the three arrays the same length.
    guard text.originStart.count == count, text.originEnd.count == count else {
      text.gapBefore.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
      return
    }
    var write = count
    tables.info.withUnsafeBufferPointer { info in
      text.scalars.withUnsafeMutableBufferPointer { scalars in
        text.originStart.withUnsafeMutableBufferPointer { starts in
          text.originEnd.withUnsafeMutableBufferPointer { ends in
            text.gapBefore.withUnsafeMutableBufferPointer { gaps in
              let buffers = Buffers(scalars: scalars, starts: starts, ends: ends, gaps: gaps, info: info)
              write = compact(buffers, count: count)
            }
          }
        }
      }
    }
    if write < count {
      text.scalars.setCount(write)
      text.originStart.setCount(write)
      text.originEnd.setCount(write)
      text.gapBefore.setCount(write)
    }
  }

  /// Runs the pass over `count` scalars held in buffers (the normalizer's temporary ones) and
  /// fills `gaps`; returns the new count. Every buffer holds at least `count` elements.
  /// `numerals` false says no scalar is a Chinese numeral, so no numeral run needs converting.
  func run(
    scalars: UnsafeMutableBufferPointer<UInt32>, starts: UnsafeMutableBufferPointer<UInt32>,
    ends: UnsafeMutableBufferPointer<UInt32>, gaps: UnsafeMutableBufferPointer<UInt8>, count: Int,
    numerals: Bool = true
  ) -> Int {
    guard scalars.count >= count, starts.count >= count, ends.count >= count, gaps.count >= count else {
      return count
    }
    return tables.info.withUnsafeBufferPointer { info in
      let buffers = Buffers(scalars: scalars, starts: starts, ends: ends, gaps: gaps, info: info)
      return compact(buffers, count: count, numerals: numerals)
    }
  }

  /// The arrays of a `NormalizedText` the pass rewrites, as buffers of `count` elements, and the
  /// tables' info bytes.
  private struct Buffers {
    let scalars: UnsafeMutableBufferPointer<UInt32>
    let starts: UnsafeMutableBufferPointer<UInt32>
    let ends: UnsafeMutableBufferPointer<UInt32>
    let gaps: UnsafeMutableBufferPointer<UInt8>
    let info: UnsafeBufferPointer<UInt8>

    /// The class of a scalar (`.unassigned` beyond the tables), as `TextTables.scalarClass`
    /// gives it.
    @inline(__always)
    func kind(_ scalar: UInt32) -> ScalarClass {
      let byte = Int(scalar) < info.count ? info[Int(scalar)] : 0
      // Every 3-bit value is a case of `ScalarClass` (0...7), so the cast needs no check.
      return unsafeBitCast(byte & 7, to: ScalarClass.self)
    }

    /// Moves element `source` to `target` (`target <= source < count`) and records how many
    /// original scalars lie between it and the previous kept one (`previousEnd`).
    @inline(__always)
    func keep(from source: Int, to target: Int, previousEnd: inout UInt32) {
      let start = starts[source]
      let end = ends[source]
      if source != target {
        scalars[target] = scalars[source]
        starts[target] = start
        ends[target] = end
      }
      gaps[target] = start > previousEnd ? UInt8(truncatingIfNeeded: min(start &- previousEnd, 255)) : 0
      previousEnd = end
    }
  }

  /// Removes and converts in place; returns the new count. Every index is below `count`: `read`
  /// and `end` are checked against it, `write <= read`, and a numeral run lies below `write`.
  private func compact(_ b: Buffers, count: Int, numerals: Bool = true) -> Int {
    let removeSeparators = options.contains(.separators)
    // Runs need a numeral to convert; without one, the run bookkeeping changes nothing.
    let convertNumerals = options.contains(.digits) && numerals
    let s = b.scalars
    var write = 0
    var read = 0
    var previousEnd: UInt32 = 0
    var lastKept = ScalarClass.other
    var lastKeptSingleLetter = false
    var previousInputWasLetter = false
    // The current run of digits and numerals in the output.
    var runStart = 0
    var runLength = 0
    var runNumerals = 0
    var runSpansGap = true  // whether the next member may continue the run
    // Read once: a static's every access goes through its lazy initializer.
    let numeralFilter = SeparatorPass.numeralFilter
    @inline(__always) func isNumeral(_ scalar: UInt32) -> Bool {
      guard scalar >= 0x3007, scalar <= 0x96F6 else { return false }
      let k = Int(scalar & 1023)
      guard numeralFilter.indices.contains(k >> 6), numeralFilter[k >> 6] & (1 << UInt64(k & 63)) != 0
      else { return false }
      return SeparatorPass.numeralValue(scalar) != nil
    }

    func closeRun() {
      if runLength >= Normalizer.numeralRunMinimum, runNumerals > 0 {
        for position in runStart..<(runStart + runLength) {
          if let value = SeparatorPass.numeralValue(s[position]) {
            s[position] = 0x30 + value
          }
        }
      }
      runLength = 0
      runNumerals = 0
    }

    while read < count {
      let scalar = s[read]
      let kind = b.kind(scalar)
      if removeSeparators, kind == .invisible || kind == .separator {
        var end = read
        var visible = 0
        var blank = true
        while end < count {
          let gapKind = b.kind(s[end])
          guard gapKind == .invisible || gapKind == .separator else { break }
          if gapKind == .separator { visible &+= 1 }
          if blank, !SeparatorPass.isBlank(s[end], gapKind) { blank = false }
          end &+= 1
        }
        var remove = visible == 0
        if !remove, write > 0, end < count, visible <= Normalizer.maximumRemovedGap {
          let next = b.kind(s[end])
          let nextSingleLetter =
            end &+ 1 >= count || b.kind(s[end &+ 1]) != .letter
          if (lastKept == .ideographic && SeparatorPass.isWord(next))
            || (next == .ideographic && SeparatorPass.isWord(lastKept))
            || (lastKept == .digit && next == .digit && blank)
            || (lastKept == .letter && next == .letter && lastKeptSingleLetter && nextSingleLetter)
          {
            remove = true
          }
        }
        if remove {
          if !blank { runSpansGap = false }
        } else {
          // Keep the visible separators (a kept separator ends any numeral run).
          for position in read..<end where b.kind(s[position]) == .separator {
            b.keep(from: position, to: write, previousEnd: &previousEnd)
            write &+= 1
          }
          closeRun()
          lastKept = .separator
          lastKeptSingleLetter = false
        }
        previousInputWasLetter = false
        read = end
        continue
      }
      b.keep(from: read, to: write, previousEnd: &previousEnd)
      if convertNumerals {
        // Numerals lie in U+3007...U+96F6; a bit filter rules out almost every other scalar.
        let isMember = (0x30...0x39).contains(scalar) || isNumeral(scalar)
        if isMember {
          if runLength == 0 || !runSpansGap || runStart &+ runLength != write {
            closeRun()
            runStart = write
          }
          runLength &+= 1
          if !(0x30...0x39).contains(scalar) { runNumerals &+= 1 }
        } else if runLength > 0 {
          closeRun()
        }
        runSpansGap = true
      }
      lastKept = kind
      lastKeptSingleLetter = kind == .letter && !previousInputWasLetter
      previousInputWasLetter = kind == .letter
      write &+= 1
      read &+= 1
    }
    closeRun()
    return write
  }
}
