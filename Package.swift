// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "PolicyLang",
  products: [
    .library(name: "PolicyLang", targets: ["PolicyLang"]),
    .executable(name: "policyc", targets: ["policyc"]),
  ],
  targets: [
    .target(name: "PolicyLang", exclude: ["Report"]),
    .target(name: "PolicyLangReport", dependencies: ["PolicyLang"], path: "Sources/PolicyLang/Report"),
    .executableTarget(name: "policyc", dependencies: ["PolicyLang", "PolicyLangReport"]),
    .executableTarget(
      name: "policy-bench",
      dependencies: ["PolicyLang"],
      path: "Benchmarks/PolicyBench"
    ),
    .executableTarget(
      name: "embedding-example",
      dependencies: ["PolicyLang"],
      path: "Examples/Embedding"
    ),
    .testTarget(
      name: "PolicyLangTests",
      dependencies: ["PolicyLang", "PolicyLangReport"],
      exclude: ["testdata"]
    ),
    .testTarget(
      name: "policycTests",
      dependencies: ["policyc", "PolicyLang"],
      exclude: ["testdata"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
