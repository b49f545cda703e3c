import Foundation

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Seeded random well-formed policies: random declarations of every kind, written with random
/// white space, line breaks and comments between tokens, for the formatter's property tests.
struct PolicyGenerator {
  var random: SeededRandom
  private var tokens: [(text: String, breakable: Bool)] = []
  private var commentCount = 0

  init(seed: UInt64) { random = SeededRandom(seed: seed) }

  /// One policy file's text.
  mutating func policy() -> String {
    tokens = []
    if chance(0.7) { header() }
    for _ in 0..<int(1...12) { declaration() }
    var out = chance(0.3) ? "# file comment\n" : ""
    for (i, token) in tokens.enumerated() {
      if i > 0 { out += separator(breakable: token.breakable) }
      out += token.text
    }
    if chance(0.5) { out += " # end \(commentCount)" }
    return out + (chance(0.8) ? "\n" : "")
  }

  // MARK: - Randomness

  mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
  mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
  mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

  mutating func separator(breakable: Bool) -> String {
    guard breakable else { return pick([" ", "  ", "\t"]) }
    switch int(0...19) {
    case 0...11: return " "
    case 12...14: return "\n" + String(repeating: " ", count: int(0...6))
    case 15: return "\n\n"
    case 16:
      commentCount += 1
      return " # c\(commentCount) 中文\n  "
    case 17:
      commentCount += 1
      return "\n# own line \(commentCount)\n"
    case 18: return "\r\n  "
    default: return "\t"
    }
  }

  mutating func emit(_ words: String...) {
    for word in words { tokens.append((word, true)) }
  }

  /// A token that must stay on the line of the previous one.
  mutating func glue(_ word: String) { tokens.append((word, false)) }

  // MARK: - Pieces

  mutating func name() -> String {
    pick(["reply_limit", "peak", "words", "contact_apps", "x", "message", "long_name_for_lists", "a1"])
  }

  mutating func string() -> String {
    pick([
      "\"加我微信\"", "\"a\\\"b\"", "\"tab\\tend\"", "\"\\u{200B}zw\"", "\"https://x.cn/a?b=1\"",
      "\"这是一个相当长的中文字符串用来测试对齐和换行的效果\"", "\"\"", "\"back\\\\slash\"",
    ])
  }

  mutating func clauseID() -> String { pick(["AE-1.2.1", "PDD-2.1", "TB-3", "X-10.2"]) }

  mutating func literal() -> [String] {
    switch int(0...6) {
    case 0: return [String(int(0...500))]
    case 1: return [pick(["30s", "10m", "1h", "24h", "30d", "1h30m"])]
    case 2: return [pick(["80%", "99.5%", "0%"])]
    case 3: return [String(int(1...40)), "chars"]
    case 4: return [string()]
    case 5: return [pick(["08:00", "24:00", "23:59:59"])]
    default: return [pick(["2026-10-01", "2026-01-05"])]
    }
  }

  mutating func value() -> [String] { chance(0.4) ? [name()] : literal() }

  mutating func emitAll(_ words: [String]) { for w in words { emit(w) } }

  mutating func list(_ element: (inout PolicyGenerator) -> Void) {
    emit("[")
    let count = int(0...4)
    for i in 0..<count {
      element(&self)
      if i < count - 1 || chance(0.3) { emit(",") }
    }
    emit("]")
  }

  // MARK: - Declarations

  mutating func header() {
    emit("policy", name())
    if chance(0.6) { emit(string()) }
    emit("{")
    var fields = ["source", "zone", "normalize"].filter { _ in chance(0.7) }
    fields.shuffle(using: &random)
    for field in fields {
      switch field {
      case "source":
        emit("source", string())
        if chance(0.5) { emit("dated", "2024-11-17") }
      case "zone":
        emit("zone", pick(["Asia/Shanghai", "UTC", "\"Etc/GMT+8\"", "America/Port-au-Prince"]))
      default:
        emit("normalize")
        for _ in 0..<int(1...3) {
          glue(pick(["all", "none", "nfkc", "casefold", "simplified", "separators", "digits"]))
        }
      }
    }
    emit("}")
  }

