// One run of the loader and checker on an open document, as the editor has it: the files read
// (imports from memory when open, else from disk), the checker's diagnostics and resolutions,
// and the symbol index built from them. Every feature reads an analysis; none re-runs the
// checker.

import PolicyLang

/// The checked state of one open document at one version.
public struct DocumentAnalysis: Sendable {
  /// The document's URI.
  public var uri: String
  /// The document version analysed.
  public var version: Int
  /// Load, parse and check diagnostics, sorted by file and position.
  public var diagnostics: Diagnostics
  /// Every file read: the document, its imports and word lists.
  public var sources: SourceMap
  /// The loaded files with their syntax trees, the document last; `nil` for a word list.
  public var loaded: LoadedPolicy?
  /// The checked policy, when the document is a policy without errors.
  public var policy: CheckedPolicy?
  /// The document's file in `sources`.
  public var file: SourceFile
  /// Declarations and resolved names.
  public var symbols: SymbolIndex
  /// Whether the document is a library (no `policy` header) or a word list.
  public var isLibrary: Bool

  /// Every file this analysis read, by path: a change to any of them makes it stale.
  public var readPaths: Set<String> { Set(sources.files.map(\.name)) }

  /// The syntax tree of the document.
  public var syntax: PolicyFile? { loaded?.root?.syntax }

  /// Loads and checks `document` through `provider`, every file it reaches confined to `root`
  /// (by default the document's directory, as `policyc check` confines a policy).
  public static func analyze(
    _ document: OpenDocument, root: SourceRoot? = nil, provider: some SourceProvider
  ) -> DocumentAnalysis {
    if document.isWordList { return analyzeWordList(document) }
    let loaded = PolicyLoader.load(path: document.path, root: root, provider: provider)
    let result = PolicyChecker.check(loaded)
    let file =
      loaded.root.flatMap { result.sources[$0.id] }
      ?? SourceFile(id: FileID(UInt32.max - 1), name: document.path, bytes: document.file.bytes)
    let hasHeader =
      loaded.root?.syntax.declarations.contains {
        if case .policy = $0 { return true }
        return false
      } ?? false
    return DocumentAnalysis(
      uri: document.uri, version: document.version, diagnostics: result.diagnostics,
      sources: result.sources, loaded: loaded, policy: result.policy, file: file,
      symbols: SymbolIndex(loaded: loaded, resolvedNames: result.resolvedNames), isLibrary: !hasHeader)
  }

  /// A word list is checked on its own: one entry a line (E0310 for a malformed one).
  private static func analyzeWordList(_ document: OpenDocument) -> DocumentAnalysis {
    var sources = SourceMap()
    let id = sources.add(name: document.path, bytes: document.file.bytes)
    let file = sources[id] ?? SourceFile(id: id, name: document.path, bytes: document.file.bytes)
    return DocumentAnalysis(
      uri: document.uri, version: document.version, diagnostics: WordListParser.parse(file).diagnostics,
      sources: sources, loaded: nil, policy: nil, file: file, symbols: SymbolIndex(), isLibrary: true)
  }
}
