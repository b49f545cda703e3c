// A stable, readable text dump of a syntax tree, used by golden tests and by
// `policyc check --dump ast`. One node a line, indented by depth; every node shows its span as
// `line:column-line:column` (columns count Unicode scalars, as in diagnostics).

import PolicyLangCore

/// Renders a `PolicyFile` as indented text.
///
/// ```
/// PolicyFile 1:1-3:1
///   Const 1:1-1:18
///     name reply_limit 1:7-1:18
/// ```
public struct ASTDump: Sendable {
  private let source: SourceFile
  private var lines: [String] = []
  private var depth = 0

  /// Dumps `file`, whose spans point into `source`.
  public static func dump(_ file: PolicyFile, source: SourceFile) -> String {
    var dumper = ASTDump(source: source)
    dumper.file(file)
    return dumper.lines.joined(separator: "\n") + "\n"
  }

  private init(source: SourceFile) { self.source = source }

  // MARK: - Writing

  private func position(_ span: SourceSpan) -> String {
    if span.isNone { return "-" }
    let a = source.location(of: Int(span.start))
    let b = source.location(of: Int(span.end))
    return "\(a.line):\(a.column)-\(b.line):\(b.column)"
  }

  /// A line `Kind details span`.
  private mutating func line(_ kind: String, _ details: String = "", _ span: SourceSpan) {
    let indent = String(repeating: "  ", count: depth)
    let middle = details.isEmpty ? "" : " " + details
    lines.append("\(indent)\(kind)\(middle) \(position(span))")
  }

  /// A node with children.
  private mutating func node(
    _ kind: String, _ details: String = "", _ span: SourceSpan, _ children: (inout ASTDump) -> Void
  ) {
    line(kind, details, span)
    depth += 1
    children(&self)
    depth -= 1
  }

  static func quote(_ s: String) -> String { StringLiteralSpelling.quoted(s) }

  private mutating func name(_ field: String, _ id: Identifier?) {
    if let id { line(field, id.name, id.span) }
  }

  private mutating func string(_ field: String, _ s: StringLiteral?) {
    if let s { line(field, Self.quote(s.value), s.span) }
  }

  private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

  private static func date(_ d: DateLiteral) -> String {
    let year = String(d.year)
    return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + two(d.month) + "-"
      + two(d.day)
  }

  private static func time(_ t: TimeOfDayLiteral) -> String {
    "\(two(t.hour)):\(two(t.minute)):\(two(t.second))"
  }

  private static func literal(_ value: LiteralValue) -> String {
    switch value {
    case .integer(let n): return "integer \(n)"
    case .duration(let s): return "duration \(s)s"
    case .percent(let m): return "percent \(m)ppm"
    case .chars(let n): return "chars \(n)"
    case .string(let s): return "string \(quote(s))"
    case .timeOfDay(let t): return "time \(time(t))"
    case .date(let d): return "date \(date(d))"
    }
  }

  private mutating func value(_ field: String, _ v: ValueExpr?) {
    switch v {
    case .literal(let l)?: line(field, Self.literal(l.value), l.span)
    case .reference(let id)?: line(field, "ref \(id.name)", id.span)
    case nil: break
    }
  }

  // MARK: - Declarations

  private mutating func file(_ f: PolicyFile) {
    node("PolicyFile", "", f.span) { d in
      for declaration in f.declarations { d.declaration(declaration) }
    }
  }

