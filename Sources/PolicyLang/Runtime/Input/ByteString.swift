/// An id (conversation, shop, buyer, agent, platform, event name) compared as an exact byte string.
///
/// io.md compares ids byte for byte, without Unicode normalization, which Swift's `String` equality
/// (canonical equivalence) would apply. Ids of up to 16 bytes, the common case, are stored inline
/// without a heap allocation; equality, hashing and ordering are by the UTF-8 bytes.
public struct ByteString: Hashable, Comparable, Sendable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  /// Inline bytes are packed big-endian into two words and zero-padded, so comparing the words
  /// compares the bytes. A value of up to 16 bytes is always inline: one representation per value.
  @usableFromInline
  enum Storage: Hashable, Sendable {
    case inline(UInt64, UInt64, UInt8)
    case heap([UInt8])
  }

  @usableFromInline
  let storage: Storage

  /// The largest byte count stored inline.
  public static let inlineCapacity = 16

  /// The empty byte string (the shop of a conversation without one).
  public static let empty = ByteString(inlineWords: 0, 0, count: 0)

  init(inlineWords w0: UInt64, _ w1: UInt64, count: UInt8) {
    storage = .inline(w0, w1, count)
  }

  /// Copies the bytes of a buffer.
  public init(_ bytes: UnsafeBufferPointer<UInt8>) {
    let n = bytes.count
    if n <= ByteString.inlineCapacity {
      // Copy into two zeroed words, then make them big-endian so the first byte is the highest.
      var words: (UInt64, UInt64) = (0, 0)
      withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
      storage = .inline(words.0.bigEndian, words.1.bigEndian, UInt8(n))
    } else {
      storage = .heap(Array(bytes))
    }
  }

  /// Copies `count` bytes at `start`, where `readable` bytes from `start` may be read: with 16 or
  /// more, an inline value is two whole-word loads and masks instead of a copy byte by byte.
  @inline(__always)
  init(_ start: UnsafePointer<UInt8>, count: Int, readable: Int) {
    guard count <= ByteString.inlineCapacity, readable >= ByteString.inlineCapacity else {
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
  static func highBytes(_ count: Int) -> UInt64 {
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
    switch storage {
    case .inline(_, _, let n): return Int(n)
    case .heap(let a): return a.count
    }
  }

  /// Whether there are no bytes.
  public var isEmpty: Bool { count == 0 }

  /// The bytes as an array.
  public var bytes: [UInt8] {
    withBytes { Array($0) }
  }

  /// Calls `body` with the bytes, without copying heap storage.
  public func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
    switch storage {
    case .heap(let a):
      // withUnsafeBufferPointer is rethrows, not typed; keep the typed error through a Result.
      let result: Result<R, E> = a.withUnsafeBufferPointer { buffer in
        do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
      }
      return try result.get()
    case .inline(let w0, let w1, let n):
      var words = (w0.bigEndian, w1.bigEndian)
      let result: Result<R, E> = withUnsafeBytes(of: &words) { raw in
        let buffer = UnsafeBufferPointer(
          start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: Int(n))
        do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
      }
      return try result.get()
    }
  }

  /// The bytes decoded as UTF-8 (ids from events are validated UTF-8, so nothing is replaced).
  public var string: String {
    withBytes { String(decoding: $0, as: UTF8.self) }
  }

  /// The id as text.
  public var description: String { string }

  /// Orders by bytes, lexicographically (a prefix sorts first), as io.md's verdict order requires.
  public static func < (a: ByteString, b: ByteString) -> Bool {
    if case .inline(let a0, let a1, let an) = a.storage, case .inline(let b0, let b1, let bn) = b.storage {
      if a0 != b0 { return a0 < b0 }
      if a1 != b1 { return a1 < b1 }
      return an < bn
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
