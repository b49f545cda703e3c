/// All terms of all lists of a policy, compiled into one Aho-Corasick automaton over normalized
/// scalars.
///
/// Matching semantics (Grammar.md 5.2):
/// - Lists are independent: each list gets its own matches, and a match of one list never hides a
///   match of another.
/// - Within a list, matches are leftmost-longest without overlaps: among the candidate matches, the
///   one that starts first wins, the longest of those; the next match starts at or after its end.
///   When two entries of a list match the same span, the lower term id is reported.
/// - An ASCII letter or digit at either edge of a term must sit at a word edge of the text: `vx`
///   does not match inside `avxb` (a letter before and after), but does in `加vx123` (a letter edge
///   next to a CJK scalar or a digit is an edge). A separator removed by normalization
///   (`gapBefore > 0`) is an edge too.
///
/// The automaton's tables are plain integer arrays (`Tables`) so a compiled program can store them;
/// `init(validating:)` checks every index and bound so that a corrupt table can neither read out of
/// bounds nor loop.
public struct TermAutomaton: Sendable {
  /// One term to compile: its list, the term id reported (a variant group reports its first term),
  /// and the normalized scalars to find.
  public struct Entry: Sendable, Equatable {
    /// The list the term belongs to.
    public var list: UInt32
    /// The id reported for a match (the variant group's first term).
    public var term: UInt32
    /// The normalized scalars of this variant.
    public var scalars: [UInt32]

    /// Creates an entry.
    public init(list: UInt32, term: UInt32, scalars: [UInt32]) {
      self.list = list
      self.term = term
      self.scalars = scalars
    }
  }

  /// One match: which list and term, and the normalized range `start..<end`.
  public struct Match: Sendable, Equatable {
    /// The list that matched.
    public var list: UInt32
    /// The term id of the entry that matched.
    public var term: UInt32
    /// First normalized scalar of the match.
    public var start: Int
    /// One past the last normalized scalar of the match.
    public var end: Int

    /// Creates a match.
    public init(list: UInt32, term: UInt32, start: Int, end: Int) {
      self.list = list
      self.term = term
      self.start = start
      self.end = end
    }
  }

  /// The automaton as fixed-width integer arrays, for serialization.
  ///
  /// States are numbered from 0 (the root). Goto edges are stored per state in `edgeStart`
  /// (compressed rows: the edges of state `s` are `edgeStart[s]..<edgeStart[s+1]`), sorted by class.
  /// A scalar's class is its index in `alphabet` plus one; 0 is every other scalar.
  public struct Tables: Sendable, Equatable {
    /// The scalars that occur in terms, strictly ascending.
    public var alphabet: [UInt32] = []
    /// Per state plus one: where the state's edges start in `edgeClass`/`edgeTarget`.
    public var edgeStart: [UInt32] = []
    /// The class of each edge.
    public var edgeClass: [UInt32] = []
    /// The target state of each edge.
    public var edgeTarget: [UInt32] = []
    /// Per state: the failure state (the longest proper suffix that is a trie state).
    public var failure: [UInt32] = []
    /// Per state: its depth in the trie (the length of the scalars it spells).
    public var depth: [UInt32] = []
    /// Per state plus one: where the state's own outputs start in `outputEntry`.
    public var outputStart: [UInt32] = []
    /// Entry indexes that end at a state.
    public var outputEntry: [UInt32] = []
    /// Per state: the nearest shallower state on the failure chain that has outputs, or -1.
    public var outputLink: [Int32] = []
    /// Per entry: its list.
    public var entryList: [UInt32] = []
    /// Per entry: its reported term id.
    public var entryTerm: [UInt32] = []
    /// Per entry: its length in normalized scalars.
    public var entryLength: [UInt32] = []
    /// Per entry: edge flags (1: starts with an ASCII letter, 2: starts with an ASCII digit,
    /// 4: ends with an ASCII letter, 8: ends with an ASCII digit).
    public var entryEdges: [UInt32] = []

    /// Creates empty tables.
    public init() {}
  }

  /// Why a serialized automaton was rejected.
  public enum ValidationError: Error, Sendable, Equatable {
    /// Two per-state or per-entry arrays disagree in length.
    case lengthMismatch(String)
    /// The alphabet is not strictly ascending or holds a value that is not a scalar.
    case badAlphabet(index: Int)
    /// A compressed row table is not monotonic or does not end at its array's length.
    case badRows(String)
    /// An edge is out of order, has a class outside the alphabet, or a bad target.
    case badEdge(state: Int)
    /// A failure or output link does not lead to a shallower state.
    case badLink(state: Int)
    /// An output names an entry that does not exist or has the wrong length.
    case badOutput(state: Int)
    /// An entry's edge flags hold unknown bits.
    case badEntry(index: Int)
  }

