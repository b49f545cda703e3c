// The reference evaluator: the straightforward, unoptimized reading of a CheckedPolicy (no IR, no
// passes, no grouping, no memo), quadratic where that is simplest. It shares only the text matcher
// (one matcher per atom here) and PolicyCalendar's window and deadline arithmetic, which the
// timeline tests pin down with exact times.

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

struct ReferenceEvaluator {
  let policy: CheckedPolicy
  let calendar: PolicyCalendar

  init?(_ policy: CheckedPolicy) {
    guard let zone = PolicyZone(identifier: policy.zone) else { return nil }
    self.policy = policy
    calendar = PolicyCalendar(zone: zone, hours: policy.hours)
  }

  struct Message {
    var role: SenderRole
    var auto: Bool
    var text: String
    var attachments: [Attachment]
  }

  func entries(_ list: Int) -> [[String]] {
    policy.termLists[list].terms.map { [$0.term] + $0.variants }
  }

  /// Matchers and their results, remembered: history conditions ask about the same messages
  /// again and again, and building a matcher per question would make the tests slow, not more
  /// right. A cache only: every answer is what a fresh matcher gives.
  final class ScanCache: @unchecked Sendable {
    var matchers: [TextRequest: AutomatonTextMatcher] = [:]
    var results: [ScanKey: TextMatches] = [:]
  }

  struct ScanKey: Hashable {
    var text: String
    var request: TextRequest
  }

  let cache = ScanCache()

  func scan(
    _ text: String, lists: [[[String]]] = [], proximity: ProximitySlot? = nil,
    allowed: [String]?? = nil, pattern: String? = nil, phoneRegions: [PhoneRegion] = []
  ) -> TextMatches {
    var request = TextRequest(
      lists: lists, proximities: proximity.map { [$0] } ?? [],
      urlAllowLists: allowed.map { [$0] } ?? [], patterns: pattern.map { [$0] } ?? [],
      normalization: policy.normalization.map(\.rawValue).sorted(),
      detectors: ["address", "bank_card", "email", "phone"])
    request.phoneRegions = phoneRegions
    let key = ScanKey(text: text, request: request)
    if let known = cache.results[key] { return known }
    let matcher = cache.matchers[request] ?? AutomatonTextMatcher(request: request)
    cache.matchers[request] = matcher
    let result = matcher.match(text)
    cache.results[key] = result
    return result
  }

  /// Where a message stands: its conversation's sorted events and its index among them (history
  /// conditions read the events before it; without a place they never hold).
  struct Place {
    var events: [Event]
    var index: Int
  }

  func holds(_ c: CheckedCondition, _ m: Message, _ place: Place? = nil) -> Bool {
    switch c {
    case .and(let parts): return parts.allSatisfy { holds($0, m, place) }
    case .or(let parts): return parts.contains { holds($0, m, place) }
    case .not(let inner): return !holds(inner, m, place)
    case .history(let h): return place.map { historyHolds(h, $0) } ?? false
    case .constant(let v): return v
    case .from(let role, let kind):
      return m.role == role && (kind == .any || (kind == .human) == !m.auto)
    case .containsAny(let list): return !scan(m.text, lists: [entries(list)]).lists[0].isEmpty
    case .containsTerm(let term): return !scan(m.text, lists: [[[term]]]).lists[0].isEmpty
    case .containsAtLeast(let n, let list): return scan(m.text, lists: [entries(list)]).lists[0].count >= n
    case .detector(let kind, let allowed):
      switch kind {
      case .qrCode: return m.attachments.contains { $0.qr || $0.kind == .qrCode }
      case .email: return !scan(m.text).emails.isEmpty
      case .phone: return !scan(m.text).phones.isEmpty
      case .bankCard: return !scan(m.text).bankCards.isEmpty
      case .address: return !scan(m.text).addresses.isEmpty
      case .url:
        let domains: [String]? = allowed.map { policy.domainLists[$0].domains }
        let texts = [m.text] + m.attachments.compactMap(\.urlString)
        return texts.contains { !scan($0, allowed: .some(domains)).urls[0].isEmpty }
      }
    case .near(let list, let distance):
      return !scan(m.text, lists: [entries(list)], proximity: ProximitySlot(list: 0, distance: distance))
        .proximities[0].isEmpty
    case .nearWords(let list, let other, let distance):
      return !nearPairs(m.text, list, other, distance).isEmpty
    case .phones(let regions): return !phoneSpans(m.text, regions).isEmpty
    case .matches(let pattern, _): return !scan(m.text, pattern: pattern).patterns[0].isEmpty
    case .length(let atMost, let n):
      let length = scan(m.text).normalizedLength
      return atMost ? length <= n : length >= n
    case .hasAttachment(let type):
      return m.attachments.contains { type == nil || $0.kind.name == type }
    case .attachmentOfType(let type, let negated, let fileTypes):
      return m.attachments.contains { ofType($0, type, negated, fileTypes) }
    }
  }

