// Lines of bytes already in memory, split and classified exactly as `LineReader` splits a file.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Splits bytes in memory into lines exactly as `LineReader` splits a file.
package struct MemoryLineSplitter {
  package let buffer: UnsafeBufferPointer<UInt8>
  let maxLineLength: Int
  /// Whether the first line is a file's first (a byte order mark there is dropped).
  let startsFile: Bool
  var start = 0
  package private(set) var number = 0

  package init(_ buffer: UnsafeBufferPointer<UInt8>, maxLineLength: Int, startsFile: Bool = true) {
    self.buffer = buffer
    self.maxLineLength = max(0, maxLineLength)
    self.startsFile = startsFile
  }

  package mutating func next() -> InputLine? {
    guard start < buffer.count, let base = buffer.baseAddress else { return nil }
    let end =
      if let hit = memchr(base + start, 0x0A, buffer.count - start) {
        base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      } else {
        buffer.count
      }
    var s = start
    var e = end
    start = end + 1
    number += 1
    if e > s && base[e - 1] == 0x0D { e -= 1 }
    if number == 1 && startsFile && e - s >= 3 && base[s] == 0xEF && base[s + 1] == 0xBB
      && base[s + 2] == 0xBF
    {
      s += 3
    }
    if e - s > maxLineLength { return InputLine(number: number, content: .tooLong(byteCount: e - s)) }
    var k = s
    while k < e && (base[k] == 0x20 || base[k] == 0x09 || base[k] == 0x0D) { k += 1 }
    if k == e { return InputLine(number: number, content: .blank) }
    return InputLine(number: number, content: .text(UnsafeBufferPointer(start: base + s, count: e - s)))
  }
}
