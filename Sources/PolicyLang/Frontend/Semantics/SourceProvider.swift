import Foundation
import PolicyLangCore

/// Why a file named by a policy (the root, an `import`, a word list) could not be read.
public enum SourceLoadError: Error, Equatable, Sendable {
  /// Nothing exists at the path.
  case missing
  /// The path names a directory.
  case isDirectory
  /// The file exists but reading it failed (permissions, I/O).
  case unreadable(String)
  /// The file is larger than `PolicyLoader.maximumFileBytes` (8 MiB).
  case tooLarge(bytes: Int)

  /// A sentence for diagnostics, in both languages.
  public var message: LocalizedText {
    switch self {
    case .missing: return LocalizedText("no such file", zh: "文件不存在")
    case .isDirectory: return LocalizedText("it is a directory, not a file", zh: "这是目录,不是文件")
    case .unreadable(let why): return LocalizedText("cannot read it: \(why)", zh: "无法读取:\(why)")
    case .tooLarge(let bytes):
      return LocalizedText(
        "it is \(bytes) bytes; a policy file may hold at most 8 MiB",
        zh: "文件有 \(bytes) 字节;策略文件最多 8 MiB")
    }
  }
}

/// Where the loader reads files from: the disk, or memory in tests.
///
/// Paths are the loader's normalized paths (`/` separated, no `.` or `..` left except leading
/// `..` of a relative path); the provider resolves them as it likes.
public protocol SourceProvider: Sendable {
  /// The bytes of the file at `path`, or why they cannot be had. A provider may stop reading
  /// at `limit` bytes and report `.tooLarge`.
  func read(_ path: String, limit: Int) -> Result<[UInt8], SourceLoadError>
}

/// Reads files from the file system, relative paths resolved against `baseDirectory` (the
/// current directory when `nil`).
public struct DiskSourceProvider: SourceProvider {
  /// The directory relative paths are read from; `nil` for the current directory.
  public var baseDirectory: String?

  /// A provider reading relative paths against `baseDirectory`, or the current directory.
  public init(baseDirectory: String? = nil) {
    self.baseDirectory = baseDirectory
  }

  /// Reads one file, checking its kind and size before reading its bytes.
  public func read(_ path: String, limit: Int) -> Result<[UInt8], SourceLoadError> {
    var full = path
    if let base = baseDirectory, !path.hasPrefix("/") {
      full = base.hasSuffix("/") ? base + path : base + "/" + path
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else {
      return .failure(.missing)
    }
    if isDirectory.boolValue { return .failure(.isDirectory) }
    guard let handle = FileHandle(forReadingAtPath: full) else {
      return .failure(.unreadable("permission denied or not a regular file"))
    }
    defer { try? handle.close() }
    do {
      // Read one byte past the limit: enough to know the file is too large without loading it.
      let data = try handle.read(upToCount: limit + 1) ?? Data()
      if data.count > limit {
        let size = (try? FileManager.default.attributesOfItem(atPath: full)[.size] as? Int) ?? nil
        return .failure(.tooLarge(bytes: size ?? data.count))
      }
      return .success([UInt8](data))
    } catch {
      return .failure(.unreadable(String(describing: error)))
    }
  }
}

/// Files held in memory, keyed by normalized path; a path that is the prefix of others followed
/// by `/` reads as a directory.
public struct InMemorySourceProvider: SourceProvider {
  /// The files, by normalized path.
  public var files: [String: [UInt8]]

  /// A provider over `files` (path → text).
  public init(_ files: [String: String]) {
    self.files = files.mapValues { Array($0.utf8) }
  }

  /// A provider over `files` (path → bytes).
  public init(bytes files: [String: [UInt8]]) {
    self.files = files
  }

  /// The file's bytes, `.isDirectory` for a path other files live under, else `.missing`.
  public func read(_ path: String, limit: Int) -> Result<[UInt8], SourceLoadError> {
    if let bytes = files[path] {
      return bytes.count > limit ? .failure(.tooLarge(bytes: bytes.count)) : .success(bytes)
    }
    let prefix = path.hasSuffix("/") ? path : path + "/"
    if files.keys.contains(where: { $0.hasPrefix(prefix) }) { return .failure(.isDirectory) }
    return .failure(.missing)
  }
}
