import Synchronization

// The map pass's answer for every scalar below U+20000 (the BMP and the emoji plane), one load
// each: the scalar it maps to when that is one scalar, and what the later passes need to know.
// Chat text is almost all in this range, and most of its scalars map to themselves or to one
// scalar (full-width punctuation, Traditional characters), which otherwise cost a hash lookup
// each. Built once per set of options, on first use, and shared.

/// The one-scalar mapping of every scalar below `limit` under one set of options.
final class ScalarMap: Sendable {
  /// Scalars at and beyond this value take the general path.
  static let limit: UInt32 = 0x2_0000

  enum Bit {
    /// The mapped scalar.
    static let symbol: UInt32 = 0x1F_FFFF
    /// The mapping is not one scalar, or may compose with a neighbour: take the general path.
    static let general: UInt32 = 1 << 21
    /// The mapped scalar makes the separator pass necessary (a separator or an invisible
    /// character under `.separators`, a Chinese numeral under `.digits`).
    static let separatorPass: UInt32 = 1 << 22
    /// The mapped scalar is a separator or an invisible character (under `.separators`).
    static let removable: UInt32 = 1 << 23
    /// The mapped scalar's `ScalarClass` raw value sits at this shift (three bits), so the
    /// fused pass knows a kept scalar's class from the same load.
    static let kindShift: UInt32 = 28
    /// The mapped scalar is an ASCII digit or a Chinese numeral, under `.digits`: a member of
    /// the numeral runs the separator pass converts.
    static let runMember: UInt32 = 1 << 24
  }

  /// Per scalar below `limit`: the mapped scalar and `Bit` flags.
  let entries: [UInt32]

  private init(normalizer: Normalizer) {
    let options = normalizer.options
    let tables = TextTables.shared
    var entries = [UInt32](repeating: Bit.general, count: Int(Self.limit))
    var mapped = NormalizedText()
    for v in 0..<Self.limit where v < 0xD800 || v > 0xDFFF {
      let info = tables.infoByte(v)
      let kind = info & 7
      var symbol = v
      if v < 0x80 || info & 0xF8 != 0 || kind == ScalarClass.digit.rawValue
        || kind == ScalarClass.other.rawValue
      {
        // Scalars with a flag, digits and symbols may map elsewhere: ask the map pass.
        let composes = normalizer.mapAlone(v, into: &mapped)
        guard mapped.scalars.count == 1, !composes, mapped.scalars[0] < Self.limit else { continue }
        symbol = mapped.scalars[0]
      }
      let mappedKind = tables.scalarClass(symbol)
      var entry = symbol | UInt32(mappedKind.rawValue) << Bit.kindShift
      if options.contains(.separators), mappedKind == .separator || mappedKind == .invisible {
        entry |= Bit.removable | Bit.separatorPass
      }
      if options.contains(.digits), SeparatorPass.isNumeral(symbol) {
        entry |= Bit.separatorPass | Bit.runMember
      }
      if options.contains(.digits), symbol >= 0x30, symbol <= 0x39 { entry |= Bit.runMember }
      entries[Int(v)] = entry
    }
    self.entries = entries
  }

  private static let cache = PerOptions { ScalarMap(normalizer: Normalizer(withoutScalarMap: $0)) }

  /// The shared map for `options`.
  static func shared(for options: NormalizationOptions) -> ScalarMap { cache.value(for: options) }
}

/// One value per set of normalization options (five option bits: 32 slots), built on first use
/// and shared by every thread. A value is built outside the lock; when two threads build the same
/// one, the first stored wins.
final class PerOptions<Value: AnyObject & Sendable>: Sendable {
  private let slots = Mutex<[Value?]>(Array(repeating: nil, count: 32))
  private let build: @Sendable (NormalizationOptions) -> Value

  init(_ build: @escaping @Sendable (NormalizationOptions) -> Value) { self.build = build }

  func value(for options: NormalizationOptions) -> Value {
    let slot = Int(options.rawValue & 31)
    if let built = slots.withLock({ $0[slot] }) { return built }
    let value = build(options)
    return slots.withLock { slots in
      if let built = slots[slot] { return built }
      slots[slot] = value
      return value
    }
  }
}
