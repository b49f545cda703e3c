import Foundation
import PolicyLang

/// The fixed costs issue 9 sets targets for: compiling the shipped policies, loading a compiled
/// program, checking a generated 50,000-rule policy, and a one-event `policyc eval`.
enum ToolTimes {
  static func report(policies: [String], runs: Int, policyc: String?) {
    print("")
    print("| fixed cost | median ms | target ms |")
    print("|---|---|---|")
    func line(_ name: String, _ seconds: Double, _ target: String) {
      print("| \(name) | \(String(format: "%.1f", seconds * 1000)) | \(target) |")
    }
    // Check + compile every shipped policy (reading files included).
    let compile = measure(runs: runs) {
      for path in policies {
        if let policy = PolicyChecker.check(path: path, provider: DiskSourceProvider()).policy {
          _ = try? RuleProgram(compiling: policy)
        }
      }
    }
    line("check and compile both shipped policies", compile, "< 50")
    // Load a compiled program from bytes: decode, validate, build the evaluator and automaton.
    if let path = policies.first,
      let policy = PolicyChecker.check(path: path, provider: DiskSourceProvider()).policy,
      let program = try? RuleProgram(compiling: policy)
    {
      let bytes = ProgramArchive.encode(
        program, metadata: ProgramMetadata(policy: policy, compilerVersion: "bench"))
      let load = measure(runs: runs) {
        if let loaded = try? ProgramArchive.decode(bytes) { _ = try? CompiledPolicy(program: loaded.program) }
      }
      line("load a compiled program (\(path), \(bytes.count) bytes)", load, "< 5")
    }
    // A generated policy of 50,000 message rules over a few lists.
    let source = generatedPolicy(rules: 50_000)
    let check = measure(runs: max(1, runs / 2)) {
      _ = PolicyChecker.check(source: source, name: "big.policy")
    }
    line("check a generated 50,000-rule policy (\(source.utf8.count / 1024) KiB)", check, "< 2000")
    // A one-event file through the real binary.
    if let policyc, let path = policies.first {
      let file = NSTemporaryDirectory() + "policy-bench-one-\(getpid()).jsonl"
      let event =
        #"{"conversation":"c","shop":"s","at":"2026-11-20T10:00:00+08:00","from":"seller","text":"加我微信 abc_123"}"#
      _ = FileManager.default.createFile(atPath: file, contents: Data((event + "\n").utf8))
      var walls: [Double] = []
      for _ in 0..<runs { walls.append(runProcess(policyc, ["eval", "--policy", path, file]).0) }
      line("policyc eval of a one-event file (wall, process start included)", median(walls), "< 50")
      try? FileManager.default.removeItem(atPath: file)
    }
  }

  /// A policy of `rules` message rules, each with its own clause, cycling through a few lists.
  static func generatedPolicy(rules: Int) -> String {
    var s = """
      policy big "generated" {
        zone Asia/Shanghai
      }
      clause B-0 "处罚" sanction
      severity minor sanction "警告" clause B-0
      terms contact = ["微信" | "薇信", "QQ号", "手机号"]
      terms insults = ["傻逼", "神经病", "脑残"]
      terms ads = ["兼职", "刷单", "好评返现"]

      """
    let lists = ["contact", "insults", "ads"]
    for i in 1...rules {
      s += "clause B-\(i) \"规则 \(i)\" content\n"
      s += "rule r\(i) \"规则 \(i)\" {\n  clause   B-\(i)\n  severity minor\n"
      s += "  when message from seller and contains any \(lists[i % 3])\n}\n"
    }
    return s
  }
}
