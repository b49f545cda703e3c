// `file:` URIs (RFC 8089) to file system paths and back. The checker reads files by path; the
// editor names documents by URI. A document the editor opened keeps the URI it was opened
// under (editors compare URIs as strings), so `uri(forPath:)` is only for files it did not open.

/// Converts between document URIs and paths.
public enum DocumentURI {
  /// The path of a `file:` URI, percent-decoded; `nil` for other schemes or a malformed URI.
  public static func path(fromURI uri: String) -> String? {
    let prefix = "file://"
    guard uri.lowercased().hasPrefix(prefix) else { return nil }
    var rest = Substring(uri.dropFirst(prefix.count))
    // `file://localhost/p` and `file:///p`: the authority is empty or the local host.
    if let slash = rest.firstIndex(of: "/") {
      let authority = rest[..<slash]
      guard authority.isEmpty || authority.lowercased() == "localhost" else { return nil }
      rest = rest[slash...]
    } else {
      return nil
    }
    if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
    // A NUL byte would cut the path short in the file system's calls.
    guard let decoded = percentDecoded(rest), !decoded.isEmpty, !decoded.utf8.contains(0) else { return nil }
    return decoded
  }

  /// The `file:` URI of an absolute path, percent-encoding every byte but unreserved ones and `/`.
  public static func uri(fromPath path: String) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var out = Array("file://".utf8)
    if !path.hasPrefix("/") { out.append(UInt8(ascii: "/")) }
    for byte in path.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"), UInt8(ascii: "/"):
        out.append(byte)
      default:
        out.append(UInt8(ascii: "%"))
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0xF)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `%XX` sequences decoded as UTF-8 bytes; `nil` for a malformed escape or invalid UTF-8.
  private static func percentDecoded(_ text: Substring) -> String? {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8).makeIterator()
    while let byte = iterator.next() {
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        continue
      }
      guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
        return nil
      }
      bytes.append(high << 4 | low)
    }
    return String(validating: bytes, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
