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
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
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
        // The system OpenBLAS (Debian: libopenblas-dev): the matrix products of
        // the sentence encoder, with the machine's vector unit. One thread per
        // call; the encoder spreads its passes over the cores itself.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // A sentence encoder (BERT or MPNet, such as all-mpnet-base-v2) in Swift:
        // text to meaning vectors for guide ranking and grouping. Always
        // optimised, so that debug builds and tests encode at a usable speed.
        .target(name: "SentenceEmbedding", dependencies: ["COpenBLAS"], swiftSettings: [.unsafeFlags(["-O"])]),
        // Built-in actions.
        .target(name: "Actions", dependencies: ["Core", "Workflows", "Engine", "SentenceEmbedding"]),
        // Starts a plugin process (fork + execve, own process group, rlimits): the
        // few lines that must run between fork and exec are C, not Swift.
        .target(name: "CPluginSpawn"),
        // Plugin manifests, the child-process host, the outbox dispatcher.
        .target(name: "Plugins", dependencies: ["Core", "Workflows", "Engine", "EventLog", "CPluginSpawn"]),
        // The daemon: HTTP ingest, webhook adapters, auth, health, metrics, reload.
        .target(
            name: "Daemon",
            dependencies: [
                "Core", "Workflows", "Engine", "EventLog", "Plugins",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "ticketflow",
            dependencies: [
                "Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog", "Daemon", "Plugins", "PostgresEventLog",
                "SentenceEmbedding",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
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
            dependencies: ["Core", "Workflows", "Actions", "SentenceEmbedding"],
            path: "Benchmarks/RankingQuality"
        ),
        // Idle timers at scale: restore time, memory, lateness on the real clock.
        .executableTarget(
            name: "ticketflow-bench-timers",
            dependencies: ["Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog"],
            path: "Benchmarks/Timers"
        ),
        // A bare HTTP endpoint answering 202 without work: the ceiling for `serve`.
        .executableTarget(
            name: "ticketflow-bench-http-ceiling",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/HTTPCeiling"
        ),
        // Plugin round trips (1 and 8 in flight) and the cost of a restart.
        .executableTarget(
            name: "ticketflow-bench-plugins",
            dependencies: ["Core", "Plugins"],
            path: "Benchmarks/Plugins"
        ),
        // Writes a log of deployed workflows' runs, for the backtest benchmark.
        .executableTarget(
            name: "ticketflow-bench-backtest-log",
            dependencies: ["Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog"],
            path: "Benchmarks/BacktestLog"
        ),
        // The recurrence state of file_product_recommendation: cost per event with many tickets in the log.
        .executableTarget(
            name: "ticketflow-bench-recurrence",
            dependencies: ["Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog", "SentenceEmbedding"],
            path: "Benchmarks/Recurrence"
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
        // Finds the sentence model for the tests that need it.
        .target(name: "ModelTestSupport", dependencies: ["SentenceEmbedding"], path: "Tests/ModelTestSupport"),
        .testTarget(name: "SentenceEmbeddingTests", dependencies: ["SentenceEmbedding", "ModelTestSupport"]),
        .testTarget(name: "WorkflowsTests", dependencies: ["Core", "Workflows", "Actions"]),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog"]
        ),
        .testTarget(
            name: "ActionsTests",
            dependencies: ["Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog", "SentenceEmbedding", "ModelTestSupport"]
        ),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            exclude: ["Payloads"]
        ),
        .testTarget(
            name: "PluginsTests",
            dependencies: ["Core", "Workflows", "Engine", "Actions", "EventLog", "SQLiteEventLog", "Plugins"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["ticketflow", "Core", "EventLog", "SQLiteEventLog", "PostgresEventLog", "PostgresTestSupport", "ModelTestSupport", "SentenceEmbedding"]
        ),
    ]
)
