// Replacing a file so that a crash at any moment leaves either the old file or the new one whole:
// the bytes go to a temporary file in the same directory, are synced to the device, and the
// temporary file is renamed over the target (atomic on POSIX file systems); the directory is then
// synced so that the rename itself survives a power loss.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Atomic replacement of a file's contents.
package enum AtomicFile {
  /// Whether `path` names nothing (as opposed to a file that exists, or one that cannot be
  /// looked at).
  package static func isMissing(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) != 0 && errno == ENOENT
  }

  /// Writes `bytes` to `path`, replacing what was there only once they are all on the device.
  package static func write(_ bytes: [UInt8], to path: String) throws(FileError) {
    let directory = Self.directory(of: path)
    let temporary = "\(path).tmp-\(getpid())"
    let file = try FileDescriptor.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
    do throws(FileError) {
      try file.write(bytes)
      try file.sync()
      file.close()
    } catch {
      file.close()
      unlink(temporary)
      throw error
    }
    guard rename(temporary, path) == 0 else {
      let error = FileError.system("rename \(temporary) to", file: path)
      unlink(temporary)
      throw error
    }
    // The rename is done; a directory that cannot be synced (some file systems refuse) leaves it
    // in place, merely not yet forced to the device.
    if let dir = try? FileDescriptor.open(directory, flags: O_RDONLY) {
      try? dir.sync()
      dir.close()
    }
  }

  private static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let dir = path[..<slash]
    return dir.isEmpty ? "/" : String(dir)
  }
}
