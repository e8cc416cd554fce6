// swift-tools-version: 6.0
import PackageDescription

// Builds swift-openapi-generator's command line for scripts/generate-openapi.sh, so that the
// generator is never part of the service's own build (its output is committed instead).
let package = Package(
    name: "openapi-tools",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3"),
    ],
    targets: []
)
