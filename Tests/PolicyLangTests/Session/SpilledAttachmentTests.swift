// The partition files of an out-of-order run (Session/Ordering/EventPartitions.swift, `EventCodec`)
// keep every field of an attachment, `name` and `mime` included (`has attachment ... of type`):
// an event read back from a spill is the event written.

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
    #expect(back == event)
  }
}
