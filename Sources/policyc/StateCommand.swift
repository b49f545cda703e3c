import Foundation
import PolicyLang

/// `policyc state show FILE`: what a state file holds, in a few readable lines.
enum StateCommand {
  static func run(_ context: CommandContext) -> Int32 {
    let args = context.arguments
    guard args.positionals.count == 2, args.positionals[0] == "show" else {
      Console.err("policyc state: give `show FILE`, for example `policyc state show daily.state`\n")
      return ExitStatus.usage
    }
    let path = args.positionals[1]
    if !FileManager.default.fileExists(atPath: path) {
      Console.err("policyc state: \(path) does not exist (a run with --state makes it)\n")
      return ExitStatus.missingInput
    }
    let state: EvaluationState
    do throws(StateFileError) {
      state = try EvaluationState.load(path: path)
    } catch {
      Console.err("policyc state: \(error)\n")
      if case .unreadable = error { return ExitStatus.missingInput }
      return ExitStatus.invalidPolicy
    }
    Console.out(render(state.summary(), path: path))
    return ExitStatus.ok
  }

  static func render(_ s: StateSummary, path: String) -> String {
    var lines = ["state \(path) (format version \(EvaluationState.formatVersion))"]
    lines.append("  judged through  \(s.watermark.map(\.description) ?? "(no run yet)")")
    lines.append(
      "  conversations   \(s.conversations) (\(s.idleConversations) with nothing open), \(s.recordBytes) bytes"
        + (s.conversations > 0 ? ", \(s.recordBytes / s.conversations) per conversation" : ""))
    lines.append("  shops           \(s.shops)")
    for p in s.policies {
      lines.append("  policy \(p.name) (\(p.rules) rules, \(p.histories) history conditions)")
      var open = "    open obligations  \(p.openObligations) in \(p.activeConversations) conversations"
      if let earliest = p.earliestDeadline { open += ", earliest deadline \(earliest)" }
      lines.append(open)
      lines.append("    rate periods      \(p.openPeriods) not judged yet (\(p.periodUnits) buyer-day units)")
      lines.append("    escalation        \(p.violations) violations kept")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