  /// The tables this automaton runs on.
  public let tables: Tables
  /// The tables the matching loop reads, copied once into memory it reads through pointers
  /// (no per-text closures or array checks), with the derived class tables and the root's dense
  /// row (not serialized).
  private let hot: HotTables

  /// Compiles entries into one automaton. Entries with no scalars never match.
  public init(entries: [Entry]) {
    var t = Tables()
    var alphabetSet = Set<UInt32>()
    for e in entries { alphabetSet.formUnion(e.scalars) }
    t.alphabet = alphabetSet.sorted()
    var classOf: [UInt32: UInt32] = [:]
    for (i, s) in t.alphabet.enumerated() { classOf[s] = UInt32(i + 1) }

    // Build the trie with dictionary edges, then flatten.
    var edges: [[UInt32: UInt32]] = [[:]]
    var depth: [UInt32] = [0]
    var outputs: [[UInt32]] = [[]]
    for (index, e) in entries.enumerated() {
      t.entryList.append(e.list)
      t.entryTerm.append(e.term)
      t.entryLength.append(UInt32(e.scalars.count))
      t.entryEdges.append(Self.edgeFlags(e.scalars))
      guard !e.scalars.isEmpty else { continue }
      var state = 0
      for s in e.scalars {
        let c = classOf[s] ?? 0
        if let next = edges[state][c] {
          state = Int(next)
        } else {
          let next = edges.count
          edges.append([:])
          depth.append(depth[state] + 1)
          outputs.append([])
          edges[state][c] = UInt32(next)
          state = next
        }
      }
      outputs[state].append(UInt32(index))
    }

    // Breadth-first failure links.
    let stateCount = edges.count
    var failure = [UInt32](repeating: 0, count: stateCount)
    var outputLink = [Int32](repeating: -1, count: stateCount)
    var queue: [Int] = []
    queue.reserveCapacity(stateCount)
    for (_, target) in edges[0].sorted(by: { $0.key < $1.key }) { queue.append(Int(target)) }
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      for (c, targetRaw) in edges[state].sorted(by: { $0.key < $1.key }) {
        let target = Int(targetRaw)
        var f = Int(failure[state])
        while true {
          if let next = edges[f][c], Int(next) != target {
            failure[target] = next
            break
          }
          if f == 0 { break }
          f = Int(failure[f])
        }
        let fs = Int(failure[target])
        outputLink[target] = outputs[fs].isEmpty ? outputLink[fs] : Int32(fs)
        queue.append(target)
      }
    }

