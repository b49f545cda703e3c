import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Import resolution and word lists, with files held in memory.
@Suite("Policy loader")
struct PolicyLoaderTests {
  static let header = """
    policy p "测试" {
      zone Asia/Shanghai
    }

    """

  static func check(_ files: [String: String], root: String = "main.policy") -> CheckResult {
    PolicyChecker.check(path: root, provider: InMemorySourceProvider(files))
  }

  static func codes(_ result: CheckResult) -> [String] { result.diagnostics.map(\.code.id) }

  @Test func pathsAreNormalized() {
    #expect(PolicyLoader.normalize("a/./b//c/../d.policy") == "a/b/d.policy")
    #expect(PolicyLoader.normalize("../x/../../y") == "../../y")
    #expect(PolicyLoader.normalize("/a/../../b") == "/b")
    #expect(PolicyLoader.resolve("common/x.policy", from: "pol/pdd.policy") == "pol/common/x.policy")
    #expect(PolicyLoader.resolve("../lib.policy", from: "pol/pdd.policy") == "lib.policy")
    #expect(PolicyLoader.resolve("lib.policy", from: "pdd.policy") == "lib.policy")
    #expect(PolicyLoader.resolve("/abs/lib.policy", from: "pol/pdd.policy") == "/abs/lib.policy")
  }

  @Test func importAddsAndOverrides() throws {
    let result = Self.check([
      "main.policy": Self.header + """
        import "common/shared.policy"
        terms apps += ["vx"]
        override const limit = 2h
        clause T-1 "回复" timeline
        severity minor sanction "警告"
        rule r "回复" {
          clause T-1
          severity minor
          every message from buyer and not contains any apps
          expect reply within limit
        }
        """,
      "common/shared.policy": """
      terms apps = ["微信"]
      const limit = 1h
      """,
    ])
    #expect(result.diagnostics.isEmpty, "\(CheckFixtures.render(result))")
    let policy = try #require(result.policy)
    #expect(policy.termLists.first?.terms.map(\.term) == ["微信", "vx"])
    guard case .obligation(let obligation) = policy.rules.first?.body else {
      Issue.record("not an obligation")
      return
    }
    #expect(obligation.limits.first?.seconds == 7200)
    #expect(result.sources.files.map(\.name) == ["main.policy", "common/shared.policy"])
  }

  @Test func overrideRuleReplacesInPlace() throws {
    let result = Self.check([
      "main.policy": Self.header + """
        import "lib.policy"
        override rule a "新" {
          clause T-1
          severity minor
          when message contains "新"
        }
        """,
      "lib.policy": """
      clause T-1 "内容" content
      severity minor sanction "警告"
      rule a "旧" {
        clause T-1
        severity minor
        when message contains "旧"
        test "old" {
          seller 10:00 "旧"
          expect violation
        }
      }
      rule b "乙" {
        clause T-1
        severity minor
        when message contains "乙"
      }
      """,
    ])
    let policy = try #require(result.policy, "\(CheckFixtures.render(result))")
    #expect(policy.rules.map(\.title) == ["新", "乙"])
    #expect(policy.rules.first?.body == .message(.containsTerm("新")))
    // The tests of the replaced rule go with it.
    #expect(policy.tests.isEmpty)
  }

  @Test func diamondImportIsIncludedOnce() throws {
    let result = Self.check([
      "main.policy": Self.header + "import \"b.policy\"\nimport \"c.policy\"\n",
      "b.policy": "import \"d.policy\"\nterms b_terms = [\"b\"]\n",
      "c.policy": "import \"./d.policy\"\nterms c_terms = [\"c\"]\n",
      "d.policy": "terms d_terms = [\"d\"]\n",
    ])
    #expect(!Self.codes(result).contains("E0302"), "\(CheckFixtures.render(result))")
    let policy = try #require(result.policy)
    #expect(policy.termLists.map(\.name) == ["d_terms", "b_terms", "c_terms"])
    #expect(result.sources.files.map(\.name) == ["main.policy", "b.policy", "d.policy", "c.policy"])
  }

