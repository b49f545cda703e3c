import Foundation
import PolicyLang

#if canImport(Glibc)
  import Glibc
#endif

// policy-bench: generates a deterministic corpus, then measures each stage and `policyc eval` end
// to end, printing medians of several runs. Run with `swift run -c release policy-bench`.
// Options: --events N (default 1,000,000), --runs N (default 5), --keep DIR (keep the corpus).

struct Options {
  var events = 1_000_000
  var runs = 5
  var keep: String?
  var policy = "Policies/pinduoduo.policy"
  /// Only these in-process stages, comma-separated (decode, normalize, text, textlong, textpath,
  /// adversarial, content, message, conversation, live, fixed, lsp), for profiling; nil: all. Several stages run in
  /// the table's order, so one stage can be measured after the ones that precede it.
  var only: Set<String>?

  init(_ args: [String]) {
    var i = 0
    while i < args.count {
      let a = args[i]
      let next = i + 1 < args.count ? args[i + 1] : ""
      switch a {
      case "--events": events = Int(next) ?? events; i += 1
      case "--runs": runs = max(1, Int(next) ?? runs); i += 1
      case "--keep": keep = next; i += 1
      case "--policy": policy = next; i += 1
      case "--only": only = Set(next.split(separator: ",").map(String.init)); i += 1
      default: FileHandle.standardError.write(Data("policy-bench: ignoring \(a)\n".utf8))
      }
      i += 1
    }
  }
}

func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

/// This thread's CPU time in seconds: unlike wall time, it leaves out the time the thread waited
/// for a core, which on this shared two-core machine is most of the noise.
func threadCPUTime() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The median thread CPU time of the last `measure` (in-process stages run on the calling thread).
nonisolated(unsafe) var lastCPUMedian = 0.0

/// Times `body` `runs` times and returns the median in seconds (wall); the median thread CPU time
/// is left in `lastCPUMedian`.
func measure(runs: Int, _ body: () -> Void) -> Double {
  var times: [Double] = []
  var cpuTimes: [Double] = []
  for _ in 0..<runs {
    let t0 = now()
    let c0 = threadCPUTime()
    body()
    cpuTimes.append(threadCPUTime() - c0)
    times.append(now() - t0)
  }
  lastCPUMedian = median(cpuTimes)
  return median(times)
}

/// Texts laid end to end in one buffer, each by its range.
struct TextBuffer {
  var bytes: [UInt8] = []
  var ranges: [Range<Int>] = []

  init(_ texts: [[UInt8]]) {
    bytes.reserveCapacity(texts.reduce(0) { $0 + $1.count })
    for t in texts {
      ranges.append(bytes.count..<bytes.count + t.count)
      bytes.append(contentsOf: t)
    }
  }

  /// Calls `body` with each text's bytes, in order.
  func forEach(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    bytes.withUnsafeBufferPointer { all in
      for r in ranges { body(UnsafeBufferPointer(rebasing: all[r])) }
    }
  }
}

/// Prints a text row's MB/s of message text, by wall time and by the thread's CPU time.
func textRates(_ megabytes: Double, wall: Double, cpu: Double) {
  let byWall = wall > 0 ? megabytes / wall : 0
  let byCPU = cpu > 0 ? megabytes / cpu : 0
  print(
    "|   text MB/s (wall; thread CPU time) | \(String(format: "%.0f", byWall)) | \(String(format: "%.0f", byCPU)) | | |"
  )
}

/// The memory-speed reference: read the file in 1 MiB chunks and count line feeds.
func countLines(_ path: String) -> Int {
  let fd = open(path, O_RDONLY)
  guard fd >= 0 else { return 0 }
  defer { close(fd) }
  var buffer = [UInt8](repeating: 0, count: 1 << 20)
  var lines = 0
  while true {
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n <= 0 { break }
    buffer.withUnsafeBytes { raw in
      guard var p = raw.baseAddress else { return }
      let end = p + n
      while p < end, let hit = memchr(p, 0x0A, end - p) {
        lines += 1
        p = UnsafeRawPointer(hit) + 1
      }
    }
  }
  return lines
}

