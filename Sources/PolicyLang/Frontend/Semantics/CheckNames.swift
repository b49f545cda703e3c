// Scopes and names: gathering declarations across imports (with `+=` and `override`), the
// policy header, and looking names up with a did-you-mean suggestion.

import PolicyLangCore

/// What the header gives the checked policy, with defaults filled in.
struct HeaderFacts {
  var name = ""
  var title = ""
  var source = ""
  var sourceDate: CivilDate?
  var zone = "UTC"
  var normalization = Set(NormalizationStep.allCases)
}

extension Checker {
  // MARK: - First pass

  /// Records one declaration of `file` in the tables, applying `+=` and `override`.
  mutating func gather(_ declaration: Declaration, in file: LoadedFile) {
    switch declaration {
    case .policy(let decl):
      if !file.isRoot {
        var diagnostic = Diagnostic(
          .headerInLibrary,
          LocalizedText(
            "`\(file.path)` is a policy, so it cannot be imported",
            zh: "`\(file.path)` 是策略文件,不能被导入"),
          at: decl.name.span,
          help: LocalizedText(
            "move the shared declarations into a library file without a `policy` header and import it",
            zh: "把共用的声明移到没有 `policy` 头的库文件中,再导入该库"))
        if let place = file.importedAt {
          diagnostic = diagnostic.with(label: place, LocalizedText("imported here", zh: "在此导入"))
        }
        report(diagnostic)
      } else if let first = header {
        report(
          Diagnostic(
            .duplicatePolicyHeader,
            LocalizedText("a second `policy` header", zh: "第二个 `policy` 头"), at: decl.name.span,
            labels: [DiagnosticLabel(first.name.span, LocalizedText("first header", zh: "第一个头"))],
            help: LocalizedText(
              "keep one header; write each platform's policy in its own file",
              zh: "只保留一个头;每个平台的策略写在各自的文件里")))
      } else {
        header = decl
      }
    case .import:
      break
    case .clause(let decl):
      if let first = clauseIndex[decl.id.id] {
        report(
          Diagnostic(
            .duplicateClause,
            LocalizedText(
              "clause `\(decl.id.id)` is declared twice", zh: "条款 `\(decl.id.id)` 声明了两次"),
            at: decl.id.span,
            labels: [
              DiagnosticLabel(clauses[first].id.span, LocalizedText("first declared here", zh: "首次声明于此"))
            ],
            help: LocalizedText("keep one declaration of the clause", zh: "只保留一个条款声明")))
      } else {
        clauseIndex[decl.id.id] = clauses.count
        clauses.append(decl)
      }
    case .terms(let decl):
      gatherTerms(decl, in: file)
    case .domains(let decl):
      let draft = DomainListDraft(name: decl.name.name, domains: decl.domains, span: decl.span)
      switch declare(decl.name, kind: .domains, mode: decl.mode, in: file, count: domainLists.count) {
      case .new: domainLists.append(draft)
      case .replace(let index): domainLists[index] = draft
      case .extend(let index): domainLists[index].domains += decl.domains
      case .rejected: break
      }
    case .constant(let decl):
      switch declare(decl.name, kind: .constant, mode: decl.mode, in: file, count: constants.count) {
      case .new: constants.append(decl)
      case .replace(let index): constants[index] = decl
      case .extend, .rejected: rejectedConstants.append(decl)
      }
    case .hours(let decl):
      switch declare(decl.name, kind: .hours, mode: decl.mode, in: file, count: hoursDecls.count) {
      case .new: hoursDecls.append(decl)
      case .replace(let index): hoursDecls[index] = decl
      case .extend, .rejected: rejectedHours.append(decl)
      }
    case .dates(let decl):
      switch declare(decl.name, kind: .dates, mode: decl.mode, in: file, count: datesDecls.count) {
      case .new: datesDecls.append(decl)
      case .replace(let index): datesDecls[index] = decl
      case .extend(let index): datesDecls[index].dates += decl.dates
      case .rejected: break
      }
    case .pattern(let decl):
      switch declare(decl.name, kind: .pattern, mode: decl.mode, in: file, count: patternDecls.count) {
      case .new: patternDecls.append(decl)
      case .replace(let index): patternDecls[index] = decl
      case .extend, .rejected: break
      }
    case .severity(let decl):
      if let first = severityIndex[decl.name.name] {
        report(duplicate(decl.name, first: severities[first].name.span, canOverride: false))
      } else {
        severityIndex[decl.name.name] = severities.count
        severities.append(decl)
      }
    case .escalation(let decl):
      escalations.append(decl)
    case .rule(let decl):
      gatherRule(decl, in: file)
    case .test(let decl):
      testOrigins.append(.topLevel(decl))
    }
  }

