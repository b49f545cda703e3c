/// Identifies one file among those loaded for a compilation.
///
/// A small integer rather than a path so that spans stay two words wide.
public struct FileID: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let raw: UInt32
  public init(_ raw: UInt32) { self.raw = raw }
  public static func < (a: FileID, b: FileID) -> Bool { a.raw < b.raw }
  public var description: String { "#\(raw)" }
}

/// The bytes of one source file and the table that turns byte offsets into lines and columns.
///
/// Positions are byte offsets (as in Go's `go/token`); line and column are computed on demand
/// from `lineStarts` by binary search, so the lexer never tracks them.
public struct SourceFile: Sendable {
  public let id: FileID
  /// The name shown in diagnostics: the path as the user gave it.
  public let name: String
  /// The file's bytes exactly as read, BOM included.
  public let bytes: [UInt8]
  /// Byte offset of the first byte of every line; `lineStarts[0] == 0`.
  public let lineStarts: [Int]

  public init(id: FileID, name: String, bytes: [UInt8]) {
    self.id = id
    self.name = name
    self.bytes = bytes
    var starts = [0]
    var i = 0
    let n = bytes.count
    while i < n {
      let b = bytes[i]
      if b == 0x0A {
        starts.append(i + 1)
      } else if b == 0x0D {
        // CR LF and a lone CR both end a line.
        if i + 1 < n && bytes[i + 1] == 0x0A { i += 1 }
        starts.append(i + 1)
      }
      i += 1
    }
    self.lineStarts = starts
  }

  public init(id: FileID, name: String, text: String) {
    self.init(id: id, name: name, bytes: Array(text.utf8))
  }

  /// The 1-based line and column of a byte offset. Columns count Unicode scalars, not bytes,
  /// so that editors and humans agree on them.
  public func location(of offset: Int) -> SourceLocation {
    let clamped = max(0, min(offset, bytes.count))
    let line = lineIndex(of: clamped)
    var column = 1
    var i = lineStarts[line]
    while i < clamped {
      // Count scalar starts: every byte that is not a UTF-8 continuation byte.
      if bytes[i] & 0xC0 != 0x80 { column += 1 }
      i += 1
    }
    return SourceLocation(line: line + 1, column: column)
  }

  /// The 0-based index of the line holding `offset`.
  public func lineIndex(of offset: Int) -> Int {
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// The bytes of a 0-based line without its line terminator.
  public func lineBytes(_ index: Int) -> ArraySlice<UInt8> {
    guard index >= 0 && index < lineStarts.count else { return [] }
    let start = lineStarts[index]
    var end = index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count
    while end > start && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
    return bytes[start..<end]
  }

  /// The text of a span, with invalid UTF-8 repaired.
  public func text(of span: SourceSpan) -> String {
    let lo = max(0, min(Int(span.start), bytes.count))
    let hi = max(lo, min(Int(span.end), bytes.count))
    return String(decoding: bytes[lo..<hi], as: UTF8.self)
  }
}

/// A 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
  public let line: Int
  public let column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
  public var description: String { "\(line):\(column)" }
}

/// A half-open byte range `start..<end` in one source file.
///
/// Named `SourceSpan`, not `Span`, so as not to shadow `Swift.Span`.
public struct SourceSpan: Hashable, Sendable, CustomStringConvertible {
  public let file: FileID
  public let start: UInt32
  public let end: UInt32

  public init(file: FileID, start: Int, end: Int) {
    self.file = file
    self.start = UInt32(clamping: start)
    self.end = UInt32(clamping: max(start, end))
  }

  /// An empty span that points at nothing; used for synthesized nodes.
  public static let none = SourceSpan(file: FileID(UInt32.max), start: 0, end: 0)

  public var isNone: Bool { file.raw == UInt32.max }
  public var length: Int { Int(end - start) }

  /// The smallest span covering both (same file assumed).
  public func to(_ other: SourceSpan) -> SourceSpan {
    if isNone { return other }
    if other.isNone { return self }
    return SourceSpan(
      file: file, start: Int(min(start, other.start)), end: Int(max(end, other.end)))
  }

  public var description: String { "\(file)[\(start)..<\(end)]" }
}

/// Every file of one compilation: the root policy and everything it imports.
public struct SourceMap: Sendable {
  public private(set) var files: [SourceFile] = []

  public init() {}

  /// Adds a file and returns its id.
  @discardableResult
  public mutating func add(name: String, bytes: [UInt8]) -> FileID {
    let id = FileID(UInt32(files.count))
    files.append(SourceFile(id: id, name: name, bytes: bytes))
    return id
  }

  /// The id the next file added gets.
  public var nextID: FileID { FileID(UInt32(files.count)) }

  /// Adds a file made with `nextID` (its line table kept, not rebuilt) and returns its id; a file
  /// made with another id is added anew under the right one.
  @discardableResult
  public mutating func add(_ file: SourceFile) -> FileID {
    guard file.id == nextID else { return add(name: file.name, bytes: file.bytes) }
    files.append(file)
    return file.id
  }

  public subscript(id: FileID) -> SourceFile? {
    let i = Int(id.raw)
    return i < files.count ? files[i] : nil
  }

  /// `name:line:column` of a span's start, as diagnostics print it.
  public func describe(_ span: SourceSpan) -> String {
    guard let file = self[span.file] else { return "<unknown>" }
    let loc = file.location(of: Int(span.start))
    return "\(file.name):\(loc.line):\(loc.column)"
  }
}
