extension DiagnosticCode {
  /// Event lines are not source diagnostics: they are reported as io.md's `FILE:LINE: error: WHY`
  /// from an `EventLineError` (a reason code for `--stats` and a message), so no `E08xx` code is
  /// declared yet.
  static let eventCatalog: [DiagnosticCode] = []
}