  private mutating func gatherTerms(_ decl: TermsDecl, in file: LoadedFile) {
    var entries: [CheckedTerm] = []
    switch decl.source {
    case .inline(let list, _):
      for entry in list {
        for literal in [entry.term] + entry.variants where literal.value.isEmpty {
          report(
            Diagnostic(
              .emptyEntry, LocalizedText("empty term", zh: "空词"), at: literal.span,
              help: LocalizedText("delete the empty string", zh: "删除空字符串")))
        }
        entries.append(
          CheckedTerm(term: entry.term.value, variants: entry.variants.map(\.value), span: entry.span))
      }
    case .file(let path):
      entries = loaded.wordLists[path.span] ?? []
    }
    let draft = TermListDraft(
      name: decl.name.name, title: decl.title?.value, terms: entries, span: decl.span)
    switch declare(decl.name, kind: .terms, mode: decl.mode, in: file, count: termLists.count) {
    case .new: termLists.append(draft)
    case .replace(let index): termLists[index] = draft
    case .extend(let index) where decl.mode == .remove: remove(entries, from: index, in: decl)
    case .extend(let index): termLists[index].terms += entries
    case .rejected: break
    }
  }

  /// `terms x -= [...]`: every entry whose term is one of `removed`'s strings goes, and every
  /// variant that is one of them (compared as written). A string that removes nothing is W0610.
  private mutating func remove(_ removed: [CheckedTerm], from index: Int, in decl: TermsDecl) {
    let strings = removed.flatMap { [$0.term] + $0.variants }
    var found = Set<String>()
    var kept: [CheckedTerm] = []
    for var entry in termLists[index].terms {
      if strings.contains(entry.term) {
        found.insert(entry.term)
        continue
      }
      let variants = entry.variants.filter { !strings.contains($0) }
      for variant in entry.variants where strings.contains(variant) { found.insert(variant) }
      entry.variants = variants
      kept.append(entry)
    }
    termLists[index].terms = kept
    for entry in removed {
      for string in [entry.term] + entry.variants where !found.contains(string) {
        report(
          Diagnostic(
            .removalOfNothing,
            LocalizedText(
              "`terms \(decl.name.name) -=`: the list holds no term written `\(string)`",
              zh: "`terms \(decl.name.name) -=`:词表中没有写作 `\(string)` 的词"),
            at: entry.span,
            help: LocalizedText(
              "write the term exactly as the list does (a variant removes only itself)",
              zh: "按词表中的写法写出该词(写变体只删除该变体)")))
      }
    }
  }

  private mutating func gatherRule(_ decl: RuleDecl, in file: LoadedFile) {
    let draft = RuleDraft(decl: decl, inRoot: file.isRoot)
    if let existing = ruleIndex[decl.name.name] {
      if decl.isOverride {
        resolved(decl.name.span, to: rules[existing].decl.name.span)
        rules[existing] = draft
      } else {
        report(
          duplicate(decl.name, first: rules[existing].decl.name.span, canOverride: true, keyword: "rule"))
        rejectedRules.append(decl)
      }
      return
    }
    if decl.isOverride {
      report(overrideOfNothing(decl.name, keyword: "override rule", candidates: Array(ruleIndex.keys)))
    }
    ruleIndex[decl.name.name] = rules.count
    testOrigins.append(.insideRule(rules.count))
    rules.append(draft)
  }

  /// What a declaration does to the value namespace.
  enum Declared {
    case new
    case replace(Int)
    case extend(Int)
    case rejected
  }

