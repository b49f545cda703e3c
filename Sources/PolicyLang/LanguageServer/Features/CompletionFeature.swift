// `textDocument/completion`: the keywords valid at the cursor, the names in scope of the kind
// the grammar expects there (lists after `contains any`, hours after `during`, constants of the
// right unit after `within`), clause ids after `clause`, severities, rules, detectors, senders,
// attachment types, normalize options and zones. The grammar position is read from the tokens
// before the cursor (see `CompletionContext`).

import PolicyLang

/// Answers `textDocument/completion`.
enum CompletionFeature {
  /// The unit a value position wants, to offer only constants that fit.
  enum ValueUnit {
    case duration, count, percent, chars, any
  }

  /// What the grammar expects at the cursor.
  enum Expected: Equatable {
    case keywords([Keyword])
    case names(SymbolCategory)
    case values(ValueUnit)
    case clauseIDs
    case words([String], kind: Int)
  }

  /// The completion list at `position`.
  static func completion(
    at position: TextPosition, in analysis: DocumentAnalysis, context: FeatureContext
  ) -> JSONValue {
    let offset = analysis.file.offset(of: position)
    let cursor = CompletionContext(offset: offset, in: analysis.file)
    guard !cursor.inStringOrComment, !analysis.file.name.hasSuffix(".txt") else {
      return ["isIncomplete": false, "items": []]
    }
    let replaced = cursor.prefix.map { analysis.file.range(of: $0.span) }
    var items: [JSONValue] = []
    for expectation in expected(cursor) {
      items += self.items(for: expectation, analysis: analysis, context: context, replacing: replaced)
    }
    return ["isIncomplete": false, "items": .array(items)]
  }

  /// What may come at the cursor, from the block and the tokens before it.
  static func expected(_ cursor: CompletionContext) -> [Expected] {
    if cursor.block == .list { return [] }
    if cursor.atLineStart { return lineStart(cursor.block) }
    let previous = cursor.keyword()
    let before = cursor.keyword(1)
    switch previous {
    case .override?: return [.keywords([.terms, .domains, .const, .hours, .dates, .rule])]
    case .contains?: return [.keywords([.any, .at, .url, .email, .phone, .bankCard, .qrCode, .address])]
    case .any?: return [.names(.terms)]
    case .of?:
      if before == .rate || before == .violation { return [.names(.rule)] }
      return [.names(.terms)]
    case .outside?: return [.names(.domains)]
    case .during?: return [.names(.hours)]
    case .except?: return [.names(.dates)]
    case .within?:
      return cursor.lineHas(.account) ? [.values(.chars)] : [.values(.duration)]
    case .than?: return [.values(.count)]
    case .most?: return [.values(.chars)]
    case .least?:
      if cursor.keyword(2) == .contains { return [.values(.count)] }
      if cursor.lineHas(.length) { return [.values(.chars)] }
      return [.values(.percent)]
    case .rolling?: return [.values(.duration)]
    case .to?:
      return before == .up ? [.values(.chars)] : [.names(.severity)]
    case .up?: return [.keywords([.to])]
    case .escalate?: return [.values(.count)]
    case .from?: return [.keywords([.human, .auto, .buyer, .seller, .platform, .system])]
    case .human?:
      if before == .expect { return [.keywords([.reply])] }
      return [.keywords([.buyer, .seller, .platform, .system])]
    case .auto?: return [.keywords([.buyer, .seller, .platform, .system])]
    case .has?: return [.keywords([.attachment])]
    case .phone?: return [.keywords([.in] + conditionContinuation)]
    case .in?: return [.words(PhoneRegion.allCases.map(\.rawValue), kind: 20)]
    case .attachment?, .with?: return [.words(AttachmentKind.allCases.map(\.name), kind: 20)]
    case .clause?:
      let declares = cursor.block == .topLevel && cursor.previous()?.isAtLineStart == true
      return declares ? [] : [.clauseIDs]
    case .severity?: return cursor.block == .rule ? [.names(.severity)] : []
    case .when?: return [.keywords([.message, .more])]
    case .more?: return [.keywords([.than])]
    case .message?:
      if before == .when || before == .every { return [.keywords(conditionStart)] }
      return []
    case .every?: return [.keywords([.message, .event])]
    case .expect?:
      return cursor.block == .test ? [.keywords([.violation, .no])] : [.keywords([.human, .reply, .event])]
    case .no?: return [.keywords([.violation])]
    case .violation?: return [.keywords([.of, .at, .matching])]
    case .not?, .and?, .or?: return [.keywords(conditionStart)]
    case .normalize?, .all?, .nfkc?, .casefold?, .simplified?, .separators?, .digits?:
      if cursor.block == .header {
        return [.keywords([.all, .none, .nfkc, .casefold, .simplified, .separators, .digits])]
      }
      return []
    case .zone?: return [.words(SemanticOracles.commonZones, kind: 12)]
    case .rate?: return [.keywords([.of])]
    case .per?: return [.keywords([.message, .buyer, .conversation])]
    case .over?: return [.keywords([.day, .month, .rolling])]
    case .after?: return [.keywords([.buyer])]
    case .says?, .containing?: return [.keywords([.any])]
    case .allow?: return [.keywords([.reply])]
    case .reply?: return [.keywords([.within])]
    case .counting?: return [.keywords([.only])]
    case .only?: return [.keywords([.during])]
    case .length?: return [.keywords([.at])]
    case .near?: return [.keywords([.account, .any])]
    case .account?: return [.keywords([.within])]
    case .if?: return [.keywords([.during])]
    case .as?: return [.keywords([.of])]
    default: break
    }
    if cursor.previous()?.kind == .string, cursor.previous(1)?.kind == .clauseID,
      cursor.keyword(2) == .clause,
      cursor.block == .topLevel
    {
      return [.words(ClauseKind.allCases.map(\.rawValue), kind: 20)]
    }
    if cursor.previous()?.kind == .integer, before == .escalate { return [.names(.severity)] }
    if cursor.previous()?.kind == .equal, cursor.lineHas(.terms) { return [.keywords([.file])] }
    if cursor.block == .rule { return [.keywords(conditionContinuation)] }
    return []
  }

