/// The original text of a message, kept to quote matches: its UTF-8 bytes and an index from
/// Unicode scalar offsets (the offsets of evidence, io.md) to byte offsets.
///
/// Evidence quotes a few words of a text, so the text is not decoded into scalars: an array of
/// scalars costs four bytes per scalar, four times the bytes of ASCII text, for a 16 MiB line
/// 64 MB. The bytes are shared with the message's own array (no copy), and a long text keeps one
/// byte offset per `checkpointStride` scalars, so quoting a range walks at most that many scalars.
public struct OriginalText: Sendable, Equatable {
  /// The text as valid UTF-8 (invalid input is repaired when the value is made).
  public let utf8: [UInt8]
  /// The number of Unicode scalars of the text.
  public let count: Int
  /// The byte offset of scalar `k * checkpointStride`, for every such scalar up to `count`
  /// (empty for a text short enough to scan from its start).
  private let checkpoints: [Int]

  /// Scalars between two checkpoints.
  static let checkpointStride = 256
  /// Texts of at most this many bytes have no checkpoints: quoting scans them from the start.
  static let scannedLength = 1024

  /// No text.
  public init() {
    utf8 = []
    count = 0
    checkpoints = []
  }

  /// The text of UTF-8 `bytes`; invalid sequences are repaired as `String(decoding:as:)` does
  /// (one U+FFFD per maximal invalid subsequence), the text the matcher matches.
  public init(utf8 bytes: [UInt8]) {
    let valid = bytes.withUnsafeBufferPointer(Self.isValidUTF8)
    self.init(validUTF8: valid ? bytes : Array(String(decoding: bytes, as: UTF8.self).utf8))
  }

  /// The text of `string`.
  public init(_ string: String) {
    self.init(validUTF8: Array(string.utf8))
  }

  /// The text of `scalars`.
  public init(scalars: [Unicode.Scalar]) {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    self.init(String(view))
  }

  private init(validUTF8 bytes: [UInt8]) {
    utf8 = bytes
    var checkpoints: [Int] = []
    var scalars = 0
    if bytes.count > Self.scannedLength {
      checkpoints.reserveCapacity(bytes.count / Self.checkpointStride + 1)
      for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 {
        if scalars % Self.checkpointStride == 0 { checkpoints.append(offset) }
        scalars += 1
      }
      if scalars % Self.checkpointStride == 0 { checkpoints.append(bytes.count) }
    } else {
      for byte in bytes where byte & 0xC0 != 0x80 { scalars += 1 }
    }
    count = scalars
    self.checkpoints = checkpoints
  }

  /// Whether the text is empty.
  public var isEmpty: Bool { utf8.isEmpty }

  /// The text's scalars (decoded on each call).
  public var scalars: [Unicode.Scalar] {
    Array(String(decoding: utf8, as: UTF8.self).unicodeScalars)
  }

  /// The text of the scalar range `range`, clamped to the text.
  public func text(_ range: Range<Int>) -> String {
    let lo = max(0, min(range.lowerBound, count))
    let hi = max(lo, min(range.upperBound, count))
    guard lo < hi else { return "" }
    let start = byteOffset(ofScalar: lo)
    let end = byteOffset(ofScalar: hi - lo, after: start)
    return String(decoding: utf8[start..<end], as: UTF8.self)
  }

  /// The byte offset of scalar `scalar` (at most `count`).
  private func byteOffset(ofScalar scalar: Int) -> Int {
    let checkpoint = scalar / Self.checkpointStride
    guard checkpoint < checkpoints.count else { return byteOffset(ofScalar: scalar, after: 0) }
    return byteOffset(ofScalar: scalar - checkpoint * Self.checkpointStride, after: checkpoints[checkpoint])
  }

  /// The byte offset `scalars` scalars after the scalar that starts at byte `offset`.
  private func byteOffset(ofScalar scalars: Int, after offset: Int) -> Int {
    var offset = offset
    var remaining = scalars
    while remaining > 0 && offset < utf8.count {
      offset += 1
      while offset < utf8.count && utf8[offset] & 0xC0 == 0x80 { offset += 1 }
      remaining -= 1
    }
    return offset
  }

  /// Whether `bytes` are valid UTF-8 (as `Normalizer.decode` reads them: no U+FFFD of one byte).
  static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var position = 0
    while position < bytes.count {
      if bytes[position] < 0x80 {
        position += 1
        continue
      }
      let (scalar, length) = Normalizer.decode(bytes, at: position)
      if scalar == 0xFFFD && length == 1 { return false }
      position += length
    }
    return true
  }
}
