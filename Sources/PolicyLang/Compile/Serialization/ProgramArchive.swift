// The compiled program file (docs/program-format.md): magic bytes, a format version, tagged
// length-prefixed sections holding every part of the IR, then a CRC-32 of everything before it.
// Loading checks the frame, the checksum, every count, index and enum tag, then the invariants of
// `RuleProgram(validating:)`, so a file from anywhere either loads as a program the evaluator can
// run safely or fails with a `ProgramLoadError` that says why.

import PolicyLangCore
import PolicyLangFrontend
import PolicyLangText

/// What a compiled program file records about where it came from.
public struct ProgramMetadata: Sendable, Equatable {
  /// The policy's name (the `policy` of its verdicts).
  public var policyName: String
  /// SHA-256, lower-case hex, of the policy's source files (see `sourceHash(of:)`).
  public var sourceHash: String
  /// The compiler that wrote the file, e.g. `policyc 0.1.0`.
  public var compilerVersion: String
  /// The format version of the file; `encode` always writes `ProgramArchive.formatVersion`.
  public var formatVersion: UInt16

  /// Metadata from its parts.
  public init(
    policyName: String, sourceHash: String, compilerVersion: String,
    formatVersion: UInt16 = ProgramArchive.formatVersion
  ) {
    self.policyName = policyName
    self.sourceHash = sourceHash
    self.compilerVersion = compilerVersion
    self.formatVersion = formatVersion
  }

  /// The metadata of a program compiled from `policy` by `compilerVersion`.
  public init(policy: CheckedPolicy, compilerVersion: String) {
    self.init(
      policyName: policy.name, sourceHash: Self.sourceHash(of: policy.sources),
      compilerVersion: compilerVersion)
  }

  /// SHA-256 over every file of `sources` in order: for each, the length of its name's last path
  /// component (8 bytes, little-endian), that name in UTF-8, the length of its bytes, the bytes.
  /// Only the last path component counts, so building from another directory gives the same hash.
  public static func sourceHash(of sources: SourceMap) -> String {
    var hasher = SHA256()
    for file in sources.files {
      let name = Array((file.name.split(separator: "/", omittingEmptySubsequences: false).last ?? "").utf8)
      var w = ByteWriter()
      w.u64(UInt64(name.count))
      w.raw(name)
      w.u64(UInt64(file.bytes.count))
      hasher.update(w.bytes)
      hasher.update(file.bytes)
    }
    let digits = Array("0123456789abcdef")
    return String(hasher.finalize().flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
  }
}

/// A program read from a compiled file, with the file's metadata.
public struct LoadedProgram: Sendable, Equatable {
  /// The validated program.
  public var program: RuleProgram
  /// Where it came from.
  public var metadata: ProgramMetadata

  /// A loaded program.
  public init(program: RuleProgram, metadata: ProgramMetadata) {
    self.program = program
    self.metadata = metadata
  }
}

/// Why a compiled program file could not be read or written.
public enum ProgramFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No file at the path.
  case missing(path: String)
  /// The file exists but cannot be read (a directory, no permission).
  case unreadable(path: String)
  /// The file was read but is not a loadable program.
  case invalid(path: String, ProgramLoadError)
  /// The file could not be written.
  case unwritable(path: String, reason: String)

  /// The message `policyc` prints.
  public var description: String {
    switch self {
    case .missing(let path): return "\(path): no such file"
    case .unreadable(let path): return "\(path): cannot be read"
    case .invalid(let path, let error): return "\(path): \(error)"
    case .unwritable(let path, let reason): return "\(path): cannot be written: \(reason)"
    }
  }
}

/// Writes and reads compiled program files.
public enum ProgramArchive {
  /// The format version this library writes.
  public static let formatVersion: UInt16 = 3
  /// The format versions this library reads. Versions 1 and 2 (before history conditions, when
  /// bursts and stop requests were rules of their own) are refused: rebuild them from the policy.
  public static let readableVersions: ClosedRange<UInt16> = 3...formatVersion
  /// `\x89PLP\r\n\x1a\n`: a high byte, CR LF and ^Z, so text-mode transfers break it visibly.
  public static let magic: [UInt8] = [0x89, 0x50, 0x4C, 0x50, 0x0D, 0x0A, 0x1A, 0x0A]

  /// The sections of the format, each exactly once, in this order.
  public enum Section: UInt8, Sendable, CaseIterable {
    case header = 1
    case policy, escalations, hours, domains, text, nodes, histories, rules

