// The C caller's arguments, each checked once at the boundary: NULL pointers, lengths that do not
// fit, text that is not UTF-8. Everything past these functions works with checked Swift values.

import CPolicyLang
import PolicyLang

/// Readers of C arguments; each throws `Failure.invalidArgument` naming the call and argument.
enum Arguments {
  /// A NUL-terminated UTF-8 string the call requires.
  static func string(
    _ pointer: UnsafePointer<CChar>?, _ name: String, in function: StaticString
  ) throws(Failure) -> String {
    guard let pointer else { throw .invalidArgument(function, "`\(name)` is NULL") }
    guard let text = String(validatingCString: pointer) else {
      throw .invalidArgument(function, "`\(name)` is not valid UTF-8")
    }
    return text
  }

  /// `length` bytes at `pointer`, which may be NULL only when `length` is 0. `length` arrives as
  /// the C `size_t` read as `Int`: a negative value is a size no buffer can have.
  static func bytes(
    _ pointer: UnsafePointer<CChar>?, _ length: Int, _ name: String, in function: StaticString
  ) throws(Failure) -> UnsafeBufferPointer<UInt8> {
    guard length >= 0 else {
      throw .invalidArgument(
        function, "the length of `\(name)`, \(UInt(bitPattern: length)), is larger than any buffer")
    }
    guard length > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
    guard let pointer else {
      throw .invalidArgument(function, "`\(name)` is NULL but its length is \(length)")
    }
    // CChar and UInt8 are the signed and unsigned forms of one byte: reading either is allowed.
    return UnsafeBufferPointer(
      start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length)
  }

  /// An output pointer the call must be given.
  static func output<Pointee>(
    _ pointer: UnsafeMutablePointer<Pointee>?, _ name: String, in function: StaticString
  ) throws(Failure) -> UnsafeMutablePointer<Pointee> {
    guard let pointer else { throw .invalidArgument(function, "`\(name)` is NULL") }
    return pointer
  }

  /// The evaluators of `count` policies at `list` (`const plc_policy *const *`), none NULL.
  static func evaluators(
    _ list: UnsafePointer<OpaquePointer?>?, _ count: Int, in function: StaticString
  ) throws(Failure) -> [Evaluator] {
    guard let list else { throw .invalidArgument(function, "`policies` is NULL") }
    guard count > 0 else { throw .invalidArgument(function, "`count` is 0: give at least one policy") }
    var evaluators: [Evaluator] = []
    for index in 0..<count {
      evaluators.append(try policy(list[index], "policies[\(index)]", in: function).evaluator)
    }
    return evaluators
  }

  /// The policy behind a `const plc_policy *`.
  static func policy(
    _ handle: OpaquePointer?, _ name: String = "policy", in function: StaticString
  ) throws(Failure) -> PolicyObject {
    guard let handle else { throw .invalidArgument(function, "`\(name)` is NULL") }
    return Handle.borrow(handle, as: PolicyObject.self)
  }

  /// The session behind a `plc_session *`.
  static func session(_ handle: OpaquePointer?, in function: StaticString) throws(Failure) -> SessionObject {
    guard let handle else { throw .invalidArgument(function, "`session` is NULL") }
    return Handle.borrow(handle, as: SessionObject.self)
  }

  /// An instant given as Unix seconds and nanoseconds, inside the years RFC 3339 can write
  /// (so that no later arithmetic on it can overflow).
  static func instant(
    _ seconds: Int64, _ nanoseconds: UInt32, in function: StaticString
  ) throws(Failure) -> Timestamp {
    guard nanoseconds < 1_000_000_000 else {
      throw .invalidArgument(function, "`nanoseconds` is \(nanoseconds), not 0 to 999999999")
    }
    guard instantRange.contains(seconds) else {
      throw .invalidArgument(
        function, "`seconds` \(seconds) is outside the years 0001 to 9999 that RFC 3339 can write")
    }
    return Timestamp(seconds: seconds, nanoseconds: Int32(nanoseconds))
  }

  /// 0001-01-01T00:00:00Z through 9999-12-31T23:59:59Z, in Unix seconds.
  private static let instantRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799
}
