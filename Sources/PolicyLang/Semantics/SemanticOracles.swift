import Foundation

// Questions the checker asks about text, patterns and zones, each in one function: term folding
// asks the normalizer, zones ask `PolicyZone`; the empty-pattern test is a small approximation
// that the pattern engine can replace without touching the checker.

enum SemanticOracles {
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

  /// Whether a `matches` pattern obviously matches the empty string: it is empty, or it is one
  /// atom (a character, an escape, a class `[...]` or a group `(...)`) followed by `*` or `?`,
  /// or a sequence of such, or it has an empty alternative at the top level.
  static func patternMatchesEmpty(_ pattern: String) -> Bool {
    let chars = Array(pattern)
    if chars.isEmpty { return true }
    var i = 0
    var branchCanBeEmpty = true
    var depth = 0
    var branchLength = 0
    while i < chars.count {
      let c = chars[i]
      if depth == 0 && c == "|" {
        if branchLength == 0 || branchCanBeEmpty { return true }
        branchCanBeEmpty = true
        branchLength = 0
        i += 1
        continue
      }
      // Find the end of one atom.
      var end = i + 1
      switch c {
      case "\\":
        end = min(chars.count, i + 2)
      case "[":
        var j = i + 1
        if j < chars.count && chars[j] == "^" { j += 1 }
        if j < chars.count && chars[j] == "]" { j += 1 }
        while j < chars.count && chars[j] != "]" { j += chars[j] == "\\" ? 2 : 1 }
        end = min(chars.count, j + 1)
      case "(":
        var level = 0
        var j = i
        while j < chars.count {
          if chars[j] == "\\" {
            j += 2
            continue
          }
          if chars[j] == "(" { level += 1 }
          if chars[j] == ")" {
            level -= 1
            if level == 0 { break }
          }
          j += 1
        }
        end = min(chars.count, j + 1)
      case "^", "$":
        // Anchors match no character.
        i += 1
        branchLength += 1
        continue
      default:
        break
      }
      var optional = false
      while end < chars.count, "*?{".contains(chars[end]) {
        if chars[end] == "{" {
          // `{0,n}` / `{0}` make the atom optional; other counts do not.
          var j = end + 1
          var digits = ""
          while j < chars.count && chars[j] != "}" && chars[j] != "," {
            digits.append(chars[j])
            j += 1
          }
          if digits == "0" { optional = true }
          while j < chars.count && chars[j] != "}" { j += 1 }
          end = min(chars.count, j + 1)
        } else {
          if chars[end] != "?" || !optional { optional = true }
          end += 1
        }
      }
      if end < chars.count && chars[end] == "+" { end += 1 }
      if !optional { branchCanBeEmpty = false }
      branchLength += 1
      depth = 0
      i = end
    }
    return branchCanBeEmpty || branchLength == 0
  }

  /// Whether `name` is a time zone the runtime knows.
  static func isKnownZone(_ name: String) -> Bool {
    PolicyZone(identifier: name) != nil
  }

  /// Zone names offered as suggestions for a misspelt zone.
  static let commonZones = [
    "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul",
    "Asia/Jakarta", "Asia/Bangkok", "Asia/Manila", "Asia/Kuala_Lumpur", "Asia/Ho_Chi_Minh",
    "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Los_Angeles",
    "America/Sao_Paulo", "UTC",
  ]
}
