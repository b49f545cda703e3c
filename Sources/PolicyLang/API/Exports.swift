// `import PolicyLang` is the one import users write: it brings every layer's public API.

@_exported import PolicyLangCompile
@_exported import PolicyLangCore
@_exported import PolicyLangFrontend
@_exported import PolicyLangRuntime
@_exported import PolicyLangSession
@_exported import PolicyLangText
