// A known gap: the partition files of an out-of-order run (Session/Ordering/EventPartitions.swift,
// `EventCodec`) keep an attachment's kind, URL and QR flag but not its `name` and `mime` (added
// for `has attachment ... of type [...]`), so a run that spills judges file types as if they were
// absent. The codec belongs to the session layer, left to its owner; this test fails loudly
// ("known issue was not recorded") once the codec keeps them, so the wrapper can go.

import Testing

@testable import PolicyLang
@testable import PolicyLangCore
@testable import PolicyLangRuntime
@testable import PolicyLangSession

@Suite("Spilled attachments")
struct SpilledAttachmentTests {
  @Test func theSpillCodecKeepsNameAndMediaType() {
    let event = Event(
      conversation: "c", at: .epoch,
      kind: .message(
        Message(
          role: .seller,
          attachments: [
            Attachment(kind: .file, name: Array("报价.pdf".utf8), mime: Array("application/pdf".utf8))
          ])))
    var bytes: [UInt8] = []
    EventCodec.encode(PlacedEvent(event: event, position: LinePosition(source: 0, line: 1)), into: &bytes)
    var reader = SpillFile.Reader(bytes: bytes)
    let back = EventCodec.decode(&reader)?.event
    withKnownIssue("EventCodec drops attachment name and mime (Session/Ordering/EventPartitions.swift)") {
      #expect(back == event)
    }
  }
}
