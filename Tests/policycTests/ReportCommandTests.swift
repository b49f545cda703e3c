// `policyc report` end to end on the example transcripts: the page's figures against counts made
// here from the verdict lines with Foundation's JSON parser (not the report's reader), evidence
// marked, nothing that could be fetched, and bad input reported as io.md says.

import Foundation
import Testing

@Suite struct ReportCommandTests {
  static let asOf = "2026-12-31T00:00:00+08:00"
  static let transcripts = [
    ("pinduoduo", "quickstart"), ("pinduoduo", "pinduoduo"), ("pinduoduo", "pinduoduo-busy-day"),
    ("aliexpress", "aliexpress"),
  ]

  /// A scratch folder with `verdicts.jsonl`: each example transcript evaluated with its policy.
  static func workspace() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-e2e-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var verdicts = ""
    for (policy, file) in transcripts {
      let result = try PolicycBinary.run(
        [
          "eval", "--policy", "Policies/\(policy).policy", "--as-of", asOf,
          "Examples/transcripts/\(file).jsonl",
        ],
        cwd: repositoryRoot)
      #expect(result.status == 0, "\(result.stderr)")
      verdicts += result.stdout
    }
    try Data(verdicts.utf8).write(to: dir.appendingPathComponent("verdicts.jsonl"))
    return dir
  }

  static var policyAndEventArguments: [String] {
    ["--policy", "Policies/pinduoduo.policy", "--policy", "Policies/aliexpress.policy"]
      + transcripts.flatMap { ["--events", "Examples/transcripts/\($0.1).jsonl"] }
  }

  /// `data-value` of every element with `data-figure="kind"` and the attributes given.
  static func figures(_ html: String, _ kind: String) -> [(attributes: [String: String], value: Int)] {
    var out: [(attributes: [String: String], value: Int)] = []
    let tagPattern = try? NSRegularExpression(pattern: "<[a-z]+ [^>]*data-figure=\"\(kind)\"[^>]*>")
    let attributePattern = try? NSRegularExpression(pattern: "([a-z-]+)=\"([^\"]*)\"")
    let range = NSRange(html.startIndex..., in: html)
    for match in tagPattern?.matches(in: html, range: range) ?? [] {
      guard let tagRange = Range(match.range, in: html) else { continue }
      let tag = String(html[tagRange])
      var attributes: [String: String] = [:]
      for a in attributePattern?.matches(in: tag, range: NSRange(tag.startIndex..., in: tag)) ?? [] {
        guard let name = Range(a.range(at: 1), in: tag), let value = Range(a.range(at: 2), in: tag) else {
          continue
        }
        attributes[String(tag[name])] = String(tag[value])
      }
      out.append((attributes, Int(attributes["data-value"] ?? "") ?? -1))
    }
    return out
  }

  @Test func figuresEqualCountsOfTheVerdictFile() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    let output = dir.appendingPathComponent("report.html").path
    let result = try PolicycBinary.run(
      ["report", dir.appendingPathComponent("verdicts.jsonl").path, "-o", output]
        + Self.policyAndEventArguments,
      cwd: repositoryRoot)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    let html = try String(contentsOfFile: output, encoding: .utf8)

    // Independent counts.
    let text = try String(contentsOf: dir.appendingPathComponent("verdicts.jsonl"), encoding: .utf8)
    let lines = try text.split(separator: "\n").map { line in
      try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
    let violations = lines.filter { $0["status"] as? String != "pending" }
    func string(_ v: [String: Any], _ key: String) -> String? { v[key] as? String }
    var bySeverity: [String: Int] = [:]
    var byClause: [String: Int] = [:]
    for v in violations {
      bySeverity[string(v, "escalated_to") ?? string(v, "severity") ?? "", default: 0] += 1
      byClause["\(string(v, "policy") ?? "")/\(string(v, "clause") ?? "")", default: 0] += 1
    }
    let shops = Set(violations.map { "\(string($0, "policy") ?? "")/\(string($0, "shop") ?? "")" })
    let agents = Set(
      violations.compactMap { v in
        string(v, "agent").map { "\(string(v, "policy") ?? "")/\(string(v, "shop") ?? "")/\($0)" }
      })
    let conversations = Set(
      violations.compactMap { v in
        string(v, "conversation").map { "\(string(v, "policy") ?? "")/\(string(v, "shop") ?? "")/\($0)" }
      })

    #expect(violations.count == 87)
    #expect(Self.figures(html, "violations").map(\.value) == [violations.count])
    #expect(
      Self.figures(html, "escalations").map(\.value) == [
        violations.filter { $0["escalated_to"] != nil }.count
      ])
    #expect(Self.figures(html, "shops").map(\.value) == [shops.count])
    #expect(Self.figures(html, "agents").map(\.value) == [agents.count])
    #expect(Self.figures(html, "conversations").map(\.value) == [conversations.count])
    let severities = Self.figures(html, "severity")
    #expect(
      severities.map { $0.attributes["data-severity"] ?? "" } == ["severe", "major", "minor", "review"])
    for figure in severities {
      #expect(figure.value == bySeverity[figure.attributes["data-severity"] ?? "", default: 0])
    }
    let clauses = Self.figures(html, "clause")
    #expect(clauses.count == byClause.count)
    for figure in clauses {
      #expect(
        figure.value
          == byClause["\(figure.attributes["data-policy"] ?? "")/\(figure.attributes["data-clause"] ?? "")"])
    }
    #expect(Self.figures(html, "rate").map(\.value) == [750_000])

    // Messages with their evidence marked; clause titles from the policies.
    #expect(
      html.contains(
        "加我<mark class=\"ev ev-proximity\" title=\"proximity: 微信 abc_123\">微信 abc_123</mark> 给你便宜"))
    #expect(html.contains("商家客服不得通過平臺客服工具發布第三方信息"))
    #expect(!html.contains("<div class=\"why\">"), "every verdict found its event")
    // Nothing to fetch: no URL but the SVG namespace (a name, never fetched) and the link a
    // message sent (text), no external script, style or image.
    let urls = html.components(separatedBy: "://").dropFirst().map { String($0.prefix(22)) }
    #expect(urls.allSatisfy { $0 == "www.w3.org/2000/svg\" c" || $0.hasPrefix("item.taobao.com") }, "\(urls)")
    #expect(!html.contains("<script src") && !html.contains("<link") && !html.contains("<img"))
  }

  @Test func chineseWithoutEventsAndAProgram() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    let program = dir.appendingPathComponent("pdd.plp").path
    #expect(
      try PolicycBinary.run(["build", "Policies/pinduoduo.policy", "-o", program], cwd: repositoryRoot).status
        == 0)
    let output = dir.appendingPathComponent("report.html").path
    let result = try PolicycBinary.run(
      [
        "report", dir.appendingPathComponent("verdicts.jsonl").path, "--program", program, "--lang", "zh",
        "--title", "十一月 <报告>", "-o", output,
      ],
      cwd: repositoryRoot)
    #expect(result.status == 0, "\(result.stderr)")
    let html = try String(contentsOfFile: output, encoding: .utf8)
    #expect(html.contains("<html lang=\"zh-CN\">") && html.contains("<title>十一月 &lt;报告&gt;</title>"))
    #expect(html.contains("以编译后的程序提供") && html.contains("未提供策略 <code>aliexpress</code>"))
    #expect(html.contains("未提供事件"))
    #expect(html.contains("<code class=\"m\">微信 abc_123</code>"))
  }

  @Test func malformedAndMissingInputAreReportedAndTheRestIsShown() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    let verdicts = dir.appendingPathComponent("verdicts.jsonl")
    let handle = try FileHandle(forWritingTo: verdicts)
    handle.seekToEndOfFile()
    handle.write(Data("{\"policy\":\"pinduoduo\"\nnot json\n".utf8))
    try handle.close()
    let output = dir.appendingPathComponent("report.html").path
    let result = try PolicycBinary.run(
      ["report", verdicts.path, "-o", output, "--policy", "Policies/pinduoduo.policy"], cwd: repositoryRoot)
    #expect(result.status == 2)
    let errors = result.stderr.split(separator: "\n")
    #expect(errors.count == 2)
    #expect(
      errors.first
        == "\(verdicts.path):88: error: invalid JSON: unexpected end of line, expected `,` or `}` after a field"
    )
    #expect(errors.last?.hasPrefix("\(verdicts.path):89: error: invalid JSON at byte 1") == true)
    let html = try String(contentsOfFile: output, encoding: .utf8)
    #expect(Self.figures(html, "skipped").map(\.value) == [2])
    #expect(Self.figures(html, "violations").map(\.value) == [87])
    #expect(html.contains("2 malformed verdict lines were skipped"))

    let missing = try PolicycBinary.run(
      ["report", verdicts.path, dir.appendingPathComponent("nope.jsonl").path, "-o", output],
      cwd: repositoryRoot)
    #expect(missing.status == 66)
    #expect(missing.stderr.contains("cannot open \(dir.path)/nope.jsonl"))
    #expect(FileManager.default.fileExists(atPath: output))
  }

  @Test func usageErrors() throws {
    let noOutput = try PolicycBinary.run(["report", "v.jsonl"], cwd: repositoryRoot)
    #expect(noOutput.status == 64 && noOutput.stderr.contains("-o REPORT.html"))
    let noInput = try PolicycBinary.run(["report", "-o", "x.html"], cwd: repositoryRoot)
    #expect(noInput.status == 64)
    let chinese = try PolicycBinary.run(["report", "-o", "x.html", "--lang", "zh"], cwd: repositoryRoot)
    #expect(chinese.status == 64 && chinese.stderr.contains("请至少给出一个判定文件"))
    let twice = try PolicycBinary.run(["report", "-", "--events", "-", "-o", "x.html"], cwd: repositoryRoot)
    #expect(twice.status == 64)
    let badPolicy = try PolicycBinary.run(
      ["report", "v.jsonl", "--policy", "Policies/none.policy", "-o", "/dev/null"], cwd: repositoryRoot)
    #expect(badPolicy.status == 66)
    let help = try PolicycBinary.run(["report", "--help"], cwd: repositoryRoot)
    #expect(help.status == 0)
    for option in ["--policy", "--program", "--events", "--title", "-o, --output", "--lang"] {
      #expect(help.stdout.contains(option), "\(option)")
    }
  }

  @Test func readsStandardInputAndWritesStandardOutput() throws {
    let line =
      #"{"conversation":"c-1","shop":"s-1","agent":null,"policy":"p","rule":"r","clause":"C-1","severity":"major","at":"2026-11-20T10:00:00+08:00","event":0,"evidence":[]}"#
    let result = try PolicycBinary.run(["report", "-", "-o", "-"], stdin: Data((line + "\n").utf8))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.hasPrefix("<!DOCTYPE html>")
        && result.stdout.contains("data-figure=\"violations\" data-value=\"1\""))
    #expect(result.stdout.contains("<code>&lt;stdin&gt;</code>"))
  }
}
