import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite struct ByteCodingTests {
  @Test func roundTripsEveryPrimitive() throws {
    var w = ByteWriter()
    w.u8(7)
    w.bool(true)
    w.u16(0xBEEF)
    w.u32(0xDEAD_BEEF)
    w.u64(0x0123_4567_89AB_CDEF)
    w.varint(-1)
    w.varint(Int64.min)
    w.varint(Int64.max)
    w.uvarint(300)
    w.string("微信 abc")
    w.array([1, 2, 3]) { $0.int($1) }
    w.optional(Optional<String>.none) { $0.string($1) }
    var r = ByteReader(w.bytes)
    #expect(try r.u8() == 7)
    #expect(try r.bool())
    #expect(try r.u16() == 0xBEEF)
    #expect(try r.u32() == 0xDEAD_BEEF)
    #expect(try r.u64() == 0x0123_4567_89AB_CDEF)
    #expect(try r.varint() == -1)
    #expect(try r.varint() == Int64.min)
    #expect(try r.varint() == Int64.max)
    #expect(try r.uvarint() == 300)
    #expect(try r.string() == "微信 abc")
    #expect(try r.array { (r: inout ByteReader) throws(ProgramLoadError) in try r.int() } == [1, 2, 3])
    #expect(try r.optional { (r: inout ByteReader) throws(ProgramLoadError) in try r.string() } == nil)
    #expect(r.isAtEnd)
  }

  @Test func everyTruncationThrowsInsteadOfTrapping() {
    var w = ByteWriter()
    w.string("a longer string with 中文")
    w.array(Array(0..<50)) { $0.int($1) }
    w.u64(42)
    for cut in 0..<w.bytes.count {
      var r = ByteReader(Array(w.bytes[0..<cut]))
      do {
        _ = try r.string()
        _ = try r.array { (r: inout ByteReader) throws(ProgramLoadError) in try r.int() }
        _ = try r.u64()
        Issue.record("prefix of \(cut) bytes decoded")
      } catch {
        // Expected: a typed error, never a crash.
      }
    }
  }

  @Test func hugeCountsAreRejectedBeforeAllocating() {
    var w = ByteWriter()
    w.uvarint(UInt64(Int.max))
    var r = ByteReader(w.bytes)
    #expect(throws: ProgramLoadError.self) { try r.count() }
    var overflow = ByteReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    #expect(throws: ProgramLoadError.self) { try overflow.uvarint() }
  }

  @Test func crc32AndSha256MatchKnownVectors() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(
      SHA256.hex(Array("abc".utf8))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex([UInt8]())
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(
      SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }
}
