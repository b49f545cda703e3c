// Loading a policy: the root file, the libraries it imports (transitively) and the word-list
// files its term lists name. Imports are followed with an explicit stack, so a long import chain
// cannot overflow the call stack, and a file reached twice is read and included once.

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
  /// Parse diagnostics of every file, and loading problems (E0001, E0303, E0310).
  public var diagnostics: Diagnostics
  /// The entries of each word-list file, keyed by the span of the `file "..."` string naming it.
  /// A list whose file could not be read is absent (its diagnostic was reported).
  public var wordLists: [SourceSpan: [CheckedTerm]]
  /// The root file, when it could be read.
  public var root: LoadedFile? { files.last.flatMap { $0.isRoot ? $0 : nil } }
}

/// Reads a policy and everything it names.
public enum PolicyLoader {
  /// The largest file (policy, library or word list) the loader reads: 8 MiB.
  public static let maximumFileBytes = 8 * 1024 * 1024

  private enum VisitState { case inProgress, done }

  /// Loads the policy at `path` and follows its imports and word lists.
  public static func load(path: String, provider: some SourceProvider) -> LoadedPolicy {
    var sources = SourceMap()
    var diagnostics = Diagnostics()
    var wordLists: [SourceSpan: [CheckedTerm]] = [:]
    var wordListCache: [String: [CheckedTerm]?] = [:]
    var parsed: [LoadedFile] = []
    var indexOfPath: [String: Int] = [:]
    var state: [Int: VisitState] = [:]
    var order: [Int] = []

    let rootPath = normalize(path)
    let rootBytes: [UInt8]
    switch provider.read(rootPath, limit: maximumFileBytes) {
    case .failure(let error):
      diagnostics.append(
        Diagnostic(
          .fileUnreadable,
          LocalizedText(
            "cannot read `\(path)`: \(error.message.english)",
            zh: "无法读取 `\(path)`:\(error.message.chinese)"),
          at: nil))
      return LoadedPolicy(files: [], sources: sources, diagnostics: diagnostics, wordLists: [:])
    case .success(let bytes):
      rootBytes = bytes
    }

    // Parses one file, records it, and loads the word lists it names.
    func admit(path: String, bytes: [UInt8], isRoot: Bool, importedAt: SourceSpan?) -> Int {
      let id = sources.add(name: path, bytes: bytes)
      let source = sources[id] ?? SourceFile(id: id, name: path, bytes: bytes)
      let result = Parser.parse(source)
      diagnostics.append(contentsOf: result.diagnostics)
      let index = parsed.count
      parsed.append(
        LoadedFile(id: id, path: path, syntax: result.file, isRoot: isRoot, importedAt: importedAt))
      indexOfPath[path] = index
      for case .terms(let decl) in result.file.declarations {
        guard case .file(let name) = decl.source else { continue }
        let listPath = resolve(name.value, from: path)
        if let cached = wordListCache[listPath] {
          if let terms = cached { wordLists[name.span] = terms }
          continue
        }
        switch provider.read(listPath, limit: maximumFileBytes) {
        case .failure(let error):
          diagnostics.append(unreadable(name, path: listPath, error: error, what: "word list"))
          wordListCache[listPath] = .some(nil)
        case .success(let listBytes):
          let listID = sources.add(name: listPath, bytes: listBytes)
          let listFile = sources[listID] ?? SourceFile(id: listID, name: listPath, bytes: listBytes)
          let (terms, problems) = WordListParser.parse(listFile)
          diagnostics.append(contentsOf: problems)
          wordListCache[listPath] = .some(terms)
          wordLists[name.span] = terms
        }
      }
      return index
    }

    func imports(of index: Int) -> [ImportDecl] {
      parsed[index].syntax.declarations.compactMap {
        if case .import(let decl) = $0 { return decl }
        return nil
      }
    }

    let rootIndex = admit(path: rootPath, bytes: rootBytes, isRoot: true, importedAt: nil)
    state[rootIndex] = .inProgress
    // Depth-first with an explicit stack: (file index, imports of it, next import to follow).
    var stack: [(file: Int, imports: [ImportDecl], next: Int)] = [(rootIndex, imports(of: rootIndex), 0)]
    while let top = stack.last {
      guard top.next < top.imports.count else {
        stack.removeLast()
        state[top.file] = .done
        order.append(top.file)
        continue
      }
      stack[stack.count - 1].next += 1
      let decl = top.imports[top.next]
      let target = resolve(decl.path.value, from: parsed[top.file].path)
      if let known = indexOfPath[target] {
        if state[known] == .inProgress {
          let start = stack.firstIndex { $0.file == known } ?? 0
          let cycle = stack[start...].map { parsed[$0.file].path } + [target]
          let chain = cycle.joined(separator: " → ")
          diagnostics.append(
            Diagnostic(
              .importCycle,
              LocalizedText("import cycle: \(chain)", zh: "循环导入:\(chain)"),
              at: decl.path.span,
              help: LocalizedText(
                "move what these files share into a library that none of them is imported by",
                zh: "把这些文件共用的内容移到一个不导入它们的库文件中")))
        }
        continue
      }
      switch provider.read(target, limit: maximumFileBytes) {
      case .failure(let error):
        diagnostics.append(unreadable(decl.path, path: target, error: error, what: "import"))
      case .success(let bytes):
        let index = admit(path: target, bytes: bytes, isRoot: false, importedAt: decl.path.span)
        state[index] = .inProgress
        stack.append((index, imports(of: index), 0))
      }
    }
    return LoadedPolicy(
      files: order.map { parsed[$0] }, sources: sources, diagnostics: diagnostics,
      wordLists: wordLists)
  }

  private static func unreadable(
    _ literal: StringLiteral, path: String, error: SourceLoadError, what: String
  ) -> Diagnostic {
    let isImport = what == "import"
    return Diagnostic(
      .fileUnreadable,
      LocalizedText(
        "cannot read \(isImport ? "imported file" : "word list") `\(path)`: \(error.message.english)",
        zh: "无法读取\(isImport ? "导入文件" : "词表") `\(path)`:\(error.message.chinese)"),
      at: literal.span,
      help: LocalizedText(
        "the path is relative to the directory of the file that names it",
        zh: "路径相对于写出它的文件所在的目录"))
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
