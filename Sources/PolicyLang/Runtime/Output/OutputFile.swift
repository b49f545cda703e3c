#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The C library's `write`, out of reach of `OutputFile.write`'s name.
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
  write(fd, p, n)
}

/// Why output could not be written (a closed pipe, a full disk).
public struct OutputError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The system's explanation.
  public var reason: String

  /// An error with its explanation.
  public init(reason: String) { self.reason = reason }

  /// `cannot write output: REASON`.
  public var description: String { "cannot write output: \(reason)" }
}

/// Writes bytes to a file descriptor (standard output by default), retrying partial writes.
public struct OutputFile: Sendable {
  /// The descriptor written to.
  public let descriptor: Int32

  /// Standard output.
  public static let standardOutput = OutputFile(descriptor: 1)
  /// Standard error.
  public static let standardError = OutputFile(descriptor: 2)

  /// A writer for a descriptor the caller keeps open.
  public init(descriptor: Int32) { self.descriptor = descriptor }

  /// Writes all of `bytes`.
  public func write(_ bytes: [UInt8]) throws(OutputError) {
    let result: Result<Void, OutputError> = bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        guard let base = raw.baseAddress else { break }
        let wrote = systemWrite(descriptor, base + offset, raw.count - offset)
        if wrote < 0 {
          if errno == EINTR { continue }
          let text = strerror(errno).map { String(cString: $0) } ?? "error \(errno)"
          return .failure(OutputError(reason: text))
        }
        offset += wrote
      }
      return .success(())
    }
    try result.get()
  }

  /// Writes a verdict writer's bytes and empties it.
  public func flush(_ writer: inout VerdictWriter) throws(OutputError) {
    try write(writer.bytes)
    writer.removeAll()
  }
}
