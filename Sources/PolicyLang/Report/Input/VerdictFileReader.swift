import PolicyLang

/// Every verdict line of the files given, and an account of the lines that were not read.
public struct VerdictSet: Sendable {
  /// The files in the order given (`<stdin>` for `-`); `ReportLineOrigin.file` indexes this.
  public var files: [String]
  /// The verdicts in file and line order.
  public var verdicts: [ReportVerdict]
  /// Physical lines read, blank ones included.
  public var linesRead = 0
  /// Blank lines (skipped, not errors).
  public var blankLines = 0
  /// Malformed lines: reported and skipped.
  public var skippedLines = 0
  /// Files that could not be opened or read to the end.
  public var unreadableFiles: [InputError] = []

  /// An empty set over these files.
  public init(files: [String], verdicts: [ReportVerdict] = []) {
    self.files = files
    self.verdicts = verdicts
  }
}

/// Reads verdict files (JSON Lines as `policyc eval` writes them, one run or many concatenated).
///
/// A malformed line is reported as `FILE:LINE: error: WHY`, counted in `skippedLines` and skipped;
/// the rest of the file is still read. A file that cannot be opened is recorded and the others are
/// read.
public enum VerdictFileReader {
  /// Reads `paths` in order (`-` is standard input); `report` gets each problem's line of text.
  public static func read(
    paths: [String], maxLineLength: Int = LineReader.defaultMaxLineLength, report: (String) -> Void
  ) -> VerdictSet {
    let names = paths.map { $0 == "-" ? LineReader.standardInputName : $0 }
    var set = VerdictSet(files: names)
    let decoder = VerdictLineDecoder()
    for (index, path) in paths.enumerated() {
      let reader: LineReader
      do {
        reader =
          path == "-"
          ? LineReader(standardInputWithMaxLineLength: maxLineLength)
          : try LineReader(path: path, maxLineLength: maxLineLength)
      } catch {
        set.unreadableFiles.append(error)
        report(error.description)
        continue
      }
      do {
        while let line = try reader.next() {
          set.linesRead += 1
          switch line.content {
          case .blank:
            set.blankLines += 1
          case .tooLong(let byteCount):
            set.skippedLines += 1
            report(
              "\(reader.name):\(line.number): error: line is \(byteCount) bytes, longer than the limit \(maxLineLength)"
            )
          case .text(let bytes):
            do {
              set.verdicts.append(
                try decoder.decode(bytes, origin: ReportLineOrigin(file: index, line: line.number)))
            } catch {
              set.skippedLines += 1
              report("\(reader.name):\(line.number): error: \(error.message)")
            }
          }
        }
      } catch {
        set.unreadableFiles.append(error)
        report(error.description)
      }
    }
    return set
  }
}
