// Text the library hands out: NUL-terminated bytes at a stable address, owned by a handle (or,
// for `plc_policy_check_message`, by the caller until `plc_string_free`).

/// NUL-terminated bytes whose address does not move while the object lives.
///
/// `@unchecked Sendable`: the bytes are written once, in `init`, and only read afterwards (C
/// callers get them as `const char *`), so sharing one between threads cannot race.
final class OwnedText: @unchecked Sendable {
  /// The first byte; `count` bytes of text and a NUL follow.
  let pointer: UnsafeMutablePointer<CChar>
  /// The length without the NUL.
  let count: Int

  private init(pointer: UnsafeMutablePointer<CChar>, count: Int) {
    self.pointer = pointer
    self.count = count
  }

  /// A copy of `bytes` with a NUL after them.
  convenience init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.init(pointer: OwnedText.allocateCopy(bytes), count: bytes.count)
  }

  /// A copy of `bytes`.
  convenience init(_ bytes: [UInt8]) {
    let copy = bytes.withUnsafeBufferPointer { OwnedText.allocateCopy($0) }
    self.init(pointer: copy, count: bytes.count)
  }

  /// A copy of the UTF-8 of `text`.
  convenience init(_ text: String) {
    self.init(Array(text.utf8))
  }

  deinit { pointer.deallocate() }

  /// The text as the header's borrowed `const char *`.
  var borrowed: UnsafePointer<CChar> { UnsafePointer(pointer) }

  /// A new NUL-terminated copy of `bytes` that the caller deallocates (`plc_string_free`).
  static func allocateCopy(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<CChar> {
    let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
    if let base = bytes.baseAddress {
      UnsafeMutableRawPointer(copy).copyMemory(from: base, byteCount: bytes.count)
    }
    copy[bytes.count] = 0
    return copy
  }
}
