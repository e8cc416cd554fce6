// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "InfusionScheduler",
    products: [
        // Public API
        .library(name: "InfusionScheduler", targets: ["InfusionScheduler"]),
        .executable(name: "infusion-scheduler", targets: ["infusion-scheduler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Implementation details
        .systemLibrary(
            name: "CGLPK",
            path: "Sources/CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        .target(
            name: "InfusionScheduler",
            dependencies: ["CGLPK"]
        ),
        .executableTarget(
            name: "infusion-scheduler",
            dependencies: [
                "InfusionScheduler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Tests
        .testTarget(
            name: "InfusionSchedulerTests",
            dependencies: ["InfusionScheduler"]
        ),
    ]
)
