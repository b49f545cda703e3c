// swift-tools-version:6.0
import PackageDescription

// The library is one product, `PolicyLang`, built from one target per stage of the pipeline. Each
// target is a folder of Sources/PolicyLang and may import only the layers below it, so the
// compiler keeps the pipeline's direction:
//
//   Core      source files, diagnostics, time and zones, byte strings, shared words
//   Text      normalization, term automaton, patterns, detectors
//   Frontend  lexer, parser, syntax tree, checker, formatter
//   Compile   lowering, IR, passes, rule program, the program file
//   Runtime   events in, the evaluator, verdicts out
//   Session   whole runs: reading, ordering, judging, spilling, finishing
//   API       `CompiledPolicy`, policy tests, the catalogue; re-exports every layer
//
// `PolicyLangLanguageServer` (Sources/PolicyLang/LanguageServer, `policyc lsp`) is a client of the
// library beside the pipeline, not a layer of it.
let layers: [(name: String, folder: String, below: [String])] = [
  ("PolicyLangCore", "Core", []),
  ("PolicyLangText", "Text", ["PolicyLangCore"]),
  ("PolicyLangFrontend", "Frontend", ["PolicyLangCore", "PolicyLangText"]),
  ("PolicyLangCompile", "Compile", ["PolicyLangCore", "PolicyLangText", "PolicyLangFrontend"]),
  ("PolicyLangRuntime", "Runtime", ["PolicyLangCore", "PolicyLangText", "PolicyLangCompile"]),
  (
    "PolicyLangSession", "Session",
    ["PolicyLangCore", "PolicyLangText", "PolicyLangCompile", "PolicyLangRuntime"]
  ),
]
let allLayers = layers.map(\.name)
// What a client of the library depends on: the umbrella and, explicitly, every layer. Through
// `@_exported` alone, an incremental build misses a change in a layer's types and keeps a
// client's stale objects; a direct dependency makes SwiftPM rebuild the client.
let library: [Target.Dependency] = ["PolicyLang"] + allLayers.map { .target(name: $0) }

let package = Package(
  name: "PolicyLang",
  products: [
    .library(name: "PolicyLang", targets: ["PolicyLang"] + allLayers),
    // The C API as a shared library (`libpolicylang.so`) for C, Python and other languages.
    .library(name: "policylang", type: .dynamic, targets: ["PolicyLangCAPI"]),
    .executable(name: "policyc", targets: ["policyc"]),
  ],
  targets: layers.map { layer in
    .target(
      name: layer.name,
      dependencies: layer.below.map { .target(name: $0) },
      path: "Sources/PolicyLang/\(layer.folder)"
    )
  } + [
    .target(
      name: "PolicyLang",
      dependencies: allLayers.map { .target(name: $0) },
      path: "Sources/PolicyLang/API"
    ),
    // The C header `policylang.h` as a module, so the Swift side is compiled against its types.
    .systemLibrary(name: "CPolicyLang", path: "Sources/PolicyLang/CAPI/include"),
    // The C API over the public API of `PolicyLang` (the product `policylang`).
    .target(
      name: "PolicyLangCAPI",
      dependencies: library + ["CPolicyLang"],
      path: "Sources/PolicyLang/CAPI",
      exclude: ["include"]
    ),
    // The editor's language server: a client of the library, beside the pipeline.
    .target(
      name: "PolicyLangLanguageServer",
      dependencies: library,
      path: "Sources/PolicyLang/LanguageServer"
    ),
    .executableTarget(name: "policyc", dependencies: library + ["PolicyLangLanguageServer"]),
    .executableTarget(
      name: "policy-bench",
      dependencies: library + ["PolicyLangLanguageServer"],
      path: "Benchmarks/PolicyBench"
    ),
    .executableTarget(
      name: "embedding-example",
      dependencies: library,
      path: "Examples/Embedding"
    ),
    .executableTarget(
      name: "policylang-fuzz",
      dependencies: library + ["PolicyLangLanguageServer"],
      path: "Fuzz"
    ),
    .testTarget(
      name: "PolicyLangTests",
      dependencies: library,
      exclude: ["testdata"]
    ),
    .testTarget(
      name: "PolicyLangLanguageServerTests",
      dependencies: ["PolicyLangLanguageServer"] + library
    ),
    .testTarget(
      name: "policycTests",
      dependencies: ["policyc", "PolicyLangLanguageServer"] + library,
      exclude: ["testdata"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
