// The method table: which handler answers each request and notification, and what the server
// says it can do in `initialize`'s result.

import PolicyLang

extension ServerSession {
  /// The command a code lens runs: the inline tests of a rule (or of the whole document).
  static let runTestsCommand = "policylang.runTests"

  /// `initialize`'s result: the server's capabilities and name.
  func initializeResult() -> JSONValue {
    [
      "capabilities": [
        "positionEncoding": "utf-16",
        "textDocumentSync": ["openClose": true, "change": 2, "save": ["includeText": false]],
        "hoverProvider": true,
        "definitionProvider": true,
        "referencesProvider": true,
        "documentSymbolProvider": true,
        "completionProvider": ["resolveProvider": false, "triggerCharacters": []],
        "documentFormattingProvider": true,
        "codeActionProvider": ["codeActionKinds": ["quickfix"]],
        "codeLensProvider": ["resolveProvider": false],
        "executeCommandProvider": ["commands": [.string(Self.runTestsCommand)]],
      ],
      "serverInfo": ["name": "policyc", "version": .string(options.version)],
    ]
  }

  /// Answers a request (other than `initialize` and `shutdown`, which the loop handles).
  mutating func respond(to method: String, params: JSONValue) throws(ResponseError) -> JSONValue {
    let params = Params(params)
    switch method {
    case "textDocument/hover":
      return HoverFeature.hover(
        at: try params.position("position"), in: try analysis(for: params), context: context)
    case "textDocument/definition":
      return NavigationFeature.definition(
        at: try params.position("position"), in: try analysis(for: params), context: context)
    case "textDocument/references":
      let include = try params.optionalObject("context")?.optionalBool("includeDeclaration") ?? true
      return NavigationFeature.references(
        at: try params.position("position"), in: try analysis(for: params), includeDeclaration: include,
        context: context)
    case "textDocument/documentSymbol":
      return SymbolsFeature.documentSymbols(of: try analysis(for: params), context: context)
    case "textDocument/completion":
      return CompletionFeature.completion(
        at: try params.position("position"), in: try analysis(for: params), context: context)
    case "textDocument/formatting":
      let uri = try params.documentURI()
      guard let document = documents[uri] else {
        throw .invalidParams("`textDocument.uri` names a document that is not open: \(uri)")
      }
      let result = FormattingFeature.format(document, context: context)
      if let message = result.message { show(message, type: 2) }
      return result.edits
    case "textDocument/codeAction":
      return CodeActionFeature.codeActions(
        in: try params.range("range"), of: try analysis(for: params), context: context)
    case "textDocument/codeLens":
      let analysis = try analysis(for: params)
      return TestLensFeature.codeLenses(of: analysis, lastRun: testRuns[analysis.uri], context: context)
    case "workspace/executeCommand":
      return try executeCommand(params)
    default:
      throw .methodNotFound(method)
    }
  }

  /// Handles a notification; unknown ones (and `$/` ones such as `$/cancelRequest`: every
  /// request is answered before the next message is read) are ignored.
  mutating func handle(notification method: String, params: JSONValue) throws(ResponseError) {
    let params = Params(params)
    switch method {
    case "initialized":
      // Word lists and closed imports change on disk: ask the editor to say when.
      if settings.watchesFiles {
        request(
          "client/registerCapability",
          [
            "registrations": [
              [
                "id": "policylang-files", "method": "workspace/didChangeWatchedFiles",
                "registerOptions": [
                  "watchers": [["globPattern": "**/*.policy"], ["globPattern": "**/*.txt"]]
                ],
              ]
            ]
          ])
      }
    case "textDocument/didOpen":
      let item = try params.object("textDocument")
      open(
        OpenDocument(
          uri: try item.string("uri"), languageID: try item.optionalString("languageId") ?? "",
          version: try item.integer("version"), text: try item.string("text")))
    case "textDocument/didChange":
      let document = try params.object("textDocument")
      let uri = try document.string("uri")
      let version = try? document.integer("version")
      var changes: [DocumentChange] = []
      for change in try params.array("contentChanges") {
        changes.append(
          DocumentChange(text: try change.string("text"), range: try change.optionalRange("range")))
      }
      try change(uri, version: version, changes: changes)
    case "textDocument/didClose":
      close(try params.documentURI())
    case "workspace/didChangeWatchedFiles":
      let paths = try? params.array("changes").map { change throws(ResponseError) in
        let uri = try change.string("uri")
        return PolicyLoader.normalize(DocumentURI.path(fromURI: uri) ?? uri)
      }
      filesChanged(paths)
    case "workspace/didChangeConfiguration":
      applyConfiguration(params.value["settings"] ?? .null)
    default:
      break
    }
  }

  /// `workspace/didChangeConfiguration`: a new language applies to everything published next.
  private mutating func applyConfiguration(_ settings: JSONValue) {
    let lang = settings["lang"]?.stringValue ?? settings["policylang"]?["lang"]?.stringValue
    guard let lang else { return }
    self.settings.language = Language.from(flag: lang, environment: [:])
    for document in documents.all { markDirty(document.uri) }
  }

  private mutating func executeCommand(_ params: Params) throws(ResponseError) -> JSONValue {
    let command = try params.string("command")
    guard command == Self.runTestsCommand else {
      throw .invalidParams("unknown command `\(command)`; the server runs `\(Self.runTestsCommand)`")
    }
    let arguments = (try? params.array("arguments")) ?? []
    guard let uri = arguments.first?.value.stringValue else {
      throw .invalidParams("`\(Self.runTestsCommand)` takes the document's URI and optionally a rule name")
    }
    let rule = arguments.count > 1 ? arguments[1].value.stringValue : nil
    guard let analysis = analysis(of: uri) else {
      throw .invalidParams("`arguments[0]` names a document that is not open: \(uri)")
    }
    let outcome = TestLensFeature.run(analysis, rule: rule, context: context)
    if let run = outcome.run {
      testRuns[uri] = run
      markDirty(uri)
      if settings.refreshesCodeLenses { request("workspace/codeLens/refresh", .null) }
    }
    show(outcome.summary, type: outcome.messageType)
    return outcome.result
  }
}