  /// Applies `=`, `+=` or `override` for a name of `kind`, reporting duplicates and overrides of
  /// nothing. `count` is the index a new declaration gets.
  private mutating func declare(
    _ name: Identifier, kind: ValueKind, mode: DeclMode, in file: LoadedFile, count: Int
  ) -> Declared {
    let keyword = keywordOf(kind)
    guard let existing = symbols[name.name] else {
      if mode != .define {
        let written =
          mode == .extend
          ? "\(keyword) \(name.name) +="
          : mode == .remove ? "\(keyword) \(name.name) -=" : "override \(keyword)"
        let candidates = symbols.filter { $0.value.kind == kind }.map(\.key)
        report(overrideOfNothing(name, keyword: written, candidates: candidates))
        // `+=` and `-=` of nothing change no list; `override` of nothing still declares it, for
        // recovery, and counts as used so that the one mistake gives one message.
        if mode == .extend || mode == .remove { return .rejected }
        used.insert(name.name)
      }
      symbols[name.name] = ValueSymbol(kind: kind, index: count, declared: name.span, inRoot: file.isRoot)
      return .new
    }
    if existing.kind != kind && mode == .define {
      // Lists, constants, hours, dates and patterns share one name space.
      var diagnostic = duplicate(name, first: existing.declared, canOverride: false)
      diagnostic.notes.append(
        LocalizedText(
          "it was declared as a \(existing.kind.noun.english); terms, domains, const, hours, dates and"
            + " pattern names share one name space",
          zh: "它已声明为\(existing.kind.noun.chinese);terms、domains、const、hours、dates 与 pattern 共用一个命名空间"))
      report(diagnostic)
      return .rejected
    }
    if existing.kind != kind {
      report(
        Diagnostic(
          .wrongKindOfName,
          LocalizedText(
            "`\(name.name)` is a \(existing.kind.noun.english), not a \(kind.noun.english)",
            zh: "`\(name.name)` 是\(existing.kind.noun.chinese),不是\(kind.noun.chinese)"),
          at: name.span,
          labels: [DiagnosticLabel(existing.declared, LocalizedText("declared here", zh: "声明于此"))],
          help: LocalizedText("choose another name", zh: "换一个名称")))
      return .rejected
    }
    switch mode {
    case .define:
      report(duplicate(name, first: existing.declared, canOverride: true, keyword: keyword))
      return .rejected
    case .extend, .remove:
      resolved(name.span, to: existing.declared)
      return .extend(existing.index)
    case .override:
      resolved(name.span, to: existing.declared)
      symbols[name.name] = ValueSymbol(
        kind: kind, index: existing.index, declared: name.span, inRoot: file.isRoot)
      return .replace(existing.index)
    }
  }

  private func keywordOf(_ kind: ValueKind) -> String {
    switch kind {
    case .terms: return "terms"
    case .domains: return "domains"
    case .constant: return "const"
    case .hours: return "hours"
    case .dates: return "dates"
    case .pattern: return "pattern"
    }
  }

  private func duplicate(
    _ name: Identifier, first: SourceSpan, canOverride: Bool, keyword: String = ""
  ) -> Diagnostic {
    let help =
      canOverride
      ? LocalizedText(
        "rename one of them, or write `override \(keyword) \(name.name)` to replace an imported one",
        zh: "给其中一个改名,或写 `override \(keyword) \(name.name)` 有意替换导入的声明")
      : LocalizedText("rename one of them", zh: "给其中一个改名")
    return Diagnostic(
      .duplicateDeclaration,
      LocalizedText("`\(name.name)` is declared twice", zh: "`\(name.name)` 声明了两次"),
      at: name.span,
      labels: [DiagnosticLabel(first, LocalizedText("first declared here", zh: "首次声明于此"))],
      help: help)
  }

  private func overrideOfNothing(_ name: Identifier, keyword: String, candidates: [String]) -> Diagnostic {
    let diagnostic = Diagnostic(
      .overrideOfNothing,
      LocalizedText(
        "`\(keyword)` names `\(name.name)`, which nothing declared",
        zh: "`\(keyword)` 所指的 `\(name.name)` 没有声明"),
      at: name.span,
      help: LocalizedText(
        "nothing imported is called `\(name.name)`; to declare a new one, write it without `override` or `+=`",
        zh: "导入的内容中没有 `\(name.name)`;若要声明新的,去掉 `override` 或改用 `=`"))
    return Suggest.nearest(to: name.name, among: candidates).map { diagnostic.suggesting($0) } ?? diagnostic
  }

  // MARK: - The header

