import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangRuntime
@testable import PolicyLangText

/// Evidence of long texts: offsets at the end of a text of several MiB, a text of 100,000
/// matches (its list cut at `Evidence.limit`), and the collector against the sort-everything
/// reference it replaces.
@Suite struct LongTextEvidenceTests {
  /// Shop talk that no rule of pinduoduo.policy holds on.
  static let filler = "这件衣服的颜色是浅蓝色尺码偏大一点建议您选小一号面料是纯棉的"

  static func pinduoduo() throws -> CompiledPolicy {
    try CompiledPolicy(
      policyAt: "Policies/pinduoduo.policy", provider: DiskSourceProvider(baseDirectory: PrefilterTests.root))
  }

  static func seller(_ text: String) -> Event {
    Fixture.message(.seller, "2026-11-25 10:00", text)
  }

  static func evidence(_ verdict: Verdict) -> [Evidence] {
    if case .content(_, let evidence) = verdict.detail { return evidence }
    return []
  }

  @Test func offsetsAtTheEndOfAMultiMiBTextPointAtTheOriginal() throws {
    let policy = try Self.pinduoduo()
    #expect(policy.evaluate(message: Self.seller(String(repeating: Self.filler, count: 10))).isEmpty)
    // 3.5 MiB of text, then the term in Traditional characters split by a zero-width space: the
    // evidence quotes it as written, at its offset in scalars.
    let prefix = String(repeating: Self.filler, count: 40_000) + "，"
    let written = "去\u{200B}淘寶"
    let text = prefix + written + "。" + Self.filler
    #expect(text.utf8.count > 3 << 20)
    let verdicts = policy.evaluate(message: Self.seller(text))
    #expect(verdicts.map(\.rule) == ["off_platform_diversion"])
    let start = prefix.unicodeScalars.count
    let expected = Evidence(
      kind: "term", list: "platform_diversion", term: "去淘宝", start: start,
      end: start + written.unicodeScalars.count, match: written)
    #expect(verdicts.first.map(Self.evidence) == [expected])
  }

  @Test func aTextOf100kMatchesListsTheFirstItemsAndCountsTheRest() throws {
    let policy = try Self.pinduoduo()
    let unit = "去淘宝，"
    let matches = 100_000
    let text = String(repeating: unit, count: matches)
    // The same rule as on a short text of the same words.
    let short = policy.evaluate(message: Self.seller(String(repeating: unit, count: 3)))
    let verdicts = policy.evaluate(message: Self.seller(text))
    #expect(verdicts.map(\.rule) == short.map(\.rule))
    #expect(verdicts.map(\.severity) == short.map(\.severity))
    #expect(verdicts.map(\.rule) == ["off_platform_diversion"])
    let evidence = verdicts.first.map(Self.evidence) ?? []
    let step = unit.unicodeScalars.count
    let listed = (0..<Evidence.limit).map { k in
      Evidence(
        kind: "term", list: "platform_diversion", term: "去淘宝", start: k * step, end: k * step + 3,
        match: "去淘宝")
    }
    #expect(evidence == listed + [.omitted(matches - Evidence.limit)])
    // The verdict's line carries the count.
    let line = policy.jsonLine(verdicts[0])
    #expect(line.hasSuffix(#"{"kind":"omitted","count":99000}]}"# + "\n"))
  }

  /// Random sources of every shape the evaluator gives (overlapping lists of one kind, several
  /// kinds, attachments, items without a span, duplicates) against `withoutOverlaps` over every
  /// item sorted, uncut and cut at a small limit.
  @Test func collectorListsWhatSortingEveryItemGives() {
    var random = SeededRandom(seed: 0x6576_6964)
    let quote = TextMatches()
    for round in 0..<400 {
      var collector = EvidenceCollector()
      var all = Set<Evidence>()
      for _ in 0..<Int.random(in: 0...6, using: &random) {
        let kind = ["term", "proximity", "phone", "url"].randomElement(using: &random) ?? "term"
        let list = kind == "term" || kind == "proximity" ? ["a", "b"].randomElement(using: &random) : nil
        let attachment =
          kind == "url" && Bool.random(using: &random) ? Int.random(in: 0...1, using: &random) : nil
        var matches: [TextMatch] = []
        var at = Int.random(in: 0...3, using: &random)
        for _ in 0..<Int.random(in: 0...12, using: &random) {
          let end = at + Int.random(in: 1...4, using: &random)
          matches.append(TextMatch(start: at, end: end, entry: Int.random(in: 0...1, using: &random)))
          at = end + Int.random(in: 0...2, using: &random)
        }
        if Bool.random(using: &random) { matches.reverse() }
        let term: (TextMatch) -> String? = list == nil ? { _ in nil } : { "t\($0.entry)" }
        collector.add(
          EvidenceCollector.Source(
            kind: kind, list: list, attachment: attachment, matches: matches, term: term, quote: quote))
        for m in matches {
          all.insert(
            Evidence(
              kind: kind, list: list, term: term(m), attachment: attachment, start: m.start, end: m.end,
              match: ""))
        }
      }
      for _ in 0..<Int.random(in: 0...2, using: &random) {
        let item = Evidence(kind: "qr_code", attachment: Int.random(in: 0...1, using: &random))
        collector.add(item)
        all.insert(item)
      }
      let reference = MessageContext.withoutOverlaps(all.sorted(by: MessageContext.evidenceOrder))
      #expect(collector.evidence(limit: 10_000) == reference, "round \(round)")
      let limit = 5
      let cut =
        reference.count > limit
        ? Array(reference.prefix(limit)) + [.omitted(reference.count - limit)] : reference
      #expect(collector.evidence(limit: limit) == cut, "round \(round)")
    }
  }
}
