import PolicyLangCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One physical line of an events file, valid until the reader's next call.
public struct InputLine {
  /// What the line holds.
  public enum Content {
    /// The line's bytes without LF, CR or a leading byte order mark; valid until the next `next()`.
    case text(UnsafeBufferPointer<UInt8>)
    /// Empty or only spaces, tabs and CRs: skipped, but counted.
    case blank
    /// Longer than the limit: its length in bytes (without the line end). The bytes were not kept.
    case tooLong(byteCount: Int)
  }

  /// The line number, counting every physical line from 1.
  public let number: Int
  /// What the line holds.
  public let content: Content

  /// A line from its parts.
  public init(number: Int, content: Content) {
    self.number = number
    self.content = content
  }
}

/// Why an input file could not be read (the caller exits 66 and reads the other files).
public enum InputError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The file could not be opened (missing, permission, a directory).
  case cannotOpen(name: String, reason: String)
  /// Reading failed part way.
  case readFailed(name: String, reason: String)

  /// `cannot open `NAME`: REASON`, as `policyc` prints it.
  public var description: String {
    switch self {
    case .cannotOpen(let name, let reason): return "cannot open \(name): \(reason)"
    case .readFailed(let name, let reason): return "cannot read \(name): \(reason)"
    }
  }
}

/// Reads a file or standard input in large chunks and splits it into lines (io.md "Input").
///
/// Lines end at LF; a CR before it is dropped; a UTF-8 byte order mark at the start of the file is
/// dropped; every physical line is numbered. A line longer than `maxLineLength` is reported as
/// `.tooLong` and skipped without holding it in memory, and reading continues after it.
public final class LineReader {
  /// The default `--max-line`, 16 MiB.
  public static let defaultMaxLineLength = 16 << 20
  /// The name of standard input in messages.
  public static let standardInputName = "<stdin>"
  package static let chunkSize = 1 << 20

  /// The name for messages: the path as given, or `<stdin>`.
  public let name: String
  /// The longest line accepted, in bytes without the line end.
  public let maxLineLength: Int
  private let fd: Int32
  private let ownsDescriptor: Bool
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private var start = 0
  private var end = 0
  private var atEOF = false
  private var lineNumber = 0

