import PolicyLangCore

/// Reads files from the file system, relative paths resolved against `baseDirectory` (the
/// current directory when `nil`).
///
/// Only regular files are read (a FIFO, a device or a socket is refused without blocking), and
/// their kind and size are taken from the open descriptor. Under a root
/// (`read(_:confinedTo:limit:)`, what the loader uses) the file is reached one directory at a
/// time from the root without the kernel following any symbolic link: a link that stays under
/// the root is followed, one that leads out of it is refused.
public struct DiskSourceProvider: SourceProvider {
  /// The directory relative paths are read from; `nil` for the current directory.
  public var baseDirectory: String?

  /// A provider reading relative paths against `baseDirectory`, or the current directory.
  public init(baseDirectory: String? = nil) {
    self.baseDirectory = baseDirectory
  }

  /// Reads one regular file, following a symbolic link at `path` (no root applies).
  public func read(_ path: String, limit: Int) -> Result<[UInt8], SourceLoadError> {
    PosixFile.read(path: onDisk(path), limit: limit)
  }

  /// Reads the regular file at `path` if it really lies under `root`: `.outsideRoot` when its
  /// text or a symbolic link on the way leads out.
  public func read(
    _ path: String, confinedTo root: SourceRoot, limit: Int
  ) -> Result<[UInt8], SourceLoadError> {
    // The loader's paths are normalized; a `..` left in another caller's is walked, and refused
    // at the root like any other way out.
    guard let relative = root.relativePath(ofNormalized: path) else {
      return .failure(.outsideRoot(through: nil))
    }
    return PosixFile.read(relative, under: onDisk(root.path), limit: limit)
  }

  /// `path` as the file system reads it: relative paths against `baseDirectory`.
  func onDisk(_ path: String) -> String {
    guard let base = baseDirectory, !path.hasPrefix("/") else { return path }
    return base.hasSuffix("/") ? base + path : base + "/" + path
  }
}
