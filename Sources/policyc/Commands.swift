import PolicyLang

/// Every command's table: its synopsis, summary and options. `--help` and the argument parser
/// both read these, so help can never drift from what is accepted.
enum Commands {
  /// The options `eval` and `monitor` share: what judges the events, and the longest line.
  static let judgedBy = OptionSpec(
    "--policy", value: true, repeatable: true,
    help: LocalizedText("a policy to judge by (repeatable)", zh: "用于评判的策略(可重复)"))
  static let programsJudgedBy = OptionSpec(
    "--program", value: true, repeatable: true,
    help: LocalizedText("a compiled program to judge by (repeatable)", zh: "用于评判的已编译程序(可重复)"))
  static let maxLine = OptionSpec(
    "--max-line", value: true,
    help: LocalizedText("longest accepted line in bytes (default 16 MiB)", zh: "可接受的最长行字节数(默认 16 MiB)"))

  static let check = CommandSpec(
    name: "check",
    synopsis:
      "policyc check [--deny-warnings] [--format text|json|sarif] [--coverage] [--root DIR] FILE...",
    summary: LocalizedText(
      "Validate policies: report every error and warning with file, line, column, code and hint.",
      zh: "校验策略:报告每个错误和警告,附文件、行、列、代码和提示。"),
    options: [
      OptionSpec(
        "--deny-warnings",
        help: LocalizedText("treat warnings as errors", zh: "把警告当作错误")),
      OptionSpec(
        "--format", value: true,
        help: LocalizedText(
          "output format: text (default), json or sarif", zh: "输出格式:text(默认)、json 或 sarif")),
      OptionSpec(
        "--coverage",
        help: LocalizedText(
          "list every clause with the rules that enforce it", zh: "列出每个条款及执行它的规则")),
      OptionSpec(
        "--dump", value: true,
        help: LocalizedText("print the syntax tree (`ast`)", zh: "打印语法树(`ast`)")),
      RootOption.spec,
    ])

  static let build = CommandSpec(
    name: "build",
    synopsis: "policyc build (POLICY [--root DIR] | --program FILE) [-o FILE] [--dump ir|opt-ir|program]",
    summary: LocalizedText(
      "Compile a policy into a rule program and save it (to NAME.plp when no -o is given), or print its IR or disassembly.",
      zh: "把策略编译为规则程序并保存(未给 -o 时存为 NAME.plp),或打印其中间表示或反汇编。"),
    options: [
      OptionSpec(
        "--output", short: "-o", value: true,
        help: LocalizedText("write the compiled program to FILE", zh: "把编译后的程序写入 FILE")),
      OptionSpec(
        "--dump", value: true,
        help: LocalizedText(
          "print `ir`, `opt-ir` or `program` (disassembly)", zh: "打印 `ir`、`opt-ir` 或 `program`(反汇编)")),
      OptionSpec(
        "--program", value: true,
        help: LocalizedText("load a compiled program instead of a policy", zh: "载入已编译的程序而非策略")),
      RootOption.spec,
    ])

  static let eval = CommandSpec(
    name: "eval",
    synopsis: """
      policyc eval (--policy FILE.policy | --program FILE)... [--root DIR] [--as-of TIME] [--pending]
                   [--strict] [--fail-on-violation] [--stats] [--max-line BYTES] [--grouped]
                   [--jobs N] [--memory-limit BYTES] [--state FILE] [EVENTS.jsonl ... | -]
      """,
    summary: LocalizedText(
      "Evaluate chat events (JSON Lines) against policies; write one verdict per violation.",
      zh: "按策略评估聊天事件(JSON Lines);每条违规输出一条判定。"),
    options: [
      judgedBy,
      programsJudgedBy,
      RootOption.spec,
      OptionSpec(
        "--as-of", value: true,
        help: LocalizedText("the moment of evaluation (RFC 3339; default now)", zh: "评估时刻(RFC 3339;默认为现在)")),
      OptionSpec(
        "--pending",
        help: LocalizedText("also write obligations not yet due", zh: "同时输出尚未到期的义务")),
      OptionSpec(
        "--strict",
        help: LocalizedText("stop at the first bad line", zh: "遇到第一条错误行即停止")),
      OptionSpec(
        "--fail-on-violation",
        help: LocalizedText("exit 1 when any violation is found", zh: "发现违规时以状态 1 退出")),
      OptionSpec(
        "--stats",
        help: LocalizedText("write line and verdict counts to standard error", zh: "向标准错误输出行数与判定数统计")),
      maxLine,
      OptionSpec(
        "--grouped",
        help: LocalizedText(
          "promise that each conversation's lines are contiguous", zh: "保证每个会话的行是连续的")),
      OptionSpec(
        "--jobs", value: true,
        help: LocalizedText("worker threads (default: all cores)", zh: "工作线程数(默认:全部核心)")),
      OptionSpec(
        "--memory-limit", value: true,
        help: LocalizedText(
          "memory to use before spilling to disk (default 1 GiB)", zh: "写入磁盘前可用的内存(默认 1 GiB)")),
      OptionSpec(
        "--state", value: true,
        help: LocalizedText(
          "continue from the state FILE holds (if it exists) and leave this run's state there",
          zh: "从 FILE 中的状态继续(若存在),并把本次运行的状态写回")),
    ])

