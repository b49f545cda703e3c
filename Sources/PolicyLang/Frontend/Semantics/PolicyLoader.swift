// Loading a policy: the root file, the libraries it imports (transitively) and the word-list
// files its term lists name. Imports are followed with an explicit stack, so a long import chain
// cannot overflow the call stack, and a file reached twice is read and included once. Every file
// must lie under the policy's root (E0002) and be the text of a policy or word list (E0003).

import PolicyLangCore

/// One parsed file of a policy.
public struct LoadedFile: Sendable {
  /// The file's id in the source map.
  public var id: FileID
  /// The normalized path it was read from.
  public var path: String
  /// The parsed tree.
  public var syntax: PolicyFile
  /// Whether this is the file the checker was given (not an import).
  public var isRoot: Bool
  /// The `import` string that first reached this file; `nil` for the root.
  public var importedAt: SourceSpan?
}

/// The result of loading: files in include order (every file after the files it imports, so
/// the root is last), every file read, and the problems met on the way.
public struct LoadedPolicy: Sendable {
  /// Every file once, each after the files it imports; the root last.
  public var files: [LoadedFile]
  /// Every file read, word lists included.
  public var sources: SourceMap
  /// Parse diagnostics of every file, and loading problems (E0001-E0003, E0303, E0310).
  public var diagnostics: Diagnostics
  /// The entries of each word-list file, keyed by the span of the `file "..."` string naming it.
  /// A list whose file could not be read is absent (its diagnostic was reported).
  public var wordLists: [SourceSpan: [CheckedTerm]]
  /// The directory every file was read under.
  public var sourceRoot = SourceRoot(".")
  /// Every file of `sources` by id: its path relative to `sourceRoot`.
  public var relativePaths: [FileID: String] = [:]
  /// The root file, when it could be read.
  public var root: LoadedFile? { files.last.flatMap { $0.isRoot ? $0 : nil } }
}
/// Reads a policy and everything it names.
public enum PolicyLoader {
  /// The largest file (policy, library or word list) the loader reads: 8 MiB.
  public static let maximumFileBytes = 8 * 1024 * 1024

  /// Loads the policy at `path` and follows its imports and word lists. Every file must lie
  /// under `root` (by default the directory of `path`); the provider is asked for each with
  /// `read(_:confinedTo:limit:)`.
  public static func load(
    path: String, root: SourceRoot? = nil, provider: some SourceProvider
  ) -> LoadedPolicy {
    var loading = Loading(root: root ?? SourceRoot(directoryOf: path), provider: provider)
    loading.load(path)
    return LoadedPolicy(
      files: loading.order.map { loading.parsed[$0] }, sources: loading.sources,
      diagnostics: loading.diagnostics, wordLists: loading.wordLists, sourceRoot: loading.root,
      relativePaths: loading.relativePaths)
  }

  /// What a path in a policy names, for messages.
  fileprivate enum Role {
    case policy, library, wordList

    var noun: LocalizedText {
      switch self {
      case .policy: return LocalizedText("policy", zh: "策略")
      case .library: return LocalizedText("imported file", zh: "导入文件")
      case .wordList: return LocalizedText("word list", zh: "词表")
      }
    }
  }

  /// The state of one `load`.
  private struct Loading<Provider: SourceProvider> {
    let root: SourceRoot
    let provider: Provider
    var sources = SourceMap()
    var diagnostics = Diagnostics()
    var wordLists: [SourceSpan: [CheckedTerm]] = [:]
    /// Word lists by path: their entries, or nil when they could not be used (reported once).
    var wordListCache: [String: [CheckedTerm]?] = [:]
    var parsed: [LoadedFile] = []
    var indexOfPath: [String: Int] = [:]
    /// Files whose imports are being followed (a file reached again while in here is a cycle).
    var inProgress: Set<Int> = []
    var order: [Int] = []
    var relativePaths: [FileID: String] = [:]

    init(root: SourceRoot, provider: Provider) {
      self.root = root
      self.provider = provider
    }

