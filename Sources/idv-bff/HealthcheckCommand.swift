import ArgumentParser
import EventHTTP
import Foundation
import IDVBFF
import Logging

/// `idv-bff healthcheck`: GETs the local server's `/healthz` and exits 0 on `200`, 1 otherwise or after the timeout.
/// A container `HEALTHCHECK` that needs no curl in the image.
struct HealthcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Check that the local server answers /healthz (exit 0), for container health checks.",
        discussion: """
            Without --url, checks http://127.0.0.1:<port>/healthz, the port taken from HTTP_PORT (default 8080). \
            Exit status: 0 for a 200 answer, 1 for anything else or no answer within --timeout.
            """
    )

    @Option(name: .long, help: "The URL to GET (http only for loopback hosts).")
    var url: String?

    @Option(name: .long, help: "Seconds to wait for the whole answer.")
    var timeout: Double = 2

    func run() throws {
        let target: UpstreamURL
        do {
            target = try UpstreamURL(validating: url ?? Self.defaultURL())
        } catch {
            printToStandardError("idv-bff healthcheck: the URL \(error)")
            throw ExitCode.failure
        }
        let tls = target.usesTLS ? try TLSClientContext(extraCAFile: nil) : nil
        let options = UpstreamPoolOptions(url: target, poolSize: 1, queueLimit: 1, timeoutSeconds: timeout, maxResponseBytes: 64 * 1024)
        let outcome = try UpstreamPool.exchangeOnce(
            UpstreamRequest(method: .get, headers: ["Accept": "application/json"]),
            options: options, tls: tls, logger: Logger(label: "idv-bff-healthcheck", factory: { _ in SwiftLogNoOpLogHandler() }))
        switch outcome {
        case .success(let response) where response.status == 200:
            return
        case .success(let response):
            printToStandardError("idv-bff healthcheck: \(target) answered \(response.status)")
        case .failure(let failure):
            printToStandardError("idv-bff healthcheck: \(target): \(failure)")
        }
        throw ExitCode.failure
    }

    /// `/healthz` on loopback at the port the server is configured with through the environment.
    static func defaultURL() -> String {
        let port = ProcessInfo.processInfo.environment["HTTP_PORT"].flatMap(Int.init) ?? 8080
        return "http://127.0.0.1:\(port)/healthz"
    }
}