  /// Checks the root's header (E0305, zone, normalize) and returns what the policy needs of it.
  mutating func checkHeader() -> HeaderFacts {
    var facts = HeaderFacts()
    guard let header else {
      let rootSpan = loaded.root.map { SourceSpan(file: $0.id, start: 0, end: 0) }
      report(
        Diagnostic(
          .missingPolicyHeader,
          LocalizedText("this file has no `policy` header", zh: "此文件没有 `policy` 头"), at: rootSpan,
          help: LocalizedText(
            "start the file with `policy NAME \"TITLE\" { zone Asia/Shanghai }`, "
              + "or check a policy that imports it",
            zh: "在文件开头写 `policy 名称 \"标题\" { zone Asia/Shanghai }`,或检查导入它的策略文件")))
      return facts
    }
    facts.name = header.name.name
    facts.title = header.title?.value ?? ""
    facts.source = header.source?.value ?? ""
    if let date = header.sourceDate, checkDate(date) {
      facts.sourceDate = CivilDate(year: Int64(date.year), month: date.month, day: date.day)
    }
    if let zone = header.zone {
      if SemanticOracles.isKnownZone(zone.name) {
        facts.zone = zone.name
      } else {
        let diagnostic = Diagnostic(
          .unknownZone,
          LocalizedText("unknown time zone `\(zone.name)`", zh: "未知时区 `\(zone.name)`"),
          at: zone.span,
          help: LocalizedText(
            "use an IANA zone name such as `Asia/Shanghai` or `UTC`",
            zh: "使用 IANA 时区名,例如 `Asia/Shanghai` 或 `UTC`"))
        report(
          Suggest.nearest(to: zone.name, among: SemanticOracles.commonZones).map { diagnostic.suggesting($0) }
            ?? diagnostic)
      }
    } else {
      report(
        Diagnostic(
          .missingZone,
          LocalizedText(
            "policy `\(header.name.name)` has no `zone`; its hours are read in UTC",
            zh: "策略 `\(header.name.name)` 没有 `zone`;其时段按 UTC 计算"),
          at: header.name.span,
          help: LocalizedText(
            "add the platform's zone to the header, for example `zone Asia/Shanghai`",
            zh: "在头中加上平台所在时区,例如 `zone Asia/Shanghai`")))
    }
    facts.normalization = checkNormalize(header.normalize)
    return facts
  }

  private mutating func checkNormalize(_ options: [NormalizeOption]) -> Set<NormalizationStep> {
    guard !options.isEmpty else { return Set(NormalizationStep.allCases) }
    var steps = Set<NormalizationStep>()
    var none: NormalizeOption?
    let names = ["all", "none"] + NormalizationStep.allCases.map(\.rawValue)
    for option in options {
      if option.name == "all" {
        steps.formUnion(NormalizationStep.allCases)
      } else if option.name == "none" {
        none = option
      } else if let step = NormalizationStep(rawValue: option.name) {
        steps.insert(step)
      } else {
        let diagnostic = Diagnostic(
          .badNormalizeOption,
          LocalizedText(
            "unknown `normalize` option `\(option.name)`", zh: "未知的 `normalize` 选项 `\(option.name)`"),
          at: option.span,
          help: LocalizedText(
            "the options are `all`, `none`, `nfkc`, `casefold`, `simplified`, `separators`, `digits`",
            zh: "可选项为 `all`、`none`、`nfkc`、`casefold`、`simplified`、`separators`、`digits`"))
        report(Suggest.nearest(to: option.name, among: names).map { diagnostic.suggesting($0) } ?? diagnostic)
      }
    }
    if let none, options.count > 1 {
      report(
        Diagnostic(
          .badNormalizeOption,
          LocalizedText("`none` cannot be combined with other options", zh: "`none` 不能与其他选项同用"),
          at: none.span,
          help: LocalizedText(
            "write `normalize none` alone, or list only the steps you want",
            zh: "单独写 `normalize none`,或只列出需要的步骤")))
    }
    return none != nil ? [] : steps
  }

  // MARK: - Lookups

  /// The index of the `kind` declaration called `name`, reporting E0301 or E0311 and returning
  /// `nil` when there is none. A lookup marks the name used.
  mutating func lookup(_ name: Identifier, as kind: ValueKind) -> Int? {
    guard let symbol = symbols[name.name] else {
      let candidates = symbols.filter { $0.value.kind == kind }.map(\.key)
      let near = Suggest.nearest(to: name.name, among: candidates)
      report(unknown(name, noun: kind.noun, near: near, declareHint: declareHint(kind, name.name)))
      // The suggested name was most likely meant: do not also call it unused.
      if let near { used.insert(near) }
      return nil
    }
    used.insert(name.name)
    resolved(name.span, to: symbol.declared)
    guard symbol.kind == kind else {
      report(
        Diagnostic(
          .wrongKindOfName,
          LocalizedText(
            "`\(name.name)` is a \(symbol.kind.noun.english), but a \(kind.noun.english) is expected here",
            zh: "`\(name.name)` 是\(symbol.kind.noun.chinese),但这里需要\(kind.noun.chinese)"),
          at: name.span,
          labels: [DiagnosticLabel(symbol.declared, LocalizedText("declared here", zh: "声明于此"))],
          help: LocalizedText("name a \(kind.noun.english) here", zh: "这里应写\(kind.noun.chinese)的名称")))
      return nil
    }
    return symbol.index
  }

