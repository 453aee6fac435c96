// swift-tools-version: 6.2
import PackageDescription

let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// The release link keeps the memory a running server maps small: lld packs the 100,000 relative relocations
// (DT_RELR, glibc 2.36), the symbol table is not exported (nothing loads plugins), and the functions the server runs
// from exec through a load come first, in the order scripts/link-order.sh recorded, so they share pages instead of
// being spread over 23 MB of code that the kernel maps 64 KiB per fault. scripts/release-build.sh, the build the
// image ships, also links the C library in (a static PIE).
let releaseLinkerFlags = [
    "-use-ld=lld",
    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    "-Xlinker", "--no-export-dynamic",
    "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/idv-bff/link-order.txt",
    "-Xlinker", "--no-warn-symbol-ordering",
]

// The C libraries the shim wraps. Debug builds (the tests, the fuzzer) link the shared ones; release builds
// take them from their archives (named as files, so the link can be static or not), so only the code it calls is
// mapped and relocated at start (1.4 MB less resident) and the runtime image needs no libevent or OpenSSL package.
// An OpenSSL fix then means a rebuild.
let cLibraries = ["event_openssl", "event_pthreads", "event", "ssl", "crypto"]
let staticCLibraryFlags = cLibraries.flatMap { ["-Xlinker", "-l:lib\($0).a"] }

let package = Package(
    name: "idv-bff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "idv-bff", targets: ["idv-bff"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["JSON", "YAML"]),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.2.0"),
        .package(url: "https://github.com/apple/swift-crypto", "4.1.0"..<"6.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL", from: "4.3.0"),
    ],
    targets: [
        // libevent (with its OpenSSL and pthreads companions) and OpenSSL, as installed by the system.
        .systemLibrary(
            name: "CLibevent",
            providers: [.apt(["libevent-dev", "libssl-dev"])]
        ),
        // The thin C layer: callback trampolines with context pointers, macro wrappers, OpenSSL set-up.
        .target(
            name: "CEventShim",
            dependencies: ["CLibevent"],
            linkerSettings: cLibraries.map { .linkedLibrary($0, .when(configuration: .debug)) }
                + [.unsafeFlags(staticCLibraryFlags, .when(configuration: .release))]
        ),
        // The libevent runtime: event loops and their threads, the HTTP server, the upstream HTTPS client, TLS
        // contexts, DNS. It knows nothing of ClientLoop, CORS, JWT or configuration.
        .target(
            name: "EventHTTP",
            dependencies: [
                "CLibevent",
                "CEventShim",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcomingFeatures
        ),
        // The application: configuration, routes and handlers, the protections, the ClientLoop codec, observability.
        .target(
            name: "IDVBFF",
            dependencies: [
                "EventHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The browser client, the demo page and the OpenAPI document, compiled in: no files to ship beside it.
            resources: [.embedInCode("Web/Assets")],
            swiftSettings: upcomingFeatures
        ),
        // The stand-in ClientLoop, on the same runtime; linked by the executable for fake-clientloop and --demo.
        .target(
            name: "FakeClientLoop",
            dependencies: [
                "EventHTTP",
                "IDVBFF",
                .product(name: "Logging", package: "swift-log"),
                // Parses and validates operations against the ClientLoop schema the way a GraphQL server does.
                .product(name: "GraphQL", package: "GraphQL"),
            ],
            resources: [.embedInCode("Schema")],
            swiftSettings: upcomingFeatures
        ),
        .executableTarget(
            name: "idv-bff",
            dependencies: [
                "EventHTTP",
                "IDVBFF",
                "FakeClientLoop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["link-order.txt"],
            swiftSettings: upcomingFeatures,
            linkerSettings: [.unsafeFlags(releaseLinkerFlags, .when(configuration: .release))]
        ),
        // libFuzzer's entry over the parsers of client input (scripts/fuzz.sh); a corpus replayer otherwise.
        .executableTarget(
            name: "IDVBFFFuzz",
            dependencies: ["CEventShim", "CLibevent", "EventHTTP", "IDVBFF"],
            path: "Fuzz/IDVBFFFuzz",
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "EventHTTPTests",
            dependencies: ["EventHTTP"],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "FakeClientLoopTests",
            dependencies: ["FakeClientLoop", "IDVBFF", "EventHTTP"],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "IDVBFFTests",
            dependencies: [
                "IDVBFF",
                "EventHTTP",
                // Tests sign tokens and generate RSA/EC/EdDSA keys as an identity provider would.
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                // The library's own traceparent text, which the request trace's faster one must equal.
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "idv-bff",
                // The strict JSON parser checks the server's bodies (a duplicated key must not pass unseen).
                "IDVBFF",
                // Signs the tokens an integrator's identity provider would issue.
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            // Read by path: the hostile-client corpus, as data.
            exclude: ["Corpus"],
            swiftSettings: upcomingFeatures
        ),
    ]
)