  @Test func cycleIsNamed() {
    let result = Self.check([
      "main.policy": Self.header + "import \"a.policy\"\n",
      "a.policy": "import \"b.policy\"\n",
      "b.policy": "import \"a.policy\"\n",
    ])
    #expect(Self.codes(result) == ["E0303"])
    #expect(
      result.diagnostics.items.first?.message.english
        == "import cycle: a.policy → b.policy → a.policy")
    #expect(result.policy == nil)
  }

  @Test func importOfTheRootIsACycle() {
    let result = Self.check(["main.policy": Self.header + "import \"main.policy\"\n"])
    #expect(Self.codes(result) == ["E0303"])
  }

  @Test func missingAndDirectoryImportsPointAtTheString() throws {
    let text = Self.header + "import \"nowhere.policy\"\nimport \"dir\"\n"
    let result = Self.check(["main.policy": text, "dir/x.policy": ""])
    #expect(Self.codes(result) == ["E0001", "E0001"])
    let file = try #require(result.sources.files.first)
    let spans = result.diagnostics.compactMap(\.span)
    #expect(spans.map { file.text(of: $0) } == ["\"nowhere.policy\"", "\"dir\""])
    #expect(result.diagnostics.items[1].message.english.contains("directory"))
  }

  @Test func unreadableRootHasNoSpan() {
    let result = Self.check([:], root: "absent.policy")
    #expect(Self.codes(result) == ["E0001"])
    #expect(result.diagnostics.items.first?.span == nil)
    #expect(result.policy == nil)
  }

  @Test func tooLargeFilesAreRefused() {
    let big = [UInt8](repeating: UInt8(ascii: "#"), count: PolicyLoader.maximumFileBytes + 1)
    let provider = InMemorySourceProvider(bytes: ["main.policy": big])
    let result = PolicyChecker.check(path: "main.policy", provider: provider)
    #expect(Self.codes(result) == ["E0001"])
    #expect(result.diagnostics.items.first?.message.english.contains("8 MiB") == true)
  }

  @Test func longImportChainDoesNotRecurse() {
    var files = ["main.policy": Self.header + "import \"f0.policy\"\n"]
    for i in 0..<2000 { files["f\(i).policy"] = "import \"f\(i + 1).policy\"\n" }
    files["f2000.policy"] = "terms deep = [\"x\"]\n"
    let result = Self.check(files)
    #expect(result.sources.files.count == 2002)
    #expect(result.policy?.termLists.map(\.name) == ["deep"])
  }

  @Test func libraryWithHeaderIsRefused() {
    let result = Self.check([
      "main.policy": Self.header + "import \"other.policy\"\n",
      "other.policy": "policy other {\n  zone UTC\n}\n",
    ])
    #expect(Self.codes(result) == ["E0307"])
    #expect(result.diagnostics.items.first?.labels.count == 1)
  }

  @Test func wordListsAreRelativeToTheDeclaringFile() throws {
    let result = Self.check([
      "main.policy": Self.header + "import \"lib/shared.policy\"\n",
      "lib/shared.policy": "terms apps = file \"words/apps.txt\"\n",
      "lib/words/apps.txt": "\u{FEFF}微信 | 薇信\r\n# 注释\r\n\r\n  QQ  # 行尾\r\n",
    ])
    let policy = try #require(result.policy, "\(CheckFixtures.render(result))")
    let terms = try #require(policy.termLists.first).terms
    #expect(terms.map(\.term) == ["微信", "QQ"])
    #expect(terms.first?.variants == ["薇信"])
    #expect(result.sources.files.map(\.name).last == "lib/words/apps.txt")
  }

  @Test func wordListParsing() {
    let text = "a | b|c\n# x\n  \nd |\n| e\nf#g\n"
    let file = SourceFile(id: FileID(0), name: "w.txt", text: text)
    let (terms, diagnostics) = WordListParser.parse(file)
    #expect(terms.map(\.term) == ["a", "f"])
    #expect(terms.first?.variants == ["b", "c"])
    #expect(diagnostics.map(\.code.id) == ["E0310", "E0310"])
    let lines = diagnostics.compactMap(\.span).map { file.location(of: Int($0.start)).line }
    #expect(lines == [4, 5])
  }

  @Test func invalidUTF8InAWordListIsLocated() {
    let bytes: [UInt8] = Array("ok\nab".utf8) + [0xFF] + Array("c\n".utf8)
    let file = SourceFile(id: FileID(0), name: "w.txt", bytes: bytes)
    let (terms, diagnostics) = WordListParser.parse(file)
    #expect(terms.map(\.term) == ["ok"])
    let span = diagnostics.items.first?.span
    #expect(span.map { file.location(of: Int($0.start)) } == SourceLocation(line: 2, column: 3))
  }

  @Test func missingWordListPointsAtTheString() {
    let result = Self.check(["main.policy": Self.header + "terms apps = file \"apps.txt\"\n"])
    #expect(Self.codes(result).contains("E0001"))
  }
}
