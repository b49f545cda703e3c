import PolicyLangCore

/// The directory every file of a policy must lie under: the policy itself, the libraries it
/// imports and the word lists it reads. By default it is the directory of the policy given on the
/// command line (`policyc --root DIR` widens it).
///
/// A root compares paths on their text, after `.` and `..` are resolved (`PolicyLoader.normalize`):
/// it answers whether a path can lie under it. Whether a file really does (no symbolic link leads
/// out, nothing but a regular file is opened) is the `SourceProvider`'s part, see
/// `SourceProvider.read(_:confinedTo:limit:)`.
public struct SourceRoot: Hashable, Sendable, CustomStringConvertible {
  /// The root directory, normalized: relative (to the provider's base directory) or absolute.
  public let path: String

  /// The root directory at `path` (`.` and `..` resolved, repeated and trailing `/` removed).
  public init(_ path: String) {
    self.path = PolicyLoader.normalize(path)
  }

  /// The directory that holds `file`: a policy's default root.
  public init(directoryOf file: String) {
    let normalized = PolicyLoader.normalize(file)
    guard let slash = normalized.lastIndex(of: "/") else {
      self.init(".")
      return
    }
    let directory = normalized[..<slash]
    self.init(directory.isEmpty ? "/" : String(directory))
  }

  /// `file` relative to the root, when its normalized text lies under it; `nil` when it does not
  /// (a `..` leads out, or one path is absolute and the other relative), or names the root itself.
  public func relativePath(of file: String) -> String? {
    relativePath(ofNormalized: PolicyLoader.normalize(file))
  }

  /// `relativePath(of:)` of a path already normalized (as the loader's paths are).
  func relativePath(ofNormalized normalized: String) -> String? {
    switch path {
    case ".":
      guard !normalized.hasPrefix("/"), normalized != ".", normalized != "..",
        !normalized.hasPrefix("../")
      else { return nil }
      return normalized
    case "/":
      guard normalized.hasPrefix("/"), normalized != "/" else { return nil }
      return String(normalized.dropFirst())
    default:
      guard normalized.hasPrefix(path + "/") else { return nil }
      // Normalized, the rest holds no `..`: only a path's start can.
      return String(normalized.dropFirst(path.count + 1))
    }
  }

  /// Whether `file` lies under the root (see `relativePath(of:)`).
  public func contains(_ file: String) -> Bool { relativePath(of: file) != nil }

  /// The root as written in messages.
  public var description: String { path }
}
