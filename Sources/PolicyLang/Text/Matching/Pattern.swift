import PolicyLangCore

/// A `matches "pattern"` condition: a small regular-expression subset compiled to a Thompson NFA
/// and simulated in time linear in the text (times the program size); it never backtracks.
///
/// Syntax (Grammar.md 5.2): literals, `.` (any scalar), classes `[...]` and `[^...]` with ranges,
/// `\d \w \s` and their negations `\D \W \S`, escaped punctuation (`\.`), `\n \t`, the quantifiers
/// `* + ? {m} {m,} {m,n}` (bounds up to `maxRepeat`), alternation `|`, groups `( )` and `(?: )`,
/// and the anchors `^` `$` (start and end of the message). Backreferences, lookaround, lazy or
/// possessive quantifiers, word boundaries and Unicode properties are errors that say so.
///
/// Matching runs on normalized scalars: `\d` is ASCII digits, `\w` ASCII letters, digits and `_`
/// plus every alphabetic non-ASCII scalar (CJK included), `\s` white space. Matches are
/// leftmost-longest without overlaps; an empty match is never reported.
public struct Pattern: Sendable, Equatable {
  /// The largest bound of a counted repetition.
  public static let maxRepeat = 100
  /// The largest program, in instructions.
  public static let maxProgramSize = 20_000
  /// The deepest group nesting.
  public static let maxNesting = 32

  /// The pattern as written.
  public let source: String
  /// Whether the pattern matches the empty string (the checker rejects such patterns).
  public let matchesEmpty: Bool
  /// The program, compiled right to left (see `Program`).
  let program: Program

  /// Compiles a pattern. `mapLiteral` normalizes literal scalars the way the text is normalized
  /// (identity by default); a scalar it maps to several scalars matches their sequence.
  public static func compile(
    _ source: String, mapLiteral: @escaping (UInt32) -> [UInt32] = { [$0] }
  ) throws(PatternError) -> Pattern {
    var parser = PatternParser(source: Array(source.unicodeScalars.map(\.value)), mapLiteral: mapLiteral)
    let node = try parser.parse()
    let program = try Program.compileReversed(node)
    return Pattern(source: source, matchesEmpty: node.nullable, program: program)
  }

  /// Reusable buffers for matching, so matching allocates nothing once they have grown.
  public struct Scratch: Sendable {
    var longestEnd: [Int32] = []
    var current = ThreadList()
    var next = ThreadList()
    var stack: [Int32] = []

    /// Creates empty buffers.
    public init() {}
  }

  /// Finds leftmost-longest non-overlapping matches as normalized ranges, appended to `matches`
  /// (cleared first).
  public func findMatches(in text: NormalizedText, into matches: inout [Range<Int>], scratch: inout Scratch) {
    matches.removeAll(keepingCapacity: true)
    let s = text.scalars
    let n = s.count
    computeLongestEnds(s, &scratch)
    var i = 0
    while i < n {
      let end = Int(scratch.longestEnd[i])
      if end > i {
        matches.append(i..<end)
        i = end
      } else {
        i += 1
      }
    }
  }