    /// The name used in errors and in docs/program-format.md.
    public var name: String {
      switch self {
      case .header: return "header"
      case .policy: return "policy"
      case .escalations: return "escalations"
      case .hours: return "hours"
      case .domains: return "domains"
      case .text: return "text"
      case .nodes: return "nodes"
      case .histories: return "histories"
      case .rules: return "rules"
      }
    }
  }

  // MARK: - Writing

  /// The file bytes of `program`. Deterministic: equal programs and metadata give equal bytes.
  public static func encode(_ program: RuleProgram, metadata: ProgramMetadata) -> [UInt8] {
    let ir = program.ir
    var w = ByteWriter()
    w.raw(magic)
    w.u16(formatVersion)
    func section(_ tag: Section, _ body: (inout ByteWriter) -> Void) {
      var inner = ByteWriter()
      body(&inner)
      w.u8(tag.rawValue)
      w.uvarint(UInt64(inner.bytes.count))
      w.raw(inner.bytes)
    }
    section(.header) { w in
      w.string(metadata.policyName)
      w.string(metadata.sourceHash)
      w.string(metadata.compilerVersion)
    }
    section(.policy) { w in
      w.string(ir.policy)
      w.string(ir.zone)
      w.array(ir.normalization) { $0.string($1) }
      w.array(ir.severities) { $0.string($1) }
    }
    section(.escalations) { w in
      w.array(ir.escalations) { w, e in
        w.int(e.count)
        w.uvarint(UInt64(max(0, e.from)))
        w.uvarint(UInt64(max(0, e.to)))
        w.varint(e.windowSeconds)
        w.optional(e.clause) { $0.int($1) }
        span(&w, e.span)
      }
    }
    section(.hours) { w in
      w.array(ir.hours) { w, h in
        w.string(h.name)
        w.array(h.windowsByWeekday) { w, day in
          w.array(day) { w, window in
            w.int(window.start)
            w.int(window.end)
          }
        }
        w.array(h.excludedDates) { w, date in
          w.varint(date.year)
          w.int(date.month)
          w.int(date.day)
        }
        span(&w, h.span)
      }
    }
    section(.domains) { w in
      w.array(ir.domainLists) { w, list in
        w.string(list.name)
        w.array(list.domains) { $0.string($1) }
        span(&w, list.span)
      }
    }
    section(.text) { w in
      w.array(ir.lists) { w, list in
        w.optional(list.name) { $0.string($1) }
        w.array(list.entries) { w, entry in w.array(entry) { $0.string($1) } }
        w.array(list.sources) { $0.string($1) }
      }
      w.array(ir.proximities) { w, p in
        w.uvarint(UInt64(max(0, p.list)))
        w.int(p.distance)
      }
      w.array(ir.urlSlots) { w, slot in w.optional(slot) { $0.uvarint(UInt64(max(0, $1))) } }
      w.array(ir.patterns) { w, p in
        w.string(p.source)
        w.optional(p.name) { $0.string($1) }
      }
    }
    section(.nodes) { w in w.array(ir.nodes, node) }
    section(.histories) { w in w.array(ir.histories, history) }
    section(.rules) { w in w.array(ir.rules, rule) }
    w.u32(CRC32.checksum(w.bytes))
    return w.bytes
  }

  private static func index(_ w: inout ByteWriter, _ i: Int) { w.uvarint(UInt64(max(0, i))) }

  private static func span(_ w: inout ByteWriter, _ s: SourceSpan) {
    w.uvarint(UInt64(s.file.raw))
    w.uvarint(UInt64(s.start))
    w.uvarint(UInt64(s.end))
  }

  private static func sender(_ w: inout ByteWriter, _ role: SenderRole, _ kind: ReplyKind) {
    w.u8(Codes.role(role))
    w.u8(Codes.kind(kind))
  }