  /// Opens a file; `-` is not special here (the caller maps it to standard input).
  public init(path: String, maxLineLength: Int = LineReader.defaultMaxLineLength) throws(InputError) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw InputError.cannotOpen(name: path, reason: LineReader.errnoText()) }
    var info = stat()
    if fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
      close(descriptor)
      throw InputError.cannotOpen(name: path, reason: "Is a directory")
    }
    self.name = path
    self.fd = descriptor
    self.ownsDescriptor = true
    self.maxLineLength = max(0, maxLineLength)
    self.capacity = LineReader.chunkSize
    self.buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: LineReader.chunkSize)
  }

  /// Reads an open descriptor from its current position, under `name`; the caller closes it.
  package init(descriptor: FileDescriptor, name: String, maxLineLength: Int = LineReader.defaultMaxLineLength)
  {
    self.name = name
    self.fd = descriptor.raw
    self.ownsDescriptor = false
    self.maxLineLength = max(0, maxLineLength)
    self.capacity = LineReader.chunkSize
    self.buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: LineReader.chunkSize)
  }

  /// A file every byte read is also appended to (so that an input that cannot be read twice,
  /// standard input, can be read again from it), and the first failure to write it.
  package var tee: FileDescriptor?
  package private(set) var teeFailure: FileError?

  /// Reads standard input, named `<stdin>`.
  public init(standardInputWithMaxLineLength maxLineLength: Int = LineReader.defaultMaxLineLength) {
    self.name = LineReader.standardInputName
    self.fd = 0
    self.ownsDescriptor = false
    self.maxLineLength = max(0, maxLineLength)
    self.capacity = LineReader.chunkSize
    self.buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: LineReader.chunkSize)
  }

  deinit {
    buffer.deallocate()
    if ownsDescriptor { close(fd) }
  }

  package static func errnoText() -> String {
    guard let text = strerror(errno) else { return "error \(errno)" }
    return String(cString: text)
  }

  /// Reads up to `count` bytes into `destination` (retrying when interrupted); 0 at the end of the
  /// input. For readers that keep their own buffers (a grouped run's batches); not to be mixed
  /// with `next()` on the same reader.
  package func readBytes(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(InputError) -> Int
  {
    guard count > 0 else { return 0 }
    while true {
      let got = read(fd, destination, count)
      if got >= 0 { return got }
      if errno == EINTR { continue }
      throw InputError.readFailed(name: name, reason: LineReader.errnoText())
    }
  }

  /// Fills the buffer after `end`; sets `atEOF` when the input is exhausted.
  private func fill() throws(InputError) {
    while true {
      let got = read(fd, buffer + end, capacity - end)
      if got > 0 {
        if let tee, teeFailure == nil {
          do throws(FileError) {
            try tee.write(UnsafeRawBufferPointer(start: buffer + end, count: got))
          } catch {
            teeFailure = error
          }
        }
        end += got
        return
      }
      if got == 0 {
        atEOF = true
        return
      }
      if errno == EINTR { continue }
      throw InputError.readFailed(name: name, reason: LineReader.errnoText())
    }
  }

  /// The next line, or nil at the end of the input.
  public func next() throws(InputError) -> InputLine? {
    var scanFrom = start
    while true {
      if scanFrom < end, let hit = memchr(buffer + scanFrom, 0x0A, end - scanFrom) {
        let lf = buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        let lineStart = start
        start = lf + 1
        return classify(from: lineStart, to: lf)
      }
      scanFrom = end
      if atEOF {
        guard start < end else { return nil }
        let lineStart = start
        start = end
        return classify(from: lineStart, to: end)
      }
      let pending = end - start
      if pending - 1 > maxLineLength {
        return try skipLongLine()
      }
      if start > 0 {
        // Move the partial line to the front so the next read has room.
        if pending > 0 { buffer.update(from: buffer + start, count: pending) }
        scanFrom -= start
        start = 0
        end = pending
      }
      if end == capacity {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        bigger.update(from: buffer, count: end)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
      }
      try fill()
    }
  }

  /// Drops the rest of a line longer than the limit, counting its bytes.
  private func skipLongLine() throws(InputError) -> InputLine {
    var count = end - start
    var last = end > start ? buffer[end - 1] : 0
    start = 0
    end = 0
    while !atEOF {
      try fill()
      guard end > 0 else { continue }
      if let hit = memchr(buffer, 0x0A, end) {
        let lf = buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        count += lf
        if lf > 0 { last = buffer[lf - 1] }
        start = lf + 1
        break
      }
      count += end
      last = buffer[end - 1]
      end = 0
    }
    if last == 0x0D { count -= 1 }
    lineNumber += 1
    return InputLine(number: lineNumber, content: .tooLong(byteCount: count))
  }

  private func classify(from lineStart: Int, to lineEnd: Int) -> InputLine {
    lineNumber += 1
    var s = lineStart
    var e = lineEnd
    if e > s && buffer[e - 1] == 0x0D { e -= 1 }
    if lineNumber == 1 && e - s >= 3 && buffer[s] == 0xEF && buffer[s + 1] == 0xBB && buffer[s + 2] == 0xBF {
      s += 3
    }
    if e - s > maxLineLength {
      return InputLine(number: lineNumber, content: .tooLong(byteCount: e - s))
    }
    var k = s
    while k < e && (buffer[k] == 0x20 || buffer[k] == 0x09 || buffer[k] == 0x0D) { k += 1 }
    if k == e { return InputLine(number: lineNumber, content: .blank) }
    return InputLine(number: lineNumber, content: .text(UnsafeBufferPointer(start: buffer + s, count: e - s)))
  }
}