  /// The matches of `text` (convenience for tests and one-off calls).
  public func matches(in text: NormalizedText) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var scratch = Scratch()
    findMatches(in: text, into: &out, scratch: &scratch)
    return out
  }

  /// One right-to-left pass of the reversed program: for every start position, the end of the
  /// longest non-empty match starting there (or -1). Threads at the same instruction and position
  /// have the same future, so only the one with the furthest end is kept: linear, no backtracking.
  private func computeLongestEnds(_ s: [UInt32], _ scratch: inout Scratch) {
    let n = s.count
    let size = program.ops.count
    scratch.longestEnd.removeAll(keepingCapacity: true)
    scratch.longestEnd.append(contentsOf: repeatElement(-1, count: n + 1))
    scratch.current.reset(size: size)
    scratch.next.reset(size: size)
    var j = n
    while true {
      // A new thread whose match would end at j; it has the nearest end, so it goes last.
      addThread(program.start, end: Int32(j), at: j, n: n, to: &scratch.current, stack: &scratch.stack)
      scratch.next.clear()
      for k in 0..<scratch.current.count {
        let pc = Int(scratch.current.pcs[k])
        let end = scratch.current.ends[k]
        let op = program.ops[pc]
        switch op.kind {
        case .match:
          if Int(end) > j, end > scratch.longestEnd[j] { scratch.longestEnd[j] = end }
        case .scalar, .any, .set:
          if j > 0, program.accepts(op, s[j - 1]) {
            addThread(pc + 1, end: end, at: j - 1, n: n, to: &scratch.next, stack: &scratch.stack)
          }
        case .split, .jump, .assertStart, .assertEnd:
          break
        }
      }
      swap(&scratch.current, &scratch.next)
      if j == 0 { break }
      j -= 1
    }
  }

  /// Adds `pc` and everything reachable from it without consuming a scalar, at position `at`.
  private func addThread(
    _ pc: Int, end: Int32, at position: Int, n: Int, to list: inout ThreadList, stack: inout [Int32]
  ) {
    stack.removeAll(keepingCapacity: true)
    stack.append(Int32(pc))
    while let top = stack.popLast() {
      let p = Int(top)
      guard !list.contains(p) else { continue }
      list.insert(p, end: end)
      let op = program.ops[p]
      switch op.kind {
      case .jump:
        stack.append(op.a)
      case .split:
        stack.append(op.b)
        stack.append(op.a)
      // The program runs right to left, so `^` holds at position 0 and `$` at the end.
      case .assertStart:
        if position == 0 { stack.append(Int32(p + 1)) }
      case .assertEnd:
        if position == n { stack.append(Int32(p + 1)) }
      case .match, .scalar, .any, .set:
        break
      }
    }
  }
}

/// Why a pattern does not compile: what, and where (a scalar offset into the pattern).
public struct PatternError: Error, Sendable, Equatable {
  /// What went wrong.
  public enum Kind: Sendable, Equatable {
    /// The pattern ends inside a construct (`(a`, `[ab`, `\`).
    case unexpectedEnd
    /// A `)` with no `(`.
    case unbalancedParenthesis
    /// A quantifier with nothing before it (`*a`, `a|+`).
    case nothingToRepeat
    /// `{m,n}` with m > n, a bound over `Pattern.maxRepeat`, or malformed bounds.
    case badRepeat
    /// A class range that runs backwards (`[z-a]`) or an empty class `[]`.
    case badClass
    /// An escape that means nothing here (`\q`).
    case unknownEscape
    /// Syntax outside the subset: backreferences, lookaround, lazy quantifiers, `\b`, `\p{..}`.
    case unsupported(String)
    /// The compiled program would exceed `Pattern.maxProgramSize`.
    case tooLarge
    /// Groups nest deeper than `Pattern.maxNesting`.
    case tooDeep
  }

  /// What went wrong.
  public var kind: Kind
  /// Offset, in Unicode scalars of the pattern, where it went wrong.
  public var position: Int

  /// Creates an error.
  public init(_ kind: Kind, at position: Int) {
    self.kind = kind
    self.position = position
  }

  /// A message for a diagnostic, in English and Simplified Chinese.
  public var message: LocalizedText {
    switch kind {
    case .unexpectedEnd:
      return LocalizedText("the pattern ends too early", zh: "模式提前结束")
    case .unbalancedParenthesis:
      return LocalizedText("`)` without a matching `(`", zh: "`)` 没有对应的 `(`")
    case .nothingToRepeat:
      return LocalizedText("a quantifier with nothing to repeat", zh: "量词前面没有可重复的内容")
    case .badRepeat:
      return LocalizedText(
        "bad repetition bounds (at most \(Pattern.maxRepeat), and m <= n)",
        zh: "重复次数不合法(最多 \(Pattern.maxRepeat),且 m <= n)")
    case .badClass:
      return LocalizedText("an empty character class or a backwards range", zh: "字符类为空或范围颠倒")
    case .unknownEscape:
      return LocalizedText("unknown escape", zh: "未知的转义")
    case .unsupported(let what):
      return LocalizedText(
        "\(what) is not supported: patterns are matched without backtracking",
        zh: "不支持\(what):模式匹配不回溯")
    case .tooLarge:
      return LocalizedText("the pattern is too large", zh: "模式过大")
    case .tooDeep:
      return LocalizedText(
        "groups nest deeper than \(Pattern.maxNesting)", zh: "分组嵌套超过 \(Pattern.maxNesting) 层")
    }
  }
}

