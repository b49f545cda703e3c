/// The severities of a report, most severe first, with their titles and sanctions.
///
/// Policies declare severities least severe first; the scale merges their lists in the order the
/// policies are given. A severity no policy declares (verdicts read without their policy) is
/// placed by the shipped policies' words (`review` < `minor` < `major` < `severe`), and any other
/// name below them, alphabetically.
public struct SeverityScale: Sendable {
  /// A severity of the scale.
  public struct Level: Sendable, Hashable {
    /// The name verdicts carry.
    public var name: String
    /// Its title, when a policy gives one.
    public var title: String?
    /// Its sanction, when a policy gives one.
    public var sanction: String?
  }

  /// The levels, most severe first.
  public private(set) var levels: [Level]
  private var rankByName: [String: Int]

  static let shippedOrder = ["review", "minor", "major", "severe"]

  /// The scale of these catalogs, extended by the names `used` that none of them declares.
  public init(catalogs: [PolicyCatalog], used: some Sequence<String>) {
    var ascending: [PolicyCatalog.Severity] = []
    for catalog in catalogs {
      var insertAt = 0
      for severity in catalog.severities {
        if let known = ascending.firstIndex(where: { $0.name == severity.name }) {
          if ascending[known].title == nil { ascending[known].title = severity.title }
          if ascending[known].sanction == nil { ascending[known].sanction = severity.sanction }
          insertAt = max(insertAt, known + 1)
        } else {
          ascending.insert(severity, at: insertAt)
          insertAt += 1
        }
      }
    }
    let declared = Set(ascending.map(\.name))
    let extra = Set(used).subtracting(declared)
    let shipped = Self.shippedOrder.filter { extra.contains($0) }
    let others = extra.subtracting(shipped).sorted()
    for name in shipped {
      let position = Self.shippedOrder.firstIndex(of: name) ?? 0
      // After every declared or shipped level that the shipped order puts below it.
      let below = ascending.lastIndex { level in
        (Self.shippedOrder.firstIndex(of: level.name) ?? -1) < position
          && Self.shippedOrder.contains(level.name)
      }
      ascending.insert(
        PolicyCatalog.Severity(name: name, title: nil, sanction: nil), at: below.map { $0 + 1 } ?? 0)
    }
    ascending.insert(
      contentsOf: others.map { PolicyCatalog.Severity(name: $0, title: nil, sanction: nil) }, at: 0)
    levels = ascending.reversed().map { Level(name: $0.name, title: $0.title, sanction: $0.sanction) }
    rankByName = [:]
    for (rank, level) in levels.enumerated() { rankByName[level.name] = rank }
  }

  /// The rank of a severity: 0 is the most severe; unknown names rank last.
  public func rank(_ name: String) -> Int { rankByName[name] ?? levels.count }

  /// The level of a name.
  public func level(_ name: String) -> Level? { rankByName[name].map { levels[$0] } }
}
