// Intake's time check: an event is judged only when its `at` falls in years 0001-9999 in the zone
// of every policy that judges it (`PolicyZone.accepts`), so every time a verdict carries can be
// written as RFC 3339 in the policy's zone.

extension EvaluationSession {
  /// The error line (`bad_time`) of an event whose `at` falls outside years 0001-9999 in the zone
  /// of a policy it is routed to, or nil.
  @inline(__always)
  func timeOutsideSupportedYears(_ event: Event) -> EventLineError? {
    // Every chat's time is accepted by every policy: decided without routing the event.
    for policy in evaluators.indices where !evaluators[policy].accepts(event.at) {
      return refusal(of: event)
    }
    return nil
  }

  /// The error line of an event that some policy does not accept, when one it is routed to is such.
  private func refusal(of event: Event) -> EventLineError? {
    guard let route = route(event) else { return nil }
    for policy in evaluators.indices where route.contains(policy) && !evaluators[policy].accepts(event.at) {
      let zone = evaluators[policy].calendar.zone
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
