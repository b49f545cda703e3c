// Words every stage shares: who sent a message, which replies count, the built-in detectors.
// The syntax tree spells them, the checker and compiler keep them, the evaluator tests them.

/// Who sent a message: `from buyer`, `"from":"seller"`.
public enum SenderRole: String, Sendable, CaseIterable {
  case buyer, seller, platform, system

  /// The role's position in `allCases` (which builds an array on every use).
  package var ordinal: Int {
    switch self {
    case .buyer: 0
    case .seller: 1
    case .platform: 2
    case .system: 3
    }
  }
}

/// Which messages of a role count: any, only human ones, or only automatic ones.
public enum ReplyKind: String, Sendable {
  /// Any message of the role.
  case any
  /// A message whose `auto` is not true.
  case human
  /// A message with `auto: true`.
  case auto
}

/// A built-in detector named after `contains`.
public enum DetectorKind: String, Sendable, CaseIterable {
  case url, email, phone, bankCard = "bank_card", qrCode = "qr_code", address
}
