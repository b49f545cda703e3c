// Deciding condition nodes for one message. Each node is decided at most once per message (a memo
// shared by every rule), and the text is matched at most once, only when a node needs it, with one
// request holding every list of every rule.

import PolicyLangCompile
import PolicyLangCore
import PolicyLangText

/// What every message context of one evaluator shares: the program and the matcher, behind one
/// reference so that making a context per message copies one pointer, not every array of the
/// program.
///
/// `@unchecked Sendable`: every stored property is set in `init` and only read afterwards; the raw
/// buffers are owned here and freed in `deinit`.
package final class EvaluationShared: @unchecked Sendable {
  package let program: RuleProgram
  package let matcher: AutomatonTextMatcher
  /// The program's condition nodes, read without going through `program` (a struct whose copy
  /// would retain every array it holds).
  package let nodes: [ConditionNode]
  /// The number of list slots of the text request.
  package let listCount: Int
  /// The nodes as plain records and the operands of `and` and `or`, in memory this object owns
  /// (written once here, read-only after, freed in `deinit`: safe to read from every thread).
  /// Raw buffers, because reading an array through a shared object counts a reference on every
  /// call, and those counts are most of the evaluator's time and contended between workers.
  package let flatNodes: UnsafeBufferPointer<FlatNode>
  package let flatOperands: UnsafeBufferPointer<Int>

  package init(program: RuleProgram, matcher: AutomatonTextMatcher) {
    self.program = program
    self.matcher = matcher
    nodes = program.ir.nodes
    listCount = program.textRequest.lists.count
    let table = NodeTable(program.ir.nodes)
    flatNodes = Self.copy(table.nodes)
    flatOperands = Self.copy(table.operands)
  }

  deinit {
    flatNodes.deallocate()
    flatOperands.deallocate()
  }

  private static func copy<T>(_ values: [T]) -> UnsafeBufferPointer<T> {
    let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
    _ = buffer.initialize(from: values)
    return UnsafeBufferPointer(rebasing: buffer[..<values.count])
  }
}

/// Buffers reused by every message of one evaluation call. One call uses it at a time: parallel
/// evaluations each take their own, and an evaluator hands a finished one to its next call (on
/// any thread, through a lock: hence `@unchecked Sendable`). Exclusivity is not checked at run
/// time on these: only the one thread of the call reaches them, one message at a time.
final class EvaluationScratch: @unchecked Sendable {
  @exclusivity(unchecked) package var text = TextMatchScratch()
  /// Every message's memo of decided nodes, one row of `nodeCount` per message: -1 undecided,
  /// 0 false, 1 true. One allocation per conversation instead of one per message.
  @exclusivity(unchecked) var memo = ScratchRows()
  /// A conversation's working arrays, kept empty with their room between conversations: each
  /// would otherwise be allocated and freed once per conversation.
  @exclusivity(unchecked) package var contexts: [MessageContext?] = []
  @exclusivity(unchecked) package var senders: [Sender?] = []
  /// Every event's history slot values, one row of the program's slot count per event: 0
  /// false, 1 true.
  @exclusivity(unchecked) var history = ScratchRows()
  package let nodeCount: Int

  package init(nodeCount: Int = 0) { self.nodeCount = nodeCount }

  /// Makes room for `messages` rows, all undecided; returns the first row's offset.
  package func reserveRows(_ messages: Int) -> Int {
    memo.append(-1, count: messages * nodeCount)
  }

  /// Makes room for `events` rows of `slots` history values, all false; returns the first
  /// row's offset.
  package func reserveHistoryRows(_ events: Int, slots: Int) -> Int {
    history.append(0, count: events * slots)
  }
}

