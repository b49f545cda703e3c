// Format version 2: each list names the word-list files it embeds, relative to the policy's root;
// version 1 files still load (their lists name none).

import Foundation
import Testing

@testable import PolicyLang

@Suite("List origins in programs")
struct ListOriginsTests {
  @Test func aCompiledListNamesItsWordListsRelativeToTheRoot() throws {
    let (policy, program, bytes) = try ProgramArchiveTests.compiled("pinduoduo")
    let contacts = try #require(policy.termLists.first { $0.name == "contact_apps" })
    #expect(contacts.files == ["common/contact_apps.txt"])
    #expect(program.ir.lists.first?.sources == ["common/contact_apps.txt"])
    // Every list of a shipped policy comes from one word list of the shared library.
    #expect(program.ir.lists.allSatisfy { $0.sources.count == 1 && $0.sources[0].hasPrefix("common/") })
    #expect(try ProgramArchive.decode(bytes).program.ir.lists == program.ir.lists)
  }

  @Test func additionsAndOverridesKeepTheFilesTheirEntriesCameFrom() throws {
    let provider = InMemorySourceProvider([
      "p/main.policy": """
      policy p {
        zone UTC
      }
      import "lib/shared.policy"
      terms a += file "more.txt"
      override terms b = ["x"]
      terms c += ["inline"]

      """,
      "p/lib/shared.policy": """
      terms a = file "words/a.txt"
      terms b = file "words/b.txt"
      terms c = file "words/a.txt"

      """,
      "p/lib/words/a.txt": "甲\n乙\n",
      "p/lib/words/b.txt": "丙\n",
      // Only duplicates of `a.txt`'s entries: nothing of it is kept, so it is not named.
      "p/more.txt": "甲\n",
    ])
    let result = PolicyChecker.check(path: "p/main.policy", provider: provider)
    let policy = try #require(
      result.policy, "\(DiagnosticRenderer().render(result.diagnostics, in: result.sources))")
    let files = Dictionary(uniqueKeysWithValues: policy.termLists.map { ($0.name, $0.files) })
    #expect(files == ["a": ["lib/words/a.txt"], "b": [], "c": ["lib/words/a.txt"]])
  }

  @Test func aVersionOneFileStillLoads() throws {
    let bytes = try #require(Golden.readBytes("serialization/small.v1.plp"))
    #expect(bytes[8] == 1 && bytes[9] == 0)
    let loaded = try ProgramArchive.decode(bytes)
    #expect(loaded.metadata.formatVersion == 1)
    let result = PolicyChecker.check(
      path: "serialization/small.policy", provider: DiskSourceProvider(baseDirectory: Golden.testdata.path))
    let policy = try #require(result.policy)
    #expect(loaded.program == (try RuleProgram(compiling: policy)))
    // Saved again, it is a version 2 file with the same program.
    let resaved = ProgramArchive.encode(loaded.program, metadata: loaded.metadata)
    #expect(resaved[8] == 2)
    #expect(try ProgramArchive.decode(resaved).program == loaded.program)
  }

  @Test(arguments: ["", "/etc/passwd", "../x.txt", "a/../x.txt", "a//b.txt", "./a.txt", "a/.", "a\u{0}b"])
  func aSourceThatIsNoPathUnderTheRootIsRefused(_ source: String) {
    var ir = ProgramArchiveTests.minimalIR()
    ir.lists[0].sources = ["ok/words.txt", source]
    ProgramArchiveTests.expectError(ProgramArchiveTests.archive(ir)) { error in
      guard case .invalidProgram(let reason) = error else { return false }
      return reason == "list 0: a word-list file that is not a path under the policy's root"
    }
  }

  @Test func sourcesRoundTripAsWritten() throws {
    var ir = ProgramArchiveTests.minimalIR()
    ir.lists[0].sources = ["common/联系方式.txt", "a b/\u{1B}[31m.txt"]
    let loaded = try ProgramArchive.decode(ProgramArchiveTests.archive(ir))
    #expect(loaded.program.ir.lists[0].sources == ir.lists[0].sources)
    // The disassembly quotes them: a control character is escaped, never sent to a terminal.
    let dump = IRDump.dump(loaded.program)
    #expect(dump.contains(#"list0 contacts from "common/联系方式.txt", "a b/\u{1B}[31m.txt": "#))
  }
}
