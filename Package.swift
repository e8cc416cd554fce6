// swift-tools-version: 6.0
import PackageDescription

/// What every test target may use: the support target and every layer (MIPKit included, for the
/// solver's own tests).
let testDependencies: [Target.Dependency] = ["TestSupport", "InfusionScheduler", "MIPKit"]

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
        // Every GLPK call under a guard, so that a GLPK error is thrown instead of aborting the
        // process (C: a system library target cannot hold sources; see its header for the rule).
        .target(name: "CGLPKShim", dependencies: ["CGLPK"]),
        // The layers, bottom up (docs/ARCHITECTURE.md). Each target sees only those below it; a
        // back-edge does not compile. `package` declarations cross target lines without being public.
        .target(name: "SchedulingModel"),
        .target(name: "SchedulingRules", dependencies: ["SchedulingModel"]),
        .target(name: "MIPKit", dependencies: ["SchedulingModel", "CGLPK", "CGLPKShim"]),
        .target(name: "SchedulingSolvers", dependencies: ["SchedulingModel", "SchedulingRules", "MIPKit"]),
        .target(name: "SchedulingReplan", dependencies: ["SchedulingModel", "SchedulingRules", "SchedulingSolvers"]),
        .target(name: "SchedulingGenerator", dependencies: ["SchedulingModel", "SchedulingRules"]),
        .target(name: "SchedulingRender", dependencies: ["SchedulingModel", "SchedulingRules"]),
        .target(name: "SchedulingSimulation", dependencies: ["SchedulingModel", "SchedulingRules"]),
        .target(name: "SchedulingWhatIf", dependencies: [
            "SchedulingModel", "SchedulingRules", "SchedulingSolvers", "SchedulingReplan", "SchedulingGenerator",
            "SchedulingSimulation",
        ]),
        // Robust plans: the solvers' plans judged by the simulator (docs/ROBUSTNESS.md).
        .target(name: "SchedulingRobust", dependencies: [
            "SchedulingModel", "SchedulingRules", "SchedulingSolvers", "SchedulingSimulation",
        ]),
        .target(name: "SchedulingBench", dependencies: [
            "SchedulingModel", "SchedulingRules", "SchedulingSolvers", "SchedulingGenerator",
        ]),
        .target(name: "SchedulingBooking", dependencies: [
            "SchedulingModel", "SchedulingRules", "SchedulingSolvers", "SchedulingGenerator", "SchedulingRender", "MIPKit",
        ]),
        // The umbrella an embedder imports: the same name and API as before the layers.
        .target(name: "InfusionScheduler", dependencies: [
            "SchedulingModel", "SchedulingRules", "SchedulingSolvers", "SchedulingReplan",
            "SchedulingWhatIf", "SchedulingGenerator", "SchedulingRender", "SchedulingBench", "SchedulingBooking",
            "SchedulingSimulation", "SchedulingRobust",
        ]),
        .executableTarget(
            name: "infusion-scheduler",
            // The layers are listed beside the umbrella so that an incremental build recompiles the
            // CLI when a layer changes (the umbrella's own module does not change then).
            dependencies: [
                "InfusionScheduler", "SchedulingModel", "SchedulingRules", "SchedulingSolvers", "SchedulingReplan",
                "SchedulingWhatIf", "SchedulingGenerator", "SchedulingRender", "SchedulingBench", "SchedulingBooking",
                "SchedulingSimulation", "SchedulingRobust",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Tests: one target per layer and one for the command line, on a shared support target
        // (fixture paths, the CLI runner, the seeded days built in code).
        .target(
            name: "TestSupport",
            dependencies: ["InfusionScheduler", "SchedulingModel", "SchedulingRules"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "ModelTests", dependencies: testDependencies),
        .testTarget(name: "RulesTests", dependencies: testDependencies),
        .testTarget(name: "SolverTests", dependencies: testDependencies),
        .testTarget(name: "ReplanTests", dependencies: testDependencies),
        .testTarget(name: "FeatureTests", dependencies: testDependencies),
        .testTarget(name: "CLITests", dependencies: testDependencies),
        .testTarget(name: "BookingTests", dependencies: testDependencies),
        .testTarget(name: "SimulationTests", dependencies: testDependencies),
    ]
)
