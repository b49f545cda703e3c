import PolicyLang
import PolicyLangLanguageServer

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `policyc lsp`: the language server, speaking LSP over standard input and output until the
/// editor sends `exit` or closes the input. Messages are in the language of `--lang`, else of
/// the editor's `locale` or the `lang` initialization option, else of `LANG`.
enum LSPCommand {
  static func run(_ context: CommandContext) -> Int32 {
    guard context.arguments.positionals.isEmpty else {
      Console.err(
        LocalizedText(
          "policyc lsp: takes no files; the editor sends the documents", zh: "policyc lsp:不接受文件参数;文档由编辑器发送"),
        context.language)
      return ExitStatus.usage
    }
    // An editor that goes away closes the pipe: a failed write ends the loop, not the process.
    signal(SIGPIPE, SIG_IGN)
    let flag = context.arguments.value("--lang").map { Language.from(flag: $0, environment: [:]) }
    var server = LanguageServer(
      input: FileDescriptorInput(descriptor: 0), output: FileDescriptorOutput(descriptor: 1),
      options: LanguageServerOptions(
        language: flag, environment: context.environment, version: CheckCommand.toolVersion))
    return server.run()
  }
}
