import PolicyLang

/// `policyc explain CODE`: the long explanation of a diagnostic, with an example and its fix.
enum ExplainCommand {
  static func run(_ context: CommandContext) -> Int32 {
    let args = context.arguments
    if args.has("--policy") || args.has("--conversation") {
      return ConversationExplainer.run(context)
    }
    guard args.positionals.count == 1, let id = args.positionals.first else {
      Console.err(
        context.language == .chinese
          ? "policyc explain: 需要一个诊断代码,例如 `policyc explain E0302`\n"
          : "policyc explain: give one diagnostic code, for example `policyc explain E0302`\n")
      return ExitStatus.usage
    }
    guard let code = DiagnosticCode.named(id) else {
      let suggestion = closestName(id.uppercased(), among: DiagnosticCode.all.map(\.id))
      let hint = suggestion.map { " (did you mean \($0)?)" } ?? ""
      Console.err(
        context.language == .chinese
          ? "policyc explain: 没有诊断代码 `\(id)`\n"
          : "policyc explain: no diagnostic code `\(id)`\(hint)\n")
      return ExitStatus.usage
    }
    Console.out(render(code, language: context.language))
    return ExitStatus.ok
  }

  static func render(_ code: DiagnosticCode, language: Language) -> String {
    let severity =
      language == .chinese
      ? ["note": "提示", "warning": "警告", "error": "错误"][code.defaultSeverity.rawValue] ?? ""
      : code.defaultSeverity.rawValue
    var text = "\(code.id) (\(severity)): \(code.title.text(in: language))\n\n"
    text += code.explanation.text(in: language)
    if !text.hasSuffix("\n") { text += "\n" }
    return text
  }
}
