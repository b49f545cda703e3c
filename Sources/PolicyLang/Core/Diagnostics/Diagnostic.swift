/// How bad a diagnostic is.
public enum DiagnosticSeverity: String, Sendable, Comparable, CaseIterable {
  case note
  case warning
  case error

  private var rank: Int {
    switch self {
    case .note: return 0
    case .warning: return 1
    case .error: return 2
    }
  }
  public static func < (a: DiagnosticSeverity, b: DiagnosticSeverity) -> Bool { a.rank < b.rank }
}

/// A secondary span with its own short message, rendered under the source like rustc's labels.
public struct DiagnosticLabel: Hashable, Sendable {
  public let span: SourceSpan
  public let message: LocalizedText
  public init(_ span: SourceSpan, _ message: LocalizedText) {
    self.span = span
    self.message = message
  }
}

/// One problem found by any stage: lexer, parser, checker, compiler, loader or evaluator.
///
/// Every stage reports through this one type so that rendering, sorting, JSON and SARIF output
/// and `--deny-warnings` work the same everywhere.
public struct Diagnostic: Hashable, Sendable {
  public var code: DiagnosticCode
  public var severity: DiagnosticSeverity
  public var message: LocalizedText
  /// Where the problem is; `nil` for problems with no place (a missing file given on the command line).
  public var span: SourceSpan?
  public var labels: [DiagnosticLabel]
  public var notes: [LocalizedText]
  public var help: LocalizedText?
  /// The text a did-you-mean help offers in place of the text at `span`, so that an editor can
  /// apply it as a quick fix; `nil` when the help offers no replacement.
  package var suggestion: String?

  public init(
    _ code: DiagnosticCode, _ message: LocalizedText, at span: SourceSpan?,
    severity: DiagnosticSeverity? = nil, labels: [DiagnosticLabel] = [],
    notes: [LocalizedText] = [], help: LocalizedText? = nil
  ) {
    self.code = code
    self.severity = severity ?? code.defaultSeverity
    self.message = message
    self.span = span
    self.labels = labels
    self.notes = notes
    self.help = help
  }

  public func with(help: LocalizedText) -> Diagnostic {
    var copy = self
    copy.help = help
    return copy
  }

  /// This diagnostic with the help "did you mean `replacement`?" for the text at its span.
  package func suggesting(_ replacement: String) -> Diagnostic {
    var copy = self
    copy.help = LocalizedText("did you mean `\(replacement)`?", zh: "是不是 `\(replacement)`?")
    copy.suggestion = replacement
    return copy
  }

  public func with(label span: SourceSpan, _ message: LocalizedText) -> Diagnostic {
    var copy = self
    copy.labels.append(DiagnosticLabel(span, message))
    return copy
  }

  public func with(note: LocalizedText) -> Diagnostic {
    var copy = self
    copy.notes.append(note)
    return copy
  }
}

/// An ordered collection of diagnostics with the error policy of Go's scanner: sorted by position,
/// at most one per line from the parser, and a cap so that garbage input cannot flood the output.
public struct Diagnostics: Sendable, Sequence {
  public private(set) var items: [Diagnostic] = []
  /// Diagnostics beyond this many are dropped and counted in `dropped`.
  public var limit: Int
  public private(set) var dropped = 0

  public init(limit: Int = 500) { self.limit = limit }

  public mutating func append(_ diagnostic: Diagnostic) {
    if items.count >= limit {
      dropped += 1
      return
    }
    items.append(diagnostic)
  }

  public mutating func append(contentsOf other: Diagnostics) {
    for d in other.items { append(d) }
    dropped += other.dropped
  }

  public var hasErrors: Bool { items.contains { $0.severity == .error } }
  public var errorCount: Int { items.filter { $0.severity == .error }.count }
  public var warningCount: Int { items.filter { $0.severity == .warning }.count }
  public var isEmpty: Bool { items.isEmpty }
  public var count: Int { items.count }

  public func makeIterator() -> IndexingIterator<[Diagnostic]> { items.makeIterator() }

  /// Turns every warning into an error (`--deny-warnings`).
  public mutating func denyWarnings() {
    for i in items.indices where items[i].severity == .warning {
      items[i].severity = .error
    }
  }

  /// Sorts by file, then position, then code; diagnostics without a span come first.
  public mutating func sort() {
    items = items.enumerated().sorted { a, b in
      let sa = a.element.span ?? .none
      let sb = b.element.span ?? .none
      let ka = (sa.isNone ? -1 : Int(sa.file.raw), Int(sa.start))
      let kb = (sb.isNone ? -1 : Int(sb.file.raw), Int(sb.start))
      if ka != kb { return ka < kb }
      return a.offset < b.offset
    }.map(\.element)
  }
}
