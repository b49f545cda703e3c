import Foundation
import PolicyLang

/// Exit statuses shared by every command (io.md's exit table).
enum ExitStatus {
  static let ok: Int32 = 0
  static let failure: Int32 = 1
  static let inputErrors: Int32 = 2
  static let usage: Int32 = 64
  static let invalidPolicy: Int32 = 65
  static let missingInput: Int32 = 66
  static let internalError: Int32 = 70
}

/// Dispatches `policyc COMMAND ...` to one command's file.
enum Driver {
  static func run(arguments: [String]) -> Int32 {
    guard let command = arguments.first else {
      FileHandle.standardError.write(Data(usage.utf8))
      return ExitStatus.usage
    }
    switch command {
    case "-h", "--help", "help":
      FileHandle.standardOutput.write(Data(usage.utf8))
      return ExitStatus.ok
    default:
      FileHandle.standardError.write(Data("policyc: unknown command '\(command)'\n\(usage)".utf8))
      return ExitStatus.usage
    }
  }

  static let usage = """
    usage: policyc COMMAND [OPTIONS] ...

    commands:
      check     validate policies and report diagnostics
      build     compile a policy into a rule program
      eval      evaluate chat events against policies
      test      run the tests written inside policies
      fmt       format policies
      explain   explain a diagnostic code or a conversation

    """
}
