/// The file types of `has attachment ... of type [...]` (Grammar.md 3): an extension with its dot
/// (`.pdf`) or a media type (`application/pdf`, `image/*`), compared without case.
public enum FileType {
  /// The file type as a policy writes it, lower-cased, or nil when it is neither form: `.` and at
  /// least one more character with no `/`; or `type/subtype` (a subtype `*` for the whole type)
  /// with no space or `;`.
  public static func normalized(_ written: String) -> String? {
    let lowered = lowercasedASCII(Array(written.utf8))
    guard !lowered.isEmpty, !lowered.contains(0x20), !lowered.contains(0x3B) else { return nil }
    if lowered[0] == 0x2E {
      guard lowered.count > 1, !lowered.contains(0x2F) else { return nil }
      return String(decoding: lowered, as: UTF8.self)
    }
    let parts = lowered.split(separator: 0x2F, omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[0].contains(0x2A) else { return nil }
    return String(decoding: lowered, as: UTF8.self)
  }

  /// Whether an attachment with this file name and media type (UTF-8 bytes, either absent) has
  /// one of `types` (each `normalized`): an extension is what follows the name's last `.`, a
  /// media type the `mime` up to any `;`, trimmed; `type/*` takes every subtype.
  public static func matches(name: [UInt8]?, mime: [UInt8]?, types: [String]) -> Bool {
    let ext = name.flatMap(extensionOf)
    let media = mime.map(mediaTypeOf)
    for type in types {
      let t = Array(type.utf8)
      if t.first == 0x2E {
        if let ext, ext == t { return true }
      } else if let media {
        if t.count >= 2, t[t.count - 2] == 0x2F, t[t.count - 1] == 0x2A {
          // `image/*`: the media type starts with `image/`.
          if media.count > t.count - 1, Array(media.prefix(t.count - 1)) == Array(t.dropLast()) {
            return true
          }
        } else if media == t {
          return true
        }
      }
    }
    return false
  }

  /// `.pdf` for `报价.PDF`; nil without a `.` or with nothing after the last one.
  static func extensionOf(_ name: [UInt8]) -> [UInt8]? {
    guard let dot = name.lastIndex(of: 0x2E), dot + 1 < name.count else { return nil }
    return lowercasedASCII(Array(name[dot...]))
  }

  /// `application/pdf` for `Application/PDF; charset=x`.
  static func mediaTypeOf(_ mime: [UInt8]) -> [UInt8] {
    let head = mime.split(separator: 0x3B, maxSplits: 1, omittingEmptySubsequences: false).first ?? []
    let trimmed = head.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }
      .reversed()
    return lowercasedASCII(Array(trimmed))
  }

  static func lowercasedASCII(_ bytes: [UInt8]) -> [UInt8] {
    bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
  }
}
