// Questions the checker asks about text, patterns and zones, each in one function so that the
// checker does not depend on how they are answered: term folding asks the normalizer, patterns
// the pattern engine, zones `PolicyZone`.

import PolicyLangCore
import PolicyLangText

package enum SemanticOracles {
  /// The text a term matches as under the policy's normalization steps: two terms with the
  /// same fold are one term.
  static func fold(_ term: String, under steps: Set<NormalizationStep>) -> [UInt32] {
    var options = NormalizationOptions.none
    for step in steps {
      switch step {
      case .nfkc: options.insert(.nfkc)
      case .casefold: options.insert(.casefold)
      case .simplified: options.insert(.simplified)
      case .separators: options.insert(.separators)
      case .digits: options.insert(.digits)
      }
    }
    return Normalizer(options: options).normalizeTerm(term)
  }

  /// What the pattern engine says of a `matches` pattern: it compiles (and whether it matches
  /// the empty string), or why it does not.
  static func checkPattern(_ pattern: String) -> Result<Pattern, PatternError> {
    do {
      return .success(try Pattern.compile(pattern))
    } catch {
      return .failure(error)
    }
  }

  /// Whether `name` is a time zone the runtime knows.
  static func isKnownZone(_ name: String) -> Bool {
    PolicyZone(identifier: name) != nil
  }

  /// Zone names offered as suggestions for a misspelt zone.
  package static let commonZones = [
    "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul",
    "Asia/Jakarta", "Asia/Bangkok", "Asia/Manila", "Asia/Kuala_Lumpur", "Asia/Ho_Chi_Minh",
    "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Los_Angeles",
    "America/Sao_Paulo", "UTC",
  ]
}
