/// The languages PolicyLang speaks to people in. Machine-readable output is never translated.
public enum Language: String, Sendable, CaseIterable {
  case english = "en"
  case chinese = "zh"

  /// Picks the language from `--lang` or, failing that, from `LC_ALL`, `LC_MESSAGES` and `LANG`.
  public static func from(flag: String?, environment: [String: String]) -> Language {
    if let flag { return flag.lowercased().hasPrefix("zh") ? .chinese : .english }
    for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
      if let value = environment[key], !value.isEmpty {
        return value.lowercased().hasPrefix("zh") ? .chinese : .english
      }
    }
    return .english
  }
}

/// A text a person reads, in every supported language.
///
/// Every diagnostic message, note and help is written in English and Simplified Chinese at the
/// place it is raised, so that no message can be missing a translation.
public struct LocalizedText: Hashable, Sendable, CustomStringConvertible {
  public let english: String
  public let chinese: String

  public init(_ english: String, zh chinese: String) {
    self.english = english
    self.chinese = chinese
  }

  public func text(in language: Language) -> String {
    switch language {
    case .english: return english
    case .chinese: return chinese
    }
  }

  public var description: String { english }
}
