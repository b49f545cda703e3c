// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "PolicyLang",
  products: [
    .library(name: "PolicyLang", targets: ["PolicyLang"]),
    .executable(name: "policyc", targets: ["policyc"]),
  ],
  targets: [
    .target(name: "PolicyLang", exclude: ["LanguageServer"]),
    .target(
      name: "PolicyLangLanguageServer",
      dependencies: ["PolicyLang"],
      path: "Sources/PolicyLang/LanguageServer"
    ),
    .executableTarget(name: "policyc", dependencies: ["PolicyLang", "PolicyLangLanguageServer"]),
    .executableTarget(
      name: "policy-bench",
      dependencies: ["PolicyLang", "PolicyLangLanguageServer"],
      path: "Benchmarks/PolicyBench"
    ),
    .executableTarget(
      name: "embedding-example",
      dependencies: ["PolicyLang"],
      path: "Examples/Embedding"
    ),
    .testTarget(
      name: "PolicyLangTests",
      dependencies: ["PolicyLang"],
      exclude: ["testdata"]
    ),
    .testTarget(
      name: "PolicyLangLanguageServerTests",
      dependencies: ["PolicyLangLanguageServer", "PolicyLang"]
    ),
    .testTarget(
      name: "policycTests",
      dependencies: ["policyc", "PolicyLang", "PolicyLangLanguageServer"],
      exclude: ["testdata"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
