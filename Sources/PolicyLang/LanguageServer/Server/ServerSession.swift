// The server's state between messages: the open documents, their analyses (computed on demand
// and dropped when a file they read changes), which documents need their diagnostics
// published, and the messages the server has to send on its own (notifications, requests).

import PolicyLang

/// The state of one connection after `initialize`, and the handlers of every method.
struct ServerSession {
  var settings: ClientSettings
  let options: LanguageServerOptions
  private(set) var documents = DocumentStore()
  /// Analyses of open documents, by URI; absent when stale.
  private var analyses: [String: DocumentAnalysis] = [:]
  /// Documents whose diagnostics must be (re)published.
  private(set) var dirty: Set<String> = []
  /// Documents with diagnostics published (to clear when they close).
  private var published: Set<String> = []
  /// Messages to send after the current one is handled.
  private var outgoing: [JSONValue] = []
  private var nextRequestID: Int64 = 1
  /// The last run of inline tests of each document, for code lenses and diagnostics.
  var testRuns: [String: TestRun] = [:]

  init(settings: ClientSettings, options: LanguageServerOptions) {
    self.settings = settings
    self.options = options
  }

  /// The context features are given.
  var context: FeatureContext {
    var uris: [String: String] = [:]
    for document in documents.all { uris[document.path] = document.uri }
    return FeatureContext(language: settings.language, openURIs: uris, markdown: settings.markdownHover)
  }

  /// What the checker reads: open documents from memory, the rest from disk.
  var provider: WorkspaceSourceProvider {
    WorkspaceSourceProvider(documents: documents.bytesByPath, root: settings.root)
  }

  // MARK: - Documents

  mutating func open(_ document: OpenDocument) {
    documents.open(document)
    invalidate(path: document.path, uri: document.uri)
  }

  mutating func change(_ uri: String, version: Int?, changes: [DocumentChange]) throws(ResponseError) {
    guard let path = documents[uri]?.path, documents.change(uri, version: version, changes: changes) else {
      throw .invalidParams("`textDocument.uri` names a document that is not open: \(uri)")
    }
    invalidate(path: path, uri: uri)
  }

  mutating func close(_ uri: String) {
    guard let document = documents.close(uri) else { return }
    analyses[uri] = nil
    dirty.remove(uri)
    testRuns[uri] = nil
    invalidate(path: document.path, uri: nil)
    if published.remove(uri) != nil {
      notify("textDocument/publishDiagnostics", ["uri": .string(uri), "diagnostics": []])
    }
  }

  /// Files changed on disk: every analysis that read one of them (all, when `paths` is `nil`)
  /// is stale.
  mutating func filesChanged(_ paths: [String]?) {
    for (uri, analysis) in analyses {
      guard let paths else {
        analyses[uri] = nil
        dirty.insert(uri)
        continue
      }
      if !analysis.readPaths.isDisjoint(with: paths) {
        analyses[uri] = nil
        dirty.insert(uri)
      }
    }
  }

  /// The document at `path` changed: its analysis and every analysis that read it are stale.
  private mutating func invalidate(path: String, uri: String?) {
    if let uri {
      analyses[uri] = nil
      dirty.insert(uri)
    }
    for (other, analysis) in analyses where analysis.readPaths.contains(path) {
      analyses[other] = nil
      dirty.insert(other)
    }
  }

  /// The analysis of an open document, computed when stale.
  mutating func analysis(of uri: String) -> DocumentAnalysis? {
    if let cached = analyses[uri] { return cached }
    guard let document = documents[uri] else { return nil }
    let provider = self.provider
    let analysis = DocumentAnalysis.analyze(
      document, root: provider.policyRoot(of: document.path), provider: provider)
    analyses[uri] = analysis
    return analysis
  }

  /// The analysis of the document a request names (`textDocument.uri`); a document that is
  /// not open is an invalid request.
  mutating func analysis(for params: Params) throws(ResponseError) -> DocumentAnalysis {
    let uri = try params.documentURI()
    guard let analysis = analysis(of: uri) else {
      throw .invalidParams("`textDocument.uri` names a document that is not open: \(uri)")
    }
    return analysis
  }

  // MARK: - Outgoing messages

  mutating func notify(_ method: String, _ params: JSONValue) {
    outgoing.append(OutgoingMessage.notification(method: method, params: params))
  }

  /// Sends a request of the server's; the client's answer is read and ignored.
  mutating func request(_ method: String, _ params: JSONValue) {
    let id = RequestID.integer(nextRequestID)
    nextRequestID += 1
    outgoing.append(OutgoingMessage.request(id: id, method: method, params: params))
  }

  /// Shows a message in the editor: 1 error, 2 warning, 3 info.
  mutating func show(_ message: String, type: Int) {
    notify("window/showMessage", ["type": JSONValue(type), "message": .string(message)])
  }

  /// Takes the messages queued so far.
  mutating func takeOutgoing() -> [JSONValue] {
    defer { outgoing = [] }
    return outgoing
  }

  /// Publishes the diagnostics of every dirty document.
  mutating func publishDirtyDiagnostics() {
    for uri in dirty.sorted() {
      guard let analysis = analysis(of: uri) else { continue }
      var diagnostics = DiagnosticsFeature.diagnostics(of: analysis, context: context)
      if let run = testRuns[uri], run.version == analysis.version {
        diagnostics += TestLensFeature.failureDiagnostics(run, analysis: analysis, context: context)
      }
      notify(
        "textDocument/publishDiagnostics",
        ["uri": .string(uri), "version": JSONValue(analysis.version), "diagnostics": .array(diagnostics)])
      published.insert(uri)
    }
    dirty = []
  }

  /// Marks a document's diagnostics for publishing (after a test run adds to them).
  mutating func markDirty(_ uri: String) { dirty.insert(uri) }
}