  private static func node(_ w: inout ByteWriter, _ node: ConditionNode) {
    switch node {
    case .constant(let value):
      w.u8(0)
      w.bool(value)
    case .and(let ids):
      w.u8(1)
      w.array(ids, index)
    case .or(let ids):
      w.u8(2)
      w.array(ids, index)
    case .not(let id):
      w.u8(3)
      index(&w, id)
    case .from(let role, let kind):
      w.u8(4)
      sender(&w, role, kind)
    case .hasAttachment(let type):
      w.u8(5)
      w.optional(type) { $0.string($1) }
    case .length(let atMost, let n):
      w.u8(6)
      w.bool(atMost)
      w.int(n)
    case .terms(let list, let atLeast):
      w.u8(7)
      index(&w, list)
      w.int(atLeast)
    case .proximity(let slot):
      w.u8(8)
      index(&w, slot)
    case .url(let slot):
      w.u8(9)
      index(&w, slot)
    case .detector(let kind):
      w.u8(10)
      w.u8(Codes.detector(kind))
    case .pattern(let slot):
      w.u8(11)
      index(&w, slot)
    case .history(let slot):
      w.u8(12)
      index(&w, slot)
    // Tags from 13 on are additions to format 3: a file without them reads as before.
    case .nearWords(let list, let other, let distance):
      w.u8(13)
      index(&w, list)
      index(&w, other)
      w.int(distance)
    case .phones(let regions):
      w.u8(14)
      w.array(regions) { $0.u8($1.code) }
    case .attachmentType(let kind, let negated, let fileTypes):
      w.u8(15)
      w.optional(kind) { $0.string($1) }
      w.bool(negated)
      w.array(fileTypes) { $0.string($1) }
    }
  }

  private static func happening(_ w: inout ByteWriter, _ h: IRHappening) {
    switch h {
    case .message(let id):
      w.u8(0)
      index(&w, id)
    case .event(let names):
      w.u8(1)
      w.array(names) { $0.string($1) }
    case .anyEvent:
      w.u8(2)
    }
  }

  private static func history(_ w: inout ByteWriter, _ h: IRHistory) {
    // Kinds 4 and 5 (`within`/`more than` after first) came later in version 3: a file without
    // them reads as before.
    switch h.kind {
    case .after: w.u8(0)
    case .within(let seconds):
      w.u8(h.first ? 4 : 1)
      w.varint(seconds)
    case .moreThan(let seconds):
      w.u8(h.first ? 5 : 2)
      w.varint(seconds)
    case .count(let atLeast, let window):
      w.u8(3)
      w.int(atLeast)
      w.optional(window) { $0.varint($1) }
    }
    happening(&w, h.happening)
    w.optional(h.without) { happening(&$0, $1) }
  }

  private static func rule(_ w: inout ByteWriter, _ rule: IRRule) {
    w.string(rule.name)
    w.string(rule.clause)
    w.optional(rule.severity, index)
    switch rule.body {
    case .message(let root):
      w.u8(0)
      index(&w, root)
    case .obligation(let o):
      w.u8(1)
      switch o.trigger {
      case .message(let root):
        w.u8(0)
        index(&w, root)
      case .event(let names):
        w.u8(1)
        w.array(names) { $0.string($1) }
      }
      w.optional(o.during, index)
      switch o.response {
      case .reply(let kind):
        w.u8(0)
        w.u8(Codes.kind(kind))
      case .event(let names):
        w.u8(1)
        w.array(names) { $0.string($1) }
      case .replyOrEvent(let kind, let names):
        w.u8(2)
        w.u8(Codes.kind(kind))
        w.array(names) { $0.string($1) }
      }
      w.array(o.limits) { w, limit in
        w.varint(limit.seconds)
        w.optional(limit.ifDuring, index)
      }
      w.optional(o.countingOnly, index)
    case .rate(let r):
      // Kind 6 (version 3, added later) is kind 4 followed by the comparison; `at least` rates
      // are written as kind 4, so files without the later rate forms read as before.
      w.u8(r.comparison == .atLeast ? 4 : 6)
      index(&w, r.of)
      w.u8(Codes.unit(r.unit))
      ratePayload(&w, r)
      if r.comparison != .atLeast { w.u8(Codes.comparison(r.comparison)) }
    case .ratio(let ratio):
      // Kind 7 (version 3, added later): a count ratio.
      w.u8(7)
      switch ratio.count {
      case .rule(let counted):
        w.u8(0)
        index(&w, counted)
      case .happening(let h):
        w.u8(1)
        happening(&w, h)
      }
      happening(&w, ratio.per)
      ratePayload(&w, ratio.rate)
      w.u8(Codes.comparison(ratio.rate.comparison))
    case .manual:
      w.u8(5)
    }
  }

