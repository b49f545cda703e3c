import Foundation
import Testing

@testable import PolicyLang

/// A directory tree in a fresh temporary directory: `secret.txt` beside the root holds a marker
/// that no diagnostic may ever show, and `root/` is where the policies live.
final class TemporaryTree {
  static let marker = "SECRET-MARKER-5e1f0c"
  let base: URL

  init() throws {
    base = FileManager.default.temporaryDirectory.appendingPathComponent("confine-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: base.appendingPathComponent("root"), withIntermediateDirectories: true)
    // Shaped like /etc/passwd: text a policy parser reads line by line.
    try write("secret.txt", "root:x:0:0:\(Self.marker):/root:/bin/bash\n")
  }

  deinit { try? FileManager.default.removeItem(at: base) }

  var rootPath: String { base.appendingPathComponent("root").path }

  func write(_ path: String, _ text: String) throws {
    try write(path, bytes: Array(text.utf8))
  }

  func write(_ path: String, bytes: [UInt8]) throws {
    let url = base.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  func link(_ path: String, to target: String) throws {
    try FileManager.default.createSymbolicLink(
      atPath: base.appendingPathComponent(path).path, withDestinationPath: target)
  }

  func fifo(_ path: String) -> Bool {
    mkfifo(base.appendingPathComponent(path).path, 0o600) == 0
  }

  /// Checks `root/<policy>` as `policyc` does, relative paths against the tree's base.
  func check(_ policy: String = "root/main.policy", root: String? = nil) -> CheckResult {
    PolicyChecker.check(
      path: policy, root: root.map { SourceRoot($0) }, provider: DiskSourceProvider(baseDirectory: base.path))
  }
}

/// Everything a user or a tool could see of a check: rendered diagnostics in both languages,
/// JSON and SARIF.
func everythingShown(_ result: CheckResult) -> String {
  DiagnosticRenderer(language: .english).render(result.diagnostics, in: result.sources)
    + DiagnosticRenderer(language: .chinese).render(result.diagnostics, in: result.sources)
    + DiagnosticExport.json(result.diagnostics, in: result.sources)
    + DiagnosticExport.sarif(result.diagnostics, in: result.sources, toolVersion: "test")
}

/// A policy reads only files under its root: absolute paths, `..` out of the root and symbolic
/// links leading out are E0002, and the file behind them is never read.
@Suite("Import confinement")
struct ConfinementTests {
  static let header = "policy p \"测试\" {\n  zone Asia/Shanghai\n}\n"

  /// A policy whose list `x` is read from `file`, used by a rule so that it is compiled in.
  static func listPolicy(_ file: String) -> String {
    header + """
      clause C-1 "x" content
      severity minor sanction "w"
      terms x = file "\(file)"
      rule r "r" {
        clause C-1
        severity minor
        when message contains any x
      }

      """
  }

  static func codes(_ result: CheckResult) -> [String] { result.diagnostics.map(\.code.id) }

  @Test(arguments: [
    ("import \"/etc/passwd\"\n", "is an absolute path"),
    ("import \"../../../../../../etc/passwd\"\n", "leads out of the root"),
    ("import \"../secret.txt\"\n", "leads out of the root"),
    ("import \"sub/../../secret.txt\"\n", "leads out of the root"),
    ("terms x = file \"../secret.txt\"\n", "leads out of the root"),
    ("terms x = file \"/proc/self/environ\"\n", "is an absolute path"),
  ])
  func pathsOutOfTheRootAreRefusedOnTheirText(_ declaration: String, _ why: String) throws {
    let tree = try TemporaryTree()
    try tree.write("root/main.policy", Self.header + declaration)
    let result = tree.check()
    #expect(Self.codes(result).contains("E0002"), "\(everythingShown(result))")
    let refusal = try #require(result.diagnostics.first { $0.code == .fileOutsideRoot })
    #expect(refusal.message.english.contains(why))
    #expect(refusal.span != nil, "the refusal points at the string")
    #expect(!everythingShown(result).contains(TemporaryTree.marker))
    #expect(result.sources.files.map(\.name) == ["root/main.policy"], "no other file was read")
  }

  @Test func symbolicLinksOutOfTheRootAreRefused() throws {
    let tree = try TemporaryTree()
    try tree.link("root/file-link.txt", to: "../secret.txt")
    try tree.link("root/dir-link", to: tree.base.path)
    try tree.write("root/sub/keep.txt", "x\n")
    // Stays in the root on its text (`sub/..`), leaves it once `..` is walked from the target.
    try tree.link("root/climb.txt", to: "sub/../../secret.txt")
    try tree.link("root/absolute.txt", to: tree.base.appendingPathComponent("secret.txt").path)
    for name in ["file-link.txt", "dir-link/secret.txt", "climb.txt", "absolute.txt"] {
      try tree.write("root/main.policy", Self.listPolicy(name))
      let result = tree.check()
      #expect(Self.codes(result) == ["E0002"], "\(name): \(everythingShown(result))")
      let message = result.diagnostics.items.first?.message.english ?? ""
      #expect(message.contains("through the symbolic link"), "\(name): \(message)")
      #expect(!everythingShown(result).contains(TemporaryTree.marker), "\(name)")
      #expect(result.policy == nil)
    }
  }

  @Test func symbolicLinksInsideTheRootAreFollowed() throws {
    let tree = try TemporaryTree()
    try tree.write("root/lists/words.txt", "微信 | vx\nQQ\n")
    try tree.link("root/relative.txt", to: "lists/words.txt")
    try tree.link("root/via-dir", to: "lists")
    try tree.link("root/up-and-down.txt", to: "lists/../lists/words.txt")
    try tree.link("root/absolute.txt", to: tree.base.appendingPathComponent("root/lists/words.txt").path)
    try tree.link("root/chain.txt", to: "relative.txt")
    for name in ["relative.txt", "via-dir/words.txt", "up-and-down.txt", "absolute.txt", "chain.txt"] {
      try tree.write("root/main.policy", Self.listPolicy(name))
      let result = tree.check()
      let policy = try #require(result.policy, "\(name): \(everythingShown(result))")
      #expect(policy.termLists.first?.terms.map(\.term) == ["微信", "QQ"], "\(name)")
    }
  }

  @Test func aLinkLoopIsAnErrorNotAHang() throws {
    let tree = try TemporaryTree()
    try tree.link("root/a.txt", to: "b.txt")
    try tree.link("root/b.txt", to: "a.txt")
    try tree.write("root/main.policy", Self.listPolicy("a.txt"))
    let result = tree.check()
    #expect(Self.codes(result) == ["E0001"])
    #expect(result.diagnostics.items.first?.message.english.contains("symbolic links") == true)
  }

  @Test(.timeLimit(.minutes(1)))
  func aFIFOIsRefusedWithoutBlocking() throws {
    let tree = try TemporaryTree()
    #expect(tree.fifo("root/pipe.policy"))
    try tree.write("root/main.policy", Self.header + "import \"pipe.policy\"\n")
    let result = tree.check()
    #expect(Self.codes(result) == ["E0001"])
    #expect(result.diagnostics.items.first?.message.english.contains("a FIFO") == true)
    // Given on the command line, it is refused the same way.
    let direct = tree.check("root/pipe.policy")
    #expect(Self.codes(direct) == ["E0001"])
  }

  @Test func aDeviceIsRefusedEvenUnderTheRoot() throws {
    let tree = try TemporaryTree()
    try tree.write("root/main.policy", Self.listPolicy("../../../../../../../../dev/zero"))
    // The file system's root as the policy's root: `/dev/zero` lies under it, and is still refused.
    let main = tree.base.appendingPathComponent("root/main.policy").path
    let result = PolicyChecker.check(path: main, root: SourceRoot("/"), provider: DiskSourceProvider())
    #expect(Self.codes(result) == ["E0001"], "\(everythingShown(result))")
    #expect(result.diagnostics.items.first?.message.english.contains("character device") == true)
  }

  @Test func theDefaultRootIsThePolicysDirectoryAndRootWidensIt() throws {
    let tree = try TemporaryTree()
    try tree.write("root/common/lib.policy", "terms shared = [\"微信\"]\n")
    try tree.write("root/examples/shop.policy", Self.header + "import \"../common/lib.policy\"\n")
    let narrow = tree.check("root/examples/shop.policy")
    #expect(Self.codes(narrow).first == "E0002")
    #expect(narrow.diagnostics.items.first?.message.english.contains("root `root/examples`") == true)
    let wide = tree.check("root/examples/shop.policy", root: "root")
    #expect(!Self.codes(wide).contains("E0002"), "\(everythingShown(wide))")
    #expect(wide.sources.files.map(\.name) == ["root/examples/shop.policy", "root/common/lib.policy"])
  }

  @Test func thePolicyItselfMustLieUnderTheRoot() throws {
    let tree = try TemporaryTree()
    try tree.write("root/main.policy", Self.header)
    let outside = tree.check("root/main.policy", root: "root/sub")
    #expect(Self.codes(outside) == ["E0002"])
    #expect(outside.diagnostics.items.first?.span == nil)
    // A policy that is a link leading out of its own directory is refused too.
    try tree.write("elsewhere/p.policy", Self.header)
    try tree.link("root/linked.policy", to: "../elsewhere/p.policy")
    let linked = tree.check("root/linked.policy")
    #expect(Self.codes(linked) == ["E0002"])
  }

  @Test func aMissingRootDirectoryIsAnUnreadableFile() throws {
    let tree = try TemporaryTree()
    let missing = tree.check("nowhere/main.policy")
    #expect(Self.codes(missing) == ["E0001"])
    #expect(missing.diagnostics.items.first?.span == nil)
    #expect(missing.diagnostics.items.first?.message.english.contains("root directory") == true)
  }

  @Test func anInMemoryProviderIsConfinedOnTheText() {
    let provider = InMemorySourceProvider([
      "pol/main.policy": Self.header + "import \"../secret.policy\"\n",
      "secret.policy": "terms leaked = [\"\(TemporaryTree.marker)\"]\n",
    ])
    let result = PolicyChecker.check(path: "pol/main.policy", provider: provider)
    #expect(Self.codes(result) == ["E0002"])
    #expect(!everythingShown(result).contains(TemporaryTree.marker))
  }
}

/// The lexical part of confinement: what a root holds on the paths' text.
@Suite("Source root")
struct SourceRootTests {
  @Test(
    arguments: [
      ("Policies", "Policies/pinduoduo.policy", "pinduoduo.policy"),
      ("Policies", "Policies/common/../common/x.txt", "common/x.txt"),
      ("Policies", "Policies/../etc/passwd", nil),
      ("Policies", "Policies", nil),
      ("Policies", "PoliciesX/a.policy", nil),
      ("Policies", "/Policies/a.policy", nil),
      (".", "a.policy", "a.policy"),
      (".", "../a.policy", nil),
      (".", "/a.policy", nil),
      ("..", "../x/a.policy", "x/a.policy"),
      ("..", "a.policy", nil),
      ("/", "/etc/passwd", "etc/passwd"),
      ("/srv/p/", "/srv/p/a.policy", "a.policy"),
      ("/srv/p", "/srv/pp/a.policy", nil),
      ("/srv/p", "srv/p/a.policy", nil),
    ] as [(String, String, String?)])
  func holdsWhatLiesUnderItOnTheText(_ root: String, _ path: String, _ relative: String?) {
    #expect(SourceRoot(root).relativePath(of: path) == relative)
  }

  @Test(arguments: [
    ("Policies/pinduoduo.policy", "Policies"),
    ("pinduoduo.policy", "."),
    ("./a/./b.policy", "a"),
    ("/p.policy", "/"),
    ("/srv/p/a.policy", "/srv/p"),
    ("../x.policy", ".."),
  ])
  func theDefaultRootIsTheDirectoryOfThePolicy(_ policy: String, _ root: String) {
    #expect(SourceRoot(directoryOf: policy).path == root)
    #expect(SourceRoot(directoryOf: policy).contains(policy))
  }
}
