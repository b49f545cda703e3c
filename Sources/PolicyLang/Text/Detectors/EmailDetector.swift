/// The `email` detector (Grammar.md 5.2): a local part of ASCII letters, digits and `. _ % + -`
/// (1-64 scalars, starting and ending with a letter or digit), `@`, and a host of two or more
/// labels whose last label is a top-level domain of the Public Suffix List. Nothing may be removed
/// by normalization around the `@`; the local part is maximal (a letter or digit glued before it
/// belongs to it).
public enum EmailDetector {
  /// The e-mail addresses of `text`, leftmost-longest without overlaps.
  public static func find(in text: NormalizedText, psl: PublicSuffixList = .shared) -> [TextEvidence] {
    // Buffer pointers: the scan visits every scalar, and every `@` tries a host.
    text.scalars.withUnsafeBufferPointer { s in
      text.gapBefore.withUnsafeBufferPointer { g in find(text, s, g, psl: psl) }
    }
  }

  /// `find` on the text's scalars `s` and removed-separator counts `g` (indices are checked
  /// against their counts before every read).
  private static func find(
    _ text: NormalizedText, _ s: UnsafeBufferPointer<UInt32>, _ g: UnsafeBufferPointer<UInt8>,
    psl: PublicSuffixList
  ) -> [TextEvidence] {
    func gap(before i: Int) -> UInt8 { i >= 0 && i < g.count ? g[i] : 0 }
    var out: [TextEvidence] = []
    var nextFree = 0
    var a = 0
    while a < s.count {
      defer { a += 1 }
      guard s[a] == 0x40, a > 0, gap(before: a) == 0, gap(before: a + 1) == 0 else { continue }
      var start = a
      while start > nextFree, isLocalScalar(s[start - 1]), start == a || gap(before: start) == 0 {
        start -= 1
      }
      // Leading punctuation belongs to the sentence, not the address.
      while start < a, !TextClass.isASCIIAlnum(s[start]) { start += 1 }
      guard start < a, a - start <= 64, TextClass.isASCIIAlnum(s[a - 1]) else { continue }
      // The host's shape only: its last label is looked up by its scalars, no `String` is built.
      guard let host = Host.scan(s, at: a + 1), host.labelCount >= 2,
        psl.isTopLevelDomain(s, host.lastLabel), !Host.isNumeric(s, host.lastLabel)
      else { continue }
      out.append(TextEvidence(kind: .email, normalized: start..<host.end, in: text))
      nextFree = host.end
      a = host.end - 1
    }
    return out
  }

  private static func isLocalScalar(_ v: UInt32) -> Bool {
    TextClass.isASCIIAlnum(v) || v == 0x2E || v == 0x5F || v == 0x25 || v == 0x2B || v == 0x2D
  }
}

/// The `qr_code` detector is about attachments, not text.
public enum QRCodeDetector {
  /// Whether an attachment is a QR code: of type `qr_code`, or carrying `qr: true`.
  public static func isQRCode(type: String?, qr: Bool?) -> Bool {
    type == "qr_code" || qr == true
  }
}
