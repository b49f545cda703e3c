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
  /// The path names something other than a regular file or a directory (a FIFO, a device, a
  /// socket). Such a file is never read: a FIFO would block, a device never end.
  case notRegularFile(SpecialFileKind)
  /// The file does not lie under the root: reached `through` a symbolic link (its path relative to
  /// the root) that leads out of it, or, with `through` nil, the path itself is outside.
  case outsideRoot(through: String?)

  /// A sentence for diagnostics, in both languages.
  public var message: LocalizedText {
    switch self {
    case .missing: return LocalizedText("no such file", zh: "文件不存在")
    case .isDirectory: return LocalizedText("it is a directory, not a file", zh: "这是目录,不是文件")
    case .unreadable(let why): return LocalizedText("cannot read it: \(why)", zh: "无法读取:\(why)")
    case .tooLarge:
      return LocalizedText(
        "it holds more than 8 MiB; a policy, library or word list may hold at most 8 MiB",
        zh: "文件超过 8 MiB;策略、库或词表文件最多 8 MiB")
    case .notRegularFile(let kind):
      return LocalizedText(
        "it is \(kind.name.english), not a regular file; only regular files are read",
        zh: "它是\(kind.name.chinese),不是普通文件;只读取普通文件")
    case .outsideRoot(let link?):
      return LocalizedText(
        "it is reached through the symbolic link `\(link)`, which leads out of the root",
        zh: "它经由符号链接 `\(link)` 到达,该链接指向根目录之外")
    case .outsideRoot(nil):
      return LocalizedText("it is not under the root", zh: "它不在根目录之下")
    }
  }
}

/// What a path names when it is neither a regular file nor a directory.
public enum SpecialFileKind: Sendable, Equatable {
  /// A FIFO (named pipe).
  case fifo
  /// A character device (`/dev/zero`, a terminal).
  case characterDevice
  /// A block device (a disk).
  case blockDevice
  /// A Unix-domain socket.
  case socket
  /// Anything else the system may have.
  case other

  /// The kind with its article, for messages ("a FIFO (named pipe)").
  public var name: LocalizedText {
    switch self {
    case .fifo: return LocalizedText("a FIFO (named pipe)", zh: "FIFO(命名管道)")
    case .characterDevice: return LocalizedText("a character device", zh: "字符设备")
    case .blockDevice: return LocalizedText("a block device", zh: "块设备")
    case .socket: return LocalizedText("a socket", zh: "套接字")
    case .other: return LocalizedText("a special file", zh: "特殊文件")
    }
  }
}

/// Where the loader reads files from: the disk, memory in tests, an editor's unsaved buffers.
///
/// Paths are the loader's normalized paths (`/` separated, no `.` or `..` left except leading
/// `..` of a relative path); the provider resolves them as it likes.
///
/// The loader asks for every file through `read(_:confinedTo:limit:)`, after checking on the
/// path's text that it lies under the policy's `SourceRoot` (no absolute path, no `..` leading
/// out). What the text cannot show, the provider must: a provider over a file system opens only
/// regular files, and only when no symbolic link on the way leads out of the root, as
/// `DiskSourceProvider` does. A provider that holds its files in memory needs only
/// `read(_:limit:)`; the default `read(_:confinedTo:limit:)` calls it. A provider that serves some
/// files from memory and the rest from the disk (a language server's open documents) forwards the
/// rest to `DiskSourceProvider.read(_:confinedTo:limit:)`.
public protocol SourceProvider: Sendable {
  /// The bytes of the file at `path`, or why they cannot be had. A provider may stop reading
  /// at `limit` bytes and report `.tooLarge`.
  func read(_ path: String, limit: Int) -> Result<[UInt8], SourceLoadError>

  /// The bytes of the file at `path`, which lies under `root` on its text, or why they cannot be
  /// had: `.outsideRoot` when the file is not really under `root` (a symbolic link leads out),
  /// `.notRegularFile` for a FIFO, a device or a socket. A provider may stop reading at `limit`
  /// bytes and report `.tooLarge`.
  func read(
    _ path: String, confinedTo root: SourceRoot, limit: Int
  ) -> Result<[UInt8], SourceLoadError>
}

extension SourceProvider {
  /// Reads `path` with `read(_:limit:)`: right for a provider whose files are all in memory.
  public func read(
    _ path: String, confinedTo root: SourceRoot, limit: Int
  ) -> Result<[UInt8], SourceLoadError> {
    read(path, limit: limit)
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
