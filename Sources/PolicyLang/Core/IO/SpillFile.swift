// What the two kinds of temporary files of a run share: spilled event partitions
// (`SpillPartitions`) and sorted verdict runs (`VerdictSpool`).

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

package enum SpillFile {
  /// A new temporary file in `$TMPDIR` (or `/tmp`), unlinked at once so that it disappears when
  /// closed, even if the process is killed; nil when none can be made.
  package static func unlinkedTemporary(named name: String) -> Int32? {
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
  package static func appendInteger(_ value: UInt64, _ out: inout [UInt8]) {
    var v = value
    for _ in 0..<8 {
      out.append(UInt8(truncatingIfNeeded: v))
      v >>= 8
    }
  }

  package static func appendArray(_ bytes: [UInt8], _ out: inout [UInt8]) {
    appendInteger(UInt64(bytes.count), &out)
    out.append(contentsOf: bytes)
  }

  package static func appendBytes(_ id: ByteString, _ out: inout [UInt8]) {
    id.withBytes { bytes in
      appendInteger(UInt64(bytes.count), &out)
      out.append(contentsOf: bytes)
    }
  }

  /// Reads events back; every length is checked, a short or odd file gives nil.
  package struct Reader {
    package let bytes: [UInt8]
    package var offset = 0

    package init(bytes: [UInt8], offset: Int = 0) {
      self.bytes = bytes
      self.offset = offset
    }

    package var atEnd: Bool { offset >= bytes.count }

    package mutating func byte() -> UInt8? {
      guard offset < bytes.count else { return nil }
      defer { offset += 1 }
      return bytes[offset]
    }

    package mutating func integer() -> UInt64? {
      guard bytes.count - offset >= 8 else { return nil }
      var v: UInt64 = 0
      for k in 0..<8 { v |= UInt64(bytes[offset + k]) << UInt64(8 * k) }
      offset += 8
      return v
    }

    package mutating func array() -> [UInt8]? {
      guard let n = integer(), n <= UInt64(bytes.count - offset) else { return nil }
      let start = offset
      offset += Int(n)
      return Array(bytes[start..<offset])
    }

    package mutating func id() -> ByteString? {
      guard let n = integer(), n <= UInt64(bytes.count - offset) else { return nil }
      let start = offset
      offset += Int(n)
      return bytes.withUnsafeBufferPointer { buffer in
        ByteString(UnsafeBufferPointer(rebasing: buffer[start..<start + Int(n)]))
      }
    }
  }
}
