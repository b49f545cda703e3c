// What the two kinds of temporary files of a run share: spilled event partitions
// (`SpillPartitions`) and sorted verdict runs (`VerdictSpool`).

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

enum SpillFile {
  /// A new temporary file in `$TMPDIR` (or `/tmp`), unlinked at once so that it disappears when
  /// closed, even if the process is killed; nil when none can be made.
  static func unlinkedTemporary(named name: String) -> Int32? {
    let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(directory)/\(name)-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
      guard let base = buffer.baseAddress else { return -1 }
      let fd = mkstemp(base)
      if fd >= 0 { unlink(base) }
      return fd
    }
    return fd >= 0 ? fd : nil
  }

  /// Appends `value` as eight little-endian bytes (the files' one integer encoding).
  static func appendInteger(_ value: UInt64, _ out: inout [UInt8]) {
    var v = value
    for _ in 0..<8 {
      out.append(UInt8(truncatingIfNeeded: v))
      v >>= 8
    }
  }
}