  /// A rate's period, `during`, threshold and minimum.
  private static func ratePayload(_ w: inout ByteWriter, _ r: CheckedRate) {
    switch r.period {
    case .day: w.u8(0)
    case .month: w.u8(1)
    case .rolling(let seconds):
      w.u8(2)
      w.varint(seconds)
    case .last(let days):
      w.u8(3)
      w.int(days)
    }
    w.optional(r.during, index)
    w.varint(r.thresholdMillionths)
    w.optional(r.minimum) { $0.int($1) }
  }

  // MARK: - Reading

  /// Reads a program file: frame, checksum, every part of the IR, then `RuleProgram(validating:)`.
  /// Never traps; every failure is a `ProgramLoadError` saying which check failed.
  public static func decode(_ bytes: [UInt8]) throws(ProgramLoadError) -> LoadedProgram {
    guard bytes.count >= magic.count else {
      throw bytes == Array(magic.prefix(bytes.count)) ? .truncated(offset: bytes.count) : .notAProgram
    }
    guard Array(bytes.prefix(magic.count)) == magic else { throw .notAProgram }
    var r = ByteReader(bytes, from: magic.count)
    let version = try r.u16()
    guard readableVersions.contains(version) else {
      throw .unsupportedVersion(found: version, supported: formatVersion)
    }
    // The frame first: each section's tag and length, then the checksum, before any contents.
    var payloads: [ByteReader] = []
    for section in Section.allCases {
      let at = r.offset
      let tag = try r.u8()
      guard tag == section.rawValue else {
        throw .corrupt(
          offset: at,
          reason: "expected the \(section.name) section (tag \(section.rawValue)), found tag \(tag)")
      }
      let length = try r.uvarint()
      guard length <= UInt64(r.remaining) else { throw .truncated(offset: r.end) }
      let start = r.offset
      _ = try r.raw(Int(length))
      payloads.append(ByteReader(bytes, from: start, to: r.offset))
    }
    let checksumAt = r.offset
    let stored = try r.u32()
    guard r.isAtEnd else {
      throw .corrupt(offset: r.offset, reason: "\(r.remaining) bytes after the checksum")
    }
    let computed = CRC32.checksum(bytes[0..<checksumAt])
    guard stored == computed else { throw .checksumMismatch(expected: stored, found: computed) }

    let reader = SectionReader()
    let metadata = try reader.read(payloads[0], section: .header) { (r) throws(ProgramLoadError) in
      try Self.header(&r, version: version)
    }
    var ir = try reader.read(payloads[1], section: .policy) { (r) throws(ProgramLoadError) in
      try Self.policy(&r)
    }
    ir.escalations = try reader.read(payloads[2], section: .escalations) {
      (r) throws(ProgramLoadError) in try Self.escalations(&r, severities: ir.severities.count)
    }
    ir.hours = try reader.read(payloads[3], section: .hours) { (r) throws(ProgramLoadError) in
      try Self.hours(&r)
    }
    ir.domainLists = try reader.read(payloads[4], section: .domains) { (r) throws(ProgramLoadError) in
      try Self.domains(&r)
    }
    try reader.read(payloads[5], section: .text) { (r) throws(ProgramLoadError) in
      try Self.text(&r, into: &ir, version: version)
    }
    ir.nodes = try reader.read(payloads[6], section: .nodes) { (r) throws(ProgramLoadError) in
      try Self.nodes(&r, ir: ir)
    }
    ir.histories = try reader.read(payloads[7], section: .histories) { (r) throws(ProgramLoadError) in
      try Self.histories(&r, nodes: ir.nodes.count)
    }
    ir.rules = try reader.read(payloads[8], section: .rules) { (r) throws(ProgramLoadError) in
      try Self.rules(&r, ir: ir)
    }
    do {
      return LoadedProgram(program: try RuleProgram(validating: ir), metadata: metadata)
    } catch {
      switch error {
      case .invalidProgram(let why): throw .invalidProgram(why)
      default: throw .invalidProgram("\(error)")
      }
    }
  }

  /// Reads and decodes the program file at `path`.
  public static func load(path: String) throws(ProgramFileError) -> LoadedProgram {
    let bytes: [UInt8]
    switch FileBytes.read(path) {
    case .success(let read): bytes = read
    case .failure(let error): throw error
    }
    do {
      return try decode(bytes)
    } catch {
      throw .invalid(path: path, error)
    }
  }