/// The parsed pattern.
indirect enum PatternNode: Sendable, Equatable {
  case empty
  case scalar(UInt32)
  case any
  case set(ScalarSet)
  case concat([PatternNode])
  case alternation([PatternNode])
  case repeated(PatternNode, min: Int, max: Int?)
  case assertStart
  case assertEnd

  /// Whether the node matches the empty string.
  var nullable: Bool {
    switch self {
    case .empty, .assertStart, .assertEnd: return true
    case .scalar, .any, .set: return false
    case .concat(let items): return items.allSatisfy(\.nullable)
    case .alternation(let items): return items.contains(where: \.nullable)
    case .repeated(let node, let min, _): return min == 0 || node.nullable
    }
  }
}

/// A set of scalars: ranges plus the built-in classes, possibly negated.
struct ScalarSet: Sendable, Equatable {
  var ranges: [ClosedRange<UInt32>] = []
  var digit = false
  var word = false
  var space = false
  var notDigit = false
  var notWord = false
  var notSpace = false
  var negated = false

  func contains(_ s: UInt32) -> Bool {
    var hit = ranges.contains { $0.contains(s) }
    if !hit {
      let d = TextClass.isASCIIDigit(s)
      let w = Self.isWord(s)
      let sp = Self.isSpace(s)
      hit =
        (digit && d) || (word && w) || (space && sp) || (notDigit && !d) || (notWord && !w)
        || (notSpace && !sp)
    }
    return hit != negated
  }

  static func isWord(_ s: UInt32) -> Bool {
    if s < 128 { return TextClass.isASCIIAlnum(s) || s == 0x5F }
    return Unicode.Scalar(s)?.properties.isAlphabetic ?? false
  }

  static func isSpace(_ s: UInt32) -> Bool {
    Unicode.Scalar(s)?.properties.isWhitespace ?? false
  }
}

/// The compiled program: instructions in arrays, run right to left.
struct Program: Sendable, Equatable {
  enum Kind: UInt8, Sendable { case scalar, any, set, split, jump, assertStart, assertEnd, match }

  struct Op: Sendable, Equatable {
    var kind: Kind
    /// The scalar, the set index, or the first jump target.
    var a: Int32 = 0
    /// The second split target.
    var b: Int32 = 0
  }

  var ops: [Op] = []
  var sets: [ScalarSet] = []
  var start = 0

  func accepts(_ op: Op, _ s: UInt32) -> Bool {
    switch op.kind {
    case .scalar: return UInt32(bitPattern: op.a) == s
    case .any: return true
    case .set: return sets[Int(op.a)].contains(s)
    default: return false
    }
  }

  /// Compiles a node with every concatenation reversed, so that the program reads the text from
  /// right to left.
  static func compileReversed(_ node: PatternNode) throws(PatternError) -> Program {
    var p = Program()
    try p.emit(node)
    p.ops.append(Op(kind: .match))
    guard p.ops.count <= Pattern.maxProgramSize else { throw PatternError(.tooLarge, at: 0) }
    return p
  }

  private mutating func push(_ op: Op) throws(PatternError) -> Int {
    guard ops.count < Pattern.maxProgramSize else { throw PatternError(.tooLarge, at: 0) }
    ops.append(op)
    return ops.count - 1
  }

