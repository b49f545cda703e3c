import PolicyLangCore

/// One decoded line of the events input (io.md "Input").
public struct Event: Hashable, Sendable {
  /// The conversation (timeline) id.
  public var conversation: ByteString
  /// The shop, when the line carries one.
  public var shop: ByteString?
  /// The buyer, when the line carries one.
  public var buyer: ByteString?
  /// The seller's (sub-)account, when the line carries one.
  public var agent: ByteString?
  /// The policy (by name) that judges this event, when the line names one.
  public var platform: ByteString?
  /// The event's own id in the source system (`id`), echoed as `event_id` by verdicts about it.
  public var id: ByteString?
  /// When it happened.
  public var at: Timestamp
  /// A message or a non-message event.
  public var kind: EventKind

  /// An event from its parts.
  public init(
    conversation: ByteString, shop: ByteString? = nil, buyer: ByteString? = nil,
    agent: ByteString? = nil, platform: ByteString? = nil, id: ByteString? = nil, at: Timestamp,
    kind: EventKind
  ) {
    self.conversation = conversation
    self.shop = shop
    self.buyer = buyer
    self.agent = agent
    self.platform = platform
    self.id = id
    self.at = at
    self.kind = kind
  }

  /// The message, when this is one.
  public var message: Message? {
    if case .message(let m) = kind { return m }
    return nil
  }

  /// The event name, when this is a non-message event.
  public var eventName: ByteString? {
    if case .event(let name) = kind { return name }
    return nil
  }
}

/// What a line is: a message (it has `from`) or a named non-message event (it has `event`).
public enum EventKind: Hashable, Sendable {
  /// A message.
  case message(Message)
  /// A non-message event such as `order_shipped`.
  case event(name: ByteString)
}

/// A message line.
public struct Message: Hashable, Sendable {
  /// Who sent it (`SenderRole` of the AST: buyer, seller, platform, system).
  public var role: SenderRole
  /// True for an automatic reply (robot, greeting): it is not a human reply.
  public var auto: Bool
  /// The text as validated UTF-8 bytes, escapes decoded; empty when the line has no `text`.
  public var text: [UInt8]
  /// The attachments in line order.
  public var attachments: [Attachment]

  /// A message from its parts.
  public init(role: SenderRole, auto: Bool = false, text: [UInt8] = [], attachments: [Attachment] = []) {
    self.role = role
    self.auto = auto
    self.text = text
    self.attachments = attachments
  }

  /// A message with a text given as a string.
  public init(role: SenderRole, auto: Bool = false, text: String, attachments: [Attachment] = []) {
    self.init(role: role, auto: auto, text: Array(text.utf8), attachments: attachments)
  }

  /// The text as a string.
  public var textString: String { String(decoding: text, as: UTF8.self) }
}

/// The kind of an attachment; types other than these are read as `file`.
public enum AttachmentKind: UInt8, Hashable, Sendable, CaseIterable {
  /// `image`
  case image
  /// `file` (also every type not listed here)
  case file
  /// `link`
  case link
  /// `card`
  case card
  /// `video`
  case video
  /// `qr_code`
  case qrCode

  /// The name as written in the input.
  public var name: String {
    switch self {
    case .image: return "image"
    case .file: return "file"
    case .link: return "link"
    case .card: return "card"
    case .video: return "video"
    case .qrCode: return "qr_code"
    }
  }
}

/// One attachment of a message.
public struct Attachment: Hashable, Sendable {
  /// Its kind.
  public var kind: AttachmentKind
  /// Its URL as validated UTF-8 bytes, when given.
  public var url: [UInt8]?
  /// True when the image carries a QR code.
  public var qr: Bool
  /// The file's name as validated UTF-8 bytes (`invoice.pdf`), when given.
  public var name: [UInt8]?
  /// The media type as validated UTF-8 bytes (`application/pdf`), when given.
  public var mime: [UInt8]?

  /// An attachment from its parts.
  public init(
    kind: AttachmentKind, url: [UInt8]? = nil, qr: Bool = false, name: [UInt8]? = nil, mime: [UInt8]? = nil
  ) {
    self.kind = kind
    self.url = url
    self.qr = qr
    self.name = name
    self.mime = mime
  }

  /// The URL as a string.
  public var urlString: String? { url.map { String(decoding: $0, as: UTF8.self) } }
}
