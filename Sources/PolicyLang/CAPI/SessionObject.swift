// `plc_session`: a live evaluation (`IncrementalEvaluation`) behind a handle, fed one line at a
// time as `policyc monitor --clock event` feeds it from standard input.

import CPolicyLang
import PolicyLang

/// The object behind a `plc_session *`. Not shared between threads: the header makes the caller
/// serialize the calls on one session, so the class needs no lock.
final class SessionObject {
  /// The name error lines start with, as `plc_evaluate`'s default.
  static let sourceName = "<events>"

  private(set) var live: IncrementalEvaluation
  /// The state's warnings, one line each.
  let warnings: OwnedText
  /// Lines pushed so far (blank and refused ones too): the LINE of the next error line.
  private var lineNumber = 0
  private let decoder = EventDecoder()

  init(_ live: IncrementalEvaluation) {
    self.live = live
    warnings = OwnedText(live.warnings.map { $0 + "\n" }.joined())
  }

  /// Opens a session continuing `state`; a state made with other policies is `PLC_INVALID_POLICY`.
  static func opening(
    _ evaluators: [Evaluator], state: () throws(StateFileError) -> EvaluationState, name: String
  ) throws(Failure) -> SessionObject {
    do throws(StateFileError) {
      let live = try IncrementalEvaluation(
        session: EvaluationSession(evaluators: evaluators), state: try state(), stateName: name)
      return SessionObject(live)
    } catch {
      if case .unreadable = error { throw Failure(status: PLC_MISSING_FILE, message: "\(error)") }
      throw Failure(status: PLC_INVALID_POLICY, message: "\(error)")
    }
  }

  /// What one pushed line gave: the verdicts that became certain and, for a refused line, its
  /// error. A valid event that is refused still moved the clock, so it can have both.
  struct Pushed {
    var verdicts: [SessionVerdict] = []
    var refusal: Failure?
  }

  /// One line of the stream: the verdicts due before the event, then the event's own.
  func push(_ line: UnsafeBufferPointer<UInt8>) -> Pushed {
    lineNumber += 1
    var text = line[...]
    if text.last == UInt8(ascii: "\n") { text = text.dropLast() }
    if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
    guard text.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else {
      return Pushed()
    }
    guard text.count <= LineReader.defaultMaxLineLength else {
      return Pushed(
        refusal: refusal(.lineTooLong(byteCount: text.count, limit: LineReader.defaultMaxLineLength)))
    }
    let event: Event
    do throws(EventLineError) {
      event = try decoder.decode(Array(text))
    } catch {
      return Pushed(refusal: refusal(error))
    }
    var pushed = Pushed(verdicts: live.advance(to: event.at))
    switch live.take(event) {
    case .success(let own): pushed.verdicts += own
    case .failure(let error): pushed.refusal = refusal(error)
    }
    return pushed
  }

  /// The error line of the current line.
  private func refusal(_ error: EventLineError) -> Failure {
    Failure(
      status: PLC_INPUT_ERROR, message: error.formatted(file: Self.sourceName, line: lineNumber),
      reason: error.reason.rawValue)
  }

  /// Moves the clock; the verdicts that fell due before `instant`.
  func advance(to instant: Timestamp) -> [SessionVerdict] {
    live.advance(to: instant)
  }

  /// The state judged through the clock, with escalation history no later verdict can use
  /// dropped first (what the monitor does at each checkpoint).
  func state() -> EvaluationState {
    live.compact()
    return live.state()
  }

  /// Verdicts as io.md's JSON Lines.
  func rendered(_ verdicts: [SessionVerdict]) -> [UInt8] {
    var writer = VerdictWriter()
    live.session.write(verdicts, to: &writer)
    return writer.bytes
  }
}
