// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Ticketflow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ticketflow", targets: ["ticketflow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        // The system libyaml (Debian: libyaml-dev), reached through pkg-config.
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Values, events, tickets, durations, diagnostics with source marks.
        .target(name: "Core"),
        // YAML -> workflow model; expressions; templates; validation.
        .target(
            name: "Workflows",
            dependencies: [
                "Core", "CLibYAML",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The EventStore protocol, log records, and the in-memory store.
        .target(name: "EventLog", dependencies: ["Core"]),
        // The default store: an SQLite file through GRDB.
        .target(
            name: "SQLiteEventLog",
            dependencies: ["Core", "EventLog", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The shared store for several daemons: PostgreSQL through postgres-nio.
        .target(
            name: "PostgresEventLog",
            dependencies: [
                "Core", "EventLog",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Trigger index, evaluation, step execution, cascade guard, log consumer.
        .target(name: "Engine", dependencies: ["Core", "Workflows", "EventLog"]),
        // Built-in actions.
        .target(name: "Actions", dependencies: ["Core", "Workflows", "Engine"]),
        .executableTarget(
            name: "ticketflow",
            dependencies: [
                "Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog", "PostgresEventLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Measures the raw rate of appending events to SQLite: the ceiling for `run`.
        .executableTarget(
            name: "ticketflow-bench-insert",
            dependencies: ["Core", "EventLog", "SQLiteEventLog"],
            path: "Benchmarks/InsertCeiling"
        ),
        // Ingest rate and latency of the event log: PostgreSQL next to SQLite.
        .executableTarget(
            name: "ticketflow-bench-ingest",
            dependencies: [
                "Core", "EventLog", "SQLiteEventLog", "PostgresEventLog",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/StoreIngest"
        ),
        // Measures guide ranking (P@1, P@3) and text grouping (pairwise F1) on labelled tickets.
        .executableTarget(
            name: "ticketflow-bench-quality",
            dependencies: ["Core", "Workflows", "Actions"],
            path: "Benchmarks/RankingQuality"
        ),
        // Idle timers at scale: restore time, memory, lateness on the real clock.
        .executableTarget(
            name: "ticketflow-bench-timers",
            dependencies: ["Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog"],
            path: "Benchmarks/Timers"
        ),
        // Scratch databases on the test cluster, for the test targets that use PostgreSQL.
        .target(
            name: "PostgresTestSupport",
            dependencies: ["PostgresEventLog", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Tests/PostgresTestSupport"
        ),
        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(
            name: "EventLogTests",
            dependencies: [
                "Core", "EventLog", "SQLiteEventLog", "PostgresEventLog", "PostgresTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(name: "WorkflowsTests", dependencies: ["Core", "Workflows", "Actions"]),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog"]
        ),
        .testTarget(
            name: "ActionsTests",
            dependencies: ["Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["ticketflow", "Core", "EventLog", "SQLiteEventLog", "PostgresEventLog", "PostgresTestSupport"]
        ),
    ]
)
