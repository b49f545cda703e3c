// The base protocol's framing: each message is a header block (`Content-Length: N`, optionally
// `Content-Type`, each line ended by CR LF, the block ended by an empty line) and N bytes of
// JSON. The reader never trusts the header: a block without a valid length, a line without `:`,
// an overlong header or a length past the limit is reported as a malformed frame, and reading
// resumes at the next `Content-Length:` (or after the announced body, when its length was
// readable), so garbage on the wire costs one error response, never the connection.

/// One result of reading the wire.
public enum Frame: Sendable, Equatable {
  /// A message body (JSON text, not yet parsed).
  case message([UInt8])
  /// A header block that could not be understood, and why; reading goes on after it.
  case malformed(String)
  /// The input ended (a message cut short by the end is dropped).
  case end
}

/// Splits a byte stream into `Content-Length` framed messages.
public struct FrameReader<Input: ByteInput> {
  /// The largest message body accepted: 64 MiB (a policy file may hold 8 MiB, JSON-escaped).
  public static var maximumBodyBytes: Int { 64 << 20 }
  /// The largest header block accepted.
  public static var maximumHeaderBytes: Int { 8 << 10 }

  private var input: Input
  private var buffer: [UInt8] = []
  /// Bytes of `buffer` before this index are consumed.
  private var start = 0
  /// After a malformed header: bytes are skipped up to the next `Content-Length:`.
  private var resynchronizing = false
  /// Bytes of an oversized body still to be skipped as they arrive.
  private var skipping = 0
  private var ended = false

  /// Reads frames from `input`.
  public init(_ input: Input) { self.input = input }

  /// Whether a frame can be read without waiting for the other side.
  public var hasPendingInput: Bool { start < buffer.count || input.isReadable() }

  /// The next frame.
  public mutating func next() -> Frame {
    while true {
      if skipping > 0 {
        let n = min(skipping, buffer.count - start)
        start += n
        skipping -= n
        if skipping > 0 {
          guard fill() else { return .end }
          continue
        }
      }
      if resynchronizing {
        if let found = find(Self.lengthName, from: start, caseInsensitive: true) {
          start = found
          resynchronizing = false
        } else {
          // Keep a tail that may hold the start of the name.
          start = max(start, buffer.count - Self.lengthName.count + 1)
          guard fill() else { return .end }
          continue
        }
      }
      // Blank lines between messages are tolerated.
      while start < buffer.count, buffer[start] == 0x0D || buffer[start] == 0x0A { start += 1 }
      guard let headerEnd = headerBlockEnd() else {
        if buffer.count - start > Self.maximumHeaderBytes {
          start = buffer.count
          resynchronizing = true
          return .malformed("header block longer than \(Self.maximumHeaderBytes) bytes")
        }
        guard fill() else { return .end }
        continue
      }
      let header = parseHeader(buffer[start..<headerEnd.linesEnd])
      start = headerEnd.bodyStart
      let length: Int
      switch header {
      case .failure(let problem):
        resynchronizing = true
        return .malformed(problem.reason)
      case .success(let value):
        length = value
      }
      if length > Self.maximumBodyBytes {
        skipping = length
        return .malformed("message of \(length) bytes is larger than the limit of \(Self.maximumBodyBytes)")
      }
      while buffer.count - start < length {
        guard fill() else { return .end }
      }
      let body = Array(buffer[start..<start + length])
      start += length
      compact()
      return .message(body)
    }
  }

  private static var lengthName: [UInt8] { Array("content-length:".utf8) }

  private struct HeaderProblem: Error {
    var reason: String
  }

  /// The body length a header block announces.
  private func parseHeader(_ block: ArraySlice<UInt8>) -> Result<Int, HeaderProblem> {
    var length: Int?
    for rawLine in block.split(separator: 0x0A, omittingEmptySubsequences: true) {
      var line = rawLine
      if line.last == 0x0D { line = line.dropLast() }
      if line.isEmpty { continue }
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
        return .failure(HeaderProblem(reason: "header line without `:`: \(printable(line))"))
      }
      let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
      let value = line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }
      let trimmed = value.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
      if name == "content-length" {
        guard !trimmed.isEmpty, trimmed.count <= 12,
          trimmed.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
          let n = Int(String(decoding: trimmed, as: UTF8.self))
        else {
          return .failure(HeaderProblem(reason: "bad Content-Length `\(printable(value[...]))`"))
        }
        guard length == nil || length == n else {
          return .failure(HeaderProblem(reason: "two different Content-Length headers"))
        }
        length = n
      }
      // Content-Type and unknown headers are allowed and ignored.
    }
    guard let length else { return .failure(HeaderProblem(reason: "header block without Content-Length")) }
    return .success(length)
  }

  /// A header line for an error message: at most 60 bytes, control bytes shown as `?`.
  private func printable(_ bytes: ArraySlice<UInt8>) -> String {
    let shown = bytes.prefix(60).map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }
    return String(decoding: shown, as: UTF8.self) + (bytes.count > 60 ? "..." : "")
  }

  /// Where the header block starting at `start` ends: CR LF CR LF (or LF LF, which some clients
  /// write); `nil` when it has not fully arrived.
  private func headerBlockEnd() -> (linesEnd: Int, bodyStart: Int)? {
    var i = start
    let limit = min(buffer.count, start + Self.maximumHeaderBytes + 4)
    while i < limit {
      if buffer[i] == 0x0A {
        if i + 1 < buffer.count, buffer[i + 1] == 0x0A { return (i, i + 2) }
        if i + 2 < buffer.count, buffer[i + 1] == 0x0D, buffer[i + 2] == 0x0A { return (i, i + 3) }
      }
      i += 1
    }
    return nil
  }

  private func find(_ needle: [UInt8], from: Int, caseInsensitive: Bool) -> Int? {
    guard buffer.count - from >= needle.count else { return nil }
    var i = from
    while i + needle.count <= buffer.count {
      var matched = true
      for (k, byte) in needle.enumerated() {
        var b = buffer[i + k]
        if caseInsensitive && b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") { b += 32 }
        if b != byte {
          matched = false
          break
        }
      }
      if matched { return i }
      i += 1
    }
    return nil
  }

  /// Reads more bytes; false at the end of the input.
  private mutating func fill() -> Bool {
    guard !ended else { return false }
    compact()
    if input.read(into: &buffer, maximum: 1 << 16) == 0 {
      ended = true
      return false
    }
    return true
  }

  /// Drops consumed bytes once they are most of the buffer.
  private mutating func compact() {
    if start > 0 && start >= buffer.count / 2 {
      buffer.removeFirst(start)
      start = 0
    }
  }
}

/// Frames a message body for the wire: `Content-Length: N` CR LF CR LF, then the body.
public func framed(_ body: [UInt8]) -> [UInt8] {
  Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
}
