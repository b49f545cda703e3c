// Intake's time check: an event is judged only when its `at` falls in years 0001-9999 in the zone
// of every policy that judges it (`PolicyZone.accepts`), so every time a verdict carries can be
// written as RFC 3339 in the policy's zone.

extension EvaluationSession {
  /// The error line (`bad_time`) of an event whose `at` falls outside years 0001-9999 in the zone
  /// of a policy it is routed to, or nil.
  func timeOutsideSupportedYears(_ event: Event) -> EventLineError? {
    guard let route = route(event) else { return nil }
    for (policy, evaluator) in evaluators.enumerated() where route.contains(policy) {
      let zone = evaluator.calendar.zone
      guard !zone.accepts(event.at) else { continue }
      let local = zone.localYear(of: event.at)
      let year = (0...9999).contains(local) ? String(String(local + 10000).dropFirst()) : String(local)
      return EventLineError(
        .badTime,
        "`at` falls in year \(year) in \(zone.identifier), the zone of policy `\(names[policy].string)`;"
          + " times must fall in years 0001-9999 there")
    }
    return nil
  }
}