  /// Recursion is bounded by the parser's nesting limit.
  private mutating func emit(_ node: PatternNode) throws(PatternError) {
    switch node {
    case .empty:
      break
    case .scalar(let s):
      _ = try push(Op(kind: .scalar, a: Int32(bitPattern: s)))
    case .any:
      _ = try push(Op(kind: .any))
    case .set(let set):
      sets.append(set)
      _ = try push(Op(kind: .set, a: Int32(sets.count - 1)))
    case .assertStart:
      _ = try push(Op(kind: .assertStart))
    case .assertEnd:
      _ = try push(Op(kind: .assertEnd))
    case .concat(let items):
      for item in items.reversed() { try emit(item) }
    case .alternation(let items):
      var jumps: [Int] = []
      for (k, item) in items.enumerated() {
        if k < items.count - 1 {
          let split = try push(Op(kind: .split))
          ops[split].a = Int32(ops.count)
          try emit(item)
          jumps.append(try push(Op(kind: .jump)))
          ops[split].b = Int32(ops.count)
        } else {
          try emit(item)
        }
      }
      for j in jumps { ops[j].a = Int32(ops.count) }
    case .repeated(let child, let min, let max):
      for _ in 0..<min { try emit(child) }
      if let max {
        // Each optional copy may be skipped to the end.
        var splits: [Int] = []
        for _ in min..<max {
          let split = try push(Op(kind: .split))
          ops[split].a = Int32(ops.count)
          splits.append(split)
          try emit(child)
        }
        for s in splits { ops[s].b = Int32(ops.count) }
      } else {
        let split = try push(Op(kind: .split))
        ops[split].a = Int32(ops.count)
        try emit(child)
        _ = try push(Op(kind: .jump, a: Int32(split)))
        ops[split].b = Int32(ops.count)
      }
    }
  }
}

/// A sparse set of instructions with each thread's match end, in insertion (priority) order.
struct ThreadList: Sendable {
  var pcs: [Int32] = []
  var ends: [Int32] = []
  var sparse: [Int32] = []
  var count: Int { pcs.count }

  mutating func reset(size: Int) {
    if sparse.count < size { sparse = [Int32](repeating: 0, count: size) }
    clear()
  }

  mutating func clear() {
    pcs.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
  }

  func contains(_ pc: Int) -> Bool {
    let k = Int(sparse[pc])
    return k < pcs.count && Int(pcs[k]) == pc
  }

  mutating func insert(_ pc: Int, end: Int32) {
    sparse[pc] = Int32(pcs.count)
    pcs.append(Int32(pc))
    ends.append(end)
  }
}

/// Recursive-descent parser; recursion depth is bounded by `Pattern.maxNesting`.
struct PatternParser {
  let source: [UInt32]
  let mapLiteral: (UInt32) -> [UInt32]
  var pos = 0
  var depth = 0

  init(source: [UInt32], mapLiteral: @escaping (UInt32) -> [UInt32]) {
    self.source = source
    self.mapLiteral = mapLiteral
  }

  mutating func parse() throws(PatternError) -> PatternNode {
    let node = try parseAlternation()
    if pos < source.count { throw PatternError(.unbalancedParenthesis, at: pos) }
    return node
  }

  private var peek: UInt32? { pos < source.count ? source[pos] : nil }

  private mutating func parseAlternation() throws(PatternError) -> PatternNode {
    var items = [try parseConcat()]
    while peek == 0x7C {  // |
      pos += 1
      items.append(try parseConcat())
    }
    return items.count == 1 ? items[0] : .alternation(items)
  }

