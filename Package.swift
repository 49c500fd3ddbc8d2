// swift-tools-version: 6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "autocoder",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "autocoder", targets: ["AutoCoderCLI"]),
        .library(name: "AutoCoder", targets: ["AutoCoder"]),
        .library(name: "AutoCoderProcess", targets: ["AutoCoderProcess"]),
        .library(name: "AutoCoderExecution", targets: ["AutoCoderExecution"]),
        .library(name: "AutoCoderLLM", targets: ["AutoCoderLLM"]),
        .library(name: "AutoCoderStore", targets: ["AutoCoderStore"]),
        .library(name: "AutoCoderBench", targets: ["AutoCoderBench"]),
        .library(name: "AutoCoderApp", targets: ["AutoCoderApp"]),
        .executable(name: "autocoder-sandbox-bench", targets: ["SandboxBenchmark"]),
        // The front ends other than the command line, each a library that `autocoder` links when its trait is on
        // (`serve`, `mcp`, `worker` and postgres:// stores), so that the default build never waits for Hummingbird,
        // the MCP SDK or postgres-nio: `swift build --traits Serve,MCP,Postgres` (or `--enable-all-traits`).
        .library(name: "AutoCoderServe", targets: ["AutoCoderServe"]),
        .library(name: "AutoCoderMCP", targets: ["AutoCoderMCP"]),
        .library(name: "AutoCoderWorker", targets: ["AutoCoderWorker"]),
        .library(name: "AutoCoderPostgres", targets: ["AutoCoderPostgres"]),
    ],
    traits: [
        .trait(name: "Serve", description: "`autocoder serve`: the HTTP API and its web page (Hummingbird)."),
        .trait(name: "MCP", description: "`autocoder mcp`: the MCP server (the MCP Swift SDK)."),
        .trait(
            name: "Postgres",
            description: "`autocoder worker`, `bench --database`, `bench status|results` and postgres:// run stores "
                + "(postgres-nio)."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(
            name: "AutoCoder",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        // The one spawning path: every process autocoder starts goes through this module.
        .target(
            name: "AutoCoderProcess",
            dependencies: [.product(name: "Subprocess", package: "swift-subprocess")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AutoCoderExecution",
            dependencies: [
                "AutoCoder",
                "AutoCoderProcess",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .copy("Resources/pytest_worker.py"), .copy("Resources/pytest_integrity.py"),
                .copy("Resources/integrity_scan.py"), .copy("Resources/integrity_guards.py"),
                .copy("Resources/seccomp_filter.py"), .copy("Resources/landlock_rules.py"),
                .copy("Resources/verdict_bridge.py"), .copy("Resources/AutocoderLauncher.java"),
                .copy("Resources/AutocoderSwiftMain.swift"), .copy("Resources/plain_runner.py"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AutoCoderLLM",
            dependencies: ["AutoCoder", "AutoCoderProcess"],
            resources: [.copy("Resources/local_model_server.py")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AutoCoderStore",
            dependencies: ["AutoCoder", "AutoCoderProcess", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AutoCoderBench",
            dependencies: ["AutoCoder", "AutoCoderExecution"],
            swiftSettings: strictSettings
        ),
        // The application layer below every front end: run configuration, registries, sessions.
        .target(
            name: "AutoCoderApp",
            dependencies: ["AutoCoder", "AutoCoderExecution", "AutoCoderLLM", "AutoCoderStore", "AutoCoderBench"],
            swiftSettings: strictSettings
        ),
        // The command line's commands; the heavy front ends are linked only when their trait is on.
        .target(
            name: "AutoCoderCommands",
            dependencies: [
                "AutoCoder",
                "AutoCoderApp",
                "AutoCoderExecution",
                "AutoCoderLLM",
                "AutoCoderStore",
                "AutoCoderBench",
                .target(name: "AutoCoderServe", condition: .when(traits: ["Serve"])),
                .target(name: "AutoCoderMCP", condition: .when(traits: ["MCP"])),
                .target(name: "AutoCoderWorker", condition: .when(traits: ["Postgres"])),
                .target(name: "AutoCoderPostgres", condition: .when(traits: ["Postgres"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "AutoCoderCLI", dependencies: ["AutoCoderCommands"], swiftSettings: strictSettings),
        .target(
            name: "AutoCoderMCP",
            dependencies: [
                "AutoCoder", "AutoCoderApp", "AutoCoderExecution", "AutoCoderStore",
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AutoCoderServe",
            dependencies: [
                "AutoCoder", "AutoCoderApp", "AutoCoderExecution", "AutoCoderStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/web")],
            swiftSettings: strictSettings
        ),
        // The bench queue on PostgreSQL: schema, enqueueing, leases with fencing tokens, progress and results.
        .target(
            name: "AutoCoderPostgres",
            dependencies: [
                "AutoCoder", "AutoCoderBench", "AutoCoderStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The queue's front end: the worker's loop, and enqueueing, status and results for the CLI's commands.
        .target(
            name: "AutoCoderWorker",
            dependencies: ["AutoCoder", "AutoCoderApp", "AutoCoderBench", "AutoCoderPostgres", "AutoCoderStore"],
            swiftSettings: strictSettings
        ),
        // docs/library.md's examples, compiled with the package (LibraryDocumentTests keeps the two the same).
        .executableTarget(
            name: "LibraryExamples",
            dependencies: ["AutoCoder", "AutoCoderApp", "AutoCoderExecution", "AutoCoderLLM"],
            path: "Examples/LibraryExamples"
        ),
        .executableTarget(
            name: "SandboxBenchmark",
            dependencies: ["AutoCoder", "AutoCoderExecution"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AutoCoderTestSupport",
            dependencies: ["AutoCoder", "AutoCoderProcess"],
            path: "Tests/AutoCoderTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AutoCoderTests",
            dependencies: ["AutoCoder", "AutoCoderExecution", "AutoCoderTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AutoCoderExecutionTests",
            dependencies: ["AutoCoder", "AutoCoderExecution", "AutoCoderTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AutoCoderLLMTests",
            dependencies: ["AutoCoder", "AutoCoderExecution", "AutoCoderLLM", "AutoCoderTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AutoCoderStoreTests",
            dependencies: [
                "AutoCoder", "AutoCoderExecution", "AutoCoderStore", "AutoCoderTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AutoCoderBenchTests",
            dependencies: ["AutoCoder", "AutoCoderBench", "AutoCoderTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AutoCoderAppTests",
            dependencies: [
                "AutoCoder", "AutoCoderApp", "AutoCoderExecution", "AutoCoderStore", "AutoCoderBench",
                "AutoCoderTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AutoCoderPostgresTests",
            dependencies: [
                "AutoCoder", "AutoCoderApp", "AutoCoderBench", "AutoCoderExecution", "AutoCoderStore",
                "AutoCoderPostgres", "AutoCoderWorker", "AutoCoderTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AutoCoderServeTests",
            dependencies: [
                "AutoCoder", "AutoCoderApp", "AutoCoderServe", "AutoCoderTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AutoCoderMCPTests",
            dependencies: [
                "AutoCoder", "AutoCoderMCP", "AutoCoderTestSupport", .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AutoCoderCLITests",
            dependencies: [
                "AutoCoder", "AutoCoderExecution", "AutoCoderLLM", "AutoCoderStore", "AutoCoderCommands",
                "AutoCoderTestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