  /// Encodes `program` and writes it to `path` (replacing the file as a whole).
  public static func save(
    _ program: RuleProgram, metadata: ProgramMetadata, to path: String
  ) throws(ProgramFileError) {
    if let reason = FileBytes.write(encode(program, metadata: metadata), to: path) {
      throw .unwritable(path: path, reason: reason)
    }
  }

  private static func header(
    _ r: inout ByteReader, version: UInt16
  ) throws(ProgramLoadError)
    -> ProgramMetadata
  {
    let name = try r.string()
    let at = r.offset
    let hash = try r.string()
    guard hash.utf8.count == 64,
      hash.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    else { throw .corrupt(offset: at, reason: "the source hash is not 64 lower-case hex digits") }
    let compiler = try r.string()
    return ProgramMetadata(
      policyName: name, sourceHash: hash, compilerVersion: compiler, formatVersion: version)
  }

  private static func policy(_ r: inout ByteReader) throws(ProgramLoadError) -> IR {
    let name = try r.string()
    let zone = try r.string()
    let normalization = try strings(&r)
    let severities = try strings(&r)
    return IR(
      policy: name, zone: zone, severities: severities, escalations: [], hours: [], domainLists: [],
      nodes: [], lists: [], proximities: [], urlSlots: [], patterns: [], normalization: normalization,
      rules: [])
  }

  private static func escalations(
    _ r: inout ByteReader, severities: Int
  ) throws(ProgramLoadError)
    -> [CheckedEscalation]
  {
    var out: [CheckedEscalation] = []
    for _ in 0..<(try r.count(minimumItemSize: 7)) {
      let count = try r.int()
      let from = try r.index(below: severities, what: "severity")
      let to = try r.index(below: severities, what: "severity")
      let window = try r.varint()
      let clause = try optionalInt(&r)
      out.append(
        CheckedEscalation(
          count: count, from: from, to: to, windowSeconds: window, clause: clause, span: try span(&r)))
    }
    return out
  }

  private static func hours(_ r: inout ByteReader) throws(ProgramLoadError) -> [CheckedHours] {
    var out: [CheckedHours] = []
    for _ in 0..<(try r.count(minimumItemSize: 6)) {
      let name = try r.string()
      var days: [[SecondsRange]] = []
      for _ in 0..<(try r.count()) {
        var windows: [SecondsRange] = []
        for _ in 0..<(try r.count(minimumItemSize: 2)) {
          let start = try r.int()
          windows.append(SecondsRange(start: start, end: try r.int()))
        }
        days.append(windows)
      }
      var excluded: [CivilDate] = []
      for _ in 0..<(try r.count(minimumItemSize: 3)) {
        let year = try r.varint()
        let month = try r.int()
        excluded.append(CivilDate(year: year, month: month, day: try r.int()))
      }
      out.append(
        CheckedHours(name: name, windowsByWeekday: days, excludedDates: excluded, span: try span(&r)))
    }
    return out
  }

  private static func domains(_ r: inout ByteReader) throws(ProgramLoadError) -> [CheckedDomainList] {
    var out: [CheckedDomainList] = []
    for _ in 0..<(try r.count(minimumItemSize: 5)) {
      let name = try r.string()
      let domains = try strings(&r)
      out.append(CheckedDomainList(name: name, domains: domains, span: try span(&r)))
    }
    return out
  }

  private static func text(
    _ r: inout ByteReader, into ir: inout IR, version: UInt16
  ) throws(ProgramLoadError) {
    for _ in 0..<(try r.count(minimumItemSize: version >= 2 ? 3 : 2)) {
      let name = try r.bool() ? try r.string() : nil
      var entries: [[String]] = []
      for _ in 0..<(try r.count()) { entries.append(try strings(&r)) }
      let sources = version >= 2 ? try strings(&r) : []
      ir.lists.append(TextList(name: name, entries: entries, sources: sources))
    }
    for _ in 0..<(try r.count(minimumItemSize: 2)) {
      let list = try r.index(below: ir.lists.count, what: "list")
      ir.proximities.append(ProximitySlot(list: list, distance: try r.int()))
    }
    for _ in 0..<(try r.count()) {
      ir.urlSlots.append(try r.bool() ? try r.index(below: ir.domainLists.count, what: "domain list") : nil)
    }
    for _ in 0..<(try r.count(minimumItemSize: 2)) {
      let source = try r.string()
      ir.patterns.append(PatternSlot(source: source, name: try r.bool() ? try r.string() : nil))
    }
  }

