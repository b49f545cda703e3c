// JSON text pieces written outside a `LineSink` line: strings and exact decimals, with the same
// escaping and digits as the verdict and diagnostic lines.

/// Appends JSON strings and decimals to byte arrays.
public enum JSONText {
  /// Appends a JSON string literal of UTF-8 bytes: `"` and `\` escaped, control characters as
  /// `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`; everything else (non-ASCII included) as is. The
  /// escaping is `LineSink.jsonString`'s, the one the verdict lines use.
  public static func appendString(_ s: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buffer in
      var line = LineSink(buffer)
      line.jsonString(s)
      out.append(contentsOf: line.written)
    }
  }

  /// Appends `units / 10^scale` as the shortest decimal that is exact: no trailing zeros, no point
  /// when whole (7500 at scale 4 is `0.75`, 10000 is `1`, 3333 is `0.3333`).
  public static func appendDecimal(_ units: Int64, scale: Int, to out: inout [UInt8]) {
    var divisor: Int64 = 1
    for _ in 0..<scale { divisor *= 10 }
    if units < 0 { out.append(0x2D) }
    let magnitude = units.magnitude
    let whole = magnitude / UInt64(divisor)
    var fraction = magnitude % UInt64(divisor)
    out.append(contentsOf: String(whole).utf8)
    guard fraction > 0 else { return }
    var width = scale
    while fraction % 10 == 0 {
      fraction /= 10
      width -= 1
    }
    out.append(0x2E)
    let digits = String(fraction)
    for _ in digits.count..<width { out.append(0x30) }
    out.append(contentsOf: digits.utf8)
  }
}
