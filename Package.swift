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
        // Trigger index, evaluation, step execution, cascade guard.
        .target(name: "Engine", dependencies: ["Core", "Workflows"]),
        // Built-in actions.
        .target(name: "Actions", dependencies: ["Core", "Workflows", "Engine"]),
        .executableTarget(
            name: "ticketflow",
            dependencies: [
                "Core", "Workflows", "Engine", "Actions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "WorkflowsTests", dependencies: ["Core", "Workflows", "Actions"]),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Core", "Workflows", "Engine", "Actions"]
        ),
        .testTarget(name: "CLITests", dependencies: ["ticketflow"]),
    ]
)