  private mutating func parseConcat() throws(PatternError) -> PatternNode {
    var items: [PatternNode] = []
    while let c = peek, c != 0x7C, c != 0x29 {  // | )
      var atom = try parseAtom()
      var repeated = false
      while let q = peek {
        let quantifierStart = pos
        var bounds: (Int, Int?)
        switch q {
        case 0x2A: bounds = (0, nil)  // *
        case 0x2B: bounds = (1, nil)  // +
        case 0x3F: bounds = (0, 1)  // ?
        case 0x7B: bounds = try parseBounds()  // {
        default: bounds = (-1, nil)
        }
        if bounds.0 < 0 { break }
        if q != 0x7B { pos += 1 }
        if repeated {
          if q == 0x3F {
            throw PatternError(.unsupported("a lazy quantifier"), at: quantifierStart)
          }
          if q == 0x2B {
            throw PatternError(.unsupported("a possessive quantifier"), at: quantifierStart)
          }
          throw PatternError(.nothingToRepeat, at: quantifierStart)
        }
        if case .assertStart = atom { throw PatternError(.nothingToRepeat, at: quantifierStart) }
        if case .assertEnd = atom { throw PatternError(.nothingToRepeat, at: quantifierStart) }
        // Repeating nothing is nothing (and must not cost time at compile time).
        if atom != .empty { atom = .repeated(atom, min: bounds.0, max: bounds.1) }
        repeated = true
      }
      if atom != .empty { items.append(atom) }
    }
    if items.isEmpty { return .empty }
    return items.count == 1 ? items[0] : .concat(items)
  }

  /// `{m}`, `{m,}`, `{m,n}`; a literal `{` must be escaped.
  private mutating func parseBounds() throws(PatternError) -> (Int, Int?) {
    let start = pos
    pos += 1
    guard let m = parseNumber() else { throw PatternError(.badRepeat, at: start) }
    var n: Int? = m
    if peek == 0x2C {
      pos += 1
      n = peek == 0x7D ? nil : parseNumber()
      if n == nil && peek != 0x7D { throw PatternError(.badRepeat, at: start) }
    }
    guard peek == 0x7D else { throw PatternError(.badRepeat, at: start) }
    pos += 1
    if m > Pattern.maxRepeat || (n ?? m) > Pattern.maxRepeat || (n.map { $0 < m } ?? false) {
      throw PatternError(.badRepeat, at: start)
    }
    return (m, n)
  }

  private mutating func parseNumber() -> Int? {
    var value = 0
    var digits = 0
    while let c = peek, TextClass.isASCIIDigit(c) {
      value = min(value * 10 + Int(c - 0x30), 1_000_000)
      digits += 1
      pos += 1
    }
    return digits > 0 ? value : nil
  }

  private mutating func parseAtom() throws(PatternError) -> PatternNode {
    let start = pos
    guard let c = peek else { throw PatternError(.unexpectedEnd, at: pos) }
    pos += 1
    switch c {
    case 0x28:  // (
      if peek == 0x3F {  // ?
        let next = pos + 1 < source.count ? source[pos + 1] : 0
        switch next {
        case 0x3A: pos += 2  // (?:
        case 0x3D, 0x21: throw PatternError(.unsupported("lookahead"), at: start)
        case 0x3C:
          let after = pos + 2 < source.count ? source[pos + 2] : 0
          if after == 0x3D || after == 0x21 {
            throw PatternError(.unsupported("lookbehind"), at: start)
          }
          throw PatternError(.unsupported("a named group"), at: start)
        default: throw PatternError(.unsupported("this group syntax"), at: start)
        }
      }
      depth += 1
      guard depth <= Pattern.maxNesting else { throw PatternError(.tooDeep, at: start) }
      let inner = try parseAlternation()
      guard peek == 0x29 else { throw PatternError(.unexpectedEnd, at: pos) }
      pos += 1
      depth -= 1
      return inner
    case 0x29:
      throw PatternError(.unbalancedParenthesis, at: start)
    case 0x2A, 0x2B, 0x3F:
      throw PatternError(.nothingToRepeat, at: start)
    case 0x7B:
      throw PatternError(.nothingToRepeat, at: start)
    case 0x2E:
      return .any
    case 0x5E:
      return .assertStart
    case 0x24:
      return .assertEnd
    case 0x5B:
      return .set(try parseClass(start))
    case 0x5C:
      return try parseEscape(start, inClass: false).node
    default:
      return literal(c)
    }
  }

