import ArgumentParser
import EventHTTP
import FakeClientLoop
import IDVBFF
import Logging

/// `idv-bff`: the server (the default command) and the fake ClientLoop it can be tested against.
///
/// Every command runs synchronously on the main thread, which then waits on the event-loop threads: no event loop
/// ever occupies one of Swift concurrency's threads, which stay free for the work that needs them (loading a
/// refreshed JWKS, say). The few `async` start-up steps run through ``awaitStartUp(_:)``.
@main
struct IDVBFFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idv-bff",
        abstract: "Mints ClientLoop identity-verification sessions for the browser, keeping the API key on the server.",
        discussion: """
            Without a subcommand, idv-bff serves. Its main options:
              --demo            FAKE tokens from a built-in fake ClientLoop, no key
              --port <port>     port to listen on (HTTP_PORT; 8080, 0 = any free)
              --host <host>     address to listen on (HTTP_HOST; 0.0.0.0)
              --config <file>   YAML or JSON settings (Config/idv-bff.example.yaml)
              --check-config    validate, print the settings redacted, and exit
            Real sessions need CLIENTLOOP_API_KEY (or CLIENTLOOP_API_KEY_FILE) and
            CLIENTLOOP_ORG_ID. Every option: idv-bff serve --help.
            """,
        version: IDVBFFVersion.current,
        subcommands: [ServeCommand.self, FakeClientLoopCommand.self, HealthcheckCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

/// `idv-bff [serve]`: loads the configuration and runs the server.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server (the default).",
        discussion: """
            Settings come from, in order of precedence: these flags, the environment (e.g. HTTP_PORT, \
            CLIENTLOOP_API_KEY), the --config file, and built-in defaults. See Config/idv-bff.example.yaml.
            Exit status: 0 after a graceful stop, 64 for a command-line usage error, 78 for invalid configuration, \
            69 when the jwt.jwks_url keys cannot be fetched at start-up, 1 when the server cannot start.
            """
    )

    @Option(name: .long, help: "A YAML (.yaml/.yml) or JSON (.json) configuration file.")
    var config: String?

    @Option(name: .long, help: "Address to listen on (http.host).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (http.port); 0 picks a free one.")
    var port: String?

    @Flag(name: .customLong("check-config"), help: "Validate the configuration, print it with secrets redacted, and exit.")
    var checkConfig = false

    @Flag(name: .long, help: "Mint FAKE tokens from a built-in fake ClientLoop: no key, no account, the real request path.")
    var demo = false

    func run() throws {
        let overrides = ConfigurationOverrides(configFile: config, host: host, port: port, demo: demo)
        var configuration: AppConfiguration
        do {
            configuration = try awaitStartUp { () async throws(ConfigurationError) in try await AppConfiguration.load(overrides: overrides) }
        } catch {
            for problem in error.problems {
                printToStandardError("idv-bff: invalid configuration: \(problem)")
            }
            throw ExitCode(78)  // EX_CONFIG
        }
        if checkConfig {
            print(configuration)
            for warning in configuration.startupWarnings {
                print("warning: \(warning)")
            }
            for note in configuration.startupNotes {
                print("note: \(note)")
            }
            return
        }

        let logger = bootstrapProcess(logLevel: configuration.log.level)
        let tls: TLSClientContext?
        do {
            tls = try Application.makeTLSContext(for: configuration)
        } catch {
            printToStandardError("idv-bff: cannot start: \(error)")
            throw ExitCode(1)
        }
        let contactPolicy: ContactPolicy
        do {
            let startupConfiguration = configuration
            contactPolicy = try awaitStartUp { () async throws(ContactPolicySetupError) in
                try await Application.makeContactPolicy(startupConfiguration, tls: tls, logger: logger)
            }
        } catch {
            if error.isUnavailable {
                printToStandardError("idv-bff: cannot start: \(error)")
                throw ExitCode(69)  // EX_UNAVAILABLE: a restart may succeed once the identity provider answers
            }
            printToStandardError("idv-bff: invalid configuration: \(error)")
            throw ExitCode(78)
        }
        try serve(logger: logger) {
            // The demo's fake must outlive the application: its loop thread runs until the process ends.
            let demoUpstream = demo ? try startDemoUpstream(rateLimit: configuration.security.rateLimit, logger: logger) : nil
            if let demoUpstream {
                configuration.clientLoop.graphURL = demoUpstream.url
            }
            let application = try Application(configuration: configuration, contactPolicy: contactPolicy, tls: tls, logger: logger)
            try application.start()
            return withExtendedLifetime(demoUpstream) { application.run() }
        }
    }

    /// Starts the fake ClientLoop inside this process, on the demo URL's loopback host and a free port.
    private func startDemoUpstream(rateLimit: RateLimitPolicy, logger: Logger) throws -> (fake: FakeClientLoopService, url: UpstreamURL) {
        let placeholder = ClientLoopSettings.demoGraphURL
        let fake = try FakeClientLoopService(
            options: .init(
                host: placeholder.host, port: 0, tls: nil,
                // idv-bff is the only client here: hold it to the headers it promises, as its tests do.
                behaviour: FakeClientLoopOptions(apiKeys: [ClientLoopSettings.demoAPIKey.value], expectsIDVBFFHeaders: true),
                handlesSignals: false
            ),
            logger: logger.withLabel("fake-clientloop")
        )
        try fake.start()
        let url = UpstreamURL(scheme: placeholder.scheme, host: placeholder.host, port: fake.port, path: placeholder.path)
        logger.warning("DEMO MODE: tokens are FAKE, minted by a built-in fake ClientLoop; they open no real verification", metadata: [
            "graph_url": .string(url.description),
            // Every mint, invalid ones included, takes a token: say what a developer trying things runs into.
            "rate_limit": .string(rateLimit.isEnabled
                ? "\(rateLimit.perMinute) a minute per client, bursts of \(rateLimit.burst); RATE_LIMIT_PER_MINUTE=0 lifts it"
                : "off"),
        ])
        return (fake, url)
    }
}