    mutating func load(_ path: String) {
      // The policy given: not to be confused with `root`, the directory it must lie under.
      let policyPath = PolicyLoader.normalize(path)
      guard root.relativePath(ofNormalized: policyPath) != nil else {
        diagnostics.append(
          Diagnostic(
            .fileOutsideRoot,
            LocalizedText(
              "`\(path)` is not under the root `\(root)`", zh: "`\(path)` 不在根目录 `\(root)` 之下"),
            at: nil,
            help: LocalizedText(
              "give a root that holds the policy (`--root DIR`)", zh: "给出包含该策略的根目录(`--root DIR`)")))
        return
      }
      guard let bytes = read(policyPath, named: path, role: .policy, at: nil),
        let file = parse(policyPath, bytes, role: .policy, at: nil)
      else { return }
      let policyIndex = admit(file, path: policyPath, importedAt: nil)
      // Depth-first with an explicit stack: (file index, imports of it, next import to follow).
      var stack: [(file: Int, imports: [ImportDecl], next: Int)] = [
        (policyIndex, imports(of: policyIndex), 0)
      ]
      while let top = stack.last {
        guard top.next < top.imports.count else {
          stack.removeLast()
          inProgress.remove(top.file)
          order.append(top.file)
          continue
        }
        stack[stack.count - 1].next += 1
        let decl = top.imports[top.next]
        guard let target = target(of: decl.path, from: parsed[top.file].path, role: .library) else {
          continue
        }
        if let known = indexOfPath[target] {
          if inProgress.contains(known) {
            let start = stack.firstIndex { $0.file == known } ?? 0
            let cycle = stack[start...].map { parsed[$0.file].path } + [target]
            diagnostics.append(Self.cycle(cycle, at: decl.path.span))
          }
          continue
        }
        guard let bytes = read(target, named: target, role: .library, at: decl.path),
          let file = parse(target, bytes, role: .library, at: decl.path)
        else { continue }
        let index = admit(file, path: target, importedAt: decl.path.span)
        stack.append((index, imports(of: index), 0))
      }
    }

    /// The normalized path a string in `importer` names, or nil after reporting why it may not
    /// be read (E0002: absolute, or out of the root).
    mutating func target(of literal: StringLiteral, from importer: String, role: Role) -> String? {
      let value = literal.value
      if value.hasPrefix("/") {
        diagnostics.append(
          Diagnostic(
            .fileOutsideRoot,
            LocalizedText(
              "\(role.noun.english) `\(value)` is an absolute path; a policy reads only files under its root `\(root)`",
              zh: "\(role.noun.chinese) `\(value)` 是绝对路径;策略只读取其根目录 `\(root)` 之下的文件"),
            at: literal.span,
            help: LocalizedText(
              "write the path relative to the file that names it",
              zh: "把路径写成相对于写出它的文件的路径")))
        return nil
      }
      let target = PolicyLoader.resolve(value, from: importer)
      guard root.relativePath(ofNormalized: target) != nil else {
        diagnostics.append(
          Diagnostic(
            .fileOutsideRoot,
            LocalizedText(
              "\(role.noun.english) `\(value)` leads out of the root `\(root)`",
              zh: "\(role.noun.chinese) `\(value)` 离开了根目录 `\(root)`"),
            at: literal.span,
            help: LocalizedText(
              "keep libraries and word lists under the root, or give a wider one with `--root DIR`",
              zh: "把库和词表放在根目录之下,或用 `--root DIR` 给出更大的根目录")))
        return nil
      }
      return target
    }

    /// The bytes of the file at `path`, or nil after reporting why there are none: E0002 when a
    /// symbolic link leads out of the root, E0001 otherwise. `literal` is the string that named
    /// the file (nil for the policy given).
    mutating func read(
      _ path: String, named name: String, role: Role, at literal: StringLiteral?
    ) -> [UInt8]? {
      switch provider.read(path, confinedTo: root, limit: PolicyLoader.maximumFileBytes) {
      case .success(let bytes):
        return bytes
      case .failure(let error):
        let outside: Bool
        if case .outsideRoot = error { outside = true } else { outside = false }
        let lead =
          literal == nil
          ? LocalizedText("cannot read `\(name)`", zh: "无法读取 `\(name)`")
          : LocalizedText(
            "cannot read \(role.noun.english) `\(name)`", zh: "无法读取\(role.noun.chinese) `\(name)`")
        var diagnostic = Diagnostic(
          outside ? .fileOutsideRoot : .fileUnreadable,
          LocalizedText(
            "\(lead.english): \(error.message.english)", zh: "\(lead.chinese):\(error.message.chinese)"),
          at: literal?.span)
        if case .outsideRoot(_?) = error {
          diagnostic.help = LocalizedText(
            "replace the link by the file, or give a root that holds its target with `--root DIR`",
            zh: "用文件本身替换该链接,或用 `--root DIR` 给出包含其目标的根目录")
        } else if outside {
          diagnostic.help = LocalizedText(
            "give a root that holds it (`--root DIR`, or the editor's root setting)",
            zh: "给出包含它的根目录(`--root DIR`,或编辑器的根目录设置)")
        } else if literal != nil, error == .missing || error == .isDirectory {
          diagnostic.help = LocalizedText(
            "the path is relative to the directory of the file that names it",
            zh: "路径相对于写出它的文件所在的目录")
        }
        diagnostics.append(diagnostic)
        return nil
      }
    }