  /// The words that start a condition atom.
  static let conditionStart: [Keyword] = [.from, .contains, .matches, .length, .has, .not]
  /// The words that may follow a complete condition or value in a rule.
  static let conditionContinuation: [Keyword] = [
    .and, .or, .after, .allow, .within, .expect, .during, .counting, .when, .at, .up, .containing,
  ]

  /// What may start a line in each block.
  static func lineStart(_ block: CompletionBlock) -> [Expected] {
    switch block {
    case .topLevel: return [.keywords(Keyword.reserved)]
    case .header: return [.keywords([.source, .zone, .normalize])]
    case .rule:
      return [
        .keywords([
          .clause, .severity, .when, .every, .rate, .manual, .test, .expect, .and, .or, .allow, .counting,
          .at,
        ])
      ]
    case .test: return [.keywords([.buyer, .seller, .platform, .system, .event, .expect, .as])]
    case .list, .other: return []
    }
  }

  // MARK: - Items

  private static func items(
    for expectation: Expected, analysis: DocumentAnalysis, context: FeatureContext, replacing: TextRange?
  ) -> [JSONValue] {
    func item(
      _ label: String, kind: Int, detail: String?, documentation: String? = nil, sort: String
    ) -> JSONValue {
      var object: [String: JSONValue] = [
        "label": .string(label), "kind": JSONValue(kind), "sortText": .string(sort),
      ]
      if let detail { object["detail"] = .string(detail) }
      if let documentation {
        object["documentation"] = [
          "kind": context.markdown ? "markdown" : "plaintext", "value": .string(documentation),
        ]
      }
      if let replacing { object["textEdit"] = ["range": replacing.json, "newText": .string(label)] }
      return .object(object)
    }
    switch expectation {
    case .keywords(let keywords):
      return keywords.enumerated().map { index, keyword in
        item(
          keyword.spelling, kind: 14, detail: context.text(KeywordGlossary.meaning(of: keyword)),
          sort: "2\(String(1000 + index))")
      }
    case .names(let category):
      return analysis.symbols.visible(category).map { symbol in
        item(
          symbol.name, kind: completionKind(category),
          detail: SymbolDescriptions.summary(of: symbol, in: analysis, context: context),
          documentation: SymbolDescriptions.describe(symbol, in: analysis, context: context),
          sort: "1\(symbol.name)")
      }
    case .values(let unit):
      return analysis.symbols.visible(.constant).compactMap { symbol in
        guard case .constant(let d) = symbol.declaration, fits(d.value.value, unit) else { return nil }
        return item(
          symbol.name, kind: 21,
          detail: SymbolDescriptions.summary(of: symbol, in: analysis, context: context),
          documentation: SymbolDescriptions.describe(symbol, in: analysis, context: context),
          sort: "1\(symbol.name)")
      }
    case .clauseIDs:
      return analysis.symbols.visible(.clause).map { symbol in
        item(
          symbol.name, kind: 20,
          detail: SymbolDescriptions.summary(of: symbol, in: analysis, context: context),
          sort: "1\(symbol.name)")
      }
    case .words(let words, let kind):
      return words.enumerated().map { index, word in
        item(word, kind: kind, detail: nil, sort: "1\(String(1000 + index))")
      }
    }
  }

  /// Whether a constant's literal can stand where `unit` is expected.
  private static func fits(_ value: LiteralValue, _ unit: ValueUnit) -> Bool {
    switch (unit, value) {
    case (.any, _), (.duration, .duration), (.count, .integer), (.percent, .percent), (.chars, .chars):
      return true
    default: return false
    }
  }

  /// The LSP `CompletionItemKind` of a category's names.
  private static func completionKind(_ category: SymbolCategory) -> Int {
    switch category {
    case .terms, .domains, .dates: return 6  // Variable
    case .constant: return 21  // Constant
    case .hours: return 23  // Event
    case .severity: return 20  // EnumMember
    case .rule: return 3  // Function
    case .clause: return 20
    default: return 1  // Text
    }
  }
}
