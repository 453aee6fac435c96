import CoreMetrics
import Foundation
import Logging
public import EventHTTP

/// `POST /idv-session`: validates the browser's request, asks ClientLoop for a session and hands back its token.
///
/// One instance per event loop, like its client. Every answer leaves with `Cache-Control: no-store`
/// (``HTTPResponse/hardened()``). Neither the token nor the request body is ever logged.
public struct IDVSessionHandler: RouteHandler {
    private let client: any ClientLoopClient
    private let environment: ClientLoopEnvironment
    private let contactPolicy: ContactPolicy
    private let metrics: LoopMetrics

    /// Creates the handler.
    /// - Parameters:
    ///   - client: The loop's ClientLoop client.
    ///   - environment: The ClientLoop deployment, echoed to the browser as `env`.
    ///   - contactPolicy: Whose contact the caller may verify (`contact.policy`).
    ///   - metrics: The loop's metrics: sessions created, upstream errors by code, JWT rejections by reason.
    public init(client: any ClientLoopClient, environment: ClientLoopEnvironment, contactPolicy: ContactPolicy,
                metrics: LoopMetrics = ServiceMetrics.disabled.forLoop()) {
        self.metrics = metrics
        self.client = client
        self.environment = environment
        self.contactPolicy = contactPolicy
    }

    public func handle(_ request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
        let sessionRequest: IDVSessionRequest
        do {
            let contentType = request.headers["Content-Type"]
            sessionRequest = try IDVSessionRequest.parse(contentType: contentType, body: request.body)
        } catch {
            respond(error.response(requestID: context.requestID))
            return
        }
        let contactId: String?
        switch contactPolicy.resolveContact(
            bodyContactId: sessionRequest.contactId, authorization: request.headers["Authorization"], now: Date()
        ) {
        case .success(let resolved):
            contactId = resolved
        case .failure(let rejection):
            // The caller learns only the code; the precise reason is for the operator.
            context.logger.notice("contact refused", metadata: ["reason": .string(rejection.logReason)])
            if let reason = rejection.tokenFailureReason {
                metrics.countJWTRejection(reason: reason)
            }
            respond(rejection.apiError.response(requestID: context.requestID))
            return
        }
        let environment = environment
        let metrics = metrics
        client.createIdvSession(contactId: contactId, requestID: context.requestID, propagating: context.propagatedHeaders) { result in
            switch result {
            case .success(let session):
                metrics.shared.sessionsCreated.increment()
                respond(IDVSessionResponse(session: session, environment: environment).httpResponse)
            case .failure(let failure):
                Self.log(failure, to: context.logger)
                let error = failure.apiError
                metrics.countUpstreamError(code: error.code)
                respond(error.response(requestID: context.requestID))
            }
        }
    }

    private static func log(_ failure: UpstreamFailure, to logger: Logger) {
        let metadata: Logger.Metadata = ["upstream_failure": .string(failure.logDescription)]
        // A rejected key needs an operator, not a retry: say so in words that are easy to alert on.
        if failure.isAuthenticationFailure {
            logger.error("ClientLoop rejected the API key", metadata: metadata)
        } else {
            logger.error("ClientLoop call failed", metadata: metadata)
        }
    }
}