/// `idv-bff fake-clientloop`: a stand-in ClientLoop GraphQL endpoint for tests and integrators' CI.
struct FakeClientLoopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-clientloop",
        abstract: "Serve a fake ClientLoop GraphQL endpoint that mints fake tokens and can be told to misbehave.",
        discussion: "Contact ids such as fail-unauthorized, fail-rate-limited or fail-slow trigger each failure; see README."
    )

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on; 0 picks a free one (logged at start-up).")
    var port: Int

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS (with --tls-key).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("api-key"), help: "Demand `Authorization: Bearer <key>`; repeat to accept several (a key rotation).")
    var apiKeys: [String] = []

    @Option(name: .customLong("latency-ms"), help: "Delay every GraphQL answer by this many milliseconds.")
    var latencyMilliseconds = 0

    @Option(name: .customLong("fail-rate"), help: "Fraction (0-1) of otherwise successful requests answered with 500.")
    var failRate = 0.0

    @Option(name: .customLong("jwks-file"), help: "Serve this JWKS document at GET /jwks.json, re-read on every request.")
    var jwksFile: String?

    @Flag(
        name: .customLong("expect-idv-bff-headers"),
        help: "Also refuse requests without idv-bff's Accept, User-Agent (idv-bff/<version>) and X-Request-Id headers."
    )
    var expectsIDVBFFHeaders = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        let behaviour = FakeClientLoopOptions(apiKeys: apiKeys, latencyMilliseconds: latencyMilliseconds, failRate: failRate)
        if let problem = behaviour.problems.first {
            throw ValidationError(problem)
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() throws {
        let logger = bootstrapProcess(logLevel: Logger.Level(rawValue: logLevel) ?? .info)
        try serve(logger: logger) {
            let tls = try tlsCertificate.map { try TLSServerContext(certificateFile: $0, keyFile: tlsKey ?? "") }
            let behaviour = FakeClientLoopOptions(
                apiKeys: apiKeys, latencyMilliseconds: latencyMilliseconds, failRate: failRate, jwksFile: jwksFile,
                expectsIDVBFFHeaders: expectsIDVBFFHeaders
            )
            let fake = try FakeClientLoopService(
                options: .init(host: host, port: port, tls: tls, behaviour: behaviour, handlesSignals: true),
                logger: logger
            )
            try fake.start()
            return fake.run()
        }
    }
}