  /// `of type` read literally, on strings: the extension after the name's last dot, the media
  /// type before any `;`, both without case; `x/*` any subtype of `x`.
  func ofType(_ a: Attachment, _ type: String?, _ negated: Bool, _ fileTypes: [String]) -> Bool {
    guard type == nil || a.kind.name == type else { return false }
    let name = a.name.map { String(decoding: $0, as: UTF8.self) }
    let mime = a.mime.map { String(decoding: $0, as: UTF8.self) }
    var ext: String?
    if let name, let dot = name.lastIndex(of: "."), name.index(after: dot) < name.endIndex {
      ext = String(name[dot...]).lowercased()
    }
    let media = mime.map {
      String($0.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        .trimmingCharacters(in: .whitespaces).lowercased()
    }
    let found = fileTypes.contains { t in
      if t.hasPrefix(".") { return ext == t }
      guard let media else { return false }
      if t.hasSuffix("/*") { return media.hasPrefix(String(t.dropLast())) && media.count > t.count - 1 }
      return media == t
    }
    return found != negated
  }

  /// `near any` read literally: every match of `list` against every match of `other` (not one
  /// of the same span), the nearest by original scalars between them, of equals the earlier;
  /// each pair within `distance` spans both words and names the first word's entry.
  func nearPairs(_ text: String, _ list: Int, _ other: Int, _ distance: Int) -> [TextMatch] {
    let first = scan(text, lists: [entries(list)]).lists[0]
    let second = scan(text, lists: [entries(other)]).lists[0]
    func apart(_ a: TextMatch, _ b: TextMatch) -> Int {
      if a.end <= b.start { return b.start - a.end }
      if b.end <= a.start { return a.start - b.end }
      return 0
    }
    return first.compactMap { a in
      let others = second.filter { $0.start != a.start || $0.end != a.end }
      guard let b = others.min(by: { (apart(a, $0), $0.start) < (apart(a, $1), $1.start) }),
        apart(a, b) <= distance
      else { return nil }
      return TextMatch(start: Swift.min(a.start, b.start), end: Swift.max(a.end, b.end), entry: a.entry)
    }
  }

  /// The numbers of any of `regions`, each span once (a number may fit several plans).
  func phoneSpans(_ text: String, _ regions: [PhoneRegion]) -> Set<Range<Int>> {
    let codes = Set(regions.map { Int($0.code) })
    return Set(
      scan(text, phoneRegions: regions).regionalPhones.filter { codes.contains($0.entry) }.map {
        $0.start..<$0.end
      })
  }

  /// Whether the event at `place` is the happening (Grammar.md 6.4).
  func isHappening(_ h: CheckedHappening, _ place: Place) -> Bool {
    let e = place.events[place.index]
    switch h {
    case .message(let c): return message(e).map { holds(c, $0, place) } ?? false
    case .event(let names):
      guard case .event(let name) = e.kind else { return false }
      return names.contains(name.string)
    case .anyEvent: return true
    }
  }

  /// Grammar.md 6.4's table, read literally: every question re-scans the events before.
  func historyHolds(_ h: CheckedHistory, _ place: Place) -> Bool {
    let i = place.index
    let events = place.events
    let now = events[i].at
    func isH(_ j: Int) -> Bool { isHappening(h.happening, Place(events: events, index: j)) }
    func isY(_ j: Int) -> Bool { h.without.map { isHappening($0, Place(events: events, index: j)) } ?? false }
    func elapsed(_ j: Int) -> Int64 { PolicyCalendar.nanos(from: events[j].at, to: now) }
    switch h.kind {
    case .after, .within, .moreThan:
      let j: Int
      if h.first {
        // The first H at or after the latest Y before i (an H at that Y's own event counts).
        let start = (0..<i).last(where: isY) ?? 0
        guard let first = (start..<i).first(where: isH) else { return false }
        j = first
      } else {
        guard let last = (0..<i).last(where: isH) else { return false }
        if ((last + 1)..<i).contains(where: isY) { return false }
        j = last
      }
      switch h.kind {
      case .within(let seconds): return elapsed(j) <= seconds * 1_000_000_000
      case .moreThan(let seconds): return elapsed(j) > seconds * 1_000_000_000
      default: return true
      }
    case .count(let comparison, let n, let window):
      let counted = (0...i).filter { j in
        isH(j) && (window.map { elapsed(j) <= $0 * 1_000_000_000 } ?? true)
          && !((j + 1)..<(i + 1)).contains(where: isY)
      }.count
      switch comparison {
      case .moreThan: return counted > n
      case .atLeast: return counted >= n
      case .atMost: return counted <= n
      }
    }
  }

  func evidence(_ c: CheckedCondition, _ m: Message, _ place: Place? = nil) -> Set<Evidence> {
    guard holds(c, m, place) else { return [] }
    func spans(_ kind: String, _ list: [TextMatch], _ s: TextMatches, attachment: Int? = nil) -> [Evidence] {
      list.map {
        Evidence(kind: kind, attachment: attachment, start: $0.start, end: $0.end, match: s.text(of: $0))
      }
    }
    func terms(_ name: String?, _ e: [[String]]) -> Set<Evidence> {
      let s = scan(m.text, lists: [e])
      return Set(
        s.lists[0].map {
          Evidence(
            kind: "term", list: name, term: e[$0.entry][0], start: $0.start, end: $0.end,
            match: s.text(of: $0))
        })
    }
    switch c {
    case .not(.not(let inner)): return evidence(inner, m, place)
    case .and(let parts), .or(let parts):
      return parts.reduce(into: Set<Evidence>()) { $0.formUnion(evidence($1, m, place)) }
    case .containsAny(let list), .containsAtLeast(_, let list):
      return terms(policy.termLists[list].name, entries(list))
    case .containsTerm(let term): return terms(nil, [[term]])
    case .near(let list, let distance):
      let e = entries(list)
      let s = scan(m.text, lists: [e], proximity: ProximitySlot(list: 0, distance: distance))
      return Set(
        s.proximities[0].map {
          Evidence(
            kind: "proximity", list: policy.termLists[list].name, term: e[$0.entry][0], start: $0.start,
            end: $0.end, match: s.text(of: $0))
        })
    case .attachmentOfType(let type, let negated, let fileTypes):
      return Set(
        m.attachments.indices.filter { ofType(m.attachments[$0], type, negated, fileTypes) }
          .map { Evidence(kind: "attachment", attachment: $0) })
    case .phones(let regions):
      let scalars = Array(m.text.unicodeScalars)
      return Set(
        phoneSpans(m.text, regions).map { span in
          var quoted = String.UnicodeScalarView()
          quoted.append(contentsOf: scalars[span])
          return Evidence(kind: "phone", start: span.lowerBound, end: span.upperBound, match: String(quoted))
        })
    case .nearWords(let list, let other, let distance):
      let e = entries(list)
      let scalars = Array(m.text.unicodeScalars)
      return Set(
        nearPairs(m.text, list, other, distance).map {
          var quoted = String.UnicodeScalarView()
          quoted.append(contentsOf: scalars[$0.start..<$0.end])
          return Evidence(
            kind: "proximity", list: policy.termLists[list].name, term: e[$0.entry][0], start: $0.start,
            end: $0.end, match: String(quoted))
        })
    case .matches(let pattern, let name):
      let s = scan(m.text, pattern: pattern)
      return Set(
        s.patterns[0].map {
          Evidence(kind: "pattern", name: name, start: $0.start, end: $0.end, match: s.text(of: $0))
        })
    case .detector(let kind, let allowed):
      let s = scan(m.text)
      switch kind {
      case .email: return Set(spans("email", s.emails, s))
      case .phone: return Set(spans("phone", s.phones, s))
      case .bankCard: return Set(spans("bank_card", s.bankCards, s))
      case .address: return Set(spans("address", s.addresses, s))
      case .qrCode:
        return Set(
          m.attachments.indices.filter { m.attachments[$0].qr || m.attachments[$0].kind == .qrCode }
            .map { Evidence(kind: "qr_code", attachment: $0) })
      case .url:
        let domains: [String]? = allowed.map { policy.domainLists[$0].domains }
        let t = scan(m.text, allowed: .some(domains))
        var out = Set(spans("url", t.urls[0], t))
        for (i, a) in m.attachments.enumerated() {
          guard let url = a.urlString else { continue }
          let u = scan(url, allowed: .some(domains))
          out.formUnion(spans("url", u.urls[0], u, attachment: i))
        }
        return out
      }
    default: return []
    }
  }

  /// Evidence as a verdict carries it: taken in order of preference (earlier start, then longer,
  /// then the verdict order), each kept unless it overlaps one of its kind (and attachment)
  /// already kept; then in the verdict order, cut at `Evidence.limit` items.
  static func leftmostLongest(_ all: Set<Evidence>) -> [Evidence] {
    let preference = all.sorted { a, b in
      if (a.attachment ?? -1, a.start ?? -1) != (b.attachment ?? -1, b.start ?? -1) {
        return (a.attachment ?? -1, a.start ?? -1) < (b.attachment ?? -1, b.start ?? -1)
      }
      if a.end != b.end { return (a.end ?? -1) > (b.end ?? -1) }
      return MessageContext.evidenceOrder(a, b)
    }
    var kept: [Evidence] = []
    for e in preference {
      let clash = kept.contains { k in
        guard k.kind == e.kind, k.attachment == e.attachment, let ks = k.start, let ke = k.end,
          let es = e.start, let ee = e.end
        else { return false }
        return ks < ee && es < ke
      }
      if !clash { kept.append(e) }
    }
    let sorted = kept.sorted(by: MessageContext.evidenceOrder)
    guard sorted.count > Evidence.limit else { return sorted }
    return Array(sorted.prefix(Evidence.limit)) + [.omitted(sorted.count - Evidence.limit)]
  }

  func message(_ e: Event) -> Message? {
    guard let m = e.message else { return nil }
    return Message(role: m.role, auto: m.auto, text: m.textString, attachments: m.attachments)
  }

  func agent(_ e: Event) -> ByteString? { e.agent }

  /// Every field of every verdict kind, flat; converted to `Verdict` at the end.
  struct Flat: Equatable {
    var policy: String
    var rule: String
    var ruleIndex: Int
    var clause: String
    var severity: String
    var conversation: ByteString?
    var shop: ByteString
    var agent: ByteString?
    var at: Timestamp?
    var event: Int?
    var evidence: [Evidence]?
    var openedAt: Timestamp?
    var deadline: Timestamp?
    var answeredAt: Timestamp?
    var pending = false
    var escalatedTo: String?
    var escalation: String?
    var period: PeriodSpan?
    var count: Int?
    var total: Int?
    var thresholdMillionths: Int64?
    var valueTenThousandths: Int64?

    var verdict: Verdict {
      let detail: VerdictDetail
      let ref = VerdictEvent(
        conversation: conversation ?? .empty, agent: agent, at: at ?? .epoch, event: event ?? 0)
      if let period {
        detail = .aggregate(
          AggregateResult(
            periodStart: period.start, periodEnd: period.end, count: count ?? 0, total: total ?? 0,
            thresholdMillionths: thresholdMillionths ?? 0))
      } else if let deadline, let openedAt {
        detail = .timing(ref, openedAt: openedAt, deadline: deadline, answeredAt: answeredAt)
      } else {
        detail = .content(ref, evidence: evidence ?? [])
      }
      return Verdict(
        policy: policy, rule: rule, clause: clause, severity: severity, shop: shop, detail: detail,
        pending: pending,
        escalation: escalatedTo.map { Escalation(escalatedTo: $0, reason: escalation ?? "") })
    }
  }

  func verdict(_ r: Int, _ conversation: ByteString?, _ shop: ByteString) -> Flat {
    let rule = policy.rules[r]
    return Flat(
      policy: policy.name, rule: rule.name, ruleIndex: r, clause: policy.clauses[rule.clause].id,
      severity: rule.severity.map { policy.severities[$0].name } ?? "", conversation: conversation,
      shop: shop, agent: nil, at: nil, event: nil)
  }

  struct RatioEvent {
    var rule: Int
    var at: Timestamp
    var counted: Bool
    var unit: Bool
    var shop: ByteString
  }

  /// Each local day's windows of `last k`, or the one period of the others.
  func periods(_ rate: CheckedRate, _ at: Timestamp) -> [PeriodSpan] {
    guard case .last(let k) = rate.period else {
      return [calendar.period(rate.period, during: rate.during, at: at)]
    }
    let day = calendar.localDay(at)
    return (day..<(day + Int64(k))).map { end in
      PeriodSpan(start: calendar.midnight(end - Int64(k) + 1), end: calendar.midnight(end + 1))
    }
  }

  /// Whether `count/total` falls short of the threshold, read from Grammar.md 6.6's table.
  func fallsShort(_ rate: CheckedRate, count: Int, total: Int) -> Bool {
    let share = Int64(count) * 1_000_000
    let bar = rate.thresholdMillionths * Int64(total)
    switch rate.comparison {
    case .atLeast: return share < bar
    case .atMost: return share > bar
    case .moreThan: return !(share > bar)
    case .lessThan: return !(share < bar)
    }
  }

  /// The aggregate verdicts of count ratios: the events of each shop and period.
  func ratios(_ events: [RatioEvent], asOf: Timestamp?) -> [Flat] {
    var out: [Flat] = []
    for (r, rule) in policy.rules.enumerated() {
      guard case .ratio(let ratio) = rule.body else { continue }
      let rate = ratio.rate
      let mine = events.filter { e in
        e.rule == r && (e.counted || e.unit) && (rate.during.map { calendar.contains($0, e.at) } ?? true)
      }
      for shop in Set(mine.map(\.shop)).sorted() {
        let inShop = mine.filter { $0.shop == shop }
        for period in Set(inShop.flatMap { periods(rate, $0.at) }) {
          let inPeriod = inShop.filter { periods(rate, $0.at).contains(period) }
          let count = inPeriod.filter(\.counted).count
          let total = inPeriod.filter(\.unit).count
          if let asOf, period.end > asOf { continue }
          if let minimum = rate.minimum, total <= minimum { continue }
          guard total > 0, fallsShort(rate, count: count, total: total) else { continue }
          var v = verdict(r, nil, shop)
          v.period = period
          v.count = count
          v.total = total
          v.thresholdMillionths = rate.thresholdMillionths
          let scaled = Double(count) * 10000 / Double(total)
          v.valueTenThousandths = Int64((scaled + 0.5).rounded(.down))
          out.append(v)
        }
      }
    }
    return out
  }

  struct Opening {
    var rule: Int
    var at: Timestamp
    var met: Bool
    var buyer: ByteString
    var conversation: ByteString
    var shop: ByteString
  }

  func run(_ all: [Event], asOf: Timestamp?, pending: Bool) -> [Verdict] {
    var verdicts: [Flat] = []
    var openings: [Opening] = []
    var ratioEvents: [RatioEvent] = []
    let conversations = Set(all.map(\.conversation)).sorted()
    for id in conversations {
      let inLineOrder = all.filter { $0.conversation == id }
      let events = inLineOrder.indices.sorted { (inLineOrder[$0].at, $0) < (inLineOrder[$1].at, $1) }
        .map { inLineOrder[$0] }
      let shop = inLineOrder.compactMap(\.shop).first ?? ByteString(bytes: [])
      let buyer = inLineOrder.compactMap(\.buyer).first ?? id
      for (r, rule) in policy.rules.enumerated() {
        switch rule.body {
        case .message(let c):
          for (i, e) in events.enumerated() {
            let place = Place(events: events, index: i)
            guard let m = message(e), holds(c, m, place) else { continue }
            var v = verdict(r, id, shop)
            v.agent = agent(e)
            v.at = e.at
            v.event = i
            v.evidence = Self.leftmostLongest(evidence(c, m, place))
            verdicts.append(v)
          }
        case .obligation(let o):
          for (i, e) in events.enumerated() {
            let opens: Bool
            switch (o.trigger, e.kind) {
            case (.message(let c), .message):
              opens = message(e).map { holds(c, $0, Place(events: events, index: i)) } ?? false
            case (.event(let names), .event(let name)): opens = names.contains(name.string)
            default: opens = false
            }
            guard opens else { continue }
            if let d = o.during, !calendar.contains(d, e.at) { continue }
            guard
              let limit = o.limits.first(where: { $0.ifDuring.map { calendar.contains($0, e.at) } ?? false })
                ?? o.limits.first(where: { $0.ifDuring == nil })
            else { continue }
            let response = events[(i + 1)...].first { later in
              switch (o.response, later.kind) {
              case (.reply(let kind), .message(let m)):
                return m.role == .seller && (kind == .any || (kind == .human) == !m.auto)
              case (.event(let names), .event(let name)): return names.contains(name.string)
              case (.replyOrEvent(let kind, _), .message(let m)):
                return m.role == .seller && (kind == .any || (kind == .human) == !m.auto)
              case (.replyOrEvent(_, let names), .event(let name)): return names.contains(name.string)
              default: return false
              }
            }
            guard
              let deadline = calendar.deadline(
                opened: e.at, seconds: limit.seconds, countingOnly: o.countingOnly)
            else {
              openings.append(
                Opening(rule: r, at: e.at, met: response != nil, buyer: buyer, conversation: id, shop: shop))
              continue
            }
            let met = response.map { $0.at <= deadline } ?? false
            openings.append(Opening(rule: r, at: e.at, met: met, buyer: buyer, conversation: id, shop: shop))
            if met { continue }
            let due = asOf.map { deadline <= $0 } ?? true
            guard due || pending else { continue }
            var v = verdict(r, id, shop)
            v.agent = agent(e)
            v.event = i
            v.at = deadline
            v.openedAt = e.at
            v.deadline = deadline
            if due, let response, asOf.map({ response.at <= $0 }) ?? true { v.answeredAt = response.at }
            v.pending = !due
            verdicts.append(v)
          }
        case .burst(let b):
          func matches(_ e: Event, _ s: SenderSpecValue) -> Bool {
            guard let m = message(e) else { return false }
            return m.role == s.role && (s.kind == .any || (s.kind == .human) == !m.auto)
          }
          func closes(_ j: Int) -> Bool {
            // Sender messages of j's segment (after the last breaker before j; j may be one).
            var start = 0
            for k in 0..<j where matches(events[k], b.breaker) { start = k + 1 }
            if matches(events[j], b.breaker) { start = j }
            let inWindow = events[start...j].filter {
              matches($0, b.sender)
                && (events[j].at.seconds - $0.at.seconds) * 1_000_000_000
                  + Int64(events[j].at.nanoseconds - $0.at.nanoseconds) <= b.windowSeconds * 1_000_000_000
            }
            return inWindow.count > b.count
          }
          for j in events.indices where matches(events[j], b.sender) && closes(j) {
            // The previous sender message of the same segment, if any, must not close one.
            var start = 0
            for k in 0..<j where matches(events[k], b.breaker) { start = k + 1 }
            if matches(events[j], b.breaker) { start = j }
            let previous = (start..<j).last { matches(events[$0], b.sender) }
            if let previous, closes(previous) { continue }
            var v = verdict(r, id, shop)
            v.agent = agent(events[j])
            v.at = events[j].at
            v.event = j
            verdicts.append(v)
          }
        case .afterStop(let a):
          func qualifies(_ k: Int, since stop: Timestamp) -> Bool {
            guard let allowance = a.allowance, let m = message(events[k]) else { return false }
            let gap =
              (events[k].at.seconds - stop.seconds) * 1_000_000_000
              + Int64(events[k].at.nanoseconds - stop.nanoseconds)
            return gap <= allowance.windowSeconds * 1_000_000_000
              && (allowance.maxLength.map { scan(m.text).normalizedLength <= $0 } ?? true)
              && (allowance.containing.map { holds(.containsAny(list: $0), m) } ?? true)
              && (allowance.notContaining.map { !holds(.containsAny(list: $0), m) } ?? true)
          }
          for (j, e) in events.enumerated() {
            guard let m = message(e), m.role != .buyer, holds(a.condition, m, Place(events: events, index: j))
            else { continue }
            guard let lastBuyer = events[..<j].lastIndex(where: { message($0)?.role == .buyer }),
              let bm = message(events[lastBuyer]), holds(.containsAny(list: a.stopList), bm)
            else { continue }
            let stop = events[lastBuyer].at
            let earlierAllowed = ((lastBuyer + 1)..<j).contains { k in
              guard let km = message(events[k]), holds(a.condition, km, Place(events: events, index: k))
              else { return false }
              return qualifies(k, since: stop)
            }
            if !earlierAllowed && qualifies(j, since: stop) { continue }
            var v = verdict(r, id, shop)
            v.agent = agent(e)
            v.at = e.at
            v.event = j
            v.evidence = Self.leftmostLongest(evidence(a.condition, m, Place(events: events, index: j)))
            verdicts.append(v)
          }
        default: break
        }
      }
      // Count ratios: each event of the conversation, counted and divided by as its rule says.
      for (r, rule) in policy.rules.enumerated() {
        guard case .ratio(let ratio) = rule.body else { continue }
        for i in events.indices {
          let place = Place(events: events, index: i)
          let counted: Bool
          switch ratio.count {
          case .rule(let m):
            counted = verdicts.contains { $0.ruleIndex == m && $0.conversation == id && $0.event == i }
          case .happening(let h): counted = isHappening(h, place)
          }
          ratioEvents.append(
            RatioEvent(
              rule: r, at: events[i].at, counted: counted, unit: isHappening(ratio.per, place), shop: shop))
        }
      }
    }
    escalate(&verdicts)
    verdicts.sort {
      ($0.conversation ?? ByteString(""), $0.event ?? 0, $0.ruleIndex) < (
        $1.conversation ?? ByteString(""), $1.event ?? 0, $1.ruleIndex
      )
    }
    let aggregates = (rates(openings, asOf: asOf) + ratios(ratioEvents, asOf: asOf)).sorted { a, b in
      let pa = a.period ?? PeriodSpan(start: .epoch, end: .epoch)
      let pb = b.period ?? PeriodSpan(start: .epoch, end: .epoch)
      return (a.shop, pa.start, pa.end, a.ruleIndex) < (b.shop, pb.start, pb.end, b.ruleIndex)
    }
    return (verdicts + aggregates).map(\.verdict)
  }

  func escalate(_ verdicts: inout [Flat]) {
    let original = verdicts
    func before(_ a: Flat, _ b: Flat) -> Bool {
      ((a.at ?? Timestamp(seconds: 0)), a.conversation ?? ByteString(""), a.event ?? 0, a.ruleIndex)
        < ((b.at ?? Timestamp(seconds: 0)), b.conversation ?? ByteString(""), b.event ?? 0, b.ruleIndex)
    }
    for (i, v) in original.enumerated() where !v.pending {
      var best: (to: Int, reason: String)?
      for e in policy.escalations where policy.severities[e.from].name == v.severity {
        let count = original.filter { w in
          !w.pending && w.shop == v.shop && w.severity == v.severity && (before(w, v) || w == v)
            && PolicyCalendar.nanos(from: w.at ?? Timestamp(seconds: 0), to: v.at ?? Timestamp(seconds: 0))
              <= e.windowSeconds * 1_000_000_000
        }.count
        guard count >= e.count else { continue }
        if e.to > (best?.to ?? -1) {
          best = (
            e.to, "\(Evaluator.ordinal(count)) \(v.severity) within \(IRDump.duration(e.windowSeconds))"
          )
        }
      }
      if let best {
        verdicts[i].escalatedTo = policy.severities[best.to].name
        verdicts[i].escalation = best.reason
      }
    }
  }

  func rates(_ openings: [Opening], asOf: Timestamp?) -> [Flat] {
    var out: [Flat] = []
    for (r, rule) in policy.rules.enumerated() {
      guard case .rate(let rate) = rule.body, case .obligation(let source) = policy.rules[rate.of].body else {
        continue
      }
      let counted = openings.filter { o in
        o.rule == rate.of && (rate.during.map { d in calendar.contains(d, o.at) } ?? true)
      }
      let shops = Set(counted.map(\.shop)).sorted()
      for shop in shops {
        let inShop = counted.filter { $0.shop == shop }
        // Each opening's period; with `last k`, the k windows holding its local day.
        func periods(_ at: Timestamp) -> [PeriodSpan] {
          guard case .last(let k) = rate.period else {
            return [calendar.period(rate.period, during: rate.during, at: at)]
          }
          let day = calendar.localDay(at)
          return (day..<(day + Int64(k))).map { end in
            PeriodSpan(start: calendar.midnight(end - Int64(k) + 1), end: calendar.midnight(end + 1))
          }
        }
        for period in Set(inShop.flatMap { periods($0.at) }) {
          let inPeriod = inShop.filter { periods($0.at).contains(period) }
          var units: [[Bool]] = []
          switch rate.unit {
          case .message: units = inPeriod.map { [$0.met] }
          case .buyerDay:
            let keys = Set(inPeriod.map { "\($0.buyer)|\(calendar.localDay($0.at))" })
            units = keys.map { k in
              inPeriod.filter { "\($0.buyer)|\(calendar.localDay($0.at))" == k }.map(\.met)
            }
          case .conversation:
            let keys = Set(inPeriod.map(\.conversation))
            units = keys.map { k in inPeriod.filter { $0.conversation == k }.map(\.met) }
          }
          let total = units.count
          let count = units.filter { $0.allSatisfy { $0 } }.count
          // Complete when an obligation opened at the period's end with the longest limit is due.
          let longest = source.limits.map(\.seconds).max() ?? 0
          let complete =
            calendar.deadline(opened: period.end, seconds: longest, countingOnly: source.countingOnly)
            ?? period.end + longest
          if let asOf, complete > asOf { continue }
          if let minimum = rate.minimum, total <= minimum { continue }
          let share = Int64(count) * 1_000_000
          let bar = rate.thresholdMillionths * Int64(total)
          let short: Bool
          switch rate.comparison {
          case .atLeast: short = share < bar
          case .atMost: short = share > bar
          case .moreThan: short = !(share > bar)
          case .lessThan: short = !(share < bar)
          }
          guard short else { continue }
          var v = verdict(r, nil, shop)
          v.period = period
          v.count = count
          v.total = total
          v.thresholdMillionths = rate.thresholdMillionths
          let scaled = Double(count) * 10000 / Double(total)
          v.valueTenThousandths = Int64((scaled + 0.5).rounded(.down))
          out.append(v)
        }
      }
    }
    return out.sorted { a, b in
      let pa = a.period ?? PeriodSpan(start: .epoch, end: .epoch)
      let pb = b.period ?? PeriodSpan(start: .epoch, end: .epoch)
      return (a.shop, pa.start, pa.end, a.ruleIndex) < (b.shop, pb.start, pb.end, b.ruleIndex)
    }
  }
}
