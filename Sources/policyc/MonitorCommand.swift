import Foundation
import PolicyLang
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The signal that asked the monitor to stop (SIGTERM, SIGINT), 0 while none did. Set by the
/// signal handler, read by the loop between two reads.
private let stopSignal = Atomic<Int32>(0)

/// `policyc monitor`: judges events read from standard input as they come and writes each verdict
/// the moment it is certain (`IncrementalEvaluation`), flushed line by line; keeps its state in
/// `--state FILE`, checkpointed every `--checkpoint` seconds and when it stops.
enum MonitorCommand {
  enum Clock: String {
    case event, wall
  }

  static func run(_ context: CommandContext) -> Int32 {
    let args = context.arguments
    guard let clock = Clock(rawValue: args.value("--clock") ?? "event") else {
      Console.err("policyc monitor: --clock takes `event` or `wall`, not `\(args.value("--clock") ?? "")`\n")
      return ExitStatus.usage
    }
    var checkpointSeconds = 60.0
    if let text = args.value("--checkpoint") {
      guard let seconds = Double(text), seconds >= 0, seconds.isFinite else {
        Console.err("policyc monitor: --checkpoint takes a number of seconds, not `\(text)`\n")
        return ExitStatus.usage
      }
      checkpointSeconds = seconds
    }
    var maxLine = LineReader.defaultMaxLineLength
    if let text = args.value("--max-line") {
      guard let bytes = EvalCommand.byteCount(text), bytes >= 1 else {
        Console.err("policyc monitor: --max-line takes a positive number of bytes, not `\(text)`\n")
        return ExitStatus.usage
      }
      maxLine = bytes
    }
    if args.all("--policy").isEmpty && args.all("--program").isEmpty {
      Console.err("policyc monitor: give at least one --policy FILE.policy or --program FILE\n")
      return ExitStatus.usage
    }
    let evaluators: [Evaluator]
    switch EvalCommand.loadEvaluators(context) {
    case .success(let loaded): evaluators = loaded
    case .failure(let failure): return failure.status
    }
    let session = EvaluationSession(evaluators: evaluators)
    let statePath = args.value("--state")
    let live: IncrementalEvaluation
    do throws(StateFileError) {
      let state = try statePath.map { path throws(StateFileError) in try EvaluationState.load(path: path) }
      live = try IncrementalEvaluation(
        session: session, state: state ?? EvaluationState(), stateName: statePath ?? "<state>")
    } catch {
      Console.err("policyc monitor: \(error)\n")
      if case .unreadable = error { return ExitStatus.missingInput }
      return ExitStatus.invalidPolicy
    }
    for warning in live.warnings { Console.err("policyc monitor: warning: \(warning)\n") }
    installStopHandlers()
    var monitor = Monitor(
      live: live, session: session, clock: clock, statePath: statePath, checkpointSeconds: checkpointSeconds,
      maxLine: maxLine)
    let status = monitor.run()
    if args.has("--stats") { Console.err(monitor.stats.rendered) }
    return status
  }

  /// SIGTERM and SIGINT set `stopSignal`; without SA_RESTART, a blocked `poll` returns at once.
  private static func installStopHandlers() {
    signal(SIGPIPE, SIG_IGN)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { signal in stopSignal.store(signal, ordering: .relaxed) }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGTERM, &action, nil)
    sigaction(SIGINT, &action, nil)
    // A parent may start the monitor with these blocked (the mask is inherited): unblock them.
    var stops = sigset_t()
    sigemptyset(&stops)
    sigaddset(&stops, SIGTERM)
    sigaddset(&stops, SIGINT)
    sigprocmask(SIG_UNBLOCK, &stops, nil)
  }
}

/// The monitor's loop: standard input read as it comes (a line is judged as soon as its newline
/// arrives), the clock moved by events or by the real time, the state checkpointed.
private struct Monitor {
  var live: IncrementalEvaluation
  let session: EvaluationSession
  let clock: MonitorCommand.Clock
  let statePath: String?
  let checkpointSeconds: Double
  let maxLine: Int
  var stats = EvalStats()
  private let decoder = EventDecoder()
  private var pending: [UInt8] = []
  private var lineNumber = 0
  /// The current line is longer than `maxLine`: its bytes are dropped up to its newline.
  private var skippingLongLine = false
  private var lastCheckpoint = Monitor.now()
  private var failed = false