  mutating func declaration() {
    switch int(0...12) {
    case 0: emit("import", string())
    case 1:
      emit("clause", clauseID(), string())
      glue(pick(["content", "timeline", "aggregate", "sanction", "manual", "definition", "informational"]))
    case 2:
      if chance(0.3) { emit("override") }
      emit("terms", name())
      if chance(0.5) { emit(string()) }
      emit(chance(0.3) ? "+=" : "=")
      if chance(0.3) {
        emit("file", string())
      } else {
        list { g in
          g.emit(g.string())
          for _ in 0..<g.int(0...2) { g.emit("|", g.string()) }
        }
      }
    case 3:
      emit("domains", name(), "=")
      list { g in g.emit(g.string()) }
    case 4:
      if chance(0.3) { emit("override") }
      emit("const", name(), "=")
      emitAll(literal())
    case 5:
      emit("hours", name(), "=")
      for p in 0..<int(1...2) {
        if p > 0 { emit(";") }
        if chance(0.5) { emit(pick(["mon", "sat"]), "-", pick(["fri", "sun"])) }
        emit("09:00", "-", "12:00")
        if chance(0.5) { emit(",", "13:00", "-", "18:00") }
      }
      if chance(0.4) { emit("except", name()) }
    case 6:
      emit("dates", name(), "=")
      list { g in g.emit(g.pick(["2026-10-01", "2026-10-02"])) }
    case 7:
      emit("severity", name())
      if chance(0.5) { emit(string()) }
      emit("sanction", string())
      if chance(0.5) { emit("clause", clauseID()) }
    case 8:
      emit("escalate")
      emitAll(value())
      emit(name(), "within")
      emitAll(value())
      emit("to", name())
      if chance(0.5) { emit("clause", clauseID()) }
    case 9: test()
    default: rule()
    }
  }

  mutating func rule() {
    if chance(0.2) { emit("override") }
    emit("rule", name(), string(), "{")
    var items = ["clause", "severity", "body", "test"].filter { _ in chance(0.85) }
    if chance(0.3) { items.shuffle(using: &random) }
    for item in items {
      switch item {
      case "clause": emit("clause", clauseID())
      case "severity": emit("severity", pick(["minor", "major"]))
      case "body": body()
      default: test()
      }
    }
    emit("}")
  }

  mutating func sender() {
    if chance(0.3) { emit(pick(["human", "auto"])) }
    emit(pick(["buyer", "seller", "platform", "system"]))
  }

  mutating func body() {
    switch int(0...5) {
    case 0:
      emit("when", "message")
      condition(depth: 0)
    case 1:
      emit("when", "message")
      condition(depth: 0)
      emit("after", "buyer", "says", "any", name())
      if chance(0.6) {
        emit("allow", "reply", "within")
        emitAll(value())
        if chance(0.5) {
          emit("up", "to")
          emitAll(value())
        }
        if chance(0.5) { emit("containing", "any", name()) }
      }
    case 2:
      emit("when", "more", "than")
      emitAll(value())
      emit("messages", "from")
      sender()
      emit("within")
      emitAll(value())
      emit("without", "message", "from")
      sender()
    case 3:
      emit("every")
      if chance(0.6) {
        emit("message")
        condition(depth: 0)
      } else {
        emit("event", "refund_requested")
        if chance(0.5) { emit("or", "dispute_opened") }
      }
      if chance(0.4) { emit("during", name()) }
      emit("expect")
      if chance(0.3) {
        emit("event", "refund_done")
      } else {
        if chance(0.5) { emit("human") }
        emit("reply")
      }
      emit("within")
      emitAll(value())
      for _ in 0..<int(0...2) {
        emit(",", "within")
        emitAll(value())
        emit("if", "during", name())
      }
      if chance(0.3) { emit("counting", "only", "during", name()) }
    case 4:
      emit("rate", "of", name(), "per")
      switch int(0...2) {
      case 0: emit("message")
      case 1: emit("buyer", "day")
      default: emit("conversation")
      }
      emit("over")
      switch int(0...3) {
      case 0: emit("day")
      case 1: emit("month")
      case 2:
        emit("last")
        emitAll(value())
      default:
        emit("rolling")
        emitAll(value())
      }
      if chance(0.4) { emit("during", name()) }
      switch int(0...3) {
      case 0: emit("at", "most")
      case 1: emit("more", "than")
      case 2: emit("less", "than")
      default: emit("at", "least")
      }
      emitAll(value())
      if chance(0.4) {
        emit("when", "more", "than")
        emitAll(value())
        emit("buyers")
      }
    default:
      emit("manual")
      if chance(0.5) { emit(string()) }
    }
  }

