// Whole-file reads and writes for compiled programs, with the failures `ProgramFileError` names.

import Foundation
import PolicyLangFrontend

enum FileBytes {
  /// The bytes of the regular file at `path`, or why there are none (a FIFO or a device is
  /// unreadable: it is refused without blocking).
  static func read(_ path: String) -> Result<[UInt8], ProgramFileError> {
    switch PosixFile.read(path: path, limit: Int.max) {
    case .success(let bytes): return .success(bytes)
    case .failure(.missing): return .failure(.missing(path: path))
    case .failure: return .failure(.unreadable(path: path))
    }
  }

  /// Writes `bytes` to `path` atomically (a reader never sees half a program); the reason on failure.
  static func write(_ bytes: [UInt8], to path: String) -> String? {
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
      return nil
    } catch {
      return error.localizedDescription
    }
  }
}