  private func declareHint(_ kind: ValueKind, _ name: String) -> LocalizedText {
    let example: String
    switch kind {
    case .terms: example = "terms \(name) = [\"...\"]"
    case .domains: example = "domains \(name) = [\"example.com\"]"
    case .constant: example = "const \(name) = 1h"
    case .hours: example = "hours \(name) = 08:00-24:00"
    case .dates: example = "dates \(name) = [2026-10-01]"
    case .pattern: example = "pattern \(name) = \"\\\\d{18}\""
    }
    return LocalizedText("declare it, for example `\(example)`", zh: "先声明它,例如 `\(example)`")
  }

  func unknown(
    _ name: Identifier, noun: LocalizedText, near: String?, declareHint: LocalizedText
  ) -> Diagnostic {
    let diagnostic = Diagnostic(
      .unknownName,
      LocalizedText(
        "unknown \(noun.english) `\(name.name)`", zh: "未知的\(noun.chinese) `\(name.name)`"),
      at: name.span, help: declareHint)
    return near.map { diagnostic.suggesting($0) } ?? diagnostic
  }

  /// The index of severity `name`, or E0301.
  mutating func lookupSeverity(_ name: Identifier) -> Int? {
    if let index = severityIndex[name.name] {
      resolved(name.span, to: severities[index].name.span)
      return index
    }
    report(
      unknown(
        name, noun: LocalizedText("severity", zh: "处罚等级"),
        near: Suggest.nearest(to: name.name, among: Array(severityIndex.keys)),
        declareHint: LocalizedText(
          "declare it: `severity \(name.name) sanction \"...\"`",
          zh: "先声明它:`severity \(name.name) sanction \"...\"`")))
    return nil
  }

  /// The index of rule `name`, or E0301.
  mutating func lookupRule(_ name: Identifier) -> Int? {
    if let index = ruleIndex[name.name] {
      resolved(name.span, to: rules[index].decl.name.span)
      return index
    }
    report(
      unknown(
        name, noun: LocalizedText("rule", zh: "规则"),
        near: Suggest.nearest(to: name.name, among: Array(ruleIndex.keys)),
        declareHint: LocalizedText("no rule has this name", zh: "没有这个名称的规则")))
    return nil
  }

  /// The index of clause `ref` in the catalog, or E0308.
  mutating func lookupClause(_ ref: ClauseRef) -> Int? {
    if let index = clauseIndex[ref.id] {
      resolved(ref.span, to: clauses[index].id.span)
      return index
    }
    let diagnostic = Diagnostic(
      .unknownClause,
      LocalizedText(
        "clause `\(ref.id)` is not in the catalog", zh: "条款 `\(ref.id)` 不在条款目录中"),
      at: ref.span,
      help: LocalizedText(
        "add it to the catalog: `clause \(ref.id) \"TITLE\" content`",
        zh: "把它加入目录:`clause \(ref.id) \"标题\" content`"))
    let near = Suggest.nearest(to: ref.id, among: Array(clauseIndex.keys))
    report(near.map { diagnostic.suggesting($0) } ?? diagnostic)
    return nil
  }
}

/// Did-you-mean suggestions by edit distance.
enum Suggest {
  /// The candidate nearest to `name`, if it is near enough to be a likely typo: at most one edit
  /// for short names, about a third of the length for longer ones. Ties go to the first in
  /// sorted order, so suggestions are stable.
  static func nearest(to name: String, among candidates: [String]) -> String? {
    let limit = max(1, name.count / 3)
    var best: (distance: Int, name: String)?
    for candidate in candidates.sorted() where candidate != name {
      let distance = editDistance(name.lowercased(), candidate.lowercased(), limit: limit)
      guard distance <= limit else { continue }
      if best == nil || distance < (best?.distance ?? Int.max) { best = (distance, candidate) }
    }
    return best?.name
  }

  /// Levenshtein distance over characters; anything above `limit` is returned as `limit + 1`.
  static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
    let x = Array(a)
    let y = Array(b)
    if abs(x.count - y.count) > limit { return limit + 1 }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...max(1, x.count) where i <= x.count {
      current[0] = i
      var rowMinimum = current[0]
      for j in 1...max(1, y.count) where j <= y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        rowMinimum = min(rowMinimum, current[j])
      }
      if rowMinimum > limit { return limit + 1 }
      swap(&previous, &current)
    }
    return min(previous[y.count], limit + 1)
  }
}