  static let monitor = CommandSpec(
    name: "monitor",
    synopsis: """
      policyc monitor (--policy FILE.policy | --program FILE)... [--root DIR] [--state FILE]
                      [--clock event|wall] [--checkpoint SECONDS] [--max-line BYTES] [--stats]
      """,
    summary: LocalizedText(
      "Judge events read from standard input as they come; write each verdict the moment it is certain.",
      zh: "随到随判标准输入中的事件;每条判定一经确定立即输出。"),
    options: [
      judgedBy,
      programsJudgedBy,
      RootOption.spec,
      OptionSpec(
        "--state", value: true,
        help: LocalizedText(
          "continue from the state FILE holds and checkpoint into it", zh: "从 FILE 中的状态继续,并把检查点写入其中")),
      OptionSpec(
        "--clock", value: true,
        help: LocalizedText(
          "deadlines pass by the latest event time (`event`, default) or the real time (`wall`)",
          zh: "期限按最新事件时间(`event`,默认)或真实时间(`wall`)流逝")),
      OptionSpec(
        "--checkpoint", value: true,
        help: LocalizedText(
          "seconds between checkpoints of the state (default 60; 0: only when stopping)",
          zh: "状态检查点的间隔秒数(默认 60;0 表示仅在停止时)")),
      maxLine,
      OptionSpec(
        "--stats",
        help: LocalizedText("write line and verdict counts to standard error at the end", zh: "结束时向标准错误输出统计")),
    ])

  static let state = CommandSpec(
    name: "state",
    synopsis: "policyc state show FILE",
    summary: LocalizedText(
      "Show what a state file (eval --state, monitor) holds: watermark, open obligations, shops, sizes.",
      zh: "显示状态文件(eval --state、monitor)的内容:水位、未结义务、店铺、大小。"),
    options: [])

  static let test = CommandSpec(
    name: "test",
    synopsis: "policyc test [--root DIR] FILE...",
    summary: LocalizedText(
      "Run the tests written inside policies; end with `N passed, M failed`.",
      zh: "运行策略内写的测试;最后输出 `N passed, M failed`。"),
    options: [RootOption.spec])

  static let fmt = CommandSpec(
    name: "fmt",
    synopsis: "policyc fmt [--check] [-w] FILE...",
    summary: LocalizedText(
      "Format policies in the one canonical layout, keeping every comment.",
      zh: "按唯一的标准版式格式化策略,保留所有注释。"),
    options: [
      OptionSpec(
        "--check",
        help: LocalizedText("list files that would change; exit 1 if any", zh: "列出将被修改的文件;若有则以 1 退出")),
      OptionSpec(
        "--write", short: "-w",
        help: LocalizedText("rewrite the files in place", zh: "就地改写文件")),
    ])

  static let explain = CommandSpec(
    name: "explain",
    synopsis:
      "policyc explain CODE | policyc explain --policy P [--root DIR] EVENTS.jsonl --conversation ID",
    summary: LocalizedText(
      "Explain a diagnostic code, or show a conversation with each rule's verdict beside it.",
      zh: "解释诊断代码,或逐条显示会话及每条规则的判定。"),
    options: [
      OptionSpec(
        "--policy", value: true,
        help: LocalizedText("the policy to judge the conversation by", zh: "评判会话所用的策略")),
      OptionSpec(
        "--conversation", value: true,
        help: LocalizedText("the conversation id to show", zh: "要显示的会话 id")),
      OptionSpec(
        "--as-of", value: true,
        help: LocalizedText("the moment of evaluation (RFC 3339)", zh: "评估时刻(RFC 3339)")),
      RootOption.spec,
    ])

  static let report = CommandSpec(
    name: "report",
    synopsis: """
      policyc report VERDICTS.jsonl... [--policy FILE | --program FILE]... [--events EVENTS.jsonl]...
                     [--title TEXT] -o REPORT.html
      """,
    summary: LocalizedText(
      "Write one self-contained HTML page with charts from verdict files (JSON Lines of policyc eval).",
      zh: "根据判定文件(policyc eval 输出的 JSON Lines)生成一个自包含、带图表的 HTML 页面。"),
    options: [
      OptionSpec(
        "--output", short: "-o", value: true,
        help: LocalizedText("the page to write (`-` for standard output)", zh: "要写入的页面(`-` 表示标准输出)")),
      OptionSpec(
        "--policy", value: true, repeatable: true,
        help: LocalizedText(
          "a policy of the verdicts: clause titles, severities, sanctions, limits (repeatable)",
          zh: "判定所用的策略:条款标题、严重程度、处罚、时限(可重复)")),
      OptionSpec(
        "--program", value: true, repeatable: true,
        help: LocalizedText(
          "a compiled program of the verdicts: clause ids and limits, no titles (repeatable)",
          zh: "判定所用的已编译程序:条款编号和时限,无标题(可重复)")),
      OptionSpec(
        "--events", value: true, repeatable: true,
        help: LocalizedText(
          "the events that were evaluated: messages and reply delays (repeatable, in the order given to eval)",
          zh: "被评估的事件:消息原文与回复时长(可重复,顺序与 eval 相同)")),
      OptionSpec(
        "--title", value: true,
        help: LocalizedText("the page's title (default: Compliance report)", zh: "页面标题(默认:合规报告)")),
    ])

  static let lsp = CommandSpec(
    name: "lsp",
    synopsis: "policyc lsp",
    summary: LocalizedText(
      "Run the language server (LSP over standard input and output) for editors.",
      zh: "运行供编辑器使用的语言服务器(经标准输入输出的 LSP)。"),
    options: [])

  static let all: [CommandSpec] = [check, build, eval, monitor, state, test, fmt, explain, lsp, report]
}
