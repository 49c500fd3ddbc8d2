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
        // The MCP server (`autocoder mcp` runs it), an executable of its own so that the core CLI never waits for
        // the MCP SDK's build.
        .executable(name: "autocoder-mcp", targets: ["AutoCoderMCP"]),
        // The HTTP API (`autocoder serve` runs it), likewise its own executable: Hummingbird's build stays out of
        // the core CLI's.
        .executable(name: "autocoder-serve", targets: ["AutoCoderServe"]),
        // The PostgreSQL queue (`autocoder worker`, `bench --database`, `bench status|results` run it), its own
        // executable so that postgres-nio's build stays out of the core CLI's.
        .executable(name: "autocoder-worker", targets: ["AutoCoderWorker"]),
        .library(name: "AutoCoderPostgres", targets: ["AutoCoderPostgres"]),
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
        // The command line's commands, a library so that `autocoder-worker cli` runs the same ones with the
        // PostgreSQL store registered; `autocoder` (AutoCoderCLI) is its main alone.
        .target(
            name: "AutoCoderCommands",
            dependencies: [
                "AutoCoder",
                "AutoCoderApp",
                "AutoCoderExecution",
                "AutoCoderLLM",
                "AutoCoderStore",
                "AutoCoderBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "AutoCoderCLI", dependencies: ["AutoCoderCommands"], swiftSettings: strictSettings),
        .executableTarget(
            name: "AutoCoderMCP",
            dependencies: [
                "AutoCoder", "AutoCoderApp", "AutoCoderExecution", "AutoCoderStore",
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "AutoCoderServe",
            dependencies: [
                "AutoCoder", "AutoCoderApp", "AutoCoderExecution", "AutoCoderStore", "AutoCoderPostgres",
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
        .executableTarget(
            name: "AutoCoderWorker",
            dependencies: [
                "AutoCoder", "AutoCoderApp", "AutoCoderBench", "AutoCoderPostgres", "AutoCoderCommands",
                "AutoCoderStore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
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
                "AutoCoder", "AutoCoderExecution", "AutoCoderStore", "AutoCoderPostgres", "AutoCoderTestSupport",
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
