import PolicyLangCore

/// Why a file is not the text of a policy, library or word list. A diagnostic never shows a line
/// of such a file: it may be anything a path reached (a key, a database, a binary), so the loader
/// reports it once, by name, with this reason.
public enum ForeignContent: Sendable, Equatable {
  /// The file holds a NUL byte, at this offset: no text file does.
  case nulByte(offset: Int)
  /// The file holds this many bytes that are not UTF-8 (more than a stray few).
  case notUTF8(invalidBytes: Int)
  /// A line (1-based) is longer than `PolicyLimits.maximumLineBytes`.
  case overlongLine(line: Int, bytes: Int)
  /// Parsing it gave this many errors, at least `PolicyLimits.diagnosticsPerFile`.
  case tooManyErrors(Int)

  /// Judges a file's bytes before any of its lines is parsed; nil when they may be text.
  public static func inspect(_ bytes: [UInt8]) -> ForeignContent? {
    let shape: ForeignContent? = bytes.withUnsafeBufferPointer { buffer in
      var line = 1
      var lineStart = 0
      for i in buffer.indices {
        let byte = buffer[i]
        if byte > 0x0D { continue }
        if byte == 0 { return .nulByte(offset: i) }
        guard byte == 0x0A || byte == 0x0D else { continue }
        if i - lineStart > PolicyLimits.maximumLineBytes {
          return .overlongLine(line: line, bytes: i - lineStart)
        }
        // CR LF ends one line, as `SourceFile` counts them.
        if !(byte == 0x0A && i > 0 && buffer[i - 1] == 0x0D) { line += 1 }
        lineStart = i + 1
      }
      if buffer.count - lineStart > PolicyLimits.maximumLineBytes {
        return .overlongLine(line: line, bytes: buffer.count - lineStart)
      }
      return nil
    }
    if let shape { return shape }
    let invalid = invalidUTF8Bytes(bytes)
    if invalid > PolicyLimits.maximumInvalidUTF8Bytes { return .notUTF8(invalidBytes: invalid) }
    return nil
  }

  /// Bytes that do not belong to a valid UTF-8 sequence.
  static func invalidUTF8Bytes(_ bytes: [UInt8]) -> Int {
    if String(validating: bytes, as: UTF8.self) != nil { return 0 }
    var invalid = 0
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    loop: while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid: continue
      case .error(let length): invalid += length
      case .emptyInput: break loop
      }
    }
    return invalid
  }

  /// Why the file is refused, for a diagnostic naming it.
  public var reason: LocalizedText {
    switch self {
    case .nulByte(let offset):
      return LocalizedText(
        "it holds a NUL byte (at byte \(offset)), so it is a binary file",
        zh: "它含有 NUL 字节(第 \(offset) 字节),是二进制文件")
    case .notUTF8(let count):
      return LocalizedText(
        "\(count) of its bytes are not UTF-8", zh: "其中 \(count) 个字节不是 UTF-8")
    case .overlongLine(let line, let bytes):
      return LocalizedText(
        "line \(line) is \(bytes) bytes long; a line may hold at most \(PolicyLimits.maximumLineBytes)",
        zh: "第 \(line) 行长 \(bytes) 字节;一行最多 \(PolicyLimits.maximumLineBytes) 字节")
    case .tooManyErrors:
      let bound = PolicyLimits.diagnosticsPerFile
      return LocalizedText(
        "reading it gave \(bound) or more errors", zh: "读取它产生了 \(bound) 个或更多错误")
    }
  }
}
