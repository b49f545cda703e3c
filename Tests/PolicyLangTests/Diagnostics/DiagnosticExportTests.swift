import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

@Suite struct DiagnosticExportTests {
  /// A source with two syntax errors on different lines, one of them after CJK text.
  func sample() -> (Diagnostics, SourceMap) {
    var map = SourceMap()
    let text =
      "policy demo \"演示\" {\n  zone Asia/Shanghai\n}\nrule r \"标题\" { clause X-1 severity minor when message contains }\nterms t = [\"a\" \"b\"\n"
    let id = map.add(name: "Policies/demo.policy", bytes: Array(text.utf8))
    guard let file = map[id] else { return (Diagnostics(), map) }
    return (Parser.parse(file).diagnostics, map)
  }

  func object(_ text: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(value as? [String: Any])
  }

  @Test func jsonListsEveryDiagnosticWithPositions() throws {
    let (diagnostics, map) = sample()
    #expect(diagnostics.count >= 2)
    let doc = try object(DiagnosticExport.json(diagnostics, in: map))
    #expect(doc["version"] as? Int == 1)
    let items = try #require(doc["diagnostics"] as? [[String: Any]])
    #expect(items.count == diagnostics.count)
    for (item, d) in zip(items, diagnostics.items) {
      #expect(item["code"] as? String == d.code.id)
      #expect(item["file"] as? String == "Policies/demo.policy")
      #expect((item["line"] as? Int ?? 0) >= 1)
      #expect((item["column"] as? Int ?? 0) >= 1)
      #expect(item["message"] as? String == d.message.english)
    }
    #expect(doc["errors"] as? Int == diagnostics.errorCount)
  }

  /// The required properties of SARIF 2.1.0 (sarif-schema-2.1.0.json): the log's `version` and
  /// `runs`; a run's `tool.driver.name`; a result's `message` (with `text`); a reporting
  /// descriptor's `id`; a region's positive `startLine`; `ruleIndex` agreeing with `ruleId`.
  @Test func sarifHasEveryRequiredProperty() throws {
    let (diagnostics, map) = sample()
    let log = try object(DiagnosticExport.sarif(diagnostics, in: map, toolVersion: "0.1.0"))
    #expect(log["version"] as? String == "2.1.0")
    #expect((log["$schema"] as? String)?.contains("sarif-2.1.0") == true)
    let runs = try #require(log["runs"] as? [[String: Any]])
    #expect(runs.count == 1)
    let run = runs[0]
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(driver["name"] as? String == "policyc")
    let rules = try #require(driver["rules"] as? [[String: Any]])
    for rule in rules {
      #expect(rule["id"] is String)
      #expect((rule["shortDescription"] as? [String: Any])?["text"] is String)
    }
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count == diagnostics.count)
    for result in results {
      let message = try #require(result["message"] as? [String: Any])
      #expect(message["text"] is String)
      let ruleId = try #require(result["ruleId"] as? String)
      let index = try #require(result["ruleIndex"] as? Int)
      #expect(rules[index]["id"] as? String == ruleId)
      #expect(["error", "warning", "note", "none"].contains(result["level"] as? String ?? ""))
      let locations = try #require(result["locations"] as? [[String: Any]])
      let physical = try #require(locations.first?["physicalLocation"] as? [String: Any])
      let artifact = try #require(physical["artifactLocation"] as? [String: Any])
      #expect(artifact["uri"] as? String == "Policies/demo.policy")
      let region = try #require(physical["region"] as? [String: Any])
      #expect((region["startLine"] as? Int ?? 0) >= 1)
      #expect((region["startColumn"] as? Int ?? 0) >= 1)
    }
  }

  @Test func jsonEscapesControlCharactersAndKeepsCJK() throws {
    var out = JSONBuilder()
    out.string("a\"b\\c\n\u{1}中")
    #expect(out.text == "\"a\\\"b\\\\c\\n\\u0001中\"")
  }
}
