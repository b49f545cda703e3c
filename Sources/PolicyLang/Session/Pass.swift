// One pass over a run's lines (all of them, or one worker's share) with one ordering strategy:
// each line is counted, decoded, routed by the `Intake` and handed to the ordering, which hands
// each conversation's events to the judge in sorted order.

import PolicyLangCore
import PolicyLangRuntime

/// Why a pass ended early.
enum PassEnd: Equatable {
  /// `--strict` stopped at an error line.
  case stopped
  /// The input is not in the order the pass's strategy needs.
  case outOfOrder
}

/// An error line, found where its line is known.
struct FoundError: Sendable {
  var position: LinePosition
  var error: EventLineError
}

/// What a pass found, once its input ended.
struct PassOutcome<Sink: VerdictSink> {
  var results: JudgeResults<Sink>
  var stats: EvalStats
  /// Error lines refused by their conversations (reported after the others, in input order).
  var refused: [FoundError]
  /// A failure of the ordering's temporary files: the verdicts are incomplete.
  var storageFailure: FileError?
  /// Why events stayed in memory past the memory limit (no temporary directory).
  var diskUnavailable: FileError?
  /// Error lines found when read that the pass's caller has not reported (a worker's).
  var found: [FoundError] = []
}

/// A pass over lines with one ordering strategy.
struct Pass<Sink: VerdictSink, Ordering: EventOrdering> {
  let options: EvaluationOptions
  let decoder = EventDecoder()
  var ordering: Ordering
  var judge: RunJudge<Sink>
  var stats = EvalStats()
  /// `--strict` stopped the pass at an error line.
  private(set) var stopped = false
  /// Error lines found when read, for the caller to report (and empty).
  var found: [FoundError] = []

  init(
    evaluators: [Evaluator], options: EvaluationOptions, carried: CarriedState?, ordering: Ordering,
    sink: Sink
  ) {
    self.options = options
    self.ordering = ordering
    judge = RunJudge(
      evaluators: evaluators, horizon: options.horizon(continuing: carried != nil), carried: carried,
      sink: sink)
  }

  /// One line of the input at `position`; a pass end when the pass stops at it.
  mutating func line(_ content: InputLine.Content, at position: LinePosition) -> PassEnd? {
    stats.linesRead += 1
    switch content {
    case .blank:
      stats.blankSkipped += 1
      return nil
    case .tooLong(let count):
      return reject(.lineTooLong(byteCount: count, limit: options.maxLineLength), at: position)
    case .text(let bytes):
      do throws(EventLineError) {
        return event(try decoder.decode(bytes), at: position)
      } catch {
        return reject(error, at: position)
      }
    }
  }

  /// An event decoded from the line at `position` (counted as read by the caller for events the
  /// Swift API gives): routed, then handed to the ordering.
  mutating func event(_ event: Event, at position: LinePosition) -> PassEnd? {
    let routes: RouteSet
    switch judge.intake.route(event) {
    case .success(let r): routes = r
    case .failure(let error): return reject(error, at: position)
    }
    if let error = judge.intake.time(of: event, routes: routes) { return reject(error, at: position) }
    let refused = judge.rejections.count
    switch ordering.add(event, routes: routes, position: position, judge: &judge) {
    case .taken:
      stats.evaluated += 1
    case .rejected(let error):
      return reject(error, at: position)
    case .outOfOrder:
      return .outOfOrder
    }
    if options.strict && judge.rejections.count > refused {
      stopped = true
      return .stopped
    }
    return nil
  }

  /// An error line found when read: counted, kept for the caller to report.
  private mutating func reject(_ error: EventLineError, at position: LinePosition) -> PassEnd? {
    stats.reject(error.reason)
    found.append(FoundError(position: position, error: error))
    if options.strict {
      stopped = true
      return .stopped
    }
    return nil
  }

  /// The input ended: every conversation still waiting is judged (unless the pass stopped), and
  /// the lines refused by their conversations are counted.
  mutating func end() -> PassOutcome<Sink> {
    var failure: FileError?
    if !stopped {
      do throws(FileError) {
        try ordering.finish(judge: &judge)
      } catch {
        failure = error
      }
    }
    var refused: [FoundError] = []
    for rejection in judge.rejections {
      stats.evaluated -= 1
      stats.reject(rejection.error.reason)
      refused.append(FoundError(position: rejection.position, error: rejection.error))
    }
    return PassOutcome(
      results: judge.results(), stats: stats, refused: refused, storageFailure: failure,
      diskUnavailable: ordering.diskUnavailable ?? judge.sink.diskUnavailable)
  }
}