  mutating func condition(depth: Int) {
    let operands = depth < 3 ? int(1...4) : 1
    let op = pick(["and", "or"])
    for i in 0..<operands {
      if i > 0 { emit(op) }
      if chance(0.15) { emit("not") }
      if depth < 3 && chance(0.25) {
        emit("(")
        condition(depth: depth + 1)
        emit(")")
      } else {
        atom()
      }
    }
  }

  mutating func atom() {
    switch int(0...14) {
    case 10:
      emit("contains", "any", name(), "near", "any", name(), "within")
      emitAll(value())
    case 11:
      emit("contains", "phone", "in", "[", pick(["us", "cn"]))
      for _ in 0..<int(0...2) { emit(",", pick(["sg", "my", "ph", "tw", "intl"])) }
      emit("]")
    case 12:
      emit("has", "attachment")
      if chance(0.5) { emit(pick(["file", "image"])) }
      if chance(0.5) { emit("not") }
      emit("of", "type", "[", pick(["\".pdf\"", "\"image/*\""]))
      if chance(0.5) { emit(",", "\".DOCX\"") }
      emit("]")
    case 0:
      emit("from")
      sender()
    case 1: emit("contains", "any", name())
    case 2: emit("contains", string())
    case 3:
      emit("contains", "at", "least")
      emitAll(value())
      emit("of", name())
    case 4:
      emit("contains", pick(["url", "email", "phone", "bank_card", "qr_code", "address"]))
    case 5: emit("contains", "url", "outside", name())
    case 6:
      emit("contains", "any", name(), "near", "account", "within")
      emitAll(value())
    case 7: emit("matches", string())
    case 8:
      emit("length", "at", pick(["most", "least"]))
      emitAll(value())
    case 13:
      // The conversation words.
      switch int(0...3) {
      case 0:
        emit("after")
        emitAll(value())
        emit("idle")
      case 1: emit("unanswered")
      case 2: emit("proactive")
      default:
        emit("answered", "within")
        emitAll(value())
      }
    case 14:
      if chance(0.5) { emit("within") } else { emit("more", "than") }
      emitAll(value())
      emit("after", "first", "message", "from", "buyer")
      if chance(0.5) { emit("without", "event", name()) }
    default:
      emit("has", "attachment")
      if chance(0.5) { emit(pick(["image", "link"])) }
    }
  }

  mutating func test() {
    emit("test", string(), "{")
    // One `as of` at most: the parser keeps only the last one.
    var asOf = false
    for _ in 0..<int(0...5) {
      switch int(asOf ? 0...4 : 0...5) {
      case 0...2:
        emit(pick(["buyer", "seller", "platform", "system"]))
        if chance(0.2) { emit("auto") }
        if chance(0.2) { emit("2026-01-06") }
        emit(pick(["10:00", "10:01:30"]))
        if chance(0.7) { emit(string()) }
        if chance(0.2) {
          emit("with", pick(["image", "qr_code", "link"]))
          if chance(0.3) { emit("qr") }
          if chance(0.3) { emit(string()) }
          if chance(0.3) { emit("name", "\"a.pdf\"") }
          if chance(0.3) { emit("mime", "\"application/pdf\"") }
        }
      case 3: emit("event", "refund_requested", "10:00")
      case 4:
        emit("expect")
        if chance(0.3) { emit("no") }
        emit("violation")
        if chance(0.4) { emit("of", name()) }
        if chance(0.4) { emit("at", String(int(0...4))) }
        if chance(0.3) { emit("matching", string()) }
      default:
        emit("as", "of", "12:00")
        asOf = true
      }
    }
    emit("}")
  }
}
