import Foundation
import Testing

@testable import PolicyLangLanguageServer

/// `Content-Length` framing: whole, split at every byte, and after garbage.
@Suite struct FramingTests {
  private func frames(_ bytes: [UInt8], chunkSize: Int = 1 << 16) -> [Frame] {
    var reader = FrameReader(MemoryInput(bytes, chunkSize: chunkSize))
    var result: [Frame] = []
    while true {
      let frame = reader.next()
      result.append(frame)
      if frame == .end { return result }
    }
  }

  private func body(_ text: String) -> Frame { .message(Array(text.utf8)) }

  @Test func messagesSplitAtEveryByteAreReadWhole() {
    let first = #"{"a":"微信"}"#
    let second = #"{"b":[1,2,3]}"#
    let bytes =
      framed(Array(first.utf8)) + Array("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n".utf8)
      + framed(Array(second.utf8))
    for chunkSize in 1...12 {
      #expect(
        frames(bytes, chunkSize: chunkSize) == [body(first), body(second), .end], "chunks of \(chunkSize)")
    }
  }

  @Test func headersAreCaseInsensitiveAndLFOnlyIsAccepted() {
    let bytes = Array("content-LENGTH:   2  \n\n{}CONTENT-LENGTH: 2\r\n\r\n[]".utf8)
    #expect(frames(bytes) == [body("{}"), body("[]"), .end])
  }

  @Test func garbageCostsOneErrorAndReadingResumes() {
    let bytes =
      Array("hello world\r\nthis is not a header\r\n\r\n{\"x\":1}".utf8) + framed(Array("{}".utf8))
      + Array("Content-Length: -3\r\n\r\n".utf8) + framed(Array("[]".utf8))
    let result = frames(bytes)
    #expect(result.count == 5)
    #expect(result[1] == body("{}") && result[3] == body("[]") && result[4] == .end)
    guard case .malformed(let first) = result[0], case .malformed(let second) = result[2] else {
      Issue.record("expected two malformed frames: \(result)")
      return
    }
    #expect(first.contains("header line without `:`"))
    #expect(second.contains("bad Content-Length `-3`"))
  }

  @Test func anOverlongHeaderIsMalformed() {
    let bytes =
      Array("X-Padding: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 20_000) + Array("\r\n\r\n".utf8)
      + framed(Array("{}".utf8))
    let result = frames(bytes, chunkSize: 4096)
    #expect(result.last == .end)
    #expect(result.contains(body("{}")))
    #expect(
      result.contains {
        if case .malformed(let why) = $0 { return why.contains("header block longer") } else { return false }
      })
  }

  @Test func aBodyPastTheLimitIsSkippedExactly() {
    let size = FrameReader<MemoryInput>.maximumBodyBytes + 1
    var bytes = Array("Content-Length: \(size)\r\n\r\n".utf8)
    bytes += [UInt8](repeating: UInt8(ascii: " "), count: size)
    bytes += framed(Array("{}".utf8))
    let result = frames(bytes)
    #expect(result.count == 3)
    #expect(result[1] == body("{}"))
  }

  @Test func theEndInsideAMessageEndsReading() {
    #expect(frames(Array("Content-Length: 10\r\n\r\n{}".utf8)) == [.end])
    #expect(frames(Array("Content-Len".utf8)) == [.end])
    #expect(frames([]) == [.end])
  }
}

/// `file:` URIs and paths.
@Suite struct DocumentURITests {
  @Test func pathsRoundTripThroughURIs() {
    for path in ["/tmp/a.policy", "/工作/拼多多 规则.policy", "/a/b%c#d?.policy", "/😀/x"] {
      let uri = DocumentURI.uri(fromPath: path)
      #expect(uri.hasPrefix("file:///"))
      #expect(DocumentURI.path(fromURI: uri) == path)
    }
    #expect(DocumentURI.uri(fromPath: "/a b/中.policy") == "file:///a%20b/%E4%B8%AD.policy")
  }

  @Test func otherURIsAreNotPaths() {
    #expect(DocumentURI.path(fromURI: "file://localhost/tmp/x") == "/tmp/x")
    #expect(DocumentURI.path(fromURI: "FILE:///tmp/x?query#frag") == "/tmp/x")
    for uri in [
      "untitled:Untitled-1", "file://server/share/x", "file:///bad%zz", "file:///nul%00byte", "file://",
    ] {
      #expect(DocumentURI.path(fromURI: uri) == nil, "\(uri)")
    }
  }
}
