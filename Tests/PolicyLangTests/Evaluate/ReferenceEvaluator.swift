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

  func scan(
    _ text: String, lists: [[[String]]] = [], proximity: ProximitySlot? = nil,
    allowed: [String]?? = nil, pattern: String? = nil
  ) -> TextMatches {
    ProgramTextMatcher(
      request: TextRequest(
        lists: lists, proximities: proximity.map { [$0] } ?? [],
        urlAllowLists: allowed.map { [$0] } ?? [], patterns: pattern.map { [$0] } ?? [],
        normalization: policy.normalization.map(\.rawValue).sorted(),
        detectors: ["address", "bank_card", "email", "phone"])
    ).match(text)
  }

  func holds(_ c: CheckedCondition, _ m: Message) -> Bool {
    switch c {
    case .and(let parts): return parts.allSatisfy { holds($0, m) }
    case .or(let parts): return parts.contains { holds($0, m) }
    case .not(let inner): return !holds(inner, m)
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
    case .matches(let pattern): return scan(m.text, pattern: pattern).patterns[0]
    case .length(let atMost, let n):
      let length = scan(m.text).normalizedLength
      return atMost ? length <= n : length >= n
    case .hasAttachment(let type):
      return m.attachments.contains { type == nil || $0.kind.name == type }
    }
  }

  func evidence(_ c: CheckedCondition, _ m: Message) -> Set<Evidence> {
    guard holds(c, m) else { return [] }
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
    case .not(.not(let inner)): return evidence(inner, m)
    case .and(let parts), .or(let parts):
      return parts.reduce(into: Set<Evidence>()) { $0.formUnion(evidence($1, m)) }
    case .containsAny(let list), .containsAtLeast(_, let list):
      return terms(policy.termLists[list].name, entries(list))
    case .containsTerm(let term): return terms(nil, [[term]])
    case .near(let list, let distance):
      let s = scan(m.text, lists: [entries(list)], proximity: ProximitySlot(list: 0, distance: distance))
      return Set(spans("proximity", s.proximities[0], s))
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
            guard let m = message(e), holds(c, m) else { continue }
            var v = verdict(r, id, shop)
            v.agent = agent(e)
            v.at = e.at
            v.event = i
            v.evidence = evidence(c, m).sorted(by: MessageContext.evidenceOrder)
            verdicts.append(v)
          }
        case .obligation(let o):
          for (i, e) in events.enumerated() {
            let opens: Bool
            switch (o.trigger, e.kind) {
            case (.message(let c), .message): opens = message(e).map { holds(c, $0) } ?? false
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
          }
          for (j, e) in events.enumerated() {
            guard let m = message(e), m.role != .buyer, holds(a.condition, m) else { continue }
            guard let lastBuyer = events[..<j].lastIndex(where: { message($0)?.role == .buyer }),
              let bm = message(events[lastBuyer]), holds(.containsAny(list: a.stopList), bm)
            else { continue }
            let stop = events[lastBuyer].at
            let earlierAllowed = ((lastBuyer + 1)..<j).contains { k in
              guard let km = message(events[k]), holds(a.condition, km) else { return false }
              return qualifies(k, since: stop)
            }
            if !earlierAllowed && qualifies(j, since: stop) { continue }
            var v = verdict(r, id, shop)
            v.agent = agent(e)
            v.at = e.at
            v.event = j
            v.evidence = evidence(a.condition, m).sorted(by: MessageContext.evidenceOrder)
            verdicts.append(v)
          }
        default: break
        }
      }
    }
    escalate(&verdicts)
    verdicts.sort {
      ($0.conversation ?? ByteString(""), $0.event ?? 0, $0.ruleIndex) < (
        $1.conversation ?? ByteString(""), $1.event ?? 0, $1.ruleIndex
      )
    }
    return (verdicts + rates(openings, asOf: asOf)).map(\.verdict)
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
        let periods = Set(inShop.map { calendar.period(rate.period, during: rate.during, at: $0.at) })
        for period in periods {
          let inPeriod = inShop.filter {
            calendar.period(rate.period, during: rate.during, at: $0.at) == period
          }
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
          let longest = source.limits.map(\.seconds).max() ?? 0
          if let asOf, period.end + longest > asOf { continue }
          if let minimum = rate.minimum, total <= minimum { continue }
          guard Int64(count) * 1_000_000 < rate.thresholdMillionths * Int64(total) else { continue }
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
