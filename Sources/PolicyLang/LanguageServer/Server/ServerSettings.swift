// What the server is started with, and what the client says in `initialize`: the language of
// messages, the root directory imports are confined to, and what the client can do.

import PolicyLang

/// How `policyc lsp` was started.
public struct LanguageServerOptions: Sendable {
  /// The language of `--lang`, if it was given.
  public var language: Language?
  /// The process environment (`LANG`, `LC_MESSAGES`, ...): the language when nothing else says.
  public var environment: [String: String]
  /// The version reported in `serverInfo`.
  public var version: String

  /// Options for a server started with `--lang` (or not) in `environment`.
  public init(language: Language? = nil, environment: [String: String] = [:], version: String = "0.1.0") {
    self.language = language
    self.environment = environment
    self.version = version
  }
}

/// The settings in force after `initialize`.
struct ClientSettings: Sendable {
  /// The language diagnostics, hovers and messages are written in.
  var language: Language
  /// The directory disk reads are confined to; `nil` for none.
  var root: String?
  /// Whether the client takes `workspace/codeLens/refresh` requests.
  var refreshesCodeLenses = false
  /// Whether the client renders Markdown in hovers.
  var markdownHover = true
  /// Whether the client watches files for the server when asked (`client/registerCapability`).
  var watchesFiles = false

  init(language: Language, root: String? = nil) {
    self.language = language
    self.root = root
  }

  /// The settings `initialize`'s params give, with `options` for what they leave out.
  ///
  /// Language: `initializationOptions.lang` (or `policylang.lang`), else `--lang`, else the
  /// client's `locale` (`zh-cn` and every `zh*` is Chinese), else the environment.
  /// Root: `initializationOptions.rootDirectory` (or `policylang.root`), else the first workspace
  /// folder, else `rootUri`/`rootPath`.
  init(initialize params: JSONValue, options: LanguageServerOptions) {
    let initOptions = params["initializationOptions"] ?? .null
    func option(_ names: [String]) -> String? {
      for name in names {
        if let text = initOptions[name]?.stringValue { return text }
        if name.hasPrefix("policylang."),
          let text = initOptions["policylang"]?[String(name.dropFirst("policylang.".count))]?.stringValue
        {
          return text
        }
      }
      return nil
    }
    if let lang = option(["lang", "language", "policylang.lang"]) {
      language = Language.from(flag: lang, environment: [:])
    } else if let flag = options.language {
      language = flag
    } else if let locale = params["locale"]?.stringValue {
      language = Language.from(flag: locale, environment: [:])
    } else {
      language = Language.from(flag: nil, environment: options.environment)
    }
    let rootOption = option(["rootDirectory", "root", "policylang.root"])
    let folder = params["workspaceFolders"]?.arrayValue?.first?["uri"]?.stringValue
    let candidates = [rootOption, folder, params["rootUri"]?.stringValue, params["rootPath"]?.stringValue]
    root = candidates.lazy.compactMap { $0 }.compactMap(Self.directory).first
    let capabilities = params["capabilities"] ?? .null
    refreshesCodeLenses = capabilities["workspace"]?["codeLens"]?["refreshSupport"]?.boolValue ?? false
    watchesFiles =
      capabilities["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.boolValue ?? false
    if let formats = capabilities["textDocument"]?["hover"]?["contentFormat"]?.arrayValue {
      markdownHover = formats.contains("markdown")
    }
  }

  /// A directory from a `file:` URI or an absolute path; `nil` for anything else.
  private static func directory(_ text: String) -> String? {
    if let path = DocumentURI.path(fromURI: text) { return PolicyLoader.normalize(path) }
    return text.hasPrefix("/") ? PolicyLoader.normalize(text) : nil
  }
}