/// Hostile message texts, about 1 MB each (the digits 10 MB).
func adversarialTexts() -> [(String, String)] {
  var digits = ""
  digits.reserveCapacity(10_000_000)
  for i in 0..<10_000_000 { digits.append(Character(Unicode.Scalar(UInt8(48 + i % 10)))) }
  return [
    ("10 MB of digits", digits),
    ("one contact word repeated", String(repeating: "微信", count: 170_000)),
    ("contact word and digits", String(repeating: "vx12345", count: 150_000)),
    ("alternating separators", String(repeating: "微 信.1-2 ", count: 100_000)),
    ("e-mail and URL shapes", String(repeating: "a@b.c.", count: 170_000)),
  ]
}

/// Runs a command, discarding its output; returns (wall seconds, peak RSS in MiB, exit status).
///
/// The peak is the child's `VmHWM` from /proc, polled every 2 ms while it runs: `VmHWM` belongs
/// to the child's own address space, whereas `ru_maxrss` of a spawned child also counts this
/// (large) benchmark process's memory from before the child's `exec`.
func runProcess(_ executable: String, _ arguments: [String]) -> (Double, Double, Int32) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
  process.standardError = FileHandle(forWritingAtPath: "/dev/null")
  let t0 = now()
  do { try process.run() } catch { return (0, 0, -1) }
  let status = "/proc/\(process.processIdentifier)/status"
  var peakKiB = 0
  while process.isRunning {
    if let text = try? String(contentsOfFile: status, encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    {
      peakKiB = max(peakKiB, kib)
    }
    usleep(2000)
  }
  process.waitUntilExit()
  let wall = now() - t0
  return (wall, Double(peakKiB) / 1024, process.terminationStatus)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let dir = options.keep ?? NSTemporaryDirectory() + "policy-bench-\(getpid())"
try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
let grouped = dir + "/grouped.jsonl"
let interleaved = dir + "/interleaved.jsonl"
let timeOrdered = dir + "/time-ordered.jsonl"

// Corpus: about 10 events per conversation. The time-ordered file is the shape of a chat export
// or a live feed (every conversation's events in time order, conversations interleaved); the
// interleaved file shuffles whole lines (any order).
var generator = CorpusGenerator(seed: 20_261_123, conversations: max(1, options.events / 10))
var lines: [String] = []
lines.reserveCapacity(options.events + 1000)
generator.generate { lines.append($0) }
_ = FileManager.default.createFile(
  atPath: grouped, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
// Every line's `at` has the same offset, so its text sorts as its time; ties keep file order.
let byTime = lines.indices.map { k -> (String, Int) in
  let at = lines[k].range(of: "\"at\":\"").map { String(lines[k][$0.upperBound...].prefix(25)) } ?? ""
  return (at, k)
}.sorted { $0 < $1 }
_ = FileManager.default.createFile(
  atPath: timeOrdered, contents: Data((byTime.map { lines[$0.1] }.joined(separator: "\n") + "\n").utf8))
var shuffler = SplitMix64(seed: 7)
for i in stride(from: lines.count - 1, to: 0, by: -1) {
  lines.swapAt(i, Int(shuffler.next() % UInt64(i + 1)))
}
_ = FileManager.default.createFile(
  atPath: interleaved, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
let eventCount = lines.count
lines = []
let bytes = Double((try? FileManager.default.attributesOfItem(atPath: grouped)[.size] as? Int) ?? 0)
let mb = bytes / 1e6

print(
  "policy-bench: \(eventCount) events, \(String(format: "%.1f", mb)) MB of JSONL, medians of \(options.runs) runs"
)
print("")
print("| stage | median s | events/s | MB/s | peak RSS MiB |")
print("|---|---|---|---|---|")
func row(_ name: String, _ seconds: Double, rss: Double? = nil) {
  let eps = seconds > 0 ? Double(eventCount) / seconds : 0
  let rate = seconds > 0 ? mb / seconds : 0
  print(
    "| \(name) | \(String(format: "%.3f", seconds)) | \(String(format: "%.0f", eps)) | \(String(format: "%.0f", rate)) | \(rss.map { String(format: "%.0f", $0) } ?? "-") |"
  )
}

let reference = measure(runs: options.runs) { _ = countLines(grouped) }
row("line-splitting reference (memchr)", reference)

// In-process stages over the same corpus: decode, text path (normalize + automaton + detectors),
// content rules on each message.
if let policy = try? CompiledPolicy(policyAt: options.policy) {
  let data = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: grouped))) ?? Data())
  var lineRanges: [Range<Int>] = []
  var start = 0
  for (i, b) in data.enumerated() where b == 0x0A {
    lineRanges.append(start..<i)
    start = i + 1
  }
  let decoder = EventDecoder()
  var events: [Event] = []
  func wanted(_ stage: String) -> Bool { options.only.map { $0.contains(stage) } ?? true }
  let decode = measure(runs: wanted("decode") ? options.runs : 1) {
    events.removeAll(keepingCapacity: true)
    data.withUnsafeBufferPointer { all in
      for r in lineRanges {
        if let e = try? decoder.decode(UnsafeBufferPointer(rebasing: all[r])) { events.append(e) }
      }
    }
  }
  if wanted("decode") { row("decode JSONL (EventDecoder)", decode) }
  let textStrings = events.compactMap { $0.message?.textString }
  let textUTF8 = events.compactMap { $0.message?.text }
  let textBytes = Double(textUTF8.reduce(0) { $0 + $1.count }) / 1e6
  if wanted("normalize") {
    let normalizer = Normalizer(options: .all)
    var normalized = NormalizedText()
    let normalize = measure(runs: options.runs) {
      for t in textStrings { normalizer.normalize(t, into: &normalized) }
    }
    row("normalize only", normalize)
    print("|   text MB/s | \(String(format: "%.0f", textBytes / normalize)) | | | |")
  }
  let matcher = AutomatonTextMatcher(request: policy.program.textRequest)
  // Builds the lazily decoded tables (public suffixes, normalization) outside the measured runs.
  _ = matcher.match("warm up: a.com b@c.com 13800138000")
  // The texts end to end in one buffer, as they lie in the input the decoder reads. The evaluator
  // matches each text moments after decoding its line, so its bytes are in cache; a million
  // separately allocated arrays, left scattered over the heap by the decode runs above, are not
  // (the row "texts as separate arrays" keeps that layout: the same work, about a third slower).
  let texts = TextBuffer(textUTF8)
  if wanted("text") {
    // The evaluator's path: one reused scratch per thread, and the length measured only when a
    // rule asks (most texts are then ruled out before normalization).
    var scratch = TextMatchScratch()
    var passed = 0
    texts.forEach { t in
      if matcher.match(utf8: t, scratch: &scratch, measuringLength: false).lengthMeasured { passed += 1 }
    }
    let textPath = measure(runs: options.runs) {
      texts.forEach { _ = matcher.match(utf8: $0, scratch: &scratch, measuringLength: false) }
    }
    let textPathCPU = lastCPUMedian
    row("text path (prefilter + normalize + automaton + detectors)", textPath)
    textRates(textBytes, wall: textPath, cpu: textPathCPU)
    let share = Double(passed) / Double(max(textUTF8.count, 1)) * 100
    print("|   texts past the prefilter | \(String(format: "%.1f%%", share)) | | | |")
    let scattered = measure(runs: options.runs) {
      for t in textUTF8 {
        _ = t.withUnsafeBufferPointer { matcher.match(utf8: $0, scratch: &scratch, measuringLength: false) }
      }
    }
    let scatteredCPU = lastCPUMedian
    row("text path, texts as separate arrays (the decoded events')", scattered)
    textRates(textBytes, wall: scattered, cpu: scatteredCPU)
    let measuring = measure(runs: options.runs) {
      texts.forEach { _ = matcher.match(utf8: $0, scratch: &scratch) }
    }
    let measuringCPU = lastCPUMedian
    row("text path, length always measured", measuring)
    textRates(textBytes, wall: measuring, cpu: measuringCPU)
  }
  if wanted("textlong") {
    var scratch = TextMatchScratch()
    // The issue's peers were measured on messages of ~58 UTF-8 bytes; ours average ~26. The
    // same texts joined two or three at a time give that shape, so MB/s can be compared.
    var joined: [[UInt8]] = []
    var k = 0
    var picker = SplitMix64(seed: 58)
    while k < textUTF8.count {
      let n = 2 + Int(picker.next() % 2)
      var text: [UInt8] = []
      for part in textUTF8[k..<min(k + n, textUTF8.count)] {
        if !text.isEmpty { text.append(contentsOf: Array("，".utf8)) }
        text.append(contentsOf: part)
      }
      joined.append(text)
      k += n
    }
    let long = TextBuffer(joined)
    let joinedBytes = Double(long.bytes.count) / 1e6
    let longPath = measure(runs: options.runs) {
      long.forEach { _ = matcher.match(utf8: $0, scratch: &scratch, measuringLength: false) }
    }
    let longPathCPU = lastCPUMedian
    let average = joinedBytes * 1e6 / Double(max(joined.count, 1))
    row("text path, messages of the issue's shape (\(String(format: "%.0f", average)) bytes)", longPath)
    textRates(joinedBytes, wall: longPath, cpu: longPathCPU)
  }
  if options.only?.contains("textpath") == true {
    // The measured loop alone, for instruction counts (callgrind) and profiles.
    var scratch = TextMatchScratch()
    for _ in 0..<options.runs {
      texts.forEach { _ = matcher.match(utf8: $0, scratch: &scratch, measuringLength: false) }
    }
  }
  if wanted("adversarial") {
    // Hostile texts (one message each): their MB/s should stay within 2x of ordinary text.
    for (name, text) in adversarialTexts() {
      let size = Double(text.utf8.count) / 1e6
      let bytes = Array(text.utf8)
      var scratch = TextMatchScratch()
      let seconds = measure(runs: options.runs) {
        _ = bytes.withUnsafeBufferPointer { matcher.match(utf8: $0, scratch: &scratch) }
      }
      print("| adversarial text MB/s: \(name) | \(String(format: "%.0f", size / seconds)) | | | |")
    }
  }
  if wanted("content") {
    let content = measure(runs: options.runs) {
      for e in events { _ = policy.evaluate(message: e) }
    }
    row("content rules per message (evaluate(message:))", content)
  }
  if wanted("message") {
    // What `plc_policy_check_message` does for each line, through the Swift API only: decode
    // the line, judge the message, render its verdicts as JSON lines. The C API's row (see
    // Benchmarks/bindings-bench.sh) is compared with this one.
    var writer = VerdictWriter()
    var found = 0
    let message = measure(runs: options.runs) {
      found = 0
      data.withUnsafeBufferPointer { all in
        for r in lineRanges {
          guard let event = try? decoder.decode(UnsafeBufferPointer(rebasing: all[r])) else { continue }
          writer.removeAll()
          for verdict in policy.evaluate(message: event) {
            writer.append(verdict, zone: policy.zone)
            found += 1
          }
        }
      }
    }
    let messageCPU = lastCPUMedian
    row("one message via the Swift API (decode + evaluate(message:) + verdict JSON)", message)
    print(
      "|   ns per message (wall; thread CPU time); verdicts | \(String(format: "%.0f", message / Double(max(lineRanges.count, 1)) * 1e9)) | \(String(format: "%.0f", messageCPU / Double(max(lineRanges.count, 1)) * 1e9)) | \(found) | |"
    )
  }
  if wanted("conversation") {
    // The grouped corpus holds each conversation's events together.
    var conversations: [[Event]] = []
    for e in events {
      if let last = conversations.last?.last, last.conversation == e.conversation {
        conversations[conversations.count - 1].append(e)
      } else {
        conversations.append([e])
      }
    }
    let asOf = Timestamp(seconds: 1_798_646_400)
    let evaluator = policy.evaluator
    let whole = measure(runs: options.runs) {
      for c in conversations { _ = evaluator.evaluate(conversation: c, asOf: asOf, includePending: false) }
    }
    row("every rule per conversation (evaluate(conversation:))", whole)
  }
} else {
  print("(cannot load \(options.policy): run from the repository root)")
}

