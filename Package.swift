// swift-tools-version:6.0
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Tributary",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Git", targets: ["Git"]),
        .library(name: "Tributary", targets: ["Tributary"]),
        .library(name: "TributaryDemo", targets: ["TributaryDemo"]),
        .executable(name: "trib", targets: ["trib"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // Golden files of the commands' text in tests (tribTests only).
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.17.0"),
    ],
    targets: [
        // libgit2 from the system (Debian: libgit2-dev), found with pkg-config.
        .systemLibrary(
            name: "CLibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // glibc's posix_spawn extensions and the heap tuning that Swift's Glibc module does not
        // declare.
        .target(name: "CSpawn"),
        // The version a packaged build is stamped with (Scripts/package sets the macro).
        .target(name: "CBuildInfo"),
        // Safe, typed Swift over libgit2. The only module that sees libgit2 pointers.
        .target(name: "Git", dependencies: ["CLibgit2", "CSpawn"], swiftSettings: strictSwift),
        // The domain library: works on the value types of `Git`.
        .target(
            name: "Tributary",
            dependencies: ["Git", "CBuildInfo", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwift
        ),
        // The example forest of `trib demo` and of many tests, with the demo's walk-through.
        .target(name: "TributaryDemo", dependencies: ["Git", "Tributary"], swiftSettings: strictSwift),
        // The command-line tool: parses, calls the library, renders.
        .executableTarget(
            name: "trib",
            dependencies: [
                "Git", "Tributary", "TributaryDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        // Test support: builds real git repositories for tests.
        .target(name: "GitFixtures", dependencies: ["Git"], swiftSettings: strictSwift),
        .testTarget(name: "GitTests", dependencies: ["Git", "GitFixtures"], swiftSettings: strictSwift),
        .testTarget(
            name: "TributaryTests",
            dependencies: ["Tributary", "TributaryDemo", "Git", "GitFixtures"],
            exclude: ["ReferenceTools"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "tribTests",
            dependencies: [
                "trib", "Tributary", "TributaryDemo", "Git", "GitFixtures", "CSpawn",
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"],
            swiftSettings: strictSwift
        ),
    ],
    swiftLanguageModes: [.v6]
)
