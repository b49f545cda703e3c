// Where the server's bytes come from and go to: file descriptors (standard input and output,
// or pipes in tests) or memory.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A source of bytes: the editor's side of the connection.
public protocol ByteInput {
  /// Appends at most `maximum` bytes to `buffer`, waiting for at least one; returns how many
  /// were appended, 0 at the end of the input (or on a read error, which ends it too).
  mutating func read(into buffer: inout [UInt8], maximum: Int) -> Int
  /// Whether `read` would return without waiting.
  func isReadable() -> Bool
}

/// A sink of bytes: the editor's side of the connection.
public protocol ByteOutput {
  /// Writes every byte; returns false when the other side is gone.
  mutating func write(_ bytes: [UInt8]) -> Bool
}

/// Reads a file descriptor (standard input, a pipe).
public struct FileDescriptorInput: ByteInput {
  /// The descriptor read from; the caller owns it.
  public let descriptor: Int32
  /// Reused for every read.
  private var chunk = [UInt8](repeating: 0, count: 1 << 16)

  /// Reads `descriptor`, which stays open when reading ends.
  public init(descriptor: Int32) { self.descriptor = descriptor }

  /// Reads with `read(2)`, retrying when interrupted.
  public mutating func read(into buffer: inout [UInt8], maximum: Int) -> Int {
    let wanted = max(1, min(maximum, chunk.count))
    while true {
      let n = chunk.withUnsafeMutableBytes { raw in
        #if canImport(Glibc)
          Glibc.read(descriptor, raw.baseAddress, wanted)
        #else
          Darwin.read(descriptor, raw.baseAddress, wanted)
        #endif
      }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return 0 }
      buffer.append(contentsOf: chunk[0..<n])
      return n
    }
  }

  /// Polls the descriptor without waiting.
  public func isReadable() -> Bool {
    var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    return poll(&entry, 1, 0) > 0
  }
}

/// Writes a file descriptor (standard output, a pipe).
public struct FileDescriptorOutput: ByteOutput {
  /// The descriptor written to; the caller owns it.
  public let descriptor: Int32

  /// Writes `descriptor`, which stays open.
  public init(descriptor: Int32) { self.descriptor = descriptor }

  /// Writes with `write(2)` until every byte is out; false on a closed pipe or an error.
  public mutating func write(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      guard var pointer = raw.baseAddress else { return true }
      var remaining = raw.count
      while remaining > 0 {
        #if canImport(Glibc)
          let n = Glibc.write(descriptor, pointer, remaining)
        #else
          let n = Darwin.write(descriptor, pointer, remaining)
        #endif
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return false }
        remaining -= n
        pointer += n
      }
      return true
    }
  }
}

/// Bytes held in memory, read in chunks of at most `chunkSize` (tests use small chunks to split
/// messages at every possible place).
public struct MemoryInput: ByteInput {
  private let bytes: [UInt8]
  private var position = 0
  /// The most bytes one `read` returns.
  public var chunkSize: Int

  /// Input that yields `bytes`, then ends.
  public init(_ bytes: [UInt8], chunkSize: Int = 1 << 16) {
    self.bytes = bytes
    self.chunkSize = max(1, chunkSize)
  }

  /// The next chunk of the bytes.
  public mutating func read(into buffer: inout [UInt8], maximum: Int) -> Int {
    let n = min(maximum, chunkSize, bytes.count - position)
    guard n > 0 else { return 0 }
    buffer.append(contentsOf: bytes[position..<position + n])
    position += n
    return n
  }

  /// Whether bytes are left.
  public func isReadable() -> Bool { position < bytes.count }
}

/// Collects everything written, in memory.
public struct MemoryOutput: ByteOutput {
  /// Every byte written so far.
  public private(set) var bytes: [UInt8] = []

  /// An empty output.
  public init() {}

  /// Appends the bytes.
  public mutating func write(_ bytes: [UInt8]) -> Bool {
    self.bytes.append(contentsOf: bytes)
    return true
  }
}