  private static func nodes(_ r: inout ByteReader, ir: IR) throws(ProgramLoadError) -> [ConditionNode] {
    var nodes: [ConditionNode] = []
    let count = try r.count(minimumItemSize: 2)
    nodes.reserveCapacity(count)
    for id in 0..<count {
      let at = r.offset
      switch try r.u8() {
      case 0: nodes.append(.constant(try r.bool()))
      case 1: nodes.append(.and(try operands(&r, below: id)))
      case 2: nodes.append(.or(try operands(&r, below: id)))
      case 3: nodes.append(.not(try r.index(below: id, what: "operand node")))
      case 4:
        let (role, kind) = try sender(&r)
        nodes.append(.from(role, kind))
      case 5: nodes.append(.hasAttachment(try r.bool() ? try r.string() : nil))
      case 6:
        let atMost = try r.bool()
        nodes.append(.length(atMost: atMost, try r.int()))
      case 7:
        let list = try r.index(below: ir.lists.count, what: "list")
        nodes.append(.terms(list: list, atLeast: try r.int()))
      case 8: nodes.append(.proximity(slot: try r.index(below: ir.proximities.count, what: "proximity")))
      case 9: nodes.append(.url(slot: try r.index(below: ir.urlSlots.count, what: "url slot")))
      case 10:
        let tagAt = r.offset
        guard let kind = Codes.detector(try r.u8()) else {
          throw .corrupt(offset: tagAt, reason: "unknown detector tag")
        }
        nodes.append(.detector(kind))
      case 11: nodes.append(.pattern(slot: try r.index(below: ir.patterns.count, what: "pattern")))
      // History slots come in the next section: `RuleProgram(validating:)` checks the slot.
      case 12: nodes.append(.history(slot: try r.index(below: Int(Int32.max), what: "history slot")))
      case 13:
        let list = try r.index(below: ir.lists.count, what: "list")
        let other = try r.index(below: ir.lists.count, what: "list")
        nodes.append(.nearWords(list: list, other: other, distance: try r.int()))
      case 14:
        var regions: [PhoneRegion] = []
        for _ in 0..<(try r.count()) {
          let codeAt = r.offset
          guard let region = PhoneRegion(code: try r.u8()) else {
            throw .corrupt(offset: codeAt, reason: "unknown phone plan")
          }
          regions.append(region)
        }
        nodes.append(.phones(regions: regions))
      case 15:
        let kind = try r.bool() ? try r.string() : nil
        let negated = try r.bool()
        nodes.append(.attachmentType(kind: kind, negated: negated, fileTypes: try strings(&r)))
      case let tag: throw .corrupt(offset: at, reason: "unknown node tag \(tag)")
      }
    }
    return nodes
  }

  private static func happening(_ r: inout ByteReader, nodes: Int) throws(ProgramLoadError) -> IRHappening {
    let at = r.offset
    switch try r.u8() {
    case 0: return .message(try r.index(below: nodes, what: "node"))
    case 1: return .event(try strings(&r))
    case 2: return .anyEvent
    default: throw .corrupt(offset: at, reason: "unknown happening tag")
    }
  }

  private static func histories(_ r: inout ByteReader, nodes: Int) throws(ProgramLoadError) -> [IRHistory] {
    func happening(_ r: inout ByteReader) throws(ProgramLoadError) -> IRHappening {
      try Self.happening(&r, nodes: nodes)
    }
    var out: [IRHistory] = []
    for _ in 0..<(try r.count(minimumItemSize: 3)) {
      let at = r.offset
      let kind: IRHistoryKind
      var first = false
      switch try r.u8() {
      case 0: kind = .after
      case 1: kind = .within(seconds: try r.varint())
      case 2: kind = .moreThan(seconds: try r.varint())
      case 4:
        kind = .within(seconds: try r.varint())
        first = true
      case 5:
        kind = .moreThan(seconds: try r.varint())
        first = true
      case 3:
        let atLeast = try r.int()
        kind = .count(atLeast: atLeast, withinSeconds: try r.bool() ? try r.varint() : nil)
      default: throw .corrupt(offset: at, reason: "unknown history kind")
      }
      let what = try happening(&r)
      out.append(
        IRHistory(kind: kind, first: first, happening: what, without: try r.bool() ? try happening(&r) : nil))
    }
    return out
  }

