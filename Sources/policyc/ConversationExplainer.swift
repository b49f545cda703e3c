import Foundation
import PolicyLang

/// `policyc explain --policy P EVENTS.jsonl --conversation ID`: one conversation as a timeline,
/// each rule's verdicts under the message they concern with the matched characters marked, and
/// every reply obligation with its opened, deadline and answered times, met or not.
enum ConversationExplainer {
  static func run(_ context: CommandContext) -> Int32 {
    let args = context.arguments
    let zh = context.language == .chinese
    guard let policyPath = args.value("--policy"), let id = args.value("--conversation") else {
      Console.err(
        LocalizedText(
          "policyc explain: give both --policy FILE and --conversation ID",
          zh: "policyc explain:请同时给出 --policy FILE 和 --conversation ID"), context.language)
      return ExitStatus.usage
    }
    var asOf = Timestamp.now()
    if let text = args.value("--as-of") {
      guard let parsed = try? Timestamp(rfc3339: text) else {
        Console.err(
          LocalizedText(
            "policyc explain: --as-of `\(text)` is not an RFC 3339 time",
            zh: "policyc explain:--as-of `\(text)` 不是 RFC 3339 时间"), context.language)
        return ExitStatus.usage
      }
      asOf = parsed
    }
    let policy: CompiledPolicy
    do {
      let (file, root) = RootOption.resolve(policyPath, args)
      policy = try CompiledPolicy(policyAt: file, root: root)
    } catch {
      if case .invalidPolicy(let diagnostics, let sources) = error {
        Console.err(DiagnosticRenderer(language: context.language).render(diagnostics, in: sources))
        let missing = diagnostics.items.contains { $0.code == .fileUnreadable && $0.span == nil }
        return missing ? ExitStatus.missingInput : ExitStatus.invalidPolicy
      }
      Console.err("policyc explain: \(error)\n")
      return ExitStatus.internalError
    }
    guard policy.zone.accepts(asOf) else {
      Console.err(
        LocalizedText(
          "policyc explain: --as-of falls outside years 0001-9999 in \(policy.zone.identifier), the policy's zone",
          zh: "policyc explain:--as-of 在策略时区 \(policy.zone.identifier) 中不在 0001-9999 年之间"),
        context.language)
      return ExitStatus.usage
    }
    let wanted = ByteString(id)
    var events: [Event] = []
    var unreadable = 0
    var statuses: [Int32] = []
    let decoder = EventDecoder()
    let paths = args.positionals.isEmpty ? ["-"] : args.positionals
    for path in paths {
      let reader: LineReader
      do {
        reader =
          path == "-"
          ? LineReader(standardInputWithMaxLineLength: LineReader.defaultMaxLineLength)
          : try LineReader(path: path)
      } catch {
        Console.err("policyc explain: \(error)\n")
        statuses.append(ExitStatus.missingInput)
        continue
      }
      while let line = try? reader.next() {
        guard case .text(let bytes) = line.content else {
          if case .tooLong = line.content { unreadable += 1 }
          continue
        }
        guard let event = try? decoder.decode(bytes) else {
          unreadable += 1
          continue
        }
        guard policy.zone.accepts(event.at) else {
          unreadable += 1
          continue
        }
        if event.conversation == wanted { events.append(event) }
      }
    }
    guard !events.isEmpty else {
      Console.err(
        zh ? "policyc explain: 没有会话 `\(id)` 的事件\n" : "policyc explain: no events of conversation `\(id)`\n")
      statuses.append(ExitStatus.failure)
      return ExitStatus.combine(statuses)
    }
    // The events `eval` refuses (a shop or buyer in conflict with an earlier event of the
    // conversation, in time order) are left out as `eval` leaves them out: the session's intake
    // decides, here as there.
    var refused = Set<Int>()
    _ = policy.evaluate(events: events, asOf: asOf) { index, _ in refused.insert(index) }
    let admitted = events.indices.filter { !refused.contains($0) }.map { events[$0] }
    let trace = policy.evaluator.trace(conversation: admitted, asOf: asOf)
    Console.out(render(trace, policy: policy, conversation: id, asOf: asOf, language: context.language))
    if !refused.isEmpty {
      Console.err(
        zh
          ? "注意:\(refused.count) 个事件被拒绝,未列出(用 policyc eval 查看原因)\n"
          : "note: \(refused.count) events were refused and are not shown (run policyc eval to see why)\n")
      statuses.append(ExitStatus.inputErrors)
    }
    if unreadable > 0 {
      Console.err(
        zh
          ? "注意:\(unreadable) 行无法读取(用 policyc eval 查看原因)\n"
          : "note: \(unreadable) lines could not be read (run policyc eval to see why)\n")
      statuses.append(ExitStatus.inputErrors)
    }
    return ExitStatus.combine(statuses)
  }

