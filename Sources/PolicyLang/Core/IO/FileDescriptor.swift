// The one wrapper of POSIX file descriptors: every temporary file, state file and output goes
// through it, so interrupted calls (EINTR), short reads and writes, and the wording of errors are
// handled in one place.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// The C library's calls, out of reach of `FileDescriptor`'s methods of the same names.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, p, n) }
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }

/// Why a file operation failed: what was attempted, on which file, and the system's reason.
public struct FileError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What was attempted: `open`, `read`, `write`, `sync`, `rename`, ...
  public var operation: String
  /// The file's path or name (`<stdout>`, `a temporary file`).
  public var file: String
  /// The system's explanation (`No space left on device`), or what was wrong.
  public var reason: String

  /// An error from its parts.
  public init(_ operation: String, file: String, reason: String) {
    self.operation = operation
    self.file = file
    self.reason = reason
  }

  /// The error of the last failed system call (`errno`).
  package static func system(_ operation: String, file: String) -> FileError {
    FileError(operation, file: file, reason: errnoText())
  }

  /// `cannot OPERATION FILE: REASON`.
  public var description: String { "cannot \(operation) \(file): \(reason)" }

  /// The text of the current `errno`.
  package static func errnoText() -> String {
    let code = errno
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
  }
}

/// An open file descriptor and the loops around `read`, `write`, `pread` and `pwrite`.
///
/// A value: copies name the same descriptor, and whoever opened it closes it (`close()`).
package struct FileDescriptor: Sendable {
  /// The raw descriptor.
  package let raw: Int32
  /// The name used in errors.
  package let name: String

  /// A descriptor the caller already holds.
  package init(raw: Int32, name: String) {
    self.raw = raw
    self.name = name
  }

  package static let standardInput = FileDescriptor(raw: 0, name: "<stdin>")
  package static let standardOutput = FileDescriptor(raw: 1, name: "<stdout>")
  package static let standardError = FileDescriptor(raw: 2, name: "<stderr>")

  /// Opens `path` with `flags` (and `mode` when creating); close-on-exec always.
  package static func open(
    _ path: String, flags: Int32, mode: mode_t = 0o644
  ) throws(FileError) -> FileDescriptor {
    var fd: Int32
    repeat {
      fd = systemOpen(path, flags | O_CLOEXEC, mode)
    } while fd < 0 && errno == EINTR
    guard fd >= 0 else { throw .system("open", file: path) }
    return FileDescriptor(raw: fd, name: path)
  }

  /// Closes the descriptor (errors of `close` are not actionable here: data was synced or is
  /// temporary).
  package func close() {
    _ = systemClose(raw)
  }

  /// Reads at most `buffer.count` bytes at the current position; 0 at the end of the file.
  package func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileError) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let got = systemRead(raw, base, buffer.count)
      if got >= 0 { return got }
      if errno != EINTR { throw .system("read", file: name) }
    }
  }

  /// Fills `buffer` from `offset`; a file that ends before it is filled is an error.
  package func read(exactly buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(FileError) {
    guard let base = buffer.baseAddress else { return }
    var done = 0
    while done < buffer.count {
      let got = pread(raw, base + done, buffer.count - done, off_t(offset + done))
      if got < 0 {
        if errno == EINTR { continue }
        throw .system("read", file: name)
      }
      guard got > 0 else { throw FileError("read", file: name, reason: "the file ends early") }
      done += got
    }
  }

  /// Writes all of `bytes` at the current position.
  package func write(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      let wrote = systemWrite(raw, base + done, bytes.count - done)
      if wrote < 0 {
        if errno == EINTR { continue }
        throw .system("write", file: name)
      }
      done += wrote
    }
  }

  /// Writes all of `bytes` at the current position.
  package func write(_ bytes: [UInt8]) throws(FileError) {
    let result = bytes.withUnsafeBytes { raw -> Result<Void, FileError> in
      do throws(FileError) {
        try write(raw)
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    try result.get()
  }

  /// Writes all of `bytes` at `offset` (the position is unchanged).
  package func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(FileError) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      let wrote = pwrite(raw, base + done, bytes.count - done, off_t(offset + done))
      if wrote < 0 {
        if errno == EINTR { continue }
        throw .system("write", file: name)
      }
      done += wrote
    }
  }

  /// Forces the file's data to its device.
  package func sync() throws(FileError) {
    while fsync(raw) != 0 {
      if errno != EINTR { throw .system("sync", file: name) }
    }
  }

  /// Moves the position back to the start of the file.
  package func rewind() throws(FileError) {
    guard lseek(raw, 0, SEEK_SET) == 0 else { throw .system("rewind", file: name) }
  }

  /// The size of the file in bytes.
  package func size() throws(FileError) -> Int {
    var info = stat()
    guard fstat(raw, &info) == 0 else { throw .system("stat", file: name) }
    return Int(info.st_size)
  }
}

/// Where temporary files go: `$TMPDIR`, else `/tmp`, checked once so that a run that needs one
/// can say at the start why none can be made.
package enum TemporaryDirectory {
  /// The directory temporary files are made in.
  package static var path: String {
    if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
    return "/tmp"
  }

  /// Why no temporary file can be made in `path`, or nil when one can.
  package static func problem() -> String? {
    do throws(FileError) {
      let file = try temporaryFile(named: "policyc-probe")
      file.close()
      return nil
    } catch {
      return "\(error.reason) (temporary directory \(path); set TMPDIR to a writable directory)"
    }
  }

  /// A new temporary file, already unlinked so that it disappears when closed, even if the
  /// process is killed.
  package static func temporaryFile(named name: String) throws(FileError) -> FileDescriptor {
    let directory = path
    var template = Array("\(directory)/\(name)-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
      guard let base = buffer.baseAddress else { return -1 }
      let fd = mkstemp(base)
      if fd >= 0 {
        unlink(base)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      }
      return fd
    }
    guard fd >= 0 else { throw .system("create a temporary file in", file: directory) }
    return FileDescriptor(raw: fd, name: "a temporary file in \(directory)")
  }
}