  private static func operands(_ r: inout ByteReader, below id: Int) throws(ProgramLoadError) -> [Int] {
    var out: [Int] = []
    for _ in 0..<(try r.count()) { out.append(try r.index(below: id, what: "operand node")) }
    return out
  }

  private static func rules(_ r: inout ByteReader, ir: IR) throws(ProgramLoadError) -> [IRRule] {
    var rules: [IRRule] = []
    let count = try r.count(minimumItemSize: 4)
    func hours(_ r: inout ByteReader) throws(ProgramLoadError) -> Int? {
      try r.bool() ? try r.index(below: ir.hours.count, what: "hours") : nil
    }
    func node(_ r: inout ByteReader) throws(ProgramLoadError) -> Int {
      try r.index(below: ir.nodes.count, what: "node")
    }
    func list(_ r: inout ByteReader) throws(ProgramLoadError) -> Int {
      try r.index(below: ir.lists.count, what: "list")
    }
    for _ in 0..<count {
      let name = try r.string()
      let clause = try r.string()
      let severity = try r.bool() ? try r.index(below: ir.severities.count, what: "severity") : nil
      let body: IRRuleBody
      let at = r.offset
      let tag = try r.u8()
      switch tag {
      case 0: body = .message(try node(&r))
      case 1:
        let trigger: IRTrigger
        let triggerAt = r.offset
        switch try r.u8() {
        case 0: trigger = .message(try node(&r))
        case 1: trigger = .event(try strings(&r))
        default: throw .corrupt(offset: triggerAt, reason: "unknown trigger tag")
        }
        let during = try hours(&r)
        let response: IRResponse
        let responseAt = r.offset
        switch try r.u8() {
        case 0: response = .reply(try kind(&r))
        case 2:
          let replyKind = try kind(&r)
          response = .replyOrEvent(replyKind, try strings(&r))
        case 1: response = .event(try strings(&r))
        default: throw .corrupt(offset: responseAt, reason: "unknown response tag")
        }
        var limits: [CheckedLimit] = []
        for _ in 0..<(try r.count(minimumItemSize: 2)) {
          let seconds = try r.varint()
          limits.append(CheckedLimit(seconds: seconds, ifDuring: try hours(&r)))
        }
        body = .obligation(
          IRObligation(
            trigger: trigger, during: during, response: response, limits: limits,
            countingOnly: try hours(&r)))
      // Kinds 2 (burst) and 3 (stop request) were the first format's: they are message rules now.
      case 4, 6:
        let of = try r.index(below: count, what: "rule")
        let unitAt = r.offset
        guard let unit = Codes.unit(try r.u8()) else {
          throw .corrupt(offset: unitAt, reason: "unknown rate unit")
        }
        var rate = try ratePayload(&r, of: of, unit: unit, hours: ir.hours.count)
        if tag == 6 { rate.comparison = try comparison(&r) }
        body = .rate(rate)
      case 7:
        let counted: IRRatioCount
        let countAt = r.offset
        switch try r.u8() {
        case 0: counted = .rule(try r.index(below: count, what: "rule"))
        case 1: counted = .happening(try Self.happening(&r, nodes: ir.nodes.count))
        default: throw .corrupt(offset: countAt, reason: "unknown ratio count")
        }
        let per = try Self.happening(&r, nodes: ir.nodes.count)
        var rate = try ratePayload(&r, of: rules.count, unit: .message, hours: ir.hours.count)
        rate.comparison = try comparison(&r)
        body = .ratio(IRRatio(count: counted, per: per, rate: rate))
      case 5: body = .manual
      default: throw .corrupt(offset: at, reason: "unknown rule kind \(tag)")
      }
      rules.append(IRRule(name: name, clause: clause, severity: severity, body: body))
    }
    return rules
  }

  private static func comparison(_ r: inout ByteReader) throws(ProgramLoadError) -> RateComparison {
    let at = r.offset
    guard let read = Codes.comparison(try r.u8()) else {
      throw .corrupt(offset: at, reason: "unknown rate comparison")
    }
    return read
  }

