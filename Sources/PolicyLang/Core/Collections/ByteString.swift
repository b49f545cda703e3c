/// An id (conversation, shop, buyer, agent, platform, event name) compared as an exact byte string.
///
/// io.md compares ids byte for byte, without Unicode normalization, which Swift's `String` equality
/// (canonical equivalence) would apply. Ids of up to 15 bytes, the common case, are stored inline
/// without a heap allocation; equality, hashing and ordering are by the UTF-8 bytes.
public struct ByteString: Hashable, Comparable, Sendable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  // Three plain fields rather than an enum of an inline and a heap case: an event holds five ids,
  // and copying or freeing an enum with a payload goes through the runtime's generic witnesses,
  // while these fields are copied with one nullable reference count.
  //
  // Inline bytes are packed big-endian into two words and zero-padded, with the count in the low
  // byte of the second, so comparing the words compares the bytes (a prefix sorts first). A value
  // of up to 15 bytes is always inline (words set, `heap` nil) and a longer one always on the heap
  // (words zero): one representation per value, so the synthesized equality and hashing are exact.

  /// Bytes 0-7, big-endian; 0 for a heap value.
  @usableFromInline
  package let head: UInt64
  /// Bytes 8-14, big-endian in the high seven bytes, and the count in the low byte; 0 for a heap
  /// value.
  @usableFromInline
  package let tail: UInt64
  /// The bytes of a value longer than `inlineCapacity`.
  @usableFromInline
  package let heap: [UInt8]?

  /// The largest byte count stored inline.
  public static let inlineCapacity = 15

  /// The empty byte string (the shop of a conversation without one).
  public static let empty = ByteString(inlineWords: 0, 0, count: 0)

  /// An inline value from its words (the bytes beyond `count` zero; `count` at most 15).
  package init(inlineWords w0: UInt64, _ w1: UInt64, count: UInt8) {
    head = w0
    tail = w1 & ~0xFF | UInt64(count & 0x0F)
    heap = nil
  }

  /// Copies the bytes of a buffer.
  public init(_ bytes: UnsafeBufferPointer<UInt8>) {
    let n = bytes.count
    if n <= ByteString.inlineCapacity {
      // Copy into two zeroed words, then make them big-endian so the first byte is the highest.
      var words: (UInt64, UInt64) = (0, 0)
      withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
      self.init(inlineWords: words.0.bigEndian, words.1.bigEndian, count: UInt8(n))
    } else {
      self.init(heap: Array(bytes))
    }
  }

  /// A value longer than `inlineCapacity`.
  private init(heap bytes: [UInt8]) {
    head = 0
    tail = 0
    heap = bytes
  }

  /// Copies `count` bytes at `start`, where `readable` bytes from `start` may be read: with 16 or
  /// more, an inline value is two whole-word loads and masks instead of a copy byte by byte.
  @inline(__always)
  package init(_ start: UnsafePointer<UInt8>, count: Int, readable: Int) {
    guard count <= ByteString.inlineCapacity, readable >= 16 else {
      self.init(UnsafeBufferPointer(start: start, count: count))
      return
    }
    let raw = UnsafeRawPointer(start)
    let w0 = raw.loadUnaligned(as: UInt64.self).bigEndian
    let w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian
    self.init(
      inlineWords: w0 & ByteString.highBytes(count), w1 & ByteString.highBytes(count - 8), count: UInt8(count)
    )
  }

  /// A mask of the `count` highest bytes of a word (none for 0 or less, all for 8 or more).
  @inline(__always)
  package static func highBytes(_ count: Int) -> UInt64 {
    count >= 8 ? ~0 : count <= 0 ? 0 : ~0 << UInt64(64 - 8 * count)
  }

  /// Copies the bytes of a collection.
  public init<Bytes: Collection<UInt8>>(bytes: Bytes) {
    let array = Array(bytes)
    self = array.withUnsafeBufferPointer { ByteString($0) }
  }

  /// The UTF-8 bytes of a string, as written (no normalization).
  public init(_ string: String) {
    self.init(bytes: string.utf8)
  }

  /// The UTF-8 bytes of a string literal.
  public init(stringLiteral value: String) {
    self.init(value)
  }

  /// The number of bytes.
  public var count: Int {
    if let heap { return heap.count }
    return Int(tail & 0xFF)
  }

  /// Whether there are no bytes.
  public var isEmpty: Bool { count == 0 }

  /// The bytes as an array.
  public var bytes: [UInt8] {
    withBytes { Array($0) }
  }

  /// Calls `body` with the bytes, without copying heap storage.
  @inlinable
  public func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
    if let heap {
      // withUnsafeBufferPointer is rethrows, not typed; keep the typed error through a Result.
      let result: Result<R, E> = heap.withUnsafeBufferPointer { buffer in
        do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
      }
      return try result.get()
    }
    var words = (head.bigEndian, tail.bigEndian)
    let n = Int(tail & 0xFF)
    let result: Result<R, E> = withUnsafeBytes(of: &words) { raw in
      let buffer = UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: n)
      do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
    }
    return try result.get()
  }

  /// The bytes decoded as UTF-8 (ids from events are validated UTF-8, so nothing is replaced).
  public var string: String {
    withBytes { String(decoding: $0, as: UTF8.self) }
  }

  /// The id as text.
  public var description: String { string }

  /// Equal bytes: one representation per value, so equal fields (the words, or the heap bytes).
  @inlinable
  public static func == (a: ByteString, b: ByteString) -> Bool {
    a.head == b.head && a.tail == b.tail && a.heap == b.heap
  }

  /// Orders by bytes, lexicographically (a prefix sorts first), as io.md's verdict order requires.
  public static func < (a: ByteString, b: ByteString) -> Bool {
    if a.heap == nil && b.heap == nil {
      // The count sits below the bytes in `tail`: equal bytes then order by length.
      return a.head != b.head ? a.head < b.head : a.tail < b.tail
    }
    return a.withBytes { x in
      b.withBytes { y in
        let n = min(x.count, y.count)
        var i = 0
        while i < n {
          if x[i] != y[i] { return x[i] < y[i] }
          i += 1
        }
        return x.count < y.count
      }
    }
  }
}
