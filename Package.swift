// swift-tools-version: 6.0
// vnetsim — a discrete-event network performance simulator of virtualized hosts.
//
// Dependencies point one way (see ../shared/DESIGN.md and Sources/README.md):
//   vnetsim → Studies → Scenario → Models → SimCore
//   Models → Stochastics → CGSL
//   Reports → SimCore, Stochastics
import PackageDescription

/// Hot-path modules give up the dynamic exclusivity checks on class properties:
/// the kernel and the models are single-threaded and their accesses are
/// checked statically and by the test suite's debug builds.
let hotPath: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

let package = Package(
    name: "vnetsim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vnetsim", targets: ["vnetsim"]),
        .library(name: "SimCore", targets: ["SimCore"]),
        .library(name: "Models", targets: ["Models"]),
        .library(name: "SimBench", targets: ["SimBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        // SQLite for a study's database (Studies/StudyDatabase.swift); links the system libsqlite3 (libsqlite3-dev).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: - C
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),

        // MARK: - Library modules
        .target(
            name: "SimCore",
            swiftSettings: hotPath
        ),
        .target(
            name: "Stochastics",
            dependencies: ["CGSL", "SimCore", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: hotPath
        ),
        .target(
            name: "Models",
            dependencies: [
                "SimCore", "Stochastics",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "Scenario",
            dependencies: ["Models", "SimCore", "Stochastics", "Yams"]
        ),
        .target(
            name: "Reports",
            dependencies: [
                "SimCore", "Stochastics", "Models",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "SimBench",
            dependencies: ["SimCore", "Stochastics"],
            swiftSettings: hotPath
        ),
        .target(
            name: "Studies",
            dependencies: [
                "Scenario", "Reports", "Models", "SimCore", "Stochastics",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: hotPath
        ),
        .executableTarget(
            name: "vnetsim",
            dependencies: [
                "SimCore", "Stochastics", "SimBench", "Models", "Scenario", "Reports", "Studies",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPath
        ),

        // MARK: - Tests
        .testTarget(name: "SimCoreTests", dependencies: ["SimCore", "SimBench", "Stochastics", "TestSupport"]),
        .testTarget(name: "StochasticsTests", dependencies: ["Stochastics"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "SimCore", "Stochastics", "TestSupport"]),
        .testTarget(
            name: "ScenarioTests", dependencies: ["Scenario", "Models", "SimCore", "Stochastics", "TestSupport"], exclude: ["Broken"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Models", "SimCore"]),
        // Runs the built CLI; imports it (@testable) only to list its subcommands.
        .testTarget(
            name: "EndToEndTests", dependencies: ["vnetsim", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "StudiesTests", dependencies: ["Studies", "Scenario", "Reports", "Models", "SimCore", "TestSupport"]),
        // Every shipped scenario and docs example, run short, compared byte for byte with Tests/Golden/.
        .testTarget(name: "GoldenTests", dependencies: ["Scenario", "Models", "Reports", "SimCore", "Studies", "TestSupport"]),
        // What more than one test target needs (the docs' example blocks); used by tests only.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "FuzzTests", dependencies: ["Scenario", "Models", "SimCore", "Reports", "Yams", "TestSupport"],
            exclude: ["Corpus", "README.md"]),
    ]
)
