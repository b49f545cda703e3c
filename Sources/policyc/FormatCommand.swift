import Foundation
import PolicyLang

/// `policyc fmt [--check] [-w] FILE...`: prints each policy in the canonical layout, rewrites it
/// in place with `-w`, or with `--check` lists the files that would change (exit 1 if any).
enum FormatCommand {
  static func run(_ context: CommandContext) -> Int32 {
    let args = context.arguments
    let paths = args.positionals
    guard !paths.isEmpty else {
      Console.err(
        LocalizedText("policyc fmt: give at least one policy file", zh: "policyc fmt:请至少给出一个策略文件"),
        context.language)
      return ExitStatus.usage
    }
    let check = args.has("--check")
    let write = args.has("--write")
    var statuses: [Int32] = []
    var sources = SourceMap()
    for path in paths {
      // A regular file only: `fmt` on a FIFO or a device must not block or read without end.
      let bytes: [UInt8]
      switch DiskSourceProvider().read(path, limit: PolicyLoader.maximumFileBytes) {
      case .success(let read): bytes = read
      case .failure(let error):
        Console.err(
          LocalizedText(
            "policyc fmt: cannot read `\(path)`: \(error.message.english)",
            zh: "policyc fmt:无法读取 `\(path)`:\(error.message.chinese)"),
          context.language)
        statuses.append(ExitStatus.missingInput)
        continue
      }
      let id = sources.add(name: path, bytes: bytes)
      guard let source = sources[id] else { continue }
      let result = PolicyFormatter.format(source)
      guard let text = result.text else {
        if let diagnostics = result.diagnostics {
          Console.err(DiagnosticRenderer(language: context.language).render(diagnostics, in: sources))
        }
        statuses.append(ExitStatus.invalidPolicy)
        continue
      }
      let changed = result.changes(source)
      if check {
        if changed {
          Console.out(path + "\n")
          statuses.append(ExitStatus.failure)
        }
      } else if write {
        guard changed else { continue }
        do {
          try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
          Console.err("policyc fmt: cannot write `\(path)`: \(error.localizedDescription)\n")
          statuses.append(ExitStatus.failure)
        }
      } else {
        Console.out(text)
      }
    }
    return ExitStatus.combine(statuses)
  }
}