  static func render(
    _ trace: ConversationTrace, policy: CompiledPolicy, conversation: String, asOf: Timestamp,
    language: Language
  ) -> String {
    let zh = language == .chinese
    let zone = policy.zone
    let rules = policy.program.ir.rules
    let shop = trace.events.lazy.compactMap(\.shop).first?.string ?? ""
    var out = [
      zh
        ? "会话 \(conversation)(店铺 \(shop)),策略 \(policy.name),评估时刻 \(zone.rfc3339(asOf))"
        : "conversation \(conversation) (shop \(shop)), policy \(policy.name), as of \(zone.rfc3339(asOf))",
      "",
    ]
    for (index, event) in trace.events.enumerated() {
      let local = zone.localTime(of: event.at)
      let time = "\(local.date) \(clock(local.secondsOfDay))"
      var who: String
      var text = ""
      switch event.kind {
      case .message(let m):
        who = m.role.rawValue + (m.auto ? " auto" : "") + (event.agent.map { " \($0.string)" } ?? "")
        text = m.textString
        for (i, a) in m.attachments.enumerated() {
          text +=
            " [\(zh ? "附件" : "attachment") \(i): \(a.kind.name)\(a.qr ? " qr" : "")\(a.url.map { " " + String(decoding: $0, as: UTF8.self) } ?? "")"
            + (a.name.map { " " + String(decoding: $0, as: UTF8.self) } ?? "")
            + (a.mime.map { " (" + String(decoding: $0, as: UTF8.self) + ")" } ?? "") + "]"
        }
      case .event(let name):
        who = "event"
        text = name.string
      }
      let prefix = "#\(index)  \(time)  \(who)  "
      out.append(prefix + text)
      let indent = String(repeating: " ", count: 4)
      for verdict in trace.verdicts where eventIndex(verdict) == index {
        let head = "\(verdict.pending ? "…" : "✗") \(verdict.rule) (\(verdict.clause), \(verdict.severity))"
        let escalated = verdict.escalation.map { " → \($0.escalatedTo): \($0.reason)" } ?? ""
        switch verdict.detail {
        case .content(_, let evidence):
          // Carets under each match of the original text, then the rule's line once.
          var attachments: [String] = []
          for e in evidence {
            if let start = e.start, let end = e.end, e.attachment == nil {
              let scalars = Array(text.unicodeScalars)
              let before = scalars.prefix(start).reduce(0) { $0 + DiagnosticRenderer.cellWidth($1) }
              let width = scalars[min(start, scalars.count)..<min(end, scalars.count)]
                .reduce(0) { $0 + DiagnosticRenderer.cellWidth($1) }
              out.append(
                String(repeating: " ", count: displayWidth(prefix) + before)
                  + String(repeating: "^", count: max(1, width)) + " \(e.kind)"
                  + (e.term.map { " \($0)" } ?? "") + " \"\(e.match ?? "")\"")
            } else {
              attachments.append(" \(e.kind) \(zh ? "附件" : "attachment") \(e.attachment ?? 0)")
            }
          }
          out.append(indent + head + attachments.joined(separator: ",") + escalated)
        case .timing:
          out.append(indent + head + escalated)
        case .aggregate:
          break
        }
      }
      for o in trace.obligations where o.event == index {
        let name = rules.indices.contains(o.rule) ? rules[o.rule].name : "#\(o.rule)"
        let deadline = o.deadline.map { zone.rfc3339($0) } ?? (zh ? "无" : "never")
        let answered = o.answeredAt.map { zone.rfc3339($0) } ?? (zh ? "未回复" : "unanswered")
        let status: String
        if o.met {
          status = zh ? "按时" : "on time"
        } else if let d = o.deadline, d > asOf {
          status = zh ? "未到期" : "not yet due"
        } else {
          status = zh ? "✗ 超时" : "✗ missed"
        }
        out.append(
          indent
            + (zh
              ? "\(name):开始 \(zone.rfc3339(o.openedAt)),期限 \(deadline),回复 \(answered) — \(status)"
              : "\(name): opened \(zone.rfc3339(o.openedAt)), deadline \(deadline), answered \(answered) — \(status)")
        )
      }
    }
    return out.joined(separator: "\n") + "\n"
  }

  static func eventIndex(_ verdict: Verdict) -> Int? {
    switch verdict.detail {
    case .content(let e, _), .timing(let e, _, _, _): return e.event
    case .aggregate: return nil
    }
  }

  static func clock(_ seconds: Int) -> String {
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
  }

  static func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { $0 + DiagnosticRenderer.cellWidth($1) }
  }
}
