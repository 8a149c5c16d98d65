// swift-tools-version:6.0
// libFuzzer targets for Tributary's parsers; built and run by Scripts/fuzz with
// `swift build --sanitize=fuzzer`. A package of its own, so the main build never carries them.
import PackageDescription

let package = Package(
    name: "TributaryFuzz",
    dependencies: [.package(name: "Tributary", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzMaintainers",
            dependencies: [.product(name: "Tributary", package: "Tributary")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzMail",
            dependencies: [.product(name: "Tributary", package: "Tributary")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzTrailers",
            dependencies: [
                .product(name: "Tributary", package: "Tributary"), .product(name: "Git", package: "Tributary"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