    t.failure = failure
    t.depth = depth
    t.outputLink = outputLink
    t.edgeStart.reserveCapacity(stateCount + 1)
    t.outputStart.reserveCapacity(stateCount + 1)
    for state in 0..<stateCount {
      t.edgeStart.append(UInt32(t.edgeClass.count))
      for (c, target) in edges[state].sorted(by: { $0.key < $1.key }) {
        t.edgeClass.append(c)
        t.edgeTarget.append(target)
      }
      t.outputStart.append(UInt32(t.outputEntry.count))
      t.outputEntry.append(contentsOf: outputs[state])
    }
    t.edgeStart.append(UInt32(t.edgeClass.count))
    t.outputStart.append(UInt32(t.outputEntry.count))
    self.tables = t
    self.hot = HotTables(t)
  }

  /// Loads tables from an untrusted source, checking every index and bound.
  public init(validating t: Tables) throws(ValidationError) {
    let states = t.depth.count
    guard states >= 1, states <= Int(Int32.max) else { throw .lengthMismatch("depth") }
    guard t.failure.count == states else { throw .lengthMismatch("failure") }
    guard t.outputLink.count == states else { throw .lengthMismatch("outputLink") }
    guard t.edgeStart.count == states + 1 else { throw .lengthMismatch("edgeStart") }
    guard t.outputStart.count == states + 1 else { throw .lengthMismatch("outputStart") }
    guard t.edgeClass.count == t.edgeTarget.count else { throw .lengthMismatch("edgeTarget") }
    let entries = t.entryList.count
    guard t.entryTerm.count == entries, t.entryLength.count == entries, t.entryEdges.count == entries
    else { throw .lengthMismatch("entry") }
    var previous: UInt32? = nil
    for (i, s) in t.alphabet.enumerated() {
      guard s <= 0x10_FFFF, previous.map({ $0 < s }) ?? true else { throw .badAlphabet(index: i) }
      previous = s
    }
    guard Self.rowsValid(t.edgeStart, total: t.edgeClass.count) else { throw .badRows("edgeStart") }
    guard Self.rowsValid(t.outputStart, total: t.outputEntry.count) else {
      throw .badRows("outputStart")
    }
    for (i, flags) in t.entryEdges.enumerated() where flags > 15 { throw .badEntry(index: i) }
    guard t.depth[0] == 0, t.failure[0] == 0, t.outputLink[0] == -1 else { throw .badLink(state: 0) }
    for s in 0..<states {
      var lastClass: UInt32 = 0
      for k in Int(t.edgeStart[s])..<Int(t.edgeStart[s + 1]) {
        let c = t.edgeClass[k]
        let target = Int(t.edgeTarget[k])
        guard c > lastClass, c <= UInt32(t.alphabet.count), target < states,
          t.depth[target] == t.depth[s] &+ 1
        else { throw .badEdge(state: s) }
        lastClass = c
      }
      if s > 0 {
        let f = Int(t.failure[s])
        guard f < states, t.depth[f] < t.depth[s] else { throw .badLink(state: s) }
      }
      let link = Int(t.outputLink[s])
      if link != -1 {
        guard link >= 0, link < states, t.depth[link] < t.depth[s],
          t.outputStart[link] < t.outputStart[link + 1]
        else { throw .badLink(state: s) }
      }
      for k in Int(t.outputStart[s])..<Int(t.outputStart[s + 1]) {
        let e = Int(t.outputEntry[k])
        guard s > 0, e < entries, t.entryLength[e] == t.depth[s] else { throw .badOutput(state: s) }
      }
    }
    self.tables = t
    self.hot = HotTables(t)
  }

  /// Finds the matches of every list in `text`, appending them to `matches` (cleared first) sorted
  /// by list, then start. `candidates` is scratch space reused across calls.
  public func findMatches(
    in text: NormalizedText, into matches: inout [Match], scratch candidates: inout [Match]
  ) {
    text.scalars.withUnsafeBufferPointer { scalars in
      text.gapBefore.withUnsafeBufferPointer { gaps in
        findMatches(scalars: scalars, gaps: gaps, into: &matches, scratch: &candidates)
      }
    }
  }

  /// Finds the matches of every list in normalized `scalars` whose removed separators are
  /// `gaps` (`NormalizedText.gapBefore`; a shorter buffer reads as no gap), as
  /// `findMatches(in:into:scratch:)` does.
  func findMatches(
    scalars: UnsafeBufferPointer<UInt32>, gaps: UnsafeBufferPointer<UInt8>, into matches: inout [Match],
    scratch candidates: inout [Match]
  ) {
    // Most texts leave both empty: clearing an empty array still costs a uniqueness check and a
    // range replacement.
    if !matches.isEmpty { matches.removeAll(keepingCapacity: true) }
    if !candidates.isEmpty { candidates.removeAll(keepingCapacity: true) }
    collectCandidates(scalars, gaps: gaps, into: &candidates)
    guard !candidates.isEmpty else { return }
    Self.sortCandidates(&candidates)
    // Greedy leftmost-longest per list: candidates are sorted by (list, start, longest first).
    var currentList = candidates[0].list
    var committedEnd = 0
    var first = true
    for c in candidates {
      if first || c.list != currentList {
        currentList = c.list
        committedEnd = 0
        first = false
      }
      if c.start >= committedEnd {
        matches.append(c)
        committedEnd = c.end
      }
    }
  }

  /// Convenience for tests and one-off calls: the matches of `text`.
  public func matches(in text: NormalizedText) -> [Match] {
    var out: [Match] = []
    var scratch: [Match] = []
    findMatches(in: text, into: &out, scratch: &scratch)
    return out
  }

  /// Every candidate match (all entries ending at every position), in end order.
  ///
  /// The loop reads the tables through buffer pointers taken once per text (an array subscript
  /// through `tables.` reloads the array and checks the index on every read). The tables are
  /// valid (`init(validating:)` or built here), so every state, edge and entry index read from
  /// them is within its array; scalar classes are checked against the root row.
  private func collectCandidates(
    _ scalars: UnsafeBufferPointer<UInt32>, gaps: UnsafeBufferPointer<UInt8>, into out: inout [Match]
  ) {
    let hot = self.hot
    let rows = Rows(
      edgeStart: UnsafeBufferPointer(hot.edgeStart), edgeClass: UnsafeBufferPointer(hot.edgeClass),
      edgeTarget: UnsafeBufferPointer(hot.edgeTarget), failure: UnsafeBufferPointer(hot.failure),
      outputStart: UnsafeBufferPointer(hot.outputStart), outputLink: UnsafeBufferPointer(hot.outputLink),
      rootNext: UnsafeBufferPointer(hot.rootNext))
    collect(scalars, rows: rows, gaps: gaps, into: &out)
  }

  /// The automaton's hot tables as buffers.
  private struct Rows {
    let edgeStart: UnsafeBufferPointer<UInt32>
    let edgeClass: UnsafeBufferPointer<UInt32>
    let edgeTarget: UnsafeBufferPointer<UInt32>
    let failure: UnsafeBufferPointer<UInt32>
    let outputStart: UnsafeBufferPointer<UInt32>
    let outputLink: UnsafeBufferPointer<Int32>
    let rootNext: UnsafeBufferPointer<UInt32>

    /// The target of `state`'s edge for class `c`, or nil (binary search in the state's row).
    @inline(__always)
    func edge(from state: Int, class c: UInt32) -> Int? {
      var lo = Int(edgeStart[state])
      let end = Int(edgeStart[state &+ 1])
      var hi = end
      while lo < hi {
        let mid = (lo &+ hi) >> 1
        if edgeClass[mid] < c { lo = mid &+ 1 } else { hi = mid }
      }
      return lo < end && edgeClass[lo] == c ? Int(edgeTarget[lo]) : nil
    }

    /// Whether `state` or a state on its failure chain has outputs.
    @inline(__always)
    func hasOutputs(_ state: Int) -> Bool {
      outputStart[state] != outputStart[state &+ 1] || outputLink[state] >= 0
    }
  }

  @inline(__always)
  private func collect(
    _ scalars: UnsafeBufferPointer<UInt32>, rows: Rows, gaps: UnsafeBufferPointer<UInt8>,
    into out: inout [Match]
  ) {
    // Classes beyond the root row cannot come from valid tables; such a scalar resets the scan.
    let classCount = UInt32(truncatingIfNeeded: rows.rootNext.count)
    var state = 0
    for i in 0..<scalars.count {
      let c = classOf(scalars[i])
      if c == 0 || c >= classCount {
        state = 0
        continue
      }
      while true {
        if state == 0 {
          state = Int(rows.rootNext[Int(c)])
          break
        }
        if let next = rows.edge(from: state, class: c) {
          state = next
          break
        }
        state = Int(rows.failure[state])
      }
      // Most scalars leave the automaton at the root or at a state without outputs.
      if state == 0 || !rows.hasOutputs(state) { continue }
      appendOutputs(of: state, endingAt: i &+ 1, rows: rows, scalars: scalars, gaps: gaps, into: &out)
    }
  }

  /// Appends the entries that end at `end` in `state` and along its output links.
  private func appendOutputs(
    of state: Int, endingAt end: Int, rows: Rows, scalars: UnsafeBufferPointer<UInt32>,
    gaps: UnsafeBufferPointer<UInt8>, into out: inout [Match]
  ) {
    var outState = state
    if rows.outputStart[outState] == rows.outputStart[outState &+ 1] {
      let link = Int(rows.outputLink[outState])
      if link < 0 { return }
      outState = link
    }
    while true {
      for k in Int(rows.outputStart[outState])..<Int(rows.outputStart[outState &+ 1]) {
        let e = Int(hot.outputEntry[k])
        let length = Int(hot.entryLength[e])
        let start = end &- length
        if edgesOK(flags: hot.entryEdges[e], start: start, end: end, scalars: scalars, gaps: gaps) {
          out.append(Match(list: hot.entryList[e], term: hot.entryTerm[e], start: start, end: end))
        }
      }
      let link = Int(rows.outputLink[outState])
      if link < 0 { break }
      outState = link
    }
  }

  @inline(__always)
  private func classOf(_ scalar: UInt32) -> UInt32 {
    if scalar < 128 { return hot.asciiClass[Int(scalar)] }
    if scalar < 0x1_0000 && hot.bmpClass.count == 0x1_0000 { return UInt32(hot.bmpClass[Int(scalar)]) }
    let alphabet = tables.alphabet
    var lo = 0
    var hi = alphabet.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if alphabet[mid] < scalar { lo = mid + 1 } else { hi = mid }
    }
    return lo < alphabet.count && alphabet[lo] == scalar ? UInt32(lo + 1) : 0
  }

  /// Whether a match `start..<end` with the given edge flags sits at word edges.
  private func edgesOK(
    flags: UInt32, start: Int, end: Int, scalars s: UnsafeBufferPointer<UInt32>,
    gaps: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    if flags == 0 { return true }
    @inline(__always) func gap(before i: Int) -> UInt8 { i >= 0 && i < gaps.count ? gaps[i] : 0 }
    if flags & 3 != 0, start > 0, start <= s.count, gap(before: start) == 0 {
      let before = s[start - 1]
      if flags & 1 != 0, TextClass.isASCIILetter(before) { return false }
      if flags & 2 != 0, TextClass.isASCIIDigit(before) { return false }
    }
    if flags & 12 != 0, end >= 0, end < s.count, gap(before: end) == 0 {
      let after = s[end]
      if flags & 4 != 0, TextClass.isASCIILetter(after) { return false }
      if flags & 8 != 0, TextClass.isASCIIDigit(after) { return false }
    }
    return true
  }

  private static func edgeFlags(_ scalars: [UInt32]) -> UInt32 {
    guard let first = scalars.first, let last = scalars.last else { return 0 }
    var flags: UInt32 = 0
    if TextClass.isASCIILetter(first) { flags |= 1 }
    if TextClass.isASCIIDigit(first) { flags |= 2 }
    if TextClass.isASCIILetter(last) { flags |= 4 }
    if TextClass.isASCIIDigit(last) { flags |= 8 }
    return flags
  }

  /// The hot tables in memory allocated once per automaton and freed with it. Read only after
  /// `init`; the tables they copy are valid (built or validated), so every index the matching
  /// loop reads from them is within its buffer.
  private final class HotTables: @unchecked Sendable {
    let edgeStart: UnsafeMutableBufferPointer<UInt32>
    let edgeClass: UnsafeMutableBufferPointer<UInt32>
    let edgeTarget: UnsafeMutableBufferPointer<UInt32>
    let failure: UnsafeMutableBufferPointer<UInt32>
    let outputStart: UnsafeMutableBufferPointer<UInt32>
    let outputLink: UnsafeMutableBufferPointer<Int32>
    let outputEntry: UnsafeMutableBufferPointer<UInt32>
    let entryList: UnsafeMutableBufferPointer<UInt32>
    let entryTerm: UnsafeMutableBufferPointer<UInt32>
    let entryLength: UnsafeMutableBufferPointer<UInt32>
    let entryEdges: UnsafeMutableBufferPointer<UInt32>
    /// Class of each ASCII scalar (128 entries).
    let asciiClass: UnsafeMutableBufferPointer<UInt32>
    /// Class of each scalar below U+10000, or empty when the alphabet has more classes than
    /// `UInt16` holds (then classes are found by binary search).
    let bmpClass: UnsafeMutableBufferPointer<UInt16>
    /// The root's goto row, dense by class (`alphabet.count + 1` entries): the target, or 0 when
    /// the root has no edge for the class. Most scalars of a text are read at the root.
    let rootNext: UnsafeMutableBufferPointer<UInt32>

    init(_ t: Tables) {
      edgeStart = Self.copy(t.edgeStart)
      edgeClass = Self.copy(t.edgeClass)
      edgeTarget = Self.copy(t.edgeTarget)
      failure = Self.copy(t.failure)
      outputStart = Self.copy(t.outputStart)
      outputLink = Self.copy(t.outputLink)
      outputEntry = Self.copy(t.outputEntry)
      entryList = Self.copy(t.entryList)
      entryTerm = Self.copy(t.entryTerm)
      entryLength = Self.copy(t.entryLength)
      entryEdges = Self.copy(t.entryEdges)
      asciiClass = Self.copy(TermAutomaton.asciiClasses(t.alphabet))
      bmpClass = Self.copy(TermAutomaton.bmpClasses(t.alphabet))
      rootNext = Self.copy(TermAutomaton.rootRow(t))
    }

    deinit {
      for buffer in [edgeStart, edgeClass, edgeTarget, failure, outputStart, outputEntry, entryList] {
        buffer.deallocate()
      }
      for buffer in [entryTerm, entryLength, entryEdges, asciiClass, rootNext] { buffer.deallocate() }
      outputLink.deallocate()
      bmpClass.deallocate()
    }

    /// A buffer holding `array`'s elements (at least one slot is allocated, never read when the
    /// array is empty).
    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
      let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
      _ = buffer.initialize(from: array)
      return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }
  }

  private static func bmpClasses(_ alphabet: [UInt32]) -> [UInt16] {
    guard alphabet.count < Int(UInt16.max) else { return [] }
    var table = [UInt16](repeating: 0, count: 0x1_0000)
    for (i, s) in alphabet.enumerated() where s < 0x1_0000 { table[Int(s)] = UInt16(i + 1) }
    return table
  }

  /// The root's edges as a dense row (the tables are valid: classes are within the alphabet).
  private static func rootRow(_ t: Tables) -> [UInt32] {
    var row = [UInt32](repeating: 0, count: t.alphabet.count + 1)
    guard t.edgeStart.count >= 2 else { return row }
    for k in Int(t.edgeStart[0])..<Int(t.edgeStart[1])
    where t.edgeClass.indices.contains(k) && row.indices.contains(Int(t.edgeClass[k])) {
      row[Int(t.edgeClass[k])] = t.edgeTarget[k]
    }
    return row
  }

  private static func asciiClasses(_ alphabet: [UInt32]) -> [UInt32] {
    var table = [UInt32](repeating: 0, count: 128)
    for (i, s) in alphabet.enumerated() where s < 128 { table[Int(s)] = UInt32(i + 1) }
    return table
  }

  private static func rowsValid(_ rows: [UInt32], total: Int) -> Bool {
    guard rows.first == 0, rows.last.map({ Int($0) == total }) ?? false else { return false }
    for i in 1..<rows.count where rows[i] < rows[i - 1] { return false }
    return true
  }

  /// Sorts by (list, start, end descending) in place without allocating: insertion sort for the
  /// short lists chat messages give, heapsort beyond.
  private static func sortCandidates(_ a: inout [Match]) {
    @inline(__always) func less(_ x: Match, _ y: Match) -> Bool {
      if x.list != y.list { return x.list < y.list }
      if x.start != y.start { return x.start < y.start }
      if x.end != y.end { return x.end > y.end }
      return x.term < y.term
    }
    let n = a.count
    // Candidates come in end order, which is already the sorted order when one list matches
    // without overlaps (a text repeating one contact word): one pass decides that.
    var inOrder = true
    for i in 1..<max(n, 1) where less(a[i], a[i - 1]) {
      inOrder = false
      break
    }
    if inOrder { return }
    if n <= 32 {
      for i in 1..<max(n, 1) {
        let v = a[i]
        var j = i - 1
        while j >= 0, less(v, a[j]) {
          a[j + 1] = a[j]
          j -= 1
        }
        a[j + 1] = v
      }
      return
    }
    // Heapsort is not stable; the order is total up to identical matches, so that does not matter.
    func siftDown(_ a: inout [Match], _ start: Int, _ end: Int) {
      var root = start
      while 2 * root + 1 < end {
        var child = 2 * root + 1
        if child + 1 < end, less(a[child], a[child + 1]) { child += 1 }
        if less(a[root], a[child]) {
          a.swapAt(root, child)
          root = child
        } else {
          return
        }
      }
    }
    var start = n / 2 - 1
    while start >= 0 {
      siftDown(&a, start, n)
      start -= 1
    }
    var end = n - 1
    while end > 0 {
      a.swapAt(0, end)
      siftDown(&a, 0, end)
      end -= 1
    }
  }
}

extension NormalizedText {
  /// Separators removed before normalized scalar `i`, 0 outside the text.
  @inline(__always) func gap(before i: Int) -> UInt8 {
    i >= 0 && i < gapBefore.count ? gapBefore[i] : 0
  }
}

/// Character classes on normalized scalars that matchers and detectors share.
enum TextClass {
  @inline(__always) static func isASCIILetter(_ s: UInt32) -> Bool {
    (s >= 0x61 && s <= 0x7A) || (s >= 0x41 && s <= 0x5A)
  }
  @inline(__always) static func isASCIIDigit(_ s: UInt32) -> Bool { s >= 0x30 && s <= 0x39 }
  @inline(__always) static func isASCIIAlnum(_ s: UInt32) -> Bool {
    isASCIILetter(s) || isASCIIDigit(s)
  }
}
