/// Normalized text in the normalizer's working buffers, valid only inside the closure of
/// `Normalizer.withNormalizedBuffers`: the same five sequences as `NormalizedText`, read in
/// place. The matcher reads them directly and copies them into a `NormalizedText` only when a
/// detector needs one, so most texts never pay for the copy.
struct NormalizedBuffers {
  /// The original text's scalars.
  let original: UnsafeBufferPointer<UInt32>
  /// The normalized scalars.
  let scalars: UnsafeBufferPointer<UInt32>
  /// Per normalized scalar: the first original scalar it came from.
  let starts: UnsafeBufferPointer<UInt32>
  /// Per normalized scalar: one past the last original scalar it came from.
  let ends: UnsafeBufferPointer<UInt32>
  /// Per normalized scalar: the separators removed just before it (saturating at 255).
  let gaps: UnsafeBufferPointer<UInt8>

  /// The number of normalized scalars (`starts`, `ends` and `gaps` hold as many).
  var count: Int { scalars.count }

  /// The original scalar range that normalized scalars `from..<to` came from (as
  /// `NormalizedText.originalRange(from:to:)` gives it).
  @inline(__always)
  func originalRange(from: Int, to: Int) -> Range<Int> {
    guard from < to, from >= 0, to <= count, to <= ends.count, from < starts.count else { return 0..<0 }
    return Int(starts[from])..<Int(ends[to &- 1])
  }

  /// Replaces the contents of `output` with these buffers.
  func copy(into output: inout NormalizedText) {
    output.sawInvalidUTF8 = false
    output.original.assign(original)
    output.scalars.assign(scalars)
    output.originStart.assign(starts)
    output.originEnd.assign(ends)
    output.gapBefore.assign(gaps)
  }
}