  private mutating func declaration(_ declaration: Declaration) {
    switch declaration {
    case .policy(let h):
      node("Policy", "", h.span) { d in
        d.name("name", h.name)
        d.string("title", h.title)
        d.string("source", h.source)
        if let date = h.sourceDate { d.line("dated", Self.date(date), date.span) }
        if let zone = h.zone { d.line("zone", zone.name, zone.span) }
        for option in h.normalize { d.line("normalize", option.name, option.span) }
      }
    case .import(let i):
      node("Import", "", i.span) { d in d.string("path", i.path) }
    case .clause(let c):
      node("Clause", "", c.span) { d in
        d.line("id", c.id.id, c.id.span)
        d.string("title", c.title)
        d.line("kind", c.kind?.rawValue ?? "<missing>", c.kindSpan)
      }
    case .terms(let t):
      node("Terms", t.mode.rawValue, t.span) { d in
        d.name("name", t.name)
        d.string("title", t.title)
        switch t.source {
        case .file(let path): d.string("file", path)
        case .inline(let entries, let span):
          d.node("List", "", span) { d in
            for entry in entries {
              d.node("Entry", "", entry.span) { d in
                d.string("term", entry.term)
                for variant in entry.variants { d.string("variant", variant) }
              }
            }
          }
        }
      }
    case .domains(let x):
      node("Domains", x.mode.rawValue, x.span) { d in
        d.name("name", x.name)
        for domain in x.domains { d.string("domain", domain) }
      }
    case .constant(let c):
      node("Const", c.mode.rawValue, c.span) { d in
        d.name("name", c.name)
        d.line("value", Self.literal(c.value.value), c.value.span)
      }
    case .hours(let h):
      node("Hours", h.mode.rawValue, h.span) { d in
        d.name("name", h.name)
        for part in h.parts {
          d.node("Part", "", part.span) { d in
            for days in part.days {
              d.line("days", "\(days.first.name)-\(days.last.name)", days.span)
            }
            for range in part.ranges {
              d.line("range", "\(Self.time(range.start))-\(Self.time(range.end))", range.span)
            }
          }
        }
        switch h.except {
        case .named(let id)?: d.line("except", "ref \(id.name)", id.span)
        case .dates(let dates, let span)?:
          d.node("except", "", span) { d in for date in dates { d.line("date", Self.date(date), date.span) } }
        case nil: break
        }
      }
    case .dates(let x):
      node("Dates", x.mode.rawValue, x.span) { d in
        d.name("name", x.name)
        for date in x.dates { d.line("date", Self.date(date), date.span) }
      }
    case .pattern(let p):
      node("Pattern", p.mode.rawValue, p.span) { d in
        d.name("name", p.name)
        d.string("title", p.title)
        d.string("pattern", p.pattern)
      }
    case .severity(let s):
      node("Severity", "", s.span) { d in
        d.name("name", s.name)
        d.string("title", s.title)
        d.string("sanction", s.sanction)
        if let clause = s.clause { d.line("clause", clause.id, clause.span) }
      }
    case .escalation(let e):
      node("Escalate", "", e.span) { d in
        d.value("count", e.count)
        d.name("from", e.from)
        d.value("window", e.window)
        d.name("to", e.to)
        if let clause = e.clause { d.line("clause", clause.id, clause.span) }
      }
    case .rule(let r):
      rule(r)
    case .test(let t):
      test(t)
    }
  }

  // MARK: - Rules

  private mutating func rule(_ r: RuleDecl) {
    node("Rule", r.isOverride ? "override" : "", r.span) { d in
      d.name("name", r.name)
      d.string("title", r.title)
      if let clause = r.clause { d.line("clause", clause.id, clause.span) }
      d.name("severity", r.severity)
      if let body = r.body { d.body(body) }
      for t in r.tests { d.test(t) }
    }
  }

  private mutating func sender(_ field: String, _ s: SenderSpec) {
    line(field, s.kind == .any ? s.role.rawValue : "\(s.kind.rawValue) \(s.role.rawValue)", s.span)
  }

  private mutating func body(_ body: RuleBody) {
    switch body {
    case .message(let b):
      node("MessageBody", "", b.span) { d in d.condition(b.condition) }
    case .afterStop(let b):
      node("AfterStopBody", "", b.span) { d in
        d.condition(b.condition)
        d.name("stopList", b.stopList)
        if let a = b.allowance {
          d.node("Allowance", "", a.span) { d in
            d.value("window", a.window)
            d.value("maxLength", a.maxLength)
            d.name("containing", a.containing)
            d.name("notContaining", a.notContaining)
          }
        }
      }
    case .burst(let b):
      node("BurstBody", "", b.span) { d in
        d.value("count", b.count)
        d.sender("sender", b.sender)
        d.value("window", b.window)
        d.sender("breaker", b.breaker)
      }
    case .obligation(let b):
      node("ObligationBody", "", b.span) { d in
        switch b.trigger {
        case .message(let c, let span): d.node("Trigger", "message", span) { d in d.condition(c) }
        case .event(let names, let span):
          d.node("Trigger", "event", span) { d in for n in names { d.name("event", n) } }
        }
        d.name("during", b.during)
        switch b.response {
        case .anyOf(let alternatives, let span):
          d.node("Response", "any of", span) { d in
            for alternative in alternatives {
              switch alternative {
              case .reply(let kind, let span): d.line("reply", kind.rawValue, span)
              case .event(let names, let span):
                d.node("event", "", span) { d in for n in names { d.name("event", n) } }
              case .anyOf: break
              }
            }
          }
        case .reply(let kind, let span): d.line("Response", "reply \(kind.rawValue)", span)
        case .event(let names, let span):
          d.node("Response", "event", span) { d in for n in names { d.name("event", n) } }
        }
        d.value("limit", b.limit)
        for c in b.conditionalLimits {
          d.node("ConditionalLimit", "", c.span) { d in
            d.value("limit", c.limit)
            d.name("during", c.hours)
          }
        }
        d.name("countingOnly", b.countingOnly)
      }
    case .rate(let b):
      node("RateBody", "", b.span) { d in
        switch b.of {
        case .rule(let name): d.name("of", name)
        case .happening(let h): d.happening("of", h)
        }
        switch b.per {
        case .unit(let unit): d.line("unit", unit.rawValue, .none)
        case .happening(let h): d.happening("per", h)
        }
        switch b.period {
        case .day: d.line("period", "day", .none)
        case .month: d.line("period", "month", .none)
        case .rolling(let v): d.value("period rolling", v)
        case .last(let v): d.value("period last", v)
        }
        d.name("during", b.during)
        d.value(b.comparison == .atLeast ? "threshold" : "threshold " + b.comparison.rawValue, b.threshold)
        d.value("minimum", b.minimum)
      }
    case .manual(let b):
      node("ManualBody", "", b.span) { d in d.string("note", b.note) }
    }
  }

