// LSP positions count UTF-16 code units within a line; the checker's spans count bytes of
// UTF-8. These conversions walk one line's scalars: a CJK character is 3 bytes and 1 unit, an
// astral-plane character (an emoji, a rare Han character) 4 bytes and 2 units. Invalid UTF-8
// (possible in a file read from disk) counts 1 unit per byte, as its replacement character.

import PolicyLang

/// A position in a document: a 0-based line and a 0-based UTF-16 offset within it.
public struct TextPosition: Sendable, Hashable, Comparable {
  /// The 0-based line.
  public var line: Int
  /// The 0-based offset in the line, in UTF-16 code units.
  public var character: Int

  /// A position at `line`, `character` (UTF-16 units).
  public init(line: Int, character: Int) {
    self.line = line
    self.character = character
  }

  /// Document order.
  public static func < (a: TextPosition, b: TextPosition) -> Bool {
    (a.line, a.character) < (b.line, b.character)
  }

  /// The position as an LSP `Position`.
  public var json: JSONValue { ["line": JSONValue(line), "character": JSONValue(character)] }

  /// Reads an LSP `Position`; `nil` when it is not an object of two non-negative integers.
  public init?(json: JSONValue?) {
    guard let line = json?["line"]?.intValue, let character = json?["character"]?.intValue,
      line >= 0, character >= 0
    else { return nil }
    self.init(line: line, character: character)
  }
}

/// A range between two positions, end exclusive.
public struct TextRange: Sendable, Hashable {
  /// The first position in the range.
  public var start: TextPosition
  /// The position after the range.
  public var end: TextPosition

  /// The range from `start` to `end`.
  public init(start: TextPosition, end: TextPosition) {
    self.start = start
    self.end = end
  }

  /// The range as an LSP `Range`.
  public var json: JSONValue { ["start": start.json, "end": end.json] }

  /// Reads an LSP `Range`; `nil` when either end is not a valid position.
  public init?(json: JSONValue?) {
    guard let start = TextPosition(json: json?["start"]), let end = TextPosition(json: json?["end"])
    else { return nil }
    self.init(start: start, end: end)
  }
}

extension SourceFile {
  /// The UTF-16 position of byte `offset` (clamped to the file; an offset inside a character
  /// counts from that character's start).
  func position(of offset: Int) -> TextPosition {
    let clamped = max(0, min(offset, bytes.count))
    let line = lineIndex(of: clamped)
    var units = 0
    var i = lineStarts[line]
    while i < clamped {
      let (length, width) = scalarAt(i)
      if i + length > clamped { break }
      units += width
      i += length
    }
    return TextPosition(line: line, character: units)
  }

  /// The byte offset of a UTF-16 position. A line past the end gives the end of the file; a
  /// character past the end of its line gives the line's end (before its line break), as LSP
  /// asks; a position inside a surrogate pair gives the start of its character.
  func offset(of position: TextPosition) -> Int {
    guard position.line < lineStarts.count else { return bytes.count }
    let start = lineStarts[max(0, position.line)]
    let end = start + lineBytes(max(0, position.line)).count
    var units = 0
    var i = start
    while i < end && units < position.character {
      let (length, width) = scalarAt(i)
      if units + width > position.character { break }
      units += width
      i += length
    }
    return min(i, end)
  }

  /// The range of a byte span.
  func range(of span: SourceSpan) -> TextRange {
    TextRange(start: position(of: Int(span.start)), end: position(of: Int(span.end)))
  }

  /// The UTF-8 length of the scalar starting at byte `i`, and its width in UTF-16 units.
  private func scalarAt(_ i: Int) -> (length: Int, width: Int) {
    let lead = bytes[i]
    let length: Int
    switch lead {
    case 0..<0x80: return (1, 1)
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return (1, 1)
    }
    guard i + length <= bytes.count else { return (1, 1) }
    for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return (1, 1) }
    return (length, length == 4 ? 2 : 1)
  }
}
