// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "PolicyLang",
  products: [
    .library(name: "PolicyLang", targets: ["PolicyLang"]),
    // The C API as a shared library (`libpolicylang.so`) for C, Python and other languages.
    .library(name: "policylang", type: .dynamic, targets: ["PolicyLangCAPI"]),
    .executable(name: "policyc", targets: ["policyc"]),
  ],
  targets: [
    .target(name: "PolicyLang", exclude: ["CAPI"]),
    // The C header `policylang.h` as a module, so the Swift side is compiled against its types.
    .systemLibrary(name: "CPolicyLang", path: "Sources/PolicyLang/CAPI/include"),
    .target(
      name: "PolicyLangCAPI",
      dependencies: ["PolicyLang", "CPolicyLang"],
      path: "Sources/PolicyLang/CAPI",
      exclude: ["include"]
    ),
    .executableTarget(name: "policyc", dependencies: ["PolicyLang"]),
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
      dependencies: ["PolicyLang"],
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
