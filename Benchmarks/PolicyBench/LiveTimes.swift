import Foundation
import PolicyLang

#if canImport(Glibc)
  import Glibc
#endif

// State across runs and the monitor (issue 17's targets): a state of a million conversations
// loaded, saved and continued by a one-day run that touches a hundredth of them; `policyc
// monitor` fed the time-ordered corpus through a pipe; and the time from reading an event to its
// content verdict, per event, in process (`IncrementalEvaluation`).
enum LiveTimes {
  static func report(policy: CompiledPolicy, policyc: String?, timeOrdered: String, dir: String, runs: Int) {
    print("")
    print("| state and monitor | median | per unit | |")
    print("|---|---|---|---|")
    stateRows(policy: policy, dir: dir, runs: runs)
    latencyRows(policy: policy, timeOrdered: timeOrdered)
    if let policyc { monitorRows(policyc: policyc, policy: policy, timeOrdered: timeOrdered, runs: runs) }
  }

  /// One buyer message in each of `count` conversations of 1,000 shops, then a reply: the state
  /// of a million conversations with nothing open a day later.
  static func stateRows(policy: CompiledPolicy, dir: String, runs: Int, count: Int = 1_000_000) {
    var text: [UInt8] = []
    text.reserveCapacity(count * 260)
    for k in 0..<count {
      let minute = k % 600
      let clock = "\(10 + minute / 60):\(minute % 60 < 10 ? "0" : "")\(minute % 60)"
      text += Array(
        (#"{"conversation":"c-\#(k)","shop":"s-\#(k % 1000)","buyer":"b-\#(k)","at":"2026-11-24T\#(clock):00+08:00","from":"buyer","text":"在吗"}"#
          + "\n"
          + #"{"conversation":"c-\#(k)","at":"2026-11-24T\#(clock):30+08:00","from":"seller","text":"亲，在的"}"#
          + "\n").utf8)
    }
    let session = EvaluationSession(evaluators: [policy.evaluator])
    var options = EvaluationOptions(asOf: try? Timestamp(rfc3339: "2026-11-25T00:00:00+08:00"))
    options.jobs = 1
    let path = dir + "/million.state"
    guard
      let built = try? session.stream(
        [.bytes(name: "million", text)], options: options, continuing: EvaluationState(),
        output: { _ throws(OutputError) in }),
      let state = built.state
    else {
      print("| (could not build the state) | | | |")
      return
    }
    text = []
    var saves: [Double] = []
    for _ in 0..<runs {
      let t0 = now()
      try? state.save(path: path)
      saves.append(now() - t0)
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    var loads: [Double] = []
    var loaded = EvaluationState()
    for _ in 0..<runs {
      let t0 = now()
      loaded = (try? EvaluationState.load(path: path)) ?? EvaluationState()
      loads.append(now() - t0)
    }
    let summary = loaded.summary()
    print(
      "| state of \(summary.conversations) conversations (\(summary.idleConversations) with nothing open): file | \(size / 1_000_000) MB | \(size / max(1, summary.conversations)) B per conversation | |"
    )
    print("| save (encode, write, fsync, rename) | \(format(median(saves))) s | | |")
    print("| load (read, check, index) | \(format(median(loads))) s | | |")
    // The next day: 10,000 conversations hear again, the rest are copied as they were.
    var day: [UInt8] = []
    for k in stride(from: 0, to: count, by: 100) {
      day += Array(
        (#"{"conversation":"c-\#(k)","at":"2026-11-25T10:00:00+08:00","from":"buyer","text":"发货了吗"}"#
          + "\n").utf8)
    }
    var nextDay = options
    nextDay.asOf = try? Timestamp(rfc3339: "2026-11-26T00:00:00+08:00")
    var whole: [Double] = []
    for _ in 0..<runs {
      let t0 = now()
      guard let start = try? EvaluationState.load(path: path),
        let outcome = try? session.stream(
          [.bytes(name: "day", day)], options: nextDay, continuing: start,
          output: { _ throws(OutputError) in }),
        let next = outcome.state
      else { continue }
      try? next.save(path: dir + "/next.state")
      whole.append(now() - t0)
    }
    print("| one-day run touching 10,000 of them (load, judge, save) | \(format(median(whole))) s | | |")
  }

  /// Read-to-verdict time of every event with a content verdict, through `IncrementalEvaluation`.
  static func latencyRows(policy: CompiledPolicy, timeOrdered: String) {
    guard let data = FileManager.default.contents(atPath: timeOrdered),
      var live = try? IncrementalEvaluation(session: EvaluationSession(evaluators: [policy.evaluator]))
    else { return }
    let decoder = EventDecoder()
    var latencies: [Double] = []
    var all: [Double] = []
    let bytes = [UInt8](data)
    var start = 0
    let t0 = now()
    for (i, b) in bytes.enumerated() where b == 0x0A {
      let began = now()
      defer { start = i + 1 }
      guard let event = try? decoder.decode(Array(bytes[start..<i])) else { continue }
      _ = live.advance(to: event.at)
      guard case .success(let verdicts) = live.take(event) else { continue }
      let took = now() - began
      all.append(took)
      if verdicts.contains(where: {
        if case .content = $0.verdict.detail { return true } else { return false }
      }) {
        latencies.append(took)
      }
    }
    let total = now() - t0
    latencies.sort()
    all.sort()
    func percentile(_ xs: [Double], _ p: Double) -> Double {
      xs.isEmpty ? 0 : xs[min(xs.count - 1, Int(Double(xs.count) * p))]
    }
    print(
      "| in process: \(all.count) events through IncrementalEvaluation | \(format(total)) s | \(String(format: "%.0f", Double(all.count) / total)) events/s | |"
    )
    print(
      "| read to content verdict, \(latencies.count) events: p50 / p99 / max | \(String(format: "%.3f / %.3f / %.3f", percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000, (latencies.last ?? 0) * 1000)) ms | | |"
    )
  }

  /// `policyc monitor` fed the time-ordered corpus through a pipe.
  static func monitorRows(policyc: String, policy: CompiledPolicy, timeOrdered: String, runs: Int) {
    var walls: [Double] = []
    var peak = 0.0
    let policyPath =
      CommandLine.arguments.firstIndex(of: "--policy").map { CommandLine.arguments[$0 + 1] }
      ?? "Policies/pinduoduo.policy"
    for _ in 0..<runs {
      let (wall, rss, _) = runProcess(
        "/bin/sh",
        [
          "-c", "cat \"$0\" | \"$1\" monitor --policy \"$2\" --checkpoint 0", timeOrdered, policyc,
          policyPath,
        ])
      walls.append(wall)
      peak = max(peak, rss)
    }
    let events =
      (try? String(contentsOfFile: timeOrdered, encoding: .utf8))?.split(separator: "\n").count ?? 0
    let m = median(walls)
    print(
      "| policyc monitor, \(events) events through a pipe | \(format(m)) s | \(String(format: "%.0f", Double(events) / max(m, 1e-9))) events/s | |"
    )
  }

  static func format(_ x: Double) -> String { String(format: "%.3f", x) }
}
