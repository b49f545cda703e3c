/// The `--stats` accounting of one run: read = skipped + evaluated + rejected, always.
public struct EvalStats: Hashable, Sendable {
  /// Physical lines read, every line counted.
  public var linesRead = 0
  /// Blank lines skipped.
  public var blankSkipped = 0
  /// Events evaluated.
  public var evaluated = 0
  /// Error lines by reason.
  public var rejected: [EventLineReason: Int] = [:]
  /// Verdicts written (pending ones included).
  public var verdictsWritten = 0
  /// Why the run could not give every verdict (its own storage failed), when it could not.
  public var failure: String?

  /// Empty counts.
  public init() {}

  /// All error lines.
  public var rejectedTotal: Int { rejected.values.reduce(0, +) }

  /// Whether read = skipped + evaluated + rejected.
  public var isBalanced: Bool { linesRead == blankSkipped + evaluated + rejectedTotal }

  /// Counts one error line.
  public mutating func reject(_ reason: EventLineReason) {
    rejected[reason, default: 0] += 1
  }

  /// Adds another run's (or job's) counts.
  public mutating func merge(_ other: EvalStats) {
    linesRead += other.linesRead
    blankSkipped += other.blankSkipped
    evaluated += other.evaluated
    verdictsWritten += other.verdictsWritten
    for (reason, count) in other.rejected { rejected[reason, default: 0] += count }
  }

  /// The text `--stats` writes on standard error: one `name: count` per line, reasons sorted by
  /// code and indented under `error lines`, ending with a newline.
  public var rendered: String {
    var out = "lines read: \(linesRead)\n"
    out += "blank lines skipped: \(blankSkipped)\n"
    out += "events evaluated: \(evaluated)\n"
    out += "error lines: \(rejectedTotal)\n"
    for (reason, count) in rejected.sorted(by: { $0.key < $1.key }) where count > 0 {
      out += "  \(reason.rawValue): \(count)\n"
    }
    out += "verdicts written: \(verdictsWritten)\n"
    if let failure { out += "run failed: \(failure)\n" }
    return out
  }
}
