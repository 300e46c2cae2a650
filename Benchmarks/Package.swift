// swift-tools-version: 6.1
// Allocation budgets of the event loop (issue #9), measured with ordo-one's package-benchmark.
//
// A separate package so that the root package (and CI's from-scratch build of it) never fetches or
// builds the benchmark framework. Run it with scripts/bench, which checks the static thresholds in
// Thresholds/ (zero mallocs in the measured event loop):
//   cd Benchmarks && swift package benchmark thresholds check
import PackageDescription

let package = Package(
    name: "vnetsim-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named: a path dependency is otherwise known by its folder's name, which depends on the clone.
        .package(name: "vnetsim", path: ".."),
        // MallocInterposer counts every malloc without jemalloc (Swift 6.3+); it is the only trait enabled.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "AllocationBudgets",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SimCore", package: "vnetsim"),
                .product(name: "SimBench", package: "vnetsim"),
                .product(name: "Models", package: "vnetsim"),
            ],
            path: "Benchmarks/AllocationBudgets",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
