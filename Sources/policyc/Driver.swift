import Foundation
import PolicyLang

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Exit statuses shared by every command (io.md's exit table).
enum ExitStatus {
  static let ok: Int32 = 0
  static let failure: Int32 = 1
  static let inputErrors: Int32 = 2
  static let usage: Int32 = 64
  static let invalidPolicy: Int32 = 65
  static let missingInput: Int32 = 66
  static let internalError: Int32 = 70

  /// When several statuses apply, the first of 64, 66, 65, 70, 2, 1 wins (io.md).
  static func combine(_ statuses: [Int32]) -> Int32 {
    for s in [usage, missingInput, invalidPolicy, internalError, inputErrors, failure]
    where statuses.contains(s) {
      return s
    }
    return ok
  }
}

/// Standard output and error through `write(2)`: callers buffer large outputs themselves.
enum Console {
  static func out(_ text: String) { write(fd: 1, text) }
  static func err(_ text: String) { write(fd: 2, text) }

  /// A message to a person, in the language of `--lang`/`LANG`, with a line end.
  static func err(_ text: LocalizedText, _ language: Language) {
    write(fd: 2, text.text(in: language) + "\n")
  }

  static func out(bytes: UnsafeRawBufferPointer) { write(fd: 1, bytes) }

  private static func write(fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { write(fd: fd, UnsafeRawBufferPointer($0)) }
  }

  /// Writes every byte, retrying short writes and interrupted calls.
  static func write(fd: Int32, _ bytes: UnsafeRawBufferPointer) {
    guard var pointer = bytes.baseAddress else { return }
    var remaining = bytes.count
    while remaining > 0 {
      #if canImport(Glibc)
        let n = Glibc.write(fd, pointer, remaining)
      #else
        let n = Darwin.write(fd, pointer, remaining)
      #endif
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      remaining -= n
      pointer += n
    }
  }
}

/// What every command gets: its parsed arguments and the language to talk in.
struct CommandContext {
  let arguments: ParsedArguments
  let language: Language
  let environment: [String: String]
}

/// Dispatches `policyc COMMAND ...` to one command's file.
enum Driver {
  static func run(arguments: [String]) -> Int32 {
    let environment = ProcessInfo.processInfo.environment
    guard let name = arguments.first else {
      Console.err(usage(.from(flag: nil, environment: environment)))
      return ExitStatus.usage
    }
    if name == "-h" || name == "--help" || name == "help" {
      Console.out(usage(.from(flag: nil, environment: environment)))
      return ExitStatus.ok
    }
    guard let spec = Commands.all.first(where: { $0.name == name }) else {
      let language = Language.from(flag: nil, environment: environment)
      let suggestion = closestName(name, among: Commands.all.map(\.name))
      let hint = suggestion.map { " (did you mean `\($0)`?)" } ?? ""
      Console.err(
        language == .chinese
          ? "policyc: 未知命令 `\(name)`\n\n\(usage(language))"
          : "policyc: unknown command `\(name)`\(hint)\n\n\(usage(language))")
      return ExitStatus.usage
    }
    let rest = Array(arguments.dropFirst())
    let parsed: ParsedArguments
    do {
      parsed = try parseArguments(rest, for: spec)
    } catch {
      let language = Language.from(flag: nil, environment: environment)
      Console.err(
        "policyc: \(error.message.text(in: language))\n\n\(helpText(for: spec, language: language))")
      return ExitStatus.usage
    }
    let language = Language.from(flag: parsed.value("--lang"), environment: environment)
    if parsed.has("--help") {
      Console.out(helpText(for: spec, language: language))
      return ExitStatus.ok
    }
    let context = CommandContext(arguments: parsed, language: language, environment: environment)
    return dispatch(spec.name, context)
  }

  static func dispatch(_ name: String, _ context: CommandContext) -> Int32 {
    switch name {
    case "check": return CheckCommand.run(context)
    case "build": return BuildCommand.run(context)
    case "explain": return ExplainCommand.run(context)
    case "eval": return EvalCommand.run(context)
    case "state": return StateCommand.run(context)
    case "monitor": return MonitorCommand.run(context)
    case "test": return TestCommand.run(context)
    case "fmt": return FormatCommand.run(context)
    case "report": return ReportCommand.run(context)
    case "lsp": return LSPCommand.run(context)
    default:
      // Every name of `Commands.all` has a case above; reaching this is a bug in this table.
      Console.err("policyc: internal error: command `\(name)` has no handler (please report it)\n")
      return ExitStatus.internalError
    }
  }

  static func usage(_ language: Language) -> String {
    var lines = ["usage: policyc COMMAND [OPTIONS] ...", ""]
    lines.append(language == .chinese ? "命令:" : "commands:")
    for spec in Commands.all {
      let pad = String(repeating: " ", count: 10 - spec.name.count)
      lines.append("  \(spec.name)\(pad)\(spec.summary.text(in: language))")
    }
    lines.append("")
    lines.append(
      language == .chinese
        ? "`policyc COMMAND --help` 显示命令的选项。" : "`policyc COMMAND --help` shows a command's options.")
    return lines.joined(separator: "\n") + "\n"
  }
}