  private func literal(_ c: UInt32) -> PatternNode {
    let mapped = mapLiteral(c)
    if mapped.count == 1 { return .scalar(mapped[0]) }
    return mapped.isEmpty ? .empty : .concat(mapped.map { .scalar($0) })
  }

  /// An escape after `\`: a literal scalar or a built-in class.
  private mutating func parseEscape(
    _ start: Int, inClass: Bool
  ) throws(PatternError) -> (node: PatternNode, scalar: UInt32?) {
    guard let e = peek else { throw PatternError(.unexpectedEnd, at: pos) }
    pos += 1
    var set = ScalarSet()
    switch e {
    case 0x64: set.digit = true  // d
    case 0x44: set.notDigit = true  // D
    case 0x77: set.word = true  // w
    case 0x57: set.notWord = true  // W
    case 0x73: set.space = true  // s
    case 0x53: set.notSpace = true  // S
    case 0x6E: return (.scalar(0x0A), 0x0A)  // n
    case 0x74: return (.scalar(0x09), 0x09)  // t
    case 0x31...0x39: throw PatternError(.unsupported("a backreference"), at: start)
    case 0x62, 0x42: throw PatternError(.unsupported("a word boundary"), at: start)
    case 0x70, 0x50: throw PatternError(.unsupported("a Unicode property"), at: start)
    case 0x6B: throw PatternError(.unsupported("a named backreference"), at: start)
    default:
      // Any punctuation or non-ASCII scalar escapes to itself; an unknown letter escape is an error.
      if e < 128 && TextClass.isASCIIAlnum(e) { throw PatternError(.unknownEscape, at: start) }
      let mapped = mapLiteral(e)
      let single = mapped.count == 1 ? mapped[0] : e
      return (inClass ? .scalar(single) : literal(e), single)
    }
    return (.set(set), nil)
  }

  private mutating func parseClass(_ start: Int) throws(PatternError) -> ScalarSet {
    var set = ScalarSet()
    if peek == 0x5E {
      set.negated = true
      pos += 1
    }
    var first = true
    while true {
      guard let c = peek else { throw PatternError(.unexpectedEnd, at: pos) }
      if c == 0x5D && !first {  // ]
        pos += 1
        break
      }
      if c == 0x5D { throw PatternError(.badClass, at: start) }
      first = false
      let itemStart = pos
      pos += 1
      var low: UInt32
      if c == 0x5C {
        let (node, scalar) = try parseEscape(itemStart, inClass: true)
        guard let scalar else {
          if case .set(let builtin) = node {
            set.digit = set.digit || builtin.digit
            set.word = set.word || builtin.word
            set.space = set.space || builtin.space
            set.notDigit = set.notDigit || builtin.notDigit
            set.notWord = set.notWord || builtin.notWord
            set.notSpace = set.notSpace || builtin.notSpace
          }
          continue
        }
        low = scalar
      } else {
        let mapped = mapLiteral(c)
        low = mapped.count == 1 ? mapped[0] : c
      }
      if peek == 0x2D, pos + 1 < source.count, source[pos + 1] != 0x5D {  // a range
        pos += 1
        guard var high = peek else { throw PatternError(.unexpectedEnd, at: pos) }
        pos += 1
        if high == 0x5C {
          guard let escaped = peek else { throw PatternError(.unexpectedEnd, at: pos) }
          if escaped < 128 && TextClass.isASCIIAlnum(escaped) {
            throw PatternError(.badClass, at: itemStart)
          }
          high = escaped
          pos += 1
        }
        let mappedHigh = mapLiteral(high)
        high = mappedHigh.count == 1 ? mappedHigh[0] : high
        guard low <= high else { throw PatternError(.badClass, at: itemStart) }
        set.ranges.append(low...high)
      } else {
        set.ranges.append(low...low)
      }
    }
    return set
  }
}
