import Foundation
import Testing

@testable import PolicyLangLanguageServer

/// The strict JSON reader and the writer.
@Suite struct JSONTests {
  private func parse(_ text: String) throws(JSONReadError) -> JSONValue {
    try JSONReader.parse(Array(text.utf8))
  }

  @Test func readsEveryKindOfValue() throws {
    #expect(try parse("null") == .null)
    #expect(try parse(" true ") == true)
    #expect(try parse("-0") == .integer(0))
    #expect(try parse("9223372036854775807") == .integer(Int64.max))
    #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
    #expect(try parse("1.5e3") == .double(1500))
    #expect(try parse(#""a\"\\\/\b\f\n\r\t\u4E2D\ud83d\ude00""#) == .string("a\"\\/\u{8}\u{C}\n\r\t中😀"))
    #expect(try parse(#"{"a":[1,{"b":null}],"c":"微信"}"#) == ["a": [1, ["b": nil]], "c": "微信"])
    #expect(try parse("[]") == [] && parse("{}") == [:] && parse("[[],{}]") == [[], [:]])
  }

  @Test(arguments: [
    ("", "unexpected end of input"),
    ("[1,]", "unexpected character"),
    ("{\"a\" 1}", "expected `:`"),
    ("{\"a\":1,\"a\":2}", "duplicate key `a`"),
    ("01", "may not start with `0`"),
    ("1.", "digits after `.`"),
    ("tru", "expected `true`"),
    ("\"\\ud800\"", "lone surrogate"),
    ("\"\\udc00\\ud800\"", "lone surrogate"),
    ("\"\\x\"", "invalid escape"),
    ("\"a\nb\"", "control character"),
    ("\"abc", "unterminated string"),
    ("[1] 2", "unexpected bytes after the value"),
    ("1e999", "number out of range"),
  ])
  func rejectsWhatIsNotJSON(_ text: String, _ reason: String) {
    #expect(throws: JSONReadError.self) { try parse(text) }
    do {
      _ = try parse(text)
    } catch {
      #expect(error.reason.contains(reason), "\(text): \(error)")
    }
  }

  @Test func rejectsInvalidUTF8() {
    #expect(throws: JSONReadError.self) { try JSONReader.parse([0x22, 0xC3, 0x28, 0x22]) }
    #expect(throws: JSONReadError.self) { try JSONReader.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
  }

  @Test func nestingIsLimitedWithoutRecursion() throws {
    let limit = JSONReader.maximumDepth
    let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
    #expect(try parse(deepest) != .null)
    #expect(throws: JSONReadError.self) { try parse("[" + deepest + "]") }
    // A million open brackets: an error, not a stack overflow.
    #expect(throws: JSONReadError.self) { try parse(String(repeating: "[", count: 1_000_000)) }
    #expect(throws: JSONReadError.self) { try parse(String(repeating: "{\"a\":", count: 1_000_000)) }
  }

  @Test func largeArraysReadInLinearTime() throws {
    let count = 200_000
    let text = "[" + Array(repeating: "1", count: count).joined(separator: ",") + "]"
    #expect(try parse(text).arrayValue?.count == count)
  }

  @Test func writerEscapesAndSortsKeys() {
    let value: JSONValue = ["b": "引号\"\\\n\u{1}", "a": [1, 2.5, true, nil], "c": .double(1e-7)]
    #expect(JSONWriter.string(value) == #"{"a":[1,2.5,true,null],"b":"引号\"\\\n\u0001","c":1e-07}"#)
    #expect(JSONWriter.string(.double(.infinity)) == "null")
  }

  @Test func writeThenReadGivesTheSameValue() throws {
    var random = SeededRandom(seed: 7)
    for _ in 0..<300 {
      let value = randomValue(depth: 0, using: &random)
      #expect(try JSONReader.parse(JSONWriter.encode(value)) == value)
    }
  }

  private func randomValue(depth: Int, using random: inout SeededRandom) -> JSONValue {
    let pick = Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &random)
    switch pick {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &random))
    case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &random))
    // A double with a fraction: an integral one is written as an integer and read back as one.
    case 3: return .double(Double(2 * Int.random(in: -1000...1000, using: &random) + 1) / 16)
    case 4:
      let alphabet = Array("aZ0 \"\\\n\t\u{0}\u{1F}中😀𠮷/é")
      return .string(
        String(
          (0..<Int.random(in: 0..<8, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "a"
          }))
    case 5:
      return .array(
        (0..<Int.random(in: 0..<4, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) }
      )
    default:
      var members: [String: JSONValue] = [:]
      for i in 0..<Int.random(in: 0..<4, using: &random) {
        members["k\(i)中"] = randomValue(depth: depth + 1, using: &random)
      }
      return .object(members)
    }
  }
}
