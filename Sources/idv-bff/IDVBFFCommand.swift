import ArgumentParser
import CEventShim
import IDVBFF
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `idv-bff`: parses the command line, loads the configuration, and runs the server.
@main
struct IDVBFFCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idv-bff",
        abstract: "Mints ClientLoop identity-verification sessions for the browser, keeping the API key on the server.",
        discussion: """
            Settings come from, in order of precedence: these flags, the environment (e.g. HTTP_PORT, \
            CLIENTLOOP_API_KEY), the --config file, and built-in defaults. See Config/idv-bff.example.yaml.
            Exit status: 0 after a graceful stop, 78 for invalid configuration, 1 when the server cannot start.
            """,
        version: IDVBFFVersion.current
    )

    @Option(name: .long, help: "A YAML (.yaml/.yml) or JSON (.json) configuration file.")
    var config: String?

    @Option(name: .long, help: "Address to listen on (http.host).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (http.port); 0 picks a free one.")
    var port: String?

    @Flag(name: .customLong("check-config"), help: "Validate the configuration, print it with secrets redacted, and exit.")
    var checkConfig = false

    func run() async throws {
        let overrides = ConfigurationOverrides(configFile: config, host: host, port: port)
        let configuration: AppConfiguration
        do {
            configuration = try await AppConfiguration.load(overrides: overrides)
        } catch {
            for problem in error.problems {
                printToStandardError("idv-bff: invalid configuration: \(problem)")
            }
            throw ExitCode(78)  // EX_CONFIG
        }
        if checkConfig {
            print(configuration)
            return
        }

        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: configuration.log.level) }
        let logger = Logger(label: "idv-bff")
        cevent_global_init()
        do {
            let application = try Application(configuration: configuration, logger: logger)
            try application.start()
            let status = application.run()
            if status != 0 {
                throw ExitCode(status)
            }
        } catch let error as EventLoopError {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
    }
}

private func printToStandardError(_ line: String) {
    var line = line + "\n"
    line.withUTF8 { bytes in
        _ = write(2, bytes.baseAddress, bytes.count)
    }
}
