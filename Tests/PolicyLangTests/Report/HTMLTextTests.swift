import Testing

@testable import PolicyLangReport

@Suite struct HTMLTextTests {
  @Test func escapesMarkupQuotesAndControls() {
    #expect(
      HTMLText.escape(#"<script>alert("x&y")</script> it's"#)
        == "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt; it&#39;s")
    #expect(HTMLText.escape("a\u{0}b\u{1B}c\u{85}d\te\nf") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\te\nf")
    #expect(HTMLText.escape("微信 😀 ok") == "微信 😀 ok")
  }

  @Test func measuresAndCutsWideCharacters() {
    #expect(HTMLText.cells("ab") == 2 && HTMLText.cells("微信") == 4 && HTMLText.cells("😀") == 2)
    #expect(HTMLText.truncate("商家客服不得發布", cells: 7) == "商家客…")
    #expect(HTMLText.truncate("short", cells: 7) == "short")
    // A flag is two scalars but one character: it is kept whole or left out.
    #expect(HTMLText.truncate("ab🇨🇳cdefgh", cells: 5) == "ab🇨🇳…")
  }
}

@Suite struct EvidenceHighlighterTests {
  typealias Span = EvidenceHighlighter.Span

  /// The text between marks, and the marked pieces, of highlighted HTML (marks are not nested).
  func marked(_ html: String) -> [String] {
    var pieces: [String] = []
    var rest = Substring(html)
    while let open = rest.range(of: "<mark"), let close = rest.range(of: "</mark>") {
      let body = rest[open.upperBound..<close.lowerBound]
      if let gt = body.firstIndex(of: ">") { pieces.append(String(body[body.index(after: gt)...])) }
      rest = rest[close.upperBound...]
    }
    return pieces
  }

  @Test func marksCJKAtScalarOffsets() {
    let html = EvidenceHighlighter.html(
      "加我微信 abc_123 给你", spans: [Span(start: 2, end: 12, kind: "proximity")])
    #expect(
      html == #"加我<mark class="ev ev-proximity" title="proximity">微信 abc_123</mark> 给你"#)
  }

  /// Offsets count scalars: an emoji outside the BMP is one, a ZWJ family is several.
  @Test func countsEmojiAsScalars() {
    let text = "😀加微信😀👨‍👩‍👧x"
    // 😀=0, 加=1, 微=2, 信=3, 😀=4, then the family is 5 scalars (5...9), x=10.
    #expect(marked(EvidenceHighlighter.html(text, spans: [Span(start: 2, end: 4, kind: "term")])) == ["微信"])
    #expect(marked(EvidenceHighlighter.html(text, spans: [Span(start: 10, end: 11, kind: "term")])) == ["x"])
    #expect(marked(EvidenceHighlighter.html(text, spans: [Span(start: 4, end: 10, kind: "term")])) == ["😀👨‍👩‍👧"])
  }

  @Test func marksAtBothEdgesOfTheText() {
    let text = "138 0013 8000 call"
    let html = EvidenceHighlighter.html(
      text, spans: [Span(start: 0, end: 13, kind: "phone"), Span(start: 14, end: 18, kind: "term")])
    #expect(html.hasPrefix("<mark class=\"ev ev-phone\""))
    #expect(html.hasSuffix("call</mark>"))
    #expect(marked(html) == ["138 0013 8000", "call"])
  }

  @Test func escapesEveryPieceAndTitle() {
    let text = "<b>&\"加我\"</b>"
    let html = EvidenceHighlighter.html(text, spans: [Span(start: 3, end: 9, kind: "term", detail: "<i>")])
    #expect(!html.contains("<b>") && !html.contains("<i>"))
    #expect(
      html
        == #"&lt;b&gt;<mark class="ev ev-term" title="term: &lt;i&gt;">&amp;&quot;加我&quot;&lt;</mark>/b&gt;"#)
  }

  @Test func splitsOverlappingEvidence() {
    let html = EvidenceHighlighter.html(
      "加微信13800138000",
      spans: [Span(start: 1, end: 14, kind: "proximity"), Span(start: 3, end: 14, kind: "phone")])
    #expect(marked(html) == ["微信", "13800138000"])
    #expect(html.contains(#"title="proximity; phone""#))
  }

  @Test func cutsSpansBeyondTheTextAndDropsEmptyOnes() {
    #expect(
      EvidenceHighlighter.html("abc", spans: [Span(start: 2, end: 9, kind: "url")]).hasSuffix(">c</mark>"))
    #expect(EvidenceHighlighter.html("abc", spans: [Span(start: 1, end: 1, kind: "url")]) == "abc")
    #expect(EvidenceHighlighter.html("abc", spans: [Span(start: 7, end: 9, kind: "url")]) == "abc")
    #expect(EvidenceHighlighter.html("", spans: [Span(start: 0, end: 1, kind: "url")]) == "")
  }

  @Test func classNamesAreSanitized() {
    #expect(EvidenceHighlighter.className("bank_card") == "bank_card")
    #expect(EvidenceHighlighter.className("x\" onload=\"y") == "x--onload--y")
  }

  @Test func excerptsLongTextsAroundTheEvidence() {
    let text = String(repeating: "前", count: 1000) + "微信 abc_123" + String(repeating: "后", count: 1000)
    let piece = EvidenceHighlighter.excerpt(
      text, spans: [Span(start: 1000, end: 1010, kind: "proximity")], limit: 100)
    #expect(piece.cutBefore && piece.cutAfter && piece.text.unicodeScalars.count == 100)
    #expect(marked(EvidenceHighlighter.html(piece.text, spans: piece.spans)) == ["微信 abc_123"])
    let short = EvidenceHighlighter.excerpt("short", spans: [], limit: 100)
    #expect(short.text == "short" && !short.cutBefore && !short.cutAfter)
    let head = EvidenceHighlighter.excerpt(text, spans: [], limit: 10)
    #expect(head.text == String(repeating: "前", count: 10) && !head.cutBefore && head.cutAfter)
  }
}
