import PolicyLang

/// One option a command accepts.
struct OptionSpec: Sendable {
  /// The long name with its dashes, e.g. `--as-of`.
  let name: String
  /// A one-letter alias such as `-o`, if any.
  let short: String?
  /// Whether the option takes a value (`--as-of T` or `--as-of=T`).
  let takesValue: Bool
  /// Whether the option may be given several times (`--policy A --policy B`).
  let repeatable: Bool
  let help: LocalizedText

  init(
    _ name: String, short: String? = nil, value: Bool = false, repeatable: Bool = false,
    help: LocalizedText
  ) {
    self.name = name
    self.short = short
    self.takesValue = value
    self.repeatable = repeatable
    self.help = help
  }
}

/// A command's name, summary, synopsis and options: the table the parser and `--help` read.
struct CommandSpec: Sendable {
  let name: String
  let synopsis: String
  let summary: LocalizedText
  let options: [OptionSpec]
}

/// What a command line said, once checked against the command's table.
struct ParsedArguments: Sendable {
  var values: [String: [String]] = [:]
  var flags: Set<String> = []
  var positionals: [String] = []

  func value(_ name: String) -> String? { values[name]?.last }
  func all(_ name: String) -> [String] { values[name] ?? [] }
  func has(_ name: String) -> Bool { flags.contains(name) || values[name] != nil }
}

/// A usage error: exit status 64 with this message.
struct UsageError: Error, Sendable {
  let message: LocalizedText
}

/// Options every command accepts.
let globalOptions: [OptionSpec] = [
  OptionSpec(
    "--lang", value: true,
    help: LocalizedText(
      "language of messages: en or zh (default: from LANG)", zh: "消息语言:en 或 zh(默认取自 LANG)")),
  OptionSpec("--help", short: "-h", help: LocalizedText("show this help", zh: "显示本帮助")),
]

/// Parses `arguments` against `spec`: options may come before or after positionals, take their
/// value as `--x V` or `--x=V`, `--` ends the options, and `-` is a positional (standard input).
func parseArguments(_ arguments: [String], for spec: CommandSpec) throws(UsageError) -> ParsedArguments {
  let table = spec.options + globalOptions
  var parsed = ParsedArguments()
  var i = 0
  var optionsEnded = false
  while i < arguments.count {
    let arg = arguments[i]
    i += 1
    if optionsEnded || arg == "-" || !arg.hasPrefix("-") {
      parsed.positionals.append(arg)
      continue
    }
    if arg == "--" {
      optionsEnded = true
      continue
    }
    var name = arg
    var inlineValue: String?
    if let eq = arg.firstIndex(of: "="), arg.hasPrefix("--") {
      name = String(arg[..<eq])
      inlineValue = String(arg[arg.index(after: eq)...])
    }
    guard let option = table.first(where: { $0.name == name || $0.short == name }) else {
      let suggestion = closestName(name, among: table.map(\.name))
      let hint = suggestion.map { " (did you mean `\($0)`?)" } ?? ""
      let hintZh = suggestion.map { "(是否想用 `\($0)`?)" } ?? ""
      throw UsageError(
        message: LocalizedText(
          "unknown option `\(name)` for `policyc \(spec.name)`\(hint)",
          zh: "`policyc \(spec.name)` 没有选项 `\(name)`\(hintZh)"))
    }
    if option.takesValue {
      let value: String
      if let inlineValue {
        value = inlineValue
      } else if i < arguments.count {
        value = arguments[i]
        i += 1
      } else {
        throw UsageError(
          message: LocalizedText(
            "option `\(option.name)` needs a value", zh: "选项 `\(option.name)` 需要一个值"))
      }
      if !option.repeatable && parsed.values[option.name] != nil {
        throw UsageError(
          message: LocalizedText(
            "option `\(option.name)` given twice", zh: "选项 `\(option.name)` 出现了两次"))
      }
      parsed.values[option.name, default: []].append(value)
    } else {
      if inlineValue != nil {
        throw UsageError(
          message: LocalizedText(
            "option `\(option.name)` takes no value", zh: "选项 `\(option.name)` 不接受值"))
      }
      parsed.flags.insert(option.name)
    }
  }
  return parsed
}

/// The candidate nearest to `name` by edit distance, if it is close enough to be a typo.
func closestName(_ name: String, among candidates: [String]) -> String? {
  var best: (String, Int)?
  for candidate in candidates {
    let d = editDistance(Array(name.unicodeScalars), Array(candidate.unicodeScalars))
    guard d <= max(1, candidate.count / 3) else { continue }
    if let (_, bestDistance) = best, bestDistance <= d { continue }
    best = (candidate, d)
  }
  return best?.0
}

/// Levenshtein distance, two rows at a time.
func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}

/// The `--help` text of a command, generated from its table.
func helpText(for spec: CommandSpec, language: Language) -> String {
  var lines = ["usage: \(spec.synopsis)", "", spec.summary.text(in: language), ""]
  let options = spec.options + globalOptions
  let width = options.map { optionLabel($0).count }.max() ?? 0
  lines.append(language == .chinese ? "选项:" : "options:")
  for option in options {
    let label = optionLabel(option)
    let pad = String(repeating: " ", count: width - label.count + 2)
    lines.append("  \(label)\(pad)\(option.help.text(in: language))")
  }
  return lines.joined(separator: "\n") + "\n"
}

private func optionLabel(_ option: OptionSpec) -> String {
  let names = option.short.map { "\($0), \(option.name)" } ?? option.name
  return option.takesValue ? names + " VALUE" : names
}
