// swift-tools-version:5.9
// The benchmark peer: Hummingbird 2 answering the same kind of requests as Pilar, so the two
// can be measured side by side (scripts/bench-peer.sh). Never a dependency of Pilar, never
// built by CI: it lives in its own package here and nothing in the root package names it.
import PackageDescription

let package = Package(
    name: "hummingbird-peer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    ],
    targets: [
        .systemLibrary(name: "PeerSQLite", path: "Sources/PeerSQLite"),
        .executableTarget(
            name: "Peer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird"), "PeerSQLite"],
            path: "Sources/Peer"),
    ]
)
