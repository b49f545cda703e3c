import Foundation
import PolicyLang

/// `--root DIR`: the directory a policy and every file it imports or reads must lie under.
/// Without it, each policy's root is its own directory.
enum RootOption {
  static let spec = OptionSpec(
    "--root", value: true,
    help: LocalizedText(
      "the directory the policy and every file it reads must lie under (default: the policy's directory)",
      zh: "策略及其读取的每个文件都必须位于其下的目录(默认:策略所在目录)"))

  /// The path to load the policy from and its root. A root and a policy path written one
  /// absolute, the other relative (or a root that climbs with `..`) are compared as absolute
  /// paths, as their text alone cannot tell whether one holds the other.
  static func resolve(_ policy: String, _ arguments: ParsedArguments) -> (path: String, root: SourceRoot?) {
    guard let given = arguments.value(spec.name) else { return (policy, nil) }
    let root = SourceRoot(given)
    if root.contains(policy) { return (policy, root) }
    let current = FileManager.default.currentDirectoryPath
    func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : current + "/" + path }
    return (PolicyLoader.normalize(absolute(policy)), SourceRoot(absolute(given)))
  }
}
