import Foundation
import Testing

@Suite struct BuildCommandTests {
  static func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("build-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func buildsAProgramAndDisassemblesTheLoadedFile() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let output = dir.appendingPathComponent("pdd.plp").path
    let build = try PolicycBinary.run(
      ["build", "Policies/pinduoduo.policy", "-o", output], cwd: repositoryRoot)
    #expect(build.status == 0, "\(build.stderr)")
    #expect(build.stdout.isEmpty)
    let bytes = try #require(FileManager.default.contents(atPath: output))
    #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4C, 0x50, 0x0D, 0x0A, 0x1A, 0x0A])
    let loaded = try PolicycBinary.run(
      ["build", "--program", output, "--dump", "program"], cwd: repositoryRoot)
    #expect(loaded.status == 0, "\(loaded.stderr)")
    #expect(loaded.stdout.hasPrefix("; policy pinduoduo\n; format version 2\n; source hash "))
    #expect(loaded.stdout.contains("  list0 contact_apps from \"common/contact_apps.txt\": \"微信\""))
    #expect(loaded.stdout.contains("rules\n  0 third_party_info"))
    let direct = try PolicycBinary.run(
      ["build", "Policies/pinduoduo.policy", "--dump", "program"], cwd: repositoryRoot)
    #expect(direct.stdout == loaded.stdout)
    // The same policy built again, from another directory, gives the same bytes.
    let again = dir.appendingPathComponent("again.plp").path
    let policy = repositoryRoot.appendingPathComponent("Policies/pinduoduo.policy").path
    #expect(try PolicycBinary.run(["build", policy, "-o", again], cwd: dir).status == 0)
    #expect(FileManager.default.contents(atPath: again) == bytes)
  }

  @Test func disassemblyMatchesTheLibraryGolden() throws {
    let testdata = repositoryRoot.appendingPathComponent("Tests/PolicyLangTests/testdata/serialization")
    let result = try PolicycBinary.run(["build", "small.policy", "--dump", "program"], cwd: testdata)
    #expect(result.status == 0, "\(result.stderr)")
    let golden = try String(contentsOf: testdata.appendingPathComponent("small.program.txt"), encoding: .utf8)
    #expect(result.stdout == golden)
  }

  @Test func dumpsIRBeforeAndAfterThePasses() throws {
    let ir = try PolicycBinary.run(
      ["build", "Policies/aliexpress.policy", "--dump", "ir"], cwd: repositoryRoot)
    let opt = try PolicycBinary.run(
      ["build", "Policies/aliexpress.policy", "--dump", "opt-ir"], cwd: repositoryRoot)
    #expect(ir.status == 0 && opt.status == 0)
    #expect(ir.stdout.hasPrefix("policy aliexpress zone "))
    #expect(opt.stdout.hasPrefix("policy aliexpress zone "))
    #expect(!opt.stdout.contains("groups\n"))
  }

  @Test func withoutOutputOrDumpWritesNameDotPlpHere() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let policy = repositoryRoot.appendingPathComponent("Policies/aliexpress.policy").path
    let result = try PolicycBinary.run(["build", policy], cwd: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("aliexpress.plp").path))
  }

  @Test func exitStatuses() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let missing = try PolicycBinary.run(["build", "no-such.policy"], cwd: dir)
    #expect(missing.status == 66)
    let missingProgram = try PolicycBinary.run(
      ["build", "--program", "no-such.plp", "--dump", "program"], cwd: dir)
    #expect(missingProgram.status == 66)
    #expect(missingProgram.stderr.contains("no-such.plp"))
    try Data("policy broken {\n".utf8).write(to: dir.appendingPathComponent("broken.policy"))
    let broken = try PolicycBinary.run(["build", "broken.policy"], cwd: dir)
    #expect(broken.status == 65)
    #expect(broken.stderr.contains("error"))
    try Data("not a program".utf8).write(to: dir.appendingPathComponent("bad.plp"))
    let bad = try PolicycBinary.run(["build", "--program", "bad.plp", "--dump", "program"], cwd: dir)
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("not a compiled PolicyLang program"))
    let usage = try PolicycBinary.run(["build", "--dump", "tokens", "x.policy"], cwd: dir)
    #expect(usage.status == 64)
    let both = try PolicycBinary.run(["build", "x.policy", "--program", "bad.plp"], cwd: dir)
    #expect(both.status == 64)
  }
}
