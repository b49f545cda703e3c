// Whole-file reads and writes for compiled programs, with the failures `ProgramFileError` names.

import Foundation

enum FileBytes {
  /// The bytes of the file at `path`, or why there are none.
  static func read(_ path: String) -> Result<[UInt8], ProgramFileError> {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      return .failure(.missing(path: path))
    }
    guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
      return .failure(.unreadable(path: path))
    }
    return .success([UInt8](data))
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
