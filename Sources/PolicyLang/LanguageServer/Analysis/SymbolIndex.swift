// The declarations of a policy and its imports, read from the syntax trees, and the names the
// checker resolved to them. Go to definition, find references, hover, the outline and
// completion all read this one index, so they agree with each other and with the checker.

import PolicyLang

/// What a declaration declares.
public enum SymbolCategory: String, Sendable, CaseIterable {
  /// One per declaration keyword (`policy`, `clause`, `terms`, ...), and `test`.
  case policy, clause, terms, domains, constant, hours, dates, severity, escalation, rule, test

  /// The keyword that declares it (`const` for constants).
  public var keyword: String {
    switch self {
    case .constant: return "const"
    case .escalation: return "escalate"
    default: return rawValue
    }
  }
}

/// One declaration: its category, name, where its name and the whole declaration are, and the
/// syntax node.
public struct DeclaredSymbol: Sendable {
  /// What it declares.
  public var category: SymbolCategory
  /// The name as written (a clause's id; a test's name; for an escalation `minor → major`).
  public var name: String
  /// The name in the declaration (for an escalation, the whole declaration).
  public var nameSpan: SourceSpan
  /// The whole declaration.
  public var span: SourceSpan
  /// The declaration's syntax (for a test inside a rule, `.test`).
  public var declaration: Declaration
  /// For a test inside a rule, the rule's name.
  public var enclosingRule: String?
}

/// A string that names a file: an `import` or a word list (`terms x = file "..."`).
public struct FileLink: Sendable {
  /// The string literal, quotes included.
  public var span: SourceSpan
  /// The normalized path it names.
  public var path: String
}

/// What is at a position.
public enum SymbolTarget: Sendable {
  /// A declaration, from its name or from a use of it (`use` is the span under the cursor).
  case symbol(DeclaredSymbol, use: SourceSpan)
  /// A string naming a file.
  case file(FileLink)
}

/// Declarations, resolved names and file links of one checked policy.
public struct SymbolIndex: Sendable {
  /// Every declaration of every file, in include order (imports first), tests after their rule.
  public private(set) var symbols: [DeclaredSymbol] = []
  /// Every `import` and word-list string.
  public private(set) var fileLinks: [FileLink] = []
  private var resolved: [ResolvedName] = []
  private var symbolAtName: [SourceSpan: Int] = [:]
  /// Declarations that name the same thing (an override, a `+=`, and what they extend), each
  /// mapped to the first of its group.
  private var groupOf: [SourceSpan: SourceSpan] = [:]

  /// An empty index.
  init() {}

  /// The index of `loaded`'s files and `resolvedNames`, the checker's resolutions.
  init(loaded: LoadedPolicy, resolvedNames: [ResolvedName]) {
    resolved = resolvedNames
    for file in loaded.files {
      for declaration in file.syntax.declarations {
        add(declaration, in: file)
      }
    }
    for (index, symbol) in symbols.enumerated() { symbolAtName[symbol.nameSpan] = index }
    // An override or `+=` resolves to what it extends: one group. Groups are chains followed to
    // their first declaration, with a bound so that no input can loop.
    var parent: [SourceSpan: SourceSpan] = [:]
    for name in resolvedNames where symbolAtName[name.use] != nil && name.use != name.declaration {
      parent[name.use] = name.declaration
    }
    for symbol in symbols {
      var head = symbol.nameSpan
      var steps = 0
      while let next = parent[head], steps < symbols.count {
        head = next
        steps += 1
      }
      groupOf[symbol.nameSpan] = head
    }
  }

