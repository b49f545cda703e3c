extension DiagnosticCode {
  /// Problems with the files a command was given, before any stage runs.
  package static let driverCatalog: [DiagnosticCode] = [fileUnreadable]

  public static let fileUnreadable = DiagnosticCode(
    "E0001", LocalizedText("file cannot be read", zh: "无法读取文件"),
    explanation: LocalizedText(
      """
      A policy, word list or events file named on the command line or by an `import` or
      `terms ... = file` declaration does not exist, is a directory, or cannot be read.

      Example:
          import "common/shared.policy"    # but Policies/common/shared.policy is missing

      Fix: check the path. Paths in a policy are relative to the file that names them.
      """,
      zh: """
        命令行、`import` 或 `terms ... = file` 声明所指的策略文件、词表或事件文件不存在、是目录或无法读取。

        示例:
            import "common/shared.policy"    # 但 Policies/common/shared.policy 不存在

        修正:检查路径。策略中的路径相对于写出它的那个文件。
        """))
}
