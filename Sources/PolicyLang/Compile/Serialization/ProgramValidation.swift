// The value checks `RuleProgram(validating:)` adds for programs read from a file: the ranges the
// checker guarantees for a policy (positive durations, windows inside a day, sorted and apart,
// real dates, known names, patterns that compile, a zone that loads), so that a loaded program
// behaves like a compiled one and no value can make the evaluator misbehave.

import PolicyLangCore
import PolicyLangFrontend
import PolicyLangText

extension RuleProgram {
  /// The first value of `ir` outside what the checker can produce, or `nil`. References are
  /// checked by `problem(in:)`; this looks at the values themselves.
  static func valueProblem(in ir: IR) -> String? {
    let steps = Set(NormalizationStep.allCases.map(\.rawValue))
    for (i, step) in ir.normalization.enumerated() {
      guard steps.contains(step) else { return "unknown normalization step \(step)" }
      if i > 0 && ir.normalization[i - 1] >= step { return "normalization steps not sorted" }
    }
    for e in ir.escalations where e.count < 1 || e.windowSeconds <= 0 {
      return "escalation count or window not positive"
    }
    if let problem = hoursProblem(ir.hours) { return problem }
    for (slot, list) in ir.lists.enumerated() {
      if list.entries.contains(where: \.isEmpty) { return "list \(slot): an entry without a spelling" }
      if !list.sources.allSatisfy(isRootRelativePath) {
        return "list \(slot): a word-list file that is not a path under the policy's root"
      }
    }
    for (slot, p) in ir.proximities.enumerated() where p.distance < 0 {
      return "proximity \(slot): negative distance"
    }
    for (slot, pattern) in ir.patterns.enumerated() {
      if let name = pattern.name, name.isEmpty { return "pattern \(slot): an empty name" }
      do {
        _ = try Pattern.compile(pattern.source)
      } catch {
        return "pattern \(slot) does not compile: \(error)"
      }
    }
    for (id, node) in ir.nodes.enumerated() {
      switch node {
      case .terms(_, let atLeast) where atLeast < 0: return "node \(id): negative count"
      case .length(_, let n) where n < 0: return "node \(id): negative length"
      case .nearWords(_, _, let distance) where distance < 0: return "node \(id): negative distance"
      case .attachmentType(_, _, let fileTypes)
      where fileTypes.isEmpty || fileTypes.contains(where: { FileType.normalized($0) != $0 }):
        return "node \(id): a file type that is not a lower-case extension or media type"
      case .detector(.url): return "node \(id): url detector without a url slot"
      default: break
      }
    }
    for (slot, history) in ir.histories.enumerated() {
      if history.first, history.kind.countsCurrent { return "history \(slot): `first` on a count" }
      switch history.kind {
      case .after: break
      case .within(let seconds), .moreThan(let seconds):
        if seconds < 0 { return "history \(slot): negative duration" }
      case .count(let atLeast, let window):
        // A count within a window keeps at most this many times (and no more than the
        // conversation's happenings), so its state stays as small as the policy says.
        if atLeast < 0 { return "history \(slot): negative count" }
        if let window, window < 0 { return "history \(slot): negative window" }
      }
    }
    for (i, rule) in ir.rules.enumerated() {
      if let problem = ruleProblem(rule) { return "rule \(i) \(rule.name): \(problem)" }
    }
    guard PolicyZone(identifier: ir.zone) != nil else { return "unknown zone \(ir.zone)" }
    return nil
  }

  /// Whether `path` is what the loader records for a file it read: relative to the root,
  /// normalized (no empty, `.` or `..` component) and without NUL.
  static func isRootRelativePath(_ path: String) -> Bool {
    guard !path.isEmpty, !path.hasPrefix("/"), !path.utf8.contains(0) else { return false }
    return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
      !$0.isEmpty && $0 != "." && $0 != ".."
    }
  }

  /// Windows inside 0...86400, non-empty, sorted and apart; seven days; dates that exist.
  static func hoursProblem(_ hours: [CheckedHours]) -> String? {
    for h in hours {
      for day in h.windowsByWeekday {
        var previousEnd = 0
        for w in day {
          guard w.start >= previousEnd, w.start < w.end, w.end <= 86400 else {
            return "hours \(h.name): windows outside the day, empty or out of order"
          }
          previousEnd = w.end
        }
      }
      for date in h.excludedDates where !date.isValid || date.year < 1 || date.year > 9999 {
        return "hours \(h.name): an excluded date that does not exist"
      }
    }
    return nil
  }

  static func ruleProblem(_ rule: IRRule) -> String? {
    if rule.severity == nil, rule.body != .manual { return "no severity" }
    switch rule.body {
    case .obligation(let o):
      guard let first = o.limits.first, first.ifDuring == nil,
        o.limits.dropFirst().allSatisfy({ $0.ifDuring != nil }), o.limits.allSatisfy({ $0.seconds > 0 })
      else { return "limits must be positive, the default first" }
      if case .event(let names) = o.trigger, names.isEmpty { return "no trigger event" }
      if case .event(let names) = o.response, names.isEmpty { return "no response event" }
      if case .replyOrEvent(_, let names) = o.response, names.isEmpty { return "no response event" }
    case .rate(let r):
      if r.thresholdMillionths > 1_000_000 { return "threshold out of range" }
      return rateProblem(r)
    case .ratio(let ratio):
      // A count ratio may exceed 1: its threshold has no upper bound but the integers'.
      if case .event(let names) = ratio.per, names.isEmpty { return "no event to divide by" }
      if case .happening(.event(let names)) = ratio.count, names.isEmpty { return "no event to count" }
      return rateProblem(ratio.rate)
    case .message, .manual: break
    }
    return nil
  }

  /// The problems a pass rate and a count ratio share: period, threshold, minimum.
  static func rateProblem(_ r: CheckedRate) -> String? {
    if case .rolling(let seconds) = r.period, seconds <= 0 { return "rolling period not positive" }
    if case .last(let days) = r.period {
      if days < 1 || days > 366 { return "sliding window of \(days) days" }
      if r.unit == .conversation { return "sliding window over conversations" }
    }
    if r.thresholdMillionths < 0 { return "threshold out of range" }
    if (r.minimum ?? 0) < 0 { return "negative minimum" }
    return nil
  }
}
