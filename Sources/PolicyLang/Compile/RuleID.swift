// Rules are named by their position in the policy. A program is validated once when it is built
// or loaded (every reference in range), so code that holds a `RuleID` of it needs no bounds check.

/// A rule of a program: its index in `IR.rules`, in policy order.
public struct RuleID: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The index in `IR.rules`.
  public let index: Int

  /// The rule at `index` of a validated program.
  package init(_ index: Int) { self.index = index }

  public static func < (a: RuleID, b: RuleID) -> Bool { a.index < b.index }

  public var description: String { "rule \(index)" }
}
