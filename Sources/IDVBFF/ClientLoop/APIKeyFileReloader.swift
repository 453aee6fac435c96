public import Logging

/// Re-reads `clientloop.api_key_file` on SIGHUP and when its content changes (Kubernetes swaps a mounted Secret's
/// `..data` symlink; reading through the path follows it), validating it as at start-up. A key that fails
/// validation is not used: the current one stays, and the error is logged without the value.
///
/// Runs on the server's control thread only.
public final class APIKeyFileReloader {
    private let path: String
    private let holder: APIKeyHolder
    private let logger: Logger
    /// The last failure logged by a poll, so a broken file is reported once, not every poll.
    private var lastPollFailure: ReloadFailure?

    public init(path: String, holder: APIKeyHolder, logger: Logger) {
        self.path = path
        self.holder = holder
        self.logger = logger
    }

    /// A reload asked for by an operator (SIGHUP): always logs its outcome.
    public func reload(trigger: String) {
        switch readKey() {
        case .success(let key):
            lastPollFailure = nil
            if holder.replace(with: key) {
                logger.info("API key reloaded", metadata: ["trigger": .string(trigger), "file": .string(path)])
            } else {
                logger.info("API key file unchanged; nothing to reload", metadata: ["trigger": .string(trigger), "file": .string(path)])
            }
        case .failure(let problem):
            lastPollFailure = problem
            logReloadFailure(problem, trigger: trigger)
        }
    }

    /// A periodic look at the file: replaces the key when the file holds another valid one; quiet otherwise.
    public func poll() {
        switch readKey() {
        case .success(let key):
            lastPollFailure = nil
            if holder.replace(with: key) {
                logger.info("API key reloaded", metadata: ["trigger": "file change", "file": .string(path)])
            }
        case .failure(let problem):
            guard problem != lastPollFailure else { return }
            lastPollFailure = problem
            logReloadFailure(problem, trigger: "file change")
        }
    }

    private func readKey() -> Result<Secret, ReloadFailure> {
        var problems: [ConfigurationProblem] = []
        guard let key = ClientLoopSettings.apiKey(fromFile: path, problems: &problems) else {
            return .failure(ReloadFailure(problems.map(\.description).joined(separator: "; ")))
        }
        return .success(key)
    }

    private func logReloadFailure(_ failure: ReloadFailure, trigger: String) {
        logger.error("API key reload failed; the current key stays in use", metadata: [
            "trigger": .string(trigger), "problem": .string(failure.message),
        ])
    }

    /// Why a reload was refused: configuration problems, which never quote the key.
    private struct ReloadFailure: Error, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
