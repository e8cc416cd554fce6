// swift-tools-version: 6.1
import PackageDescription

// The timing suites live in their own package so that users of the library never build the
// benchmark dependencies. Run them with `cd Benchmarks && swift package benchmark`.
let package = Package(
    name: "InfusionSchedulerBenchmarks",
    dependencies: [
        .package(name: "InfusionScheduler", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "GreedyBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "InfusionScheduler", package: "InfusionScheduler"),
            ],
            path: "GreedyBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MIPBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "InfusionScheduler", package: "InfusionScheduler"),
            ],
            path: "MIPBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ValidationBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "InfusionScheduler", package: "InfusionScheduler"),
            ],
            path: "ValidationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "BookingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "InfusionScheduler", package: "InfusionScheduler"),
            ],
            path: "BookingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
