import PolicyLang

/// What the checker reads while the editor has documents open: an open document's unsaved
/// text, any other file from disk. A thin adapter over `DiskSourceProvider`.
///
/// With a root directory (the `rootDirectory` initialization option, else the first workspace
/// folder), files outside it are not read from disk: imports stay inside the workspace, as
/// `--root` confines the command line, and a symbolic link leading out of it is not followed.
/// Open documents are served wherever they are.
public struct WorkspaceSourceProvider: SourceProvider {
  /// The open documents' bytes by path.
  public var documents: [String: [UInt8]]
  /// The directory disk reads are confined to; `nil` for none.
  public var root: String?
  /// Where every other file comes from.
  public var disk: DiskSourceProvider

  /// A provider serving `documents` from memory and the rest from `disk`, confined to `root`.
  public init(documents: [String: [UInt8]], root: String?, disk: DiskSourceProvider = DiskSourceProvider()) {
    self.documents = documents
    self.root = root.map { PolicyLoader.normalize($0) }
    self.disk = disk
  }

  /// An open document's bytes; else, inside the root (if any), the file on disk.
  public func read(_ path: String, limit: Int) -> Result<[UInt8], SourceLoadError> {
    if let bytes = documents[path] {
      return bytes.count > limit ? .failure(.tooLarge(bytes: bytes.count)) : .success(bytes)
    }
    if let root, !Self.path(path, isInside: root) {
      return .failure(.unreadable("it is outside the root directory `\(root)`"))
    }
    return disk.read(path, limit: limit)
  }

  /// What the loader asks for: an open document's bytes; else the file on disk, reached from
  /// `root` (the policy's root, which lies under this provider's) without a symbolic link leading
  /// out of it, and only when it is a regular file (see `DiskSourceProvider`).
  public func read(
    _ path: String, confinedTo root: SourceRoot, limit: Int
  ) -> Result<[UInt8], SourceLoadError> {
    if let bytes = documents[path] {
      return bytes.count > limit ? .failure(.tooLarge(bytes: bytes.count)) : .success(bytes)
    }
    if let workspace = self.root, !Self.path(path, isInside: workspace) {
      return .failure(.outsideRoot(through: nil))
    }
    return disk.read(path, confinedTo: root, limit: limit)
  }

  /// The root a document's policy is checked under: the workspace root when the document lies
  /// under it, else the document's own directory (and then, with a workspace root, nothing on
  /// disk is read for it: `read(_:confinedTo:limit:)` still refuses what lies outside the
  /// workspace).
  public func policyRoot(of path: String) -> SourceRoot {
    if let root, Self.path(path, isInside: root) { return SourceRoot(root) }
    return SourceRoot(directoryOf: path)
  }

  /// Whether normalized `path` is `root` or lies under it.
  static func path(_ path: String, isInside root: String) -> Bool {
    let normalized = PolicyLoader.normalize(path)
    if root == "/" { return normalized.hasPrefix("/") }
    return normalized == root || normalized.hasPrefix(root + "/")
  }
}
