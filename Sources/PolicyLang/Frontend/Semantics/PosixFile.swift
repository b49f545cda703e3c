// Reading files with POSIX calls so that what is read is what was checked. A file under a root
// is reached by `openat` one component at a time from the root's descriptor, each with
// O_NOFOLLOW: a symbolic link is never followed by the kernel but read and walked here, and
// refused when it leads out of the root. The kind and size are taken with `fstat` on the open
// descriptor, so nothing can be swapped between the check and the read.

import PolicyLangCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opens and reads regular files.
package enum PosixFile {
  /// Symbolic links followed in one walk before it is given up (the kernel's own limit).
  static let maximumLinks = 40

  /// O_NONBLOCK: opening a FIFO returns at once (and `fstat` then refuses it) instead of waiting
  /// for a writer. O_NOCTTY: opening a terminal never makes it the process's.
  private static let fileFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY
  private static let directoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC

  /// Reads the regular file at `path`; a symbolic link is followed, as the caller named the file
  /// itself (a policy or a program on the command line).
  package static func read(path: String, limit: Int) -> Result<[UInt8], SourceLoadError> {
    guard !path.isEmpty, !path.utf8.contains(0) else { return .failure(.missing) }
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { return .failure(failure(errno)) }
    defer { close(fd) }
    return readRegular(fd, limit: limit)
  }

  /// Reads the regular file at `relative` (normalized, no `..`) under the directory `root`,
  /// walking one component at a time. A symbolic link on the way is followed here when it stays
  /// under the root and refused (`.outsideRoot`) when it leads out: relative targets are walked
  /// from the link's directory, `..` included, and absolute ones must name the root's real path.
  static func read(_ relative: String, under root: String, limit: Int) -> Result<[UInt8], SourceLoadError> {
    guard !root.utf8.contains(0), !relative.utf8.contains(0) else { return .failure(.missing) }
    let rootFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard rootFD >= 0 else {
      let why = reason(errno)
      return .failure(.unreadable("cannot open the root directory `\(root)`: \(why)"))
    }
    var walk = Walk(root: root, rootFD: rootFD)
    defer { walk.closeAll() }
    walk.push(Substring(relative))
    while let name = walk.pending.popLast() {
      if name == "." { continue }
      if name == ".." {
        guard walk.leaveDirectory() else { return .failure(.outsideRoot(through: walk.lastLink)) }
        continue
      }
      let isLast = walk.pending.isEmpty
      let fd = openat(walk.current, name, isLast ? fileFlags : directoryFlags)
      if fd >= 0 {
        if isLast {
          defer { close(fd) }
          return readRegular(fd, limit: limit)
        }
        walk.enter(fd, named: name)
        continue
      }
      let error = errno
      guard isSymbolicLink(name, in: walk.current) else { return .failure(failure(error)) }
      switch walk.follow(name) {
      case .failure(let problem): return .failure(problem)
      case .success: continue
      }
    }
    // Every component was a directory.
    return .failure(.isDirectory)
  }

  /// A walk from a root directory: the directories entered (their descriptors, root first) and
  /// the components still to walk (next one last).
  private struct Walk {
    let root: String
    var directories: [Int32]
    var names: [String] = []
    var pending: [String] = []
    var linksFollowed = 0
    /// The last link followed, relative to the root: what a refusal names.
    var lastLink: String?
    /// The root's real path, found when an absolute link needs it.
    var realRoot: String?

    init(root: String, rootFD: Int32) {
      self.root = root
      directories = [rootFD]
    }

    var current: Int32 { directories.last ?? -1 }

    /// Queues the components of `path` to be walked before the ones already pending.
    mutating func push(_ path: Substring) {
      let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
      pending.append(contentsOf: parts.reversed())
    }

    mutating func enter(_ fd: Int32, named name: String) {
      directories.append(fd)
      names.append(name)
    }

    /// Steps up to the parent directory; false at the root (`..` would leave it).
    mutating func leaveDirectory() -> Bool {
      guard directories.count > 1, let fd = directories.popLast() else { return false }
      close(fd)
      names.removeLast()
      return true
    }

    /// Replaces the link `name` in the current directory by its target.
    mutating func follow(_ name: String) -> Result<Void, SourceLoadError> {
      linksFollowed += 1
      guard linksFollowed <= PosixFile.maximumLinks else {
        return .failure(.unreadable("too many levels of symbolic links"))
      }
      lastLink = (names + [name]).joined(separator: "/")
      guard let target = PosixFile.readLink(name, in: current), !target.isEmpty else {
        return .failure(.unreadable("cannot read the symbolic link `\(lastLink ?? name)`"))
      }
      guard target.hasPrefix("/") else {
        push(Substring(target))
        return .success(())
      }
      if realRoot == nil { realRoot = PosixFile.realPath(root) }
      guard let realRoot else { return .failure(.unreadable("cannot resolve the root `\(root)`")) }
      let rest: Substring
      if target == realRoot {
        rest = ""
      } else if realRoot == "/" {
        rest = target.dropFirst()
      } else if target.hasPrefix(realRoot + "/") {
        rest = target.dropFirst(realRoot.count + 1)
      } else {
        return .failure(.outsideRoot(through: lastLink))
      }
      while leaveDirectory() {}
      push(rest)
      return .success(())
    }

    mutating func closeAll() {
      for fd in directories { close(fd) }
      directories = []
    }
  }

  /// Reads the file open at `fd` if it is a regular file of at most `limit` bytes, the kind and
  /// size taken from the descriptor.
  static func readRegular(_ fd: Int32, limit: Int) -> Result<[UInt8], SourceLoadError> {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return .failure(.unreadable(reason(errno))) }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: return .failure(.isDirectory)
    case S_IFIFO: return .failure(.notRegularFile(.fifo))
    case S_IFCHR: return .failure(.notRegularFile(.characterDevice))
    case S_IFBLK: return .failure(.notRegularFile(.blockDevice))
    case S_IFSOCK: return .failure(.notRegularFile(.socket))
    default: return .failure(.notRegularFile(.other))
    }
    let size = Int(info.st_size)
    if size > limit { return .failure(.tooLarge(bytes: size)) }
    // Read to the end, not to `size`: a file may grow, and some (in /proc) report 0 bytes.
    let capacity = limit == Int.max ? limit : limit + 1
    var bytes = [UInt8](repeating: 0, count: min(capacity, max(size, 4096) + 1))
    var count = 0
    while true {
      if count == bytes.count {
        guard bytes.count < capacity else { break }
        bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, capacity - bytes.count)))
      }
      let n = bytes.withUnsafeMutableBytes { buffer in
        systemRead(fd, buffer.baseAddress.map { $0 + count }, buffer.count - count)
      }
      if n > 0 {
        count += n
      } else if n == 0 {
        break
      } else if errno != EINTR {
        return .failure(.unreadable(reason(errno)))
      }
    }
    if count > limit { return .failure(.tooLarge(bytes: count)) }
    bytes.removeSubrange(count...)
    return .success(bytes)
  }

  /// Whether `name` in the directory `fd` is a symbolic link (without following it).
  static func isSymbolicLink(_ name: String, in fd: Int32) -> Bool {
    var info = stat()
    return fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFLNK
  }

  /// The target of the symbolic link `name` in the directory `fd`.
  static func readLink(_ name: String, in fd: Int32) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = buffer.withUnsafeMutableBufferPointer { raw -> Int in
      guard let base = raw.baseAddress else { return -1 }
      return readlinkat(fd, name, base, raw.count)
    }
    guard n > 0, n < buffer.count else { return nil }
    return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The canonical absolute path of an existing directory.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The load error of a failed `open`.
  static func failure(_ code: Int32) -> SourceLoadError {
    switch code {
    case ENOENT, ENOTDIR: return .missing
    case EISDIR: return .isDirectory
    default: return .unreadable(reason(code))
    }
  }

  /// The system's sentence for an error number.
  static func reason(_ code: Int32) -> String {
    String(cString: strerror(code))
  }
}

/// The C library's `read`, named apart from `PosixFile.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(fd, buffer, count)
}