  init(
    live: IncrementalEvaluation, session: EvaluationSession, clock: MonitorCommand.Clock, statePath: String?,
    checkpointSeconds: Double, maxLine: Int
  ) {
    self.live = live
    self.session = session
    self.clock = clock
    self.statePath = statePath
    self.checkpointSeconds = checkpointSeconds
    self.maxLine = maxLine
  }

  static func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  mutating func run() -> Int32 {
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    loop: while stopSignal.load(ordering: .relaxed) == 0 && !failed {
      var poller = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, timeoutMilliseconds())
      if stopSignal.load(ordering: .relaxed) != 0 { break }
      if ready > 0 {
        let got = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if got < 0 {
          if errno == EINTR || errno == EAGAIN { continue }
          Console.err("policyc monitor: cannot read standard input: \(String(cString: strerror(errno)))\n")
          break loop
        }
        if got == 0 {
          if !pending.isEmpty { line(pending[...]) }
          pending = []
          break loop
        }
        consume(chunk[0..<got])
      }
      if clock == .wall { write(live.advance(to: Timestamp.now())) }
      if checkpointSeconds > 0 && Monitor.now() - lastCheckpoint >= checkpointSeconds { checkpoint() }
    }
    if clock == .wall { write(live.advance(to: Timestamp.now())) }
    checkpoint()
    if failed { return ExitStatus.internalError }
    return stats.rejectedTotal > 0 ? ExitStatus.inputErrors : ExitStatus.ok
  }

  /// How long `poll` may wait: until the next checkpoint, and with the real clock until the next
  /// deadline; forever (-1) when neither applies.
  private func timeoutMilliseconds() -> Int32 {
    var wait: Double?
    if checkpointSeconds > 0 { wait = max(0, lastCheckpoint + checkpointSeconds - Monitor.now()) }
    if clock == .wall, let next = live.nextDeadline {
      let untilDeadline = Double(next.seconds - Timestamp.now().seconds) + 0.001
      wait = min(wait ?? untilDeadline, max(0, untilDeadline))
    }
    guard let wait else { return -1 }
    return Int32(min(wait * 1000, 3_600_000).rounded(.up))
  }

  private mutating func consume(_ bytes: ArraySlice<UInt8>) {
    var start = bytes.startIndex
    while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
      if skippingLongLine {
        skippingLongLine = false
        pending = []
      } else if pending.isEmpty {
        line(bytes[start..<newline])
      } else {
        pending += bytes[start..<newline]
        line(pending[...])
        pending.removeAll(keepingCapacity: true)
      }
      start = newline + 1
    }
    guard !skippingLongLine else { return }
    pending += bytes[start...]
    if pending.count > maxLine {
      lineNumber += 1
      stats.linesRead += 1
      report(EventLineError.lineTooLong(byteCount: pending.count, limit: maxLine))
      skippingLongLine = true
      pending = []
    }
  }

  /// One whole line (without its newline).
  private mutating func line(_ raw: ArraySlice<UInt8>) {
    lineNumber += 1
    stats.linesRead += 1
    var text = raw
    if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
    guard text.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else {
      stats.blankSkipped += 1
      return
    }
    let decoded = text.withUnsafeBufferPointer { bytes -> Result<Event, EventLineError> in
      do throws(EventLineError) {
        return .success(try decoder.decode(bytes))
      } catch {
        return .failure(error)
      }
    }
    let event: Event
    switch decoded {
    case .success(let e): event = e
    case .failure(let error):
      report(error)
      return
    }
    if clock == .event { write(live.advance(to: event.at)) }
    switch live.take(event) {
    case .success(let verdicts):
      stats.evaluated += 1
      write(verdicts)
    case .failure(let error):
      report(error)
    }
  }

  private mutating func report(_ error: EventLineError) {
    stats.reject(error.reason)
    Console.err(error.formatted(file: LineReader.standardInputName, line: lineNumber) + "\n")
  }

  private mutating func write(_ verdicts: [SessionVerdict]) {
    guard !verdicts.isEmpty, !failed else { return }
    var writer = VerdictWriter()
    session.write(verdicts, to: &writer)
    stats.verdictsWritten += verdicts.count
    do throws(OutputError) {
      try OutputFile.standardOutput.write(writer.bytes)
    } catch {
      Console.err("policyc monitor: \(error)\n")
      failed = true
    }
  }

  private mutating func checkpoint() {
    lastCheckpoint = Monitor.now()
    live.compact()
    guard let statePath else { return }
    do throws(StateFileError) {
      try live.state().save(path: statePath)
    } catch {
      Console.err("policyc monitor: \(error)\n")
      failed = true
    }
  }
}
