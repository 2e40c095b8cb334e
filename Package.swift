// swift-tools-version:6.0
import PackageDescription

// Swift 5 language mode: the server is built on Dispatch and blocking SQLite calls guarded by
// locks and queues; strict-concurrency checking of every closure would add noise, not safety.
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "pilar",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pilar", targets: ["pilar"]),
    ],
    dependencies: [
        // The CLI's subcommands, flags and help text (README.md says why).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The ZIP container of .xlsx workbooks, read and written in chunks (README.md says why).
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // SHA-256 of token secrets, request bodies, migration files and asset names (README.md says why).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // libsqlite3 from the system (apt: libsqlite3-dev).
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite3"])]),
        .target(name: "SQLiteStore", dependencies: ["CSQLite", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: v5),
        .target(name: "HTTPServer", swiftSettings: v5),
        // .xlsx read and written streaming; knows spreadsheets, not Pilar.
        .target(name: "Spreadsheet", dependencies: ["ZIPFoundation"], swiftSettings: v5),
        // The build tool that turns Migrations/*.sql into Swift source, so the binary carries them.
        .executableTarget(name: "EmbedMigrationsTool", swiftSettings: v5),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["EmbedMigrationsTool"]),
        .target(
            name: "PilarCore",
            dependencies: ["SQLiteStore", "Spreadsheet", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: v5,
            plugins: ["EmbedMigrations"]),
        .target(
            name: "PilarAPI", dependencies: ["HTTPServer", "PilarCore"], swiftSettings: v5,
            plugins: ["EmbedMigrations"]),
        .executableTarget(
            name: "pilar",
            dependencies: ["PilarAPI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: v5),
        // The server in a process of its own for the hostile-client tests (their memory bound is the server's).
        .executableTarget(name: "pilar-test-server", dependencies: ["PilarAPI"], swiftSettings: v5),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"], exclude: ["Corpus"], swiftSettings: v5),
        .testTarget(name: "SQLiteStoreTests", dependencies: ["SQLiteStore"], swiftSettings: v5),
        .testTarget(name: "SpreadsheetTests", dependencies: ["Spreadsheet"], exclude: ["Fixtures"], swiftSettings: v5),
        .testTarget(name: "PilarCoreTests", dependencies: ["PilarCore"], swiftSettings: v5),
        .testTarget(name: "PilarAPITests", dependencies: ["PilarAPI", "HTTPServer"], swiftSettings: v5),
    ]
)
