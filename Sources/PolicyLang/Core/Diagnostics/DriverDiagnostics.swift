extension DiagnosticCode {
  /// Problems with the files a command was given or a policy names, before any stage runs.
  package static let driverCatalog: [DiagnosticCode] = [fileUnreadable, fileOutsideRoot, notPolicyText]

  public static let fileUnreadable = DiagnosticCode(
    "E0001", LocalizedText("file cannot be read", zh: "无法读取文件"),
    explanation: LocalizedText(
      """
      A policy, word list or events file named on the command line or by an `import` or
      `terms ... = file` declaration does not exist, is a directory, cannot be read, or holds more
      than 8 MiB. Only regular files are read: a FIFO, a device or a socket is refused (reading
      one could block or never end).

      Example:
          import "common/shared.policy"    # but Policies/common/shared.policy is missing

      Fix: check the path. Paths in a policy are relative to the file that names them.
      """,
      zh: """
        命令行、`import` 或 `terms ... = file` 声明所指的策略文件、词表或事件文件不存在、是目录、
        无法读取或超过 8 MiB。只读取普通文件:FIFO、设备和套接字一律拒绝(读取它们可能阻塞或永不结束)。

        示例:
            import "common/shared.policy"    # 但 Policies/common/shared.policy 不存在

        修正:检查路径。策略中的路径相对于写出它的那个文件。
        """))

  /// A file outside the policy's root: an absolute path, a `..` or a symbolic link leading out.
  public static let fileOutsideRoot = DiagnosticCode(
    "E0002", LocalizedText("file outside the policy's root", zh: "文件在策略根目录之外"),
    explanation: LocalizedText(
      """
      A policy reads only files under one root directory: by default the directory of the policy
      given on the command line, or the directory given with `--root DIR`. An `import` or
      `terms ... = file` path that is absolute, that leaves the root with `..`, or that reaches a
      file through a symbolic link leading out of the root is refused, and the file is not read.
      A policy from another hand (a vendor's template, a colleague's branch) can thus never read
      the other files of the machine that checks it.

      Example:
          import "../../etc/passwd"    # leaves the root

      Fix: keep the policy, its libraries and word lists in one directory tree and write paths
      relative to the file that names them. A policy that imports from a sibling directory
      (`import "../common/shared.policy"`) needs the common parent as its root:
      `policyc check --root Policies Policies/examples/taobao.policy`.
      """,
      zh: """
        策略只读取一个根目录之下的文件:默认是命令行所给策略所在的目录,或用 `--root DIR` 指定的目录。
        `import` 或 `terms ... = file` 的路径若是绝对路径、用 `..` 离开根目录,或经由指向根目录之外的
        符号链接到达文件,都会被拒绝,文件不会被读取。这样,来自他人的策略(供应商模板、同事的分支)
        永远读不到检查它的机器上的其他文件。

        示例:
            import "../../etc/passwd"    # leaves the root

        修正:把策略、库和词表放在同一目录树中,路径相对于写出它的文件。从兄弟目录导入的策略
        (`import "../common/shared.policy"`)需要以共同的上级目录为根:
        `policyc check --root Policies Policies/examples/taobao.policy`。
        """))

  /// A file that is not the text of a policy or word list (binary, another encoding, an
  /// overlong line, or too many errors): refused as a whole, none of its lines shown.
  public static let notPolicyText = DiagnosticCode(
    "E0003", LocalizedText("file is not a policy or word list", zh: "文件不是策略或词表"),
    explanation: LocalizedText(
      """
      A file that a policy names, or that is given on the command line, is not the text of a
      policy, library or word list: it holds a NUL byte (a binary file), more than a few bytes that
      are not UTF-8, or a line longer than 16,384 bytes; or it is imported (or read as a word
      list) and gives 20 or more errors. The file is reported once, by name, with the reason, and
      none of its lines is shown: it may be anything a path reached, a key or a database, and its
      content must not end up in a build log.

      Example:
          import "logo.png"    # a picture: it holds NUL bytes

      Fix: name the right file. A library with many errors is checked on its own
      (`policyc check lib.policy`) to see them; a word list in another encoding is saved as UTF-8.
      """,
      zh: """
        策略所指的文件或命令行给出的文件不是策略、库或词表的文本:它含有 NUL 字节(二进制文件)、
        有少数以上的字节不是 UTF-8,或有一行超过 16,384 字节;或者它被导入(或作为词表读取)后产生
        20 个以上的错误。该文件只以文件名和原因报告一次,不显示其中任何一行:它可能是路径所能到达的
        任何东西,比如密钥或数据库,其内容不能出现在构建日志中。

        示例:
            import "logo.png"    # a picture: it holds NUL bytes

        修正:写对文件名。有许多错误的库单独检查(`policyc check lib.policy`)即可看到错误;
        其他编码的词表请另存为 UTF-8。
        """))
}