/// One message's facts and the memo of its decided nodes.
package struct MessageContext {
  package let role: SenderRole
  package let auto: Bool
  /// The text as the decoder's validated UTF-8 bytes.
  package let text: [UInt8]
  package let attachments: [Attachment]
  // Not counted: a context lives inside one evaluation call, which holds both (the evaluator's
  // state holds `shared`; the call holds its scratch to its end). A count here would be two
  // atomic operations per message on an object every worker shares.
  private unowned(unsafe) let shared: EvaluationShared
  private unowned(unsafe) let scratch: EvaluationScratch
  /// A context made on its own (given `owners`) holds them here instead.
  private let owners: (EvaluationShared, EvaluationScratch)?
  /// This message's row of `scratch.memo`.
  private let memoBase: Int
  /// This message's row of `scratch.history` (-1: none; every history slot reads false).
  private let historyBase: Int
  /// The text's matches, valid once `matched` is true. A text the prefilter rules out keeps
  /// the empty default (no array of the matcher's is copied for it) and `lengthMeasured` false.
  private var store = TextMatches()
  private var matched = false
  /// The prefilter ruled the text out: no term, detector, URL or pattern matches it.
  private var ruledOut = false
  private var attachmentURLStore: [TextMatches?]

  private var program: RuleProgram { shared.program }

  /// A context whose memo is the row at `memoBase` of `scratch.memo` and whose history values
  /// the row at `historyBase` of `scratch.history` (both reserved by the caller). The caller keeps
  /// `shared` and `scratch` alive as long as the context is used, unless it passes them as
  /// `owners`.
  init(
    _ message: Message, shared: EvaluationShared, scratch: EvaluationScratch, memoBase: Int,
    historyBase: Int = -1, owners: (EvaluationShared, EvaluationScratch)? = nil
  ) {
    self.historyBase = historyBase
    role = message.role
    auto = message.auto
    text = message.text
    attachments = message.attachments
    self.shared = shared
    self.scratch = scratch
    self.owners = owners
    self.memoBase = memoBase
    attachmentURLStore = attachments.isEmpty ? [] : [TextMatches?](repeating: nil, count: attachments.count)
  }

  /// Matches the text once.
  @inline(__always)
  private mutating func ensureMatched() {
    guard !matched else { return }
    matched = true
    // The matcher and scratch are read in place: a local copy of either counts a reference.
    let passes = text.withUnsafeBufferPointer { shared.matcher.mayMatch(utf8: $0) }
    guard passes else {
      store.lengthMeasured = false
      ruledOut = true
      return
    }
    store = text.withUnsafeBufferPointer { shared.matcher.matchPassed(utf8: $0, scratch: &scratch.text) }
  }

  /// The normalized length, measured on first use (the prefilter skips it for most texts).
  @inline(__always)
  private mutating func measuredLength() -> Int {
    ensureMatched()
    if !store.lengthMeasured {
      let matcher = shared.matcher
      let scratch = self.scratch
      store.normalizedLength = text.withUnsafeBufferPointer {
        matcher.normalizedLength(utf8: $0, scratch: &scratch.text)
      }
      store.lengthMeasured = true
    }
    return store.normalizedLength
  }

  /// Every match of the text (matched on first use), with the original text to quote them
  /// (the message's own bytes, not a copy; only a rule that holds needs them).
  package mutating func matches() -> TextMatches {
    ensureMatched()
    if store.original.isEmpty && !text.isEmpty {
      store.original = OriginalText(utf8: text)
    }
    return store
  }

  /// Whether list slot `list` matched the text.
  package mutating func hasListMatch(_ list: Int) -> Bool {
    ensureMatched()
    return store.matchCount(inList: list) > 0
  }

  /// The length of the normalized text.
  package var normalizedLength: Int {
    mutating get { measuredLength() }
  }

  /// Matches of attachment `i`'s URL (for URL slots).
  package mutating func attachmentMatches(_ i: Int) -> TextMatches? {
    guard attachments.indices.contains(i), let url = attachments[i].url else { return nil }
    if let stored = attachmentURLStore[i] { return stored }
    let matcher = shared.matcher
    let scratch = self.scratch
    let m = url.withUnsafeBufferPointer { matcher.match(utf8: $0, scratch: &scratch.text) }
    attachmentURLStore[i] = m
    return m
  }

  package static func isQR(_ a: Attachment) -> Bool { a.qr || a.kind == .qrCode }

  /// Whether an attachment is of `kind` (nil: any) and has one of `fileTypes` (with `negated`,
  /// none of them: an attachment without `name` and `mime` included).
  package static func hasFileType(
    _ a: Attachment, _ kind: String?, _ negated: Bool, _ fileTypes: [String]
  ) -> Bool {
    guard kind == nil || a.kind.name == kind else { return false }
    return FileType.matches(name: a.name, mime: a.mime, types: fileTypes) != negated
  }

  package static func senderMatches(
    _ role: SenderRole, _ auto: Bool, _ want: SenderRole, _ kind: ReplyKind
  )
    -> Bool
  {
    guard role == want else { return false }
    switch kind {
    case .any: return true
    case .human: return !auto
    case .auto: return auto
    }
  }

  /// Whether node `id` holds. Depth is bounded by `Lowering.maximumDepth`.
  package mutating func value(_ id: Int) -> Bool {
    decide(id, nodes: shared.flatNodes, operands: shared.flatOperands, memo: scratch.memo.buffer)
  }

  /// The rules of `rules` whose condition (root `roots[rule]`, -1 for none) holds, in order: one
  /// call per message instead of one per rule. `quiet` holds, per rule of `rules`, the answer
  /// known for a message without attachments whose text the prefilter rules out
  /// (`QuietMessageRules`; nil: not known, decide it).
  package mutating func holdingRules(_ rules: [Int], roots: [Int], quiet: [Bool?]? = nil) -> [Int] {
    var known: [Bool?] = []
    if let quiet, attachments.isEmpty {
      ensureMatched()
      if ruledOut { known = quiet }
    }
    let nodes = shared.flatNodes
    let operands = shared.flatOperands
    let memo = scratch.memo.buffer
    var holding: [Int] = []
    for (k, rule) in rules.enumerated() where roots.indices.contains(rule) {
      if k < known.count, let answer = known[k] {
        if answer { holding.append(rule) }
        continue
      }
      let root = roots[rule]
      if root >= 0, decide(root, nodes: nodes, operands: operands, memo: memo) { holding.append(rule) }
    }
    return holding
  }

  /// Records slot `slot`'s value at this message (`Evaluator.advance` decides it before any
  /// condition of the message is decided).
  package func setHistory(_ slot: Int, _ value: Bool) {
    let i = historyBase + slot
    let history = scratch.history.buffer
    guard historyBase >= 0, slot >= 0, i < history.count else { return }
    history[i] = value ? 1 : 0
  }

  /// `value(_:)` over the flat tables. Operands always precede their user (RuleProgram validates
  /// it); a later one reads false, so evaluation ends even on a program that skipped validation.
  private mutating func decide(
    _ id: Int, nodes: UnsafeBufferPointer<FlatNode>, operands: UnsafeBufferPointer<Int>,
    memo: UnsafeMutableBufferPointer<Int8>
  ) -> Bool {
    let slot = memoBase + id
    guard id >= 0, id < nodes.count, id < scratch.nodeCount, slot >= 0, slot < memo.count else {
      return false
    }
    let known = memo[slot]
    if known >= 0 { return known == 1 }
    let node = nodes[id]
    let result: Bool
    switch node.kind {
    case .constant: result = node.flag
    case .and, .or:
      // `and` stops at the first false operand, `or` at the first true one.
      let stopsOn = node.kind == .or
      var holds = !stopsOn
      var k = max(node.a, 0)
      let end = min(node.a + node.b, operands.count)
      while k < end {
        let operand = operands[k]
        if (operand < id && decide(operand, nodes: nodes, operands: operands, memo: memo)) == stopsOn {
          holds = stopsOn
          break
        }
        k += 1
      }
      result = holds
    case .not: result = !(node.a < id && decide(node.a, nodes: nodes, operands: operands, memo: memo))
    case .from: result = Self.senderMatches(role, auto, node.role, node.reply)
    case .length:
      let length = measuredLength()
      result = node.flag ? length <= node.a : length >= node.a
    case .terms:
      ensureMatched()
      // A text ruled out by the prefilter has no matches: every count is 0.
      result = node.a >= 0 && node.a < shared.listCount && store.matchCount(inList: node.a) >= node.b
    case .history:
      let i = historyBase + node.a
      let history = scratch.history.buffer
      result = historyBase >= 0 && node.a >= 0 && i < history.count && history[i] == 1
    case .leaf:
      result = shared.nodes.indices.contains(id) ? leafValue(shared.nodes[id]) : false
    }
    memo[slot] = result ? 1 : 0
    return result
  }

  /// The rarer leaves, decided from their `ConditionNode`.
  private mutating func leafValue(_ node: ConditionNode) -> Bool {
    switch node {
    case .hasAttachment(let type):
      return attachments.contains { type == nil || $0.kind.name == type }
    case .attachmentType(let kind, let negated, let fileTypes):
      return attachments.contains { Self.hasFileType($0, kind, negated, fileTypes) }
    case .proximity(let slot):
      ensureMatched()
      return store.hasProximity(slot)
    case .phones(let regions):
      ensureMatched()
      return !store.phones(in: regions).isEmpty
    case .nearWords(let list, let other, let distance):
      ensureMatched()
      return !nearWords(list, other, distance).isEmpty
    case .url(let slot):
      ensureMatched()
      if store.hasURL(slot) { return true }
      for i in attachments.indices {
        if let am = attachmentMatches(i), am.hasURL(slot) { return true }
      }
      return false
    case .detector(let kind):
      switch kind {
      case .qrCode: return attachments.contains(where: Self.isQR)
      case .email:
        ensureMatched()
        return !store.emails.isEmpty
      case .phone:
        ensureMatched()
        return !store.phones.isEmpty
      case .bankCard:
        ensureMatched()
        return !store.bankCards.isEmpty
      case .address:
        ensureMatched()
        return !store.addresses.isEmpty
      case .url: return false
      }
    case .pattern(let slot):
      ensureMatched()
      return store.patternMatched(slot)
    case .constant, .and, .or, .not, .from, .length, .terms, .history: return false
    }
  }

  /// The pairs of a `near any` node, from the list matches (original offsets).
  private mutating func nearWords(_ list: Int, _ other: Int, _ distance: Int) -> [TextMatch] {
    ensureMatched()
    return WordProximity.find(
      store.matches(inList: list), near: store.matches(inList: other), within: distance)
  }

  /// The evidence of a true condition: the matches of every atom that made it true (all operands
  /// of a true `and`, the true operands of a true `or`, nothing under `not`), sorted, without
  /// overlaps, at most `Evidence.limit` items (`EvidenceCollector`).
  package mutating func evidence(_ root: Int) -> [Evidence] {
    var collector = EvidenceCollector()
    var stack = [root]
    var visited = Set<Int>()
    while let id = stack.popLast() {
      guard visited.insert(id).inserted, program.ir.nodes.indices.contains(id), value(id) else {
        continue
      }
      switch program.ir.nodes[id] {
      case .and(let ids), .or(let ids): stack.append(contentsOf: ids)
      case .terms(let slot, _):
        let m = matches()
        guard program.ir.lists.indices.contains(slot) else { break }
        let list = program.ir.lists[slot]
        collector.add(
          EvidenceCollector.Source(
            kind: "term", list: list.name, matches: m.matches(inList: slot),
            term: { list.entries.indices.contains($0.entry) ? list.entries[$0.entry].first : nil }, quote: m))
      case .pattern(let slot):
        let m = matches()
        let name = program.ir.patterns.indices.contains(slot) ? program.ir.patterns[slot].name : nil
        collector.add(
          EvidenceCollector.Source(kind: "pattern", name: name, matches: m.patternMatches(slot), quote: m))
      case .proximity(let slot):
        let m = matches()
        // The evidence names the contact word: its list and the term of its entry.
        let list =
          program.ir.proximities.indices.contains(slot)
            && program.ir.lists.indices.contains(program.ir.proximities[slot].list)
          ? program.ir.lists[program.ir.proximities[slot].list] : nil
        collector.add(
          EvidenceCollector.Source(
            kind: "proximity", list: list?.name, matches: m.proximityMatches(slot),
            term: { match in
              list.flatMap { $0.entries.indices.contains(match.entry) ? $0.entries[match.entry].first : nil }
            }, quote: m))
      case .attachmentType(let kind, let negated, let fileTypes):
        for (i, a) in attachments.enumerated() where Self.hasFileType(a, kind, negated, fileTypes) {
          collector.add(Evidence(kind: "attachment", attachment: i))
        }
      case .phones(let regions):
        let m = matches()
        collector.add(EvidenceCollector.Source(kind: "phone", matches: m.phones(in: regions), quote: m))
      case .nearWords(let slot, let other, let distance):
        let m = matches()
        guard program.ir.lists.indices.contains(slot) else { break }
        let list = program.ir.lists[slot]
        // Like a `near account` proximity: the list and term of the first list's word.
        collector.add(
          EvidenceCollector.Source(
            kind: "proximity", list: list.name, matches: nearWords(slot, other, distance),
            term: { list.entries.indices.contains($0.entry) ? list.entries[$0.entry].first : nil }, quote: m))
      case .url(let slot):
        let m = matches()
        collector.add(EvidenceCollector.Source(kind: "url", matches: m.urlMatches(slot), quote: m))
        for i in attachments.indices {
          guard let am = attachmentMatches(i) else { continue }
          collector.add(
            EvidenceCollector.Source(kind: "url", attachment: i, matches: am.urlMatches(slot), quote: am))
        }
      case .detector(let kind):
        if kind == .qrCode {
          for (i, a) in attachments.enumerated() where Self.isQR(a) {
            collector.add(Evidence(kind: "qr_code", attachment: i))
          }
          break
        }
        let m = matches()
        let list: [TextMatch]
        switch kind {
        case .email: list = m.emails
        case .phone: list = m.phones
        case .bankCard: list = m.bankCards
        case .address: list = m.addresses
        case .qrCode, .url: list = []
        }
        collector.add(EvidenceCollector.Source(kind: kind.rawValue, matches: list, quote: m))
      default: break
      }
    }
    return collector.evidence()
  }

  /// Text evidence by start (then end, kind, list, term, name); attachment evidence after, by
  /// index.
  package static func evidenceOrder(_ a: Evidence, _ b: Evidence) -> Bool {
    let ka = (a.attachment ?? -1, a.start ?? -1, a.end ?? -1, a.kind, a.list ?? "", a.term ?? "")
    let kb = (b.attachment ?? -1, b.start ?? -1, b.end ?? -1, b.kind, b.list ?? "", b.term ?? "")
    if ka.0 != kb.0 { return ka.0 < kb.0 }
    if ka.1 != kb.1 { return ka.1 < kb.1 }
    if ka.2 != kb.2 { return ka.2 < kb.2 }
    if ka.3 != kb.3 { return ka.3 < kb.3 }
    if ka.4 != kb.4 { return ka.4 < kb.4 }
    if ka.5 != kb.5 { return ka.5 < kb.5 }
    return (a.name ?? "") < (b.name ?? "")
  }

  /// Sorted evidence with the overlaps within one kind (of the text, or of one attachment's URL)
  /// removed, leftmost-longest: of overlapping spans the one starting first is kept, of those
  /// starting together the longest, of equal spans the first in `evidenceOrder`. Two conditions
  /// may find overlapping matches of one kind (two lists, two proximities); io.md allows none.
  /// `EvidenceCollector` gives this list without sorting every item; tests hold it to this one.
  package static func withoutOverlaps(_ sorted: [Evidence]) -> [Evidence] {
    struct Group: Hashable {
      var attachment: Int?
      var kind: String
    }
    var reach: [Group: Int] = [:]
    var preferred = sorted
    // Longest first among those starting together; the order otherwise stays evidenceOrder's.
    preferred.sort { a, b in
      let ka = (a.attachment ?? -1, a.start ?? -1)
      let kb = (b.attachment ?? -1, b.start ?? -1)
      if ka != kb { return ka < kb }
      if a.end != b.end { return (a.end ?? -1) > (b.end ?? -1) }
      return evidenceOrder(a, b)
    }
    var kept = Set<Evidence>()
    for e in preferred {
      guard let start = e.start, let end = e.end else {
        kept.insert(e)
        continue
      }
      let group = Group(attachment: e.attachment, kind: e.kind)
      if let until = reach[group], start < until { continue }
      reach[group] = end
      kept.insert(e)
    }
    return sorted.filter { kept.contains($0) }
  }
}
