import Foundation
import Testing

@testable import PolicyLang
@testable import PolicyLangCompile
@testable import PolicyLangCore
@testable import PolicyLangFrontend
@testable import PolicyLangRuntime
@testable import PolicyLangSession
@testable import PolicyLangText

/// Checks the generated tables against Foundation's own NFKC for every scalar assigned both in
/// the tables' Unicode version and in the toolchain's (`Unicode.Scalar.Properties.age` non-nil for
/// the scalar and every scalar of Foundation's result: a scalar the toolchain does not know has no
/// trustworthy expected value).
@Suite("Normalization against Foundation")
struct NormalizationFoundationTests {
  /// Scalars assigned in both versions, with their single-scalar strings.
  static func sharedScalars() -> [Unicode.Scalar] {
    let tables = TextTables.shared
    return (0...0x10_FFFF).compactMap { value -> Unicode.Scalar? in
      guard tables.scalarClass(UInt32(value)) != .unassigned, let scalar = Unicode.Scalar(value),
        scalar.properties.age != nil
      else { return nil }
      return scalar
    }
  }

  static func known(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { $0.properties.age != nil }
  }

  @Test func nfkcMatchesFoundation() {
    let normalizer = Normalizer(options: .nfkc)
    var text = NormalizedText()
    var mismatches: [String] = []
    var checked = 0
    for scalar in Self.sharedScalars() {
      let input = String(scalar)
      let expected = input.precomposedStringWithCompatibilityMapping
      guard Self.known(expected) else { continue }
      normalizer.normalize(input, into: &text)
      checked += 1
      if text.scalars != expected.unicodeScalars.map(\.value) {
        mismatches.append(String(scalar.value, radix: 16))
      }
    }
    #expect(checked > 100_000)
    #expect(mismatches.isEmpty, "NFKC differs for \(mismatches.prefix(40))")
  }

  @Test func nfkcCasefoldMatchesFoundation() {
    let normalizer = Normalizer(options: [.nfkc, .casefold])
    var text = NormalizedText()
    var mismatches: [String] = []
    for scalar in Self.sharedScalars() {
      let input = String(scalar)
      let nfkc = input.precomposedStringWithCompatibilityMapping
      let folded = nfkc.folding(options: .caseInsensitive, locale: nil)
        .precomposedStringWithCompatibilityMapping
      let lowered = nfkc.lowercased().precomposedStringWithCompatibilityMapping
      // Foundation has no full case folding on every platform: accept its folding, the lower
      // case, the lower case of the upper case (ᲀ → в), and for Cherokee, whose lower-case letters
      // fold to upper case, the upper case.
      var candidates = [
        folded, lowered, nfkc.uppercased().lowercased().precomposedStringWithCompatibilityMapping,
      ]
      if (0x13A0...0x13FF).contains(scalar.value) || (0xAB70...0xABBF).contains(scalar.value) {
        candidates.append(nfkc.uppercased().precomposedStringWithCompatibilityMapping)
      }
      guard candidates.allSatisfy(Self.known) else { continue }
      normalizer.normalize(input, into: &text)
      let actual = text.scalars
      if !candidates.contains(where: { $0.unicodeScalars.map(\.value) == actual }) {
        mismatches.append(String(scalar.value, radix: 16))
      }
    }
    #expect(mismatches.isEmpty, "NFKC + case folding differs for \(mismatches.prefix(40))")
  }
}