    /// `path`'s bytes parsed as a policy or library, or nil after reporting (E0003) that they are
    /// not one: judged on the bytes, and for a library on its errors too.
    mutating func parse(
      _ path: String, _ bytes: [UInt8], role: Role, at literal: StringLiteral?
    ) -> (source: SourceFile, result: ParseResult)? {
      if let foreign = ForeignContent.inspect(bytes) {
        diagnostics.append(Self.foreign(path, foreign, role: role, at: literal))
        return nil
      }
      // The id the file gets when it is kept: a refused file is not added to the map.
      let source = SourceFile(id: sources.nextID, name: path, bytes: bytes)
      let result = Parser.parse(source)
      let errors = result.diagnostics.errorCount
      if role != .policy && errors >= PolicyLimits.diagnosticsPerFile {
        diagnostics.append(Self.foreign(path, .tooManyErrors(errors), role: role, at: literal))
        return nil
      }
      return (source, result)
    }

    /// Records a parsed file, its diagnostics and the word lists it names; returns its index.
    mutating func admit(
      _ file: (source: SourceFile, result: ParseResult), path: String, importedAt: SourceSpan?
    ) -> Int {
      let id = sources.add(file.source)
      relativePaths[id] = root.relativePath(ofNormalized: path)
      diagnostics.append(contentsOf: file.result.diagnostics)
      let index = parsed.count
      parsed.append(
        LoadedFile(
          id: id, path: path, syntax: file.result.file, isRoot: importedAt == nil,
          importedAt: importedAt))
      indexOfPath[path] = index
      inProgress.insert(index)
      for case .terms(let decl) in file.result.file.declarations {
        guard case .file(let name) = decl.source else { continue }
        loadWordList(name, from: path)
      }
      return index
    }

    /// Reads, checks and parses the word list a `file "..."` string names (once per path).
    mutating func loadWordList(_ name: StringLiteral, from importer: String) {
      guard let path = target(of: name, from: importer, role: .wordList) else { return }
      if let cached = wordListCache[path] {
        if let terms = cached { wordLists[name.span] = terms }
        return
      }
      wordListCache[path] = .some(nil)
      guard let bytes = read(path, named: path, role: .wordList, at: name) else { return }
      if let foreign = ForeignContent.inspect(bytes) {
        diagnostics.append(Self.foreign(path, foreign, role: .wordList, at: name))
        return
      }
      let file = SourceFile(id: sources.nextID, name: path, bytes: bytes)
      let (terms, problems) = WordListParser.parse(file)
      if problems.errorCount >= PolicyLimits.diagnosticsPerFile {
        diagnostics.append(Self.foreign(path, .tooManyErrors(problems.errorCount), role: .wordList, at: name))
        return
      }
      let id = sources.add(file)
      relativePaths[id] = root.relativePath(ofNormalized: path)
      diagnostics.append(contentsOf: problems)
      wordListCache[path] = .some(terms)
      wordLists[name.span] = terms
    }

    func imports(of index: Int) -> [ImportDecl] {
      parsed[index].syntax.declarations.compactMap {
        if case .import(let decl) = $0 { return decl }
        return nil
      }
    }

    /// E0003: the file at `path` is not the text of a policy or word list.
    static func foreign(
      _ path: String, _ content: ForeignContent, role: Role, at literal: StringLiteral?
    ) -> Diagnostic {
      let kind =
        role == .wordList
        ? LocalizedText("a word list", zh: "词表") : LocalizedText("a policy", zh: "策略")
      var help = LocalizedText(
        "name the right file; none of this file's lines is shown", zh: "请写对文件名;此文件的内容一行也不显示")
      if case .tooManyErrors = content, role == .library {
        help = LocalizedText(
          "if it is a library, check it on its own to see its errors: `policyc check \(path)`",
          zh: "如果它是库文件,请单独检查以查看错误:`policyc check \(path)`")
      }
      return Diagnostic(
        .notPolicyText,
        LocalizedText(
          "`\(path)` is not \(kind.english): \(content.reason.english)",
          zh: "`\(path)` 不是\(kind.chinese):\(content.reason.chinese)"),
        at: literal?.span, help: help)
    }

