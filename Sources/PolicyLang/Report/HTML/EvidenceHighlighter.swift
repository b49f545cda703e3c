/// A message's text as HTML with its evidence marked at its exact characters.
///
/// Evidence offsets count Unicode scalars of the original text, end-exclusive (io.md), so the text
/// is cut at scalar boundaries, never at `Character`s (a grapheme cluster may be cut through, as
/// the offsets say). Evidence of different kinds may overlap: the text is split at every start and
/// end, and each piece covered by evidence is one `<mark>` naming all of it. Every piece is
/// escaped.
public enum EvidenceHighlighter {
  /// One range to mark.
  public struct Span: Sendable, Hashable {
    /// First scalar.
    public var start: Int
    /// One past the last scalar.
    public var end: Int
    /// The evidence kind (`term`, `phone`, ...): the mark's class and title.
    public var kind: String
    /// What the title says beyond the kind, e.g. the term.
    public var detail: String?

    /// A span from its parts.
    public init(start: Int, end: Int, kind: String, detail: String? = nil) {
      self.start = start
      self.end = end
      self.kind = kind
      self.detail = detail
    }
  }

  /// The HTML of `text` with `spans` marked; spans beyond the text are cut at its end.
  public static func html(_ text: String, spans: [Span]) -> String {
    var out = ""
    append(text, spans: spans, to: &out)
    return out
  }

  /// Appends `html(text, spans:)` to `out`.
  public static func append(_ text: String, spans: [Span], to out: inout String) {
    let scalars = Array(text.unicodeScalars)
    let n = scalars.count
    let marks = spans.compactMap { span -> Span? in
      var s = span
      s.start = min(max(0, s.start), n)
      s.end = min(max(s.start, s.end), n)
      return s.start < s.end ? s : nil
    }
    guard !marks.isEmpty else {
      HTMLText.append(text, to: &out)
      return
    }
    var cuts = Set([0, n])
    for mark in marks {
      cuts.insert(mark.start)
      cuts.insert(mark.end)
    }
    let boundaries = cuts.sorted()
    for (a, b) in zip(boundaries, boundaries.dropFirst()) {
      let piece = String(String.UnicodeScalarView(scalars[a..<b]))
      let covering = marks.filter { $0.start <= a && $0.end >= b }
      guard let first = covering.first else {
        HTMLText.append(piece, to: &out)
        continue
      }
      let title = covering.map { m in m.detail.map { "\(m.kind): \($0)" } ?? m.kind }.joined(separator: "; ")
      out += "<mark class=\"ev ev-\(className(first.kind))\" title=\""
      HTMLText.append(title, to: &out)
      out += "\">"
      HTMLText.append(piece, to: &out)
      out += "</mark>"
    }
  }

  /// A kind as a CSS class name: lower-case letters, digits and `_`, anything else `-`.
  static func className(_ kind: String) -> String {
    String(
      kind.unicodeScalars.map { s -> Character in
        switch s.value {
        case 0x61...0x7A, 0x30...0x39, 0x5F: return Character(s)
        default: return "-"
        }
      })
  }

  /// At most `limit` scalars of `text` around its spans (the whole text when it is short enough),
  /// the spans moved to the excerpt, and whether text was cut before and after it.
  public static func excerpt(
    _ text: String, spans: [Span], limit: Int
  ) -> (text: String, spans: [Span], cutBefore: Bool, cutAfter: Bool) {
    let scalars = Array(text.unicodeScalars)
    guard scalars.count > limit, limit > 0 else { return (text, spans, false, false) }
    let marked = spans.filter { $0.start < $0.end && $0.start < scalars.count }
    var start = 0
    if let first = marked.map(\.start).min(), let last = marked.map(\.end).max() {
      let covered = min(last, scalars.count) - first
      start = max(0, first - max(0, (limit - covered) / 2))
      start = min(start, scalars.count - limit)
    }
    let end = min(scalars.count, start + limit)
    let moved = spans.map { span in
      Span(start: span.start - start, end: span.end - start, kind: span.kind, detail: span.detail)
    }
    return (String(String.UnicodeScalarView(scalars[start..<end])), moved, start > 0, end < scalars.count)
  }
}
