// An example of embedding PolicyLang in another tool through its public API only: load a program
// compiled by `policyc build`, read a conversation, and print its verdicts.
//
//   swift run policyc build Policies/pinduoduo.policy -o pinduoduo.plp
//   swift run embedding-example pinduoduo.plp [EVENTS.jsonl]
//
// Without an events file it evaluates a small built-in conversation.

import Foundation
import PolicyLang

let arguments = Array(CommandLine.arguments.dropFirst())
guard let programPath = arguments.first else {
  FileHandle.standardError.write(Data("usage: embedding-example PROGRAM.plp [EVENTS.jsonl]\n".utf8))
  exit(64)
}

// 1. Load the compiled program: every length and index is validated, errors are typed.
let policy: CompiledPolicy
do {
  policy = try CompiledPolicy(programAt: programPath)
} catch {
  FileHandle.standardError.write(Data("embedding-example: \(error)\n".utf8))
  exit(65)
}

// 2. Read the events: a JSONL file, or a built-in conversation.
let builtIn = [
  #"{"conversation":"demo-1","shop":"s-1","at":"2026-11-20T10:00:00+08:00","from":"buyer","text":"在吗？这个有货吗"}"#,
  #"{"conversation":"demo-1","at":"2026-11-20T10:00:05+08:00","from":"seller","auto":true,"text":"欢迎光临"}"#,
  #"{"conversation":"demo-1","at":"2026-11-20T11:20:00+08:00","from":"seller","agent":"kefu-2","text":"亲，有货的，加我薇信 abc_123 给你便宜"}"#,
]
let lines: [String]
if arguments.count > 1 {
  let text = (try? String(contentsOfFile: arguments[1], encoding: .utf8)) ?? ""
  lines = text.split(whereSeparator: \.isNewline).map(String.init)
} else {
  lines = builtIn
}
let decoder = EventDecoder()
var events: [Event] = []
for (number, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
  do {
    events.append(try decoder.decode(line))
  } catch {
    FileHandle.standardError.write(Data("line \(number + 1): \(error.message)\n".utf8))
  }
}

// 3. Evaluate every conversation of the run and print the verdicts, as `policyc eval` would.
let asOf = try Timestamp(rfc3339: "2026-12-01T00:00:00+08:00")
let verdicts = policy.evaluate(events: events, asOf: asOf)
for verdict in verdicts {
  print(policy.jsonLine(verdict), terminator: "")
}
print("\(policy.name): \(events.count) events, \(verdicts.count) verdicts")
