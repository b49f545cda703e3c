// A stable digest of an event's content, which a state keeps for the events at a conversation's
// last instant: the same event fed again (the same file twice) is then told from a new event at
// that instant. Every field of the event takes part, so two lines differing in anything differ.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangRuntime

/// Digests of events.
package enum EventDigest {
  /// The digest of `event`.
  package static func of(_ event: Event) -> UInt64 {
    var h = StableHash()
    func add(_ id: ByteString?) {
      guard let id else {
        h.add(byte: 0)
        return
      }
      h.add(byte: 1)
      h.add(UInt64(id.count))
      id.withBytes { h.add(UnsafeRawBufferPointer($0)) }
    }
    add(event.conversation)
    add(event.shop)
    add(event.buyer)
    add(event.agent)
    add(event.platform)
    add(event.id)
    h.add(UInt64(bitPattern: event.at.seconds))
    h.add(UInt64(UInt32(bitPattern: event.at.nanoseconds)))
    switch event.kind {
    case .event(let name):
      h.add("event")
      add(name)
    case .message(let m):
      h.add("message \(m.role.rawValue) \(m.auto)")
      h.add(UInt64(m.text.count))
      h.add(m.text)
      for a in m.attachments {
        h.add("attachment \(a.kind.rawValue) \(a.qr)")
        for field in [a.url, a.name, a.mime] {
          h.add(byte: field == nil ? 0 : 1)
          if let field {
            h.add(UInt64(field.count))
            h.add(field)
          }
        }
      }
    }
    return h.value
  }
}