    /// E0303: the files of an import cycle, the first repeated at the end.
    static func cycle(_ files: [String], at span: SourceSpan) -> Diagnostic {
      let chain = files.joined(separator: " → ")
      return Diagnostic(
        .importCycle,
        LocalizedText("import cycle: \(chain)", zh: "循环导入:\(chain)"),
        at: span,
        help: LocalizedText(
          "move what these files share into a library that none of them is imported by",
          zh: "把这些文件共用的内容移到一个不导入它们的库文件中"))
    }
  }

  /// `relative` resolved against the directory of `importer`, normalized.
  public static func resolve(_ relative: String, from importer: String) -> String {
    if relative.hasPrefix("/") { return normalize(relative) }
    var directory = importer
    if let slash = directory.lastIndex(of: "/") {
      directory = String(directory[..<slash])
      return normalize(directory.isEmpty ? "/" + relative : directory + "/" + relative)
    }
    return normalize(relative)
  }

  /// Removes `.` components, empty components and `name/..` pairs; keeps a leading `/` and the
  /// leading `..` of a relative path.
  public static func normalize(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." {
        if let last = parts.last, last != ".." {
          parts.removeLast()
        } else if !absolute {
          parts.append(part)
        }
        continue
      }
      parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    if absolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }
}

/// Parses word-list files: one entry a line, `#` comments, `term | variant | variant`.
public enum WordListParser {
  /// The entries of a word-list file, with E0310 for each malformed line.
  public static func parse(_ file: SourceFile) -> (terms: [CheckedTerm], diagnostics: Diagnostics) {
    var terms: [CheckedTerm] = []
    var diagnostics = Diagnostics()
    let bytes = file.bytes
    for lineIndex in file.lineStarts.indices {
      var start = file.lineStarts[lineIndex]
      let line = file.lineBytes(lineIndex)
      var end = start + line.count
      // A byte order mark at the start of the file is not part of the first entry.
      if lineIndex == 0 && line.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
      // `#` starts a comment (it is ASCII, so it never occurs inside a multi-byte character).
      if let hash = bytes[start..<end].firstIndex(of: UInt8(ascii: "#")) { end = hash }
      guard String(validating: bytes[start..<end], as: UTF8.self) != nil else {
        let bad = firstInvalidUTF8(bytes, from: start, to: end)
        diagnostics.append(
          Diagnostic(
            .wordListError,
            LocalizedText("this line is not valid UTF-8", zh: "此行不是合法的 UTF-8"),
            at: SourceSpan(file: file.id, start: bad, end: bad + 1),
            help: LocalizedText("save the word list as UTF-8", zh: "以 UTF-8 编码保存词表")))
        continue
      }
      // Split at `|` into trimmed pieces, each with its byte range.
      var pieces: [(text: String, start: Int, end: Int)] = []
      var pieceStart = start
      var i = start
      while i <= end {
        if i == end || bytes[i] == UInt8(ascii: "|") {
          var lo = pieceStart
          var hi = i
          while lo < hi && isBlank(bytes[lo]) { lo += 1 }
          while hi > lo && isBlank(bytes[hi - 1]) { hi -= 1 }
          pieces.append((String(decoding: bytes[lo..<hi], as: UTF8.self), lo, hi))
          pieceStart = i + 1
        }
        i += 1
      }
      if pieces.count == 1 && pieces[0].text.isEmpty { continue }
      if let empty = pieces.first(where: { $0.text.isEmpty }) {
        diagnostics.append(
          Diagnostic(
            .wordListError,
            LocalizedText("empty variant in a word-list entry", zh: "词表条目中有空的变体"),
            at: SourceSpan(file: file.id, start: empty.start, end: empty.end),
            help: LocalizedText(
              "write a term between each pair of `|`, or remove the extra `|`",
              zh: "在每对 `|` 之间写一个词,或删去多余的 `|`")))
        continue
      }
      let first = pieces[0]
      let last = pieces[pieces.count - 1]
      terms.append(
        CheckedTerm(
          term: first.text, variants: pieces.dropFirst().map(\.text),
          span: SourceSpan(file: file.id, start: first.start, end: last.end)))
    }
    return (terms, diagnostics)
  }

  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
  }

  /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
  private static func firstInvalidUTF8(_ bytes: [UInt8], from: Int, to: Int) -> Int {
    var i = from
    while i < to {
      let length = i + 4 <= to ? 4 : to - i
      var ok = false
      for n in 1...max(1, length) where String(validating: bytes[i..<(i + n)], as: UTF8.self) != nil {
        i += n
        ok = true
        break
      }
      if !ok { return i }
    }
    return from
  }
}