  private mutating func add(_ declaration: Declaration, in file: LoadedFile) {
    func symbol(_ category: SymbolCategory, _ name: String, _ nameSpan: SourceSpan) {
      symbols.append(
        DeclaredSymbol(
          category: category, name: name, nameSpan: nameSpan, span: declaration.span,
          declaration: declaration))
    }
    switch declaration {
    case .policy(let d): symbol(.policy, d.name.name, d.name.span)
    case .import(let d):
      fileLinks.append(FileLink(span: d.path.span, path: PolicyLoader.resolve(d.path.value, from: file.path)))
    case .clause(let d): symbol(.clause, d.id.id, d.id.span)
    case .terms(let d):
      symbol(.terms, d.name.name, d.name.span)
      if case .file(let literal) = d.source {
        fileLinks.append(
          FileLink(span: literal.span, path: PolicyLoader.resolve(literal.value, from: file.path)))
      }
    case .domains(let d): symbol(.domains, d.name.name, d.name.span)
    case .constant(let d): symbol(.constant, d.name.name, d.name.span)
    case .hours(let d): symbol(.hours, d.name.name, d.name.span)
    case .dates(let d): symbol(.dates, d.name.name, d.name.span)
    case .severity(let d): symbol(.severity, d.name.name, d.name.span)
    case .escalation(let d): symbol(.escalation, "\(d.from.name) → \(d.to.name)", d.span)
    case .rule(let d):
      symbol(.rule, d.name.name, d.name.span)
      for test in d.tests {
        symbols.append(
          DeclaredSymbol(
            category: .test, name: test.name.value, nameSpan: test.name.span, span: test.span,
            declaration: .test(test), enclosingRule: d.name.name))
      }
    case .test(let d): symbol(.test, d.name.value, d.name.span)
    }
  }

  /// The declaration whose name is at `span`.
  public func symbol(declaredAt span: SourceSpan) -> DeclaredSymbol? {
    symbolAtName[span].map { symbols[$0] }
  }

  /// What is at byte `offset` of `file`: a declaration's name, a use of one, or a file string.
  /// A position just after a name counts as on it (the cursor after the last letter).
  public func target(at offset: Int, in file: FileID) -> SymbolTarget? {
    func contains(_ span: SourceSpan) -> Bool {
      span.file == file && Int(span.start) <= offset && offset <= Int(span.end)
    }
    // A use (including an override's or `+=`'s name) goes to what it resolved to.
    if let name = resolved.filter({ contains($0.use) }).min(by: { $0.use.length < $1.use.length }),
      let symbol = symbol(declaredAt: name.declaration)
    {
      return .symbol(symbol, use: name.use)
    }
    if let symbol = symbols.filter({ contains($0.nameSpan) && $0.category != .escalation })
      .min(by: { $0.nameSpan.length < $1.nameSpan.length })
    {
      return .symbol(symbol, use: symbol.nameSpan)
    }
    if let link = fileLinks.first(where: { contains($0.span) }) { return .file(link) }
    return nil
  }

  /// Every place that names the same thing as `symbol`: its declaration and the declarations
  /// it overrides or extends (when `includeDeclarations`), and every use of any of them.
  public func references(of symbol: DeclaredSymbol, includeDeclarations: Bool) -> [SourceSpan] {
    let group = groupOf[symbol.nameSpan] ?? symbol.nameSpan
    let declarations = symbols.filter { (groupOf[$0.nameSpan] ?? $0.nameSpan) == group }.map(\.nameSpan)
    let members = Set(declarations)
    var spans = includeDeclarations ? declarations : []
    for name in resolved where members.contains(name.declaration) && !members.contains(name.use) {
      spans.append(name.use)
    }
    var seen = Set<SourceSpan>()
    return spans.filter { seen.insert($0).inserted }.sorted { ($0.file, $0.start) < ($1.file, $1.start) }
  }

  /// The declarations of a category visible to the policy: the last declaration of each name
  /// (an override replaces what it overrides), in declaration order.
  public func visible(_ category: SymbolCategory) -> [DeclaredSymbol] {
    var last: [String: Int] = [:]
    for (index, symbol) in symbols.enumerated() where symbol.category == category {
      if case .terms(let d) = symbol.declaration, d.mode == .extend { continue }
      if case .domains(let d) = symbol.declaration, d.mode == .extend { continue }
      if case .dates(let d) = symbol.declaration, d.mode == .extend { continue }
      last[symbol.name] = index
    }
    return last.values.sorted().map { symbols[$0] }
  }

  /// Every declaration of `name` in `category`, in include order (a list and its `+=`).
  public func declarations(of name: String, _ category: SymbolCategory) -> [DeclaredSymbol] {
    symbols.filter { $0.category == category && $0.name == name }
  }
}