  /// A rate's period, `during`, threshold and minimum (`ratePayload` of the writer).
  private static func ratePayload(
    _ r: inout ByteReader, of: Int, unit: RateUnit, hours: Int
  ) throws(ProgramLoadError) -> CheckedRate {
    let period: CheckedPeriod
    let periodAt = r.offset
    switch try r.u8() {
    case 0: period = .day
    case 1: period = .month
    case 2: period = .rolling(seconds: try r.varint())
    case 3: period = .last(days: try r.int())
    default: throw .corrupt(offset: periodAt, reason: "unknown rate period")
    }
    let during = try r.bool() ? try r.index(below: hours, what: "hours") : nil
    let threshold = try r.varint()
    return CheckedRate(
      of: of, unit: unit, period: period, during: during, thresholdMillionths: threshold,
      minimum: try optionalInt(&r))
  }

  private static func strings(_ r: inout ByteReader) throws(ProgramLoadError) -> [String] {
    var out: [String] = []
    for _ in 0..<(try r.count()) { out.append(try r.string()) }
    return out
  }

  private static func optionalInt(_ r: inout ByteReader) throws(ProgramLoadError) -> Int? {
    try r.bool() ? try r.int() : nil
  }

  private static func span(_ r: inout ByteReader) throws(ProgramLoadError) -> SourceSpan {
    let at = r.offset
    let file = try r.uvarint()
    let start = try r.uvarint()
    let end = try r.uvarint()
    guard file <= UInt64(UInt32.max), start <= end, end <= UInt64(UInt32.max) else {
      throw .corrupt(offset: at, reason: "source span out of range")
    }
    return SourceSpan(file: FileID(UInt32(file)), start: Int(start), end: Int(end))
  }

  private static func kind(_ r: inout ByteReader) throws(ProgramLoadError) -> ReplyKind {
    let at = r.offset
    guard let kind = Codes.kind(try r.u8()) else { throw .corrupt(offset: at, reason: "unknown reply kind") }
    return kind
  }

  private static func sender(_ r: inout ByteReader) throws(ProgramLoadError) -> (SenderRole, ReplyKind) {
    let at = r.offset
    guard let role = Codes.role(try r.u8()) else { throw .corrupt(offset: at, reason: "unknown sender role") }
    return (role, try kind(&r))
  }
}

/// Reads one section's payload and insists it is used up exactly.
private struct SectionReader {
  func read<T>(
    _ payload: ByteReader, section: ProgramArchive.Section,
    _ body: (inout ByteReader) throws(ProgramLoadError) -> T
  ) throws(ProgramLoadError) -> T {
    var r = payload
    let value = try body(&r)
    guard r.isAtEnd else {
      throw .corrupt(
        offset: r.offset, reason: "\(r.remaining) unread bytes at the end of the \(section.name) section")
    }
    return value
  }
}

/// The fixed byte codes of the format's enums (never derived from declaration order, so that
/// reordering a Swift enum cannot change the format).
private enum Codes {
  static func role(_ role: SenderRole) -> UInt8 {
    switch role {
    case .buyer: return 0
    case .seller: return 1
    case .platform: return 2
    case .system: return 3
    }
  }

  static func role(_ code: UInt8) -> SenderRole? {
    [SenderRole.buyer, .seller, .platform, .system].first { role($0) == code }
  }

  static func kind(_ kind: ReplyKind) -> UInt8 {
    switch kind {
    case .any: return 0
    case .human: return 1
    case .auto: return 2
    }
  }

  static func kind(_ code: UInt8) -> ReplyKind? { [ReplyKind.any, .human, .auto].first { kind($0) == code } }

  static func detector(_ kind: DetectorKind) -> UInt8 {
    switch kind {
    case .url: return 0
    case .email: return 1
    case .phone: return 2
    case .bankCard: return 3
    case .qrCode: return 4
    case .address: return 5
    }
  }

  static func detector(_ code: UInt8) -> DetectorKind? {
    [DetectorKind.url, .email, .phone, .bankCard, .qrCode, .address].first { detector($0) == code }
  }

  static func unit(_ unit: RateUnit) -> UInt8 {
    switch unit {
    case .message: return 0
    case .buyerDay: return 1
    case .conversation: return 2
    }
  }

  static func unit(_ code: UInt8) -> RateUnit? {
    [RateUnit.message, .buyerDay, .conversation].first { unit($0) == code }
  }

  static func comparison(_ comparison: RateComparison) -> UInt8 {
    switch comparison {
    case .atLeast: return 0
    case .atMost: return 1
    case .moreThan: return 2
    case .lessThan: return 3
    }
  }

  static func comparison(_ code: UInt8) -> RateComparison? {
    RateComparison.allCases.first { comparison($0) == code }
  }
}