let policyc = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  .appendingPathComponent("policyc").path
if options.only != nil {
  // Only in-process stages were asked for.
} else if FileManager.default.isExecutableFile(atPath: policyc) {
  // Single core (--jobs 1) is what issue 9's throughput targets are set for; --jobs 2 shows the
  // parallel speedup on the same input. The three grouped rows run in turn within each run, so
  // their medians see the same minutes of a noisy machine.
  let evalArguments = ["eval", "--policy", options.policy, "--as-of", "2026-12-31T00:00:00+08:00"]
  let halves = ParallelCeiling.halves(of: grouped)
  var walls: [String: [Double]] = [:]
  var peaks: [String: Double] = [:]
  let one = "policyc eval --grouped --jobs 1"
  let two = "policyc eval --grouped --jobs 2"
  let pair = "two policyc eval --grouped --jobs 1 at once, half the corpus each"
  for _ in 0..<options.runs {
    for (name, extra) in [(one, ["--grouped", "--jobs", "1"]), (two, ["--grouped", "--jobs", "2"])] {
      let (wall, rss, _) = runProcess(policyc, evalArguments + extra + [grouped])
      walls[name, default: []].append(wall)
      peaks[name] = max(peaks[name] ?? 0, rss)
    }
    if let (a, b) = halves {
      let arguments = evalArguments + ["--grouped", "--jobs", "1"]
      walls[pair, default: []].append(ParallelCeiling.runPair(policyc, arguments + [a], arguments + [b]))
    }
  }
  let grouped1 = median(walls[one] ?? [])
  for name in [one, two] {
    let m = median(walls[name] ?? [])
    row(name, m, rss: peaks[name])
    print("|   ratio to reference | \(String(format: "%.1fx", m / max(reference, 1e-9))) | | | |")
  }
  print(
    "|   speedup of --jobs 2 over --jobs 1 | \(String(format: "%.2fx", grouped1 / max(median(walls[two] ?? []), 1e-9))) | | | |"
  )
  if let pairWalls = walls[pair] {
    let m = median(pairWalls)
    row(pair, m)
    print(
      "|   speedup over --jobs 1 (no shared process) | \(String(format: "%.2fx", grouped1 / max(m, 1e-9))) | | | |"
    )
  }
  print(
    "|   machine: two threads of arithmetic over one | \(String(format: "%.2fx", ParallelCeiling.arithmetic(runs: options.runs))) | | | |"
  )
  if let (a, b) = halves {
    try? FileManager.default.removeItem(atPath: a)
    try? FileManager.default.removeItem(atPath: b)
  }
  // Time order is the shape of real exports and feeds: judged as it arrives, never sorted.
  let timeRows = [
    ("policyc eval (time order) --jobs 1", ["--jobs", "1", timeOrdered]),
    ("policyc eval (time order) --jobs 2", ["--jobs", "2", timeOrdered]),
    ("policyc eval (interleaved) --jobs 1", ["--jobs", "1", interleaved]),
  ]
  var timeWalls: [String: [Double]] = [:]
  var timePeaks: [String: Double] = [:]
  for _ in 0..<options.runs {
    for (name, extra) in timeRows {
      let (wall, rss, _) = runProcess(policyc, evalArguments + extra)
      timeWalls[name, default: []].append(wall)
      timePeaks[name] = max(timePeaks[name] ?? 0, rss)
    }
  }
  for (name, _) in timeRows {
    let m = median(timeWalls[name] ?? [])
    row(name, m, rss: timePeaks[name])
    print("|   ratio to reference | \(String(format: "%.1fx", m / max(reference, 1e-9))) | | | |")
  }
  let time1 = median(timeWalls[timeRows[0].0] ?? [])
  let time2 = median(timeWalls[timeRows[1].0] ?? [])
  print(
    "|   speedup of --jobs 2 over --jobs 1 (time order) | \(String(format: "%.2fx", time1 / max(time2, 1e-9))) | | | |"
  )
} else {
  print("(policyc not found beside policy-bench: build it with `swift build -c release`)")
}

if options.only.map({ $0.contains("live") }) ?? true,
  let policy = try? CompiledPolicy(policyAt: options.policy)
{
  LiveTimes.report(
    policy: policy, policyc: FileManager.default.isExecutableFile(atPath: policyc) ? policyc : nil,
    timeOrdered: timeOrdered, dir: dir, runs: options.runs)
}

if options.only.map({ $0.contains("fixed") }) ?? true {
  ToolTimes.report(
    policies: ["Policies/pinduoduo.policy", "Policies/aliexpress.policy"], runs: options.runs,
    policyc: FileManager.default.isExecutableFile(atPath: policyc) ? policyc : nil)
}

if options.only.map({ $0.contains("lsp") }) ?? true, FileManager.default.isExecutableFile(atPath: policyc) {
  LanguageServerTimes.report(
    policyc: policyc, policies: ["Policies/pinduoduo.policy", "Policies/aliexpress.policy"],
    changes: max(20, options.runs * 10))
}

if options.keep == nil { try? FileManager.default.removeItem(atPath: dir) }
