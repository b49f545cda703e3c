// The stable text form of IR and programs, for `policyc build --dump ir|program` and golden tests.

import PolicyLangCore
import PolicyLangFrontend

/// Writes IR and programs as text.
public enum IRDump {
  static func quoted(_ s: String) -> String { StringLiteralSpelling.quoted(s) }

  package static func duration(_ seconds: Int64) -> String {
    if seconds == 0 { return "0s" }
    var rest = seconds
    var out = seconds < 0 ? "-" : ""
    rest = rest.magnitude > Int64.max.magnitude ? Int64.max : abs(rest)
    for (unit, size) in [("d", Int64(86400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
      out += "\(rest / size)\(unit)"
      rest %= size
    }
    return out
  }

  /// `08:00`, `24:00`, `08:00:30`.
  static func clock(_ seconds: Int) -> String {
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let base = "\(two(seconds / 3600)):\(two(seconds / 60 % 60))"
    return seconds % 60 == 0 ? base : base + ":\(two(seconds % 60))"
  }

  static func sender(_ role: SenderRole, _ kind: ReplyKind) -> String {
    kind == .any ? role.rawValue : "\(kind.rawValue) \(role.rawValue)"
  }

  static func node(_ node: ConditionNode) -> String {
    func ids(_ list: [Int]) -> String { list.map { "%\($0)" }.joined(separator: ", ") }
    switch node {
    case .constant(let value): return value ? "true" : "false"
    case .and(let list): return "and \(ids(list))"
    case .or(let list): return "or \(ids(list))"
    case .not(let id): return "not %\(id)"
    case .from(let role, let kind): return "from \(sender(role, kind))"
    case .hasAttachment(let type): return "attachment \(type ?? "*")"
    case .attachmentType(let kind, let negated, let fileTypes):
      return "attachment \(kind ?? "*") \(negated ? "not " : "")of \(fileTypes.joined(separator: " "))"
    case .length(let atMost, let n): return "length \(atMost ? "<=" : ">=") \(n)"
    case .terms(let list, let atLeast): return "terms list\(list) >= \(atLeast)"
    case .proximity(let slot): return "proximity near\(slot)"
    case .phones(let regions): return "phones " + regions.map(\.rawValue).joined(separator: " ")
    case .nearWords(let list, let other, let distance):
      return "near list\(list) list\(other) <= \(distance)"
    case .url(let slot): return "url url\(slot)"
    case .detector(let kind): return "detector \(kind.rawValue)"
    case .pattern(let slot): return "pattern pattern\(slot)"
    case .history(let slot): return "history h\(slot)"
    }
  }

  static func happening(_ h: IRHappening) -> String {
    switch h {
    case .message(let id): return "message %\(id)"
    case .event(let names): return "event \(names.joined(separator: "|"))"
    case .anyEvent: return "any event"
    }
  }

  static func history(_ h: IRHistory) -> String {
    var s: String
    let what = (h.first ? "first " : "") + happening(h.happening)
    switch h.kind {
    case .after: s = "after \(what)"
    case .within(let seconds): s = "within \(duration(seconds)) after \(what)"
    case .moreThan(let seconds): s = "more than \(duration(seconds)) after \(what)"
    case .count(let atLeast, let window):
      s = "count >= \(atLeast) \(happening(h.happening))"
      if let window { s += " within \(duration(window))" }
    }
    if let without = h.without { s += " without \(happening(without))" }
    return s
  }

  /// The IR as text: header, text slots, nodes, rules.
  public static func dump(_ ir: IR) -> String {
    var lines: [String] = ["policy \(ir.policy) zone \(ir.zone)"]
    lines.append("normalize \(ir.normalization.joined(separator: " "))")
    lines.append("severities \(ir.severities.joined(separator: " "))")
    for e in ir.escalations {
      let from = ir.severities.indices.contains(e.from) ? ir.severities[e.from] : "?"
      let to = ir.severities.indices.contains(e.to) ? ir.severities[e.to] : "?"
      lines.append("escalate \(e.count) \(from) within \(duration(e.windowSeconds)) to \(to)")
    }
    for (i, h) in ir.hours.enumerated() {
      let days = h.windowsByWeekday.map { windows in
        windows.map { "\(clock($0.start))-\(clock($0.end))" }.joined(separator: ",")
      }
      let excluded = h.excludedDates.map(\.description).joined(separator: ",")
      lines.append("hours \(i) \(h.name) [\(days.joined(separator: " | "))] except [\(excluded)]")
    }
    lines.append("text")
    for (i, list) in ir.lists.enumerated() {
      let entries = list.entries.map { $0.map(quoted).joined(separator: "|") }.joined(separator: ", ")
      let origin = list.sources.isEmpty ? "" : " from " + list.sources.map(quoted).joined(separator: ", ")
      lines.append("  list\(i) \(list.name ?? "(inline)")\(origin): \(entries)")
    }
    for (i, p) in ir.proximities.enumerated() {
      lines.append("  near\(i) list\(p.list) within \(p.distance)")
    }
    for (i, slot) in ir.urlSlots.enumerated() {
      let name = slot.flatMap { ir.domainLists.indices.contains($0) ? ir.domainLists[$0].name : nil }
      lines.append("  url\(i) outside \(name ?? "(none)")")
    }
    for (i, p) in ir.patterns.enumerated() {
      lines.append("  pattern\(i) \(p.name.map { $0 + " " } ?? "")\(quoted(p.source))")
    }
    lines.append("nodes")
    for (i, n) in ir.nodes.enumerated() { lines.append("  %\(i) = \(node(n))") }
    if !ir.histories.isEmpty {
      lines.append("histories")
      for (i, h) in ir.histories.enumerated() { lines.append("  h\(i) = \(history(h))") }
    }
    lines.append("rules")
    for (i, rule) in ir.rules.enumerated() {
      let severity = rule.severity.map { ir.severities.indices.contains($0) ? ir.severities[$0] : "?" }
      let head = "  \(i) \(rule.name) clause \(rule.clause) severity \(severity ?? "-"):"
      lines.append("\(head) \(body(rule.body, ir))")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func body(_ body: IRRuleBody, _ ir: IR) -> String {
    func hours(_ i: Int?) -> String {
      guard let i else { return "-" }
      return ir.hours.indices.contains(i) ? ir.hours[i].name : "?"
    }
    switch body {
    case .message(let root): return "message %\(root)"
    case .obligation(let o):
      var s = "obligation on "
      switch o.trigger {
      case .message(let root): s += "message %\(root)"
      case .event(let names): s += "event \(names.joined(separator: "|"))"
      }
      if let during = o.during { s += " during \(hours(during))" }
      switch o.response {
      case .reply(let kind): s += " expect \(kind == .any ? "" : kind.rawValue + " ")reply"
      case .replyOrEvent(let kind, let names):
        s +=
          " expect \(kind == .any ? "" : kind.rawValue + " ")reply or event \(names.joined(separator: "|"))"
      case .event(let names): s += " expect event \(names.joined(separator: "|"))"
      }
      for limit in o.limits {
        s += " within \(duration(limit.seconds))"
        if let h = limit.ifDuring { s += " if \(hours(h))" }
      }
      if let c = o.countingOnly { s += " counting \(hours(c))" }
      return s
    case .rate(let r):
      let source = ir.rules.indices.contains(r.of) ? ir.rules[r.of].name : "?"
      return "rate of \(source) (\(r.of)) per \(r.unit.rawValue) over \(period(r, ir))"
    case .ratio(let ratio):
      let count: String
      switch ratio.count {
      case .rule(let r): count = (ir.rules.indices.contains(r) ? ir.rules[r].name : "?") + " (\(r))"
      case .happening(let h): count = happening(h)
      }
      return "ratio of \(count) per \(happening(ratio.per)) over \(period(ratio.rate, ir))"
    case .manual: return "manual"
    }
  }

  /// A rate's period, `during`, threshold and minimum, as the dump writes them.
  static func period(_ r: CheckedRate, _ ir: IR) -> String {
    var s: String
    switch r.period {
    case .day: s = "day"
    case .month: s = "month"
    case .rolling(let seconds): s = "rolling \(duration(seconds))"
    case .last(let days): s = "last \(days)d"
    }
    if let d = r.during { s += " during \(ir.hours.indices.contains(d) ? ir.hours[d].name : "?")" }
    s += " \(r.comparison.rawValue) \(r.thresholdMillionths)ppm"
    if let m = r.minimum { s += " when more than \(m)" }
    return s
  }

  static func numbers(_ list: [Int]) -> String {
    list.isEmpty ? "-" : list.map(String.init).joined(separator: " ")
  }

  /// The program as text: its IR, then the grouping the evaluator uses.
  public static func dump(_ program: RuleProgram) -> String {
    var out = dump(program.ir)
    out += "groups\n"
    for (role, rules) in zip(SenderRole.allCases, program.messageRulesByRole) {
      out += "  \(role.rawValue): \(numbers(rules))\n"
    }
    let text = program.ruleNeedsText.enumerated().filter(\.element).map { String($0.offset) }
    out += "  text: \(text.isEmpty ? "-" : text.joined(separator: " "))\n"
    out += "  rate sources: \(numbers(program.rateSources))\n"
    let detectors = program.textRequest.detectors
    out += "  detectors: \(detectors.isEmpty ? "-" : detectors.joined(separator: " "))\n"
    return out
  }
}