  /// Conditions are at most `Parser.maxNestingDepth` deep, so this recursion is bounded.
  private mutating func condition(_ c: Condition) {
    switch c {
    case .and(let items, let span): node("And", "", span) { d in for i in items { d.condition(i) } }
    case .or(let items, let span): node("Or", "", span) { d in for i in items { d.condition(i) } }
    case .not(let inner, let span): node("Not", "", span) { d in d.condition(inner) }
    case .from(let s): sender("From", s)
    case .containsAny(let list, let span): line("ContainsAny", list.name, span)
    case .containsTerm(let s, let span): line("ContainsTerm", Self.quote(s.value), span)
    case .containsAtLeast(let count, let list, let span):
      node("ContainsAtLeast", list.name, span) { d in d.value("count", count) }
    case .detector(let kind, let allowed, let span):
      line("Detector", kind.rawValue + (allowed.map { " outside \($0.name)" } ?? ""), span)
    case .near(let list, let distance, let span):
      node("Near", list.name, span) { d in d.value("distance", distance) }
    case .phoneIn(let regions, let span):
      line("PhoneIn", regions.map(\.name).joined(separator: " "), span)
    case .nearWords(let list, let other, let distance, let span):
      node("NearWords", "\(list.name) near \(other.name)", span) { d in d.value("distance", distance) }
    case .matches(let s, let span): line("Matches", Self.quote(s.value), span)
    case .matchesNamed(let name, let span): line("MatchesNamed", name.name, span)
    case .length(let atMost, let v, let span):
      node("Length", atMost ? "at most" : "at least", span) { d in d.value("value", v) }
    case .hasAttachment(let type, let span): line("HasAttachment", type?.name ?? "", span)
    case .attachmentOfType(let type, let negated, let fileTypes, let span):
      let kind = (type.map { $0.name + " " } ?? "") + (negated ? "not of type" : "of type")
      node("AttachmentOfType", kind, span) { d in for t in fileTypes { d.string("file type", t) } }
    case .history(let h):
      let kind: String
      switch h.kind {
      case .after: kind = "after"
      case .within: kind = "within after"
      case .moreThan: kind = "more than after"
      case .count(let comparison, _, _): kind = "count " + comparison.rawValue
      }
      node("History", kind + (h.first ? " first" : ""), h.span) { d in
        switch h.kind {
        case .after: break
        case .within(let v), .moreThan(let v): d.value("duration", v)
        case .count(_, let v, let window):
          d.value("count", v)
          if let window { d.value("within", window) }
        }
        d.happening("happening", h.happening)
        if let without = h.without { d.happening("without", without) }
      }
    case .conversation(.idle(let v, let span)):
      node("Idle", "", span) { d in d.value("duration", v) }
    case .conversation(.unanswered(let span)): line("Unanswered", "", span)
    case .conversation(.proactive(let span)): line("Proactive", "", span)
    case .conversation(.answered(let v, let span)):
      node("Answered", "", span) { d in d.value("within", v) }
    }
  }

  // MARK: - Tests

  private mutating func happening(_ field: String, _ h: Happening) {
    switch h {
    case .message(let condition, let plural, let span):
      node(field, plural ? "messages" : "message", span) { d in
        if let condition { d.condition(condition) }
      }
    case .event(let names, let plural, let span):
      line(field, (plural ? "events " : "event ") + names.map(\.name).joined(separator: " or "), span)
    }
  }

  private mutating func testTime(_ field: String, _ t: TestTime) {
    line(field, (t.date.map { Self.date($0) + " " } ?? "") + Self.time(t.time), t.span)
  }

  private mutating func test(_ t: TestDecl) {
    node("Test", Self.quote(t.name.value), t.span) { d in
      for event in t.events {
        switch event {
        case .message(let role, let auto, let time, let text, let attachments, let span):
          d.node("Message", role.rawValue + (auto ? " auto" : ""), span) { d in
            d.testTime("at", time)
            d.string("text", text)
            for a in attachments {
              d.line(
                "attachment",
                a.type.name + (a.qr ? " qr" : "") + (a.url.map { " " + Self.quote($0.value) } ?? "")
                  + (a.name.map { " name " + Self.quote($0.value) } ?? "")
                  + (a.mime.map { " mime " + Self.quote($0.value) } ?? ""),
                a.span)
            }
          }
        case .event(let name, let time, let span):
          d.node("Event", name.name, span) { d in d.testTime("at", time) }
        }
      }
      for e in t.expectations {
        d.node("Expect", e.negated ? "no violation" : "violation", e.span) { d in
          d.name("of", e.rule)
          if let at = e.at { d.line("at", String(at), .none) }
          d.string("matching", e.matching)
        }
      }
      if let asOf = t.asOf { d.testTime("asOf", asOf) }
    }
  }
}
