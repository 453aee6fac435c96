import Foundation
import Testing
@testable import IDVBFF

/// The error codes are a contract: the `APIError` cases, the README's tables, the OpenAPI document and the browser
/// client's types must name the same codes with the same statuses.
@Suite("Documented error codes")
struct DocumentedErrorCodesTests {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static func text(_ path: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every code the server can answer, with its status, from the cases themselves.
    private static let served: [String: Set<Int>] = APIErrorTests.everyCase.reduce(into: [:]) { codes, row in
        codes[row.error.code, default: []].insert(row.error.status)
    }

    /// The browser client's own codes, for what never reached the server or came back unreadable.
    private static let clientOnly: Set = ["network_error", "invalid_response", "session_expired"]

    /// The `| situation | status | `code` |` rows of the README's tables, outside the fake ClientLoop's section
    /// (whose tables are about the fake's answers).
    private static func readmeRows() throws -> [String: Set<Int>] {
        let row = /^\|.*\| (\d{3}) \| `([a-z_]+)` \|$/
        var codes: [String: Set<Int>] = [:]
        var inFakeSection = false
        for line in try text("README.md").split(separator: "\n") {
            if line.hasPrefix("## ") {
                inFakeSection = line.hasPrefix("## The fake ClientLoop")
            }
            if !inFakeSection, let match = String(line).wholeMatch(of: row), let status = Int(match.1) {
                codes[String(match.2), default: []].insert(status)
            }
        }
        return codes
    }

    @Test func everyCaseIsInTheTable() {
        // Adding a case without a row in APIErrorTests.everyCase fails to compile here.
        func covered(_ error: APIError) -> Bool {
            switch error {
            case .notFound, .methodNotAllowed, .internalError, .badRequest, .lengthRequired, .invalidJSON,
                 .invalidRequest, .unsupportedMediaType, .payloadTooLarge, .upstreamError, .upstreamAuthFailed,
                 .upstreamBusy, .upstreamUnavailable, .upstreamTimeout, .originNotAllowed, .unauthorized,
                 .contactForbidden, .newContactsOnly, .rateLimited, .preflightRefused, .invalidIdempotencyKey,
                 .idempotencyKeyReused:
                true
            }
        }
        #expect(APIErrorTests.everyCase.allSatisfy { covered($0.error) })
        #expect(APIErrorTests.everyCase.count == 22)
    }

    @Test func theREADMEListsEveryCodeWithItsStatus() throws {
        #expect(try Self.readmeRows() == Self.served)
    }

    @Test func theREADMESaysWhatAFrontendDoesForEveryCode() throws {
        let lines = try Self.text("README.md").split(separator: "\n")
        let header = try #require(lines.firstIndex { $0 == "| code | what the frontend should do |" })
        let rows = lines[(header + 2)...].prefix { $0.hasPrefix("|") }
        let codes = rows.flatMap { row in row.split(separator: "|")[0].matches(of: /`([a-z_]+)`/).map { String($0.1) } }
        #expect(Set(codes) == Set(Self.served.keys).union(Self.clientOnly))
        #expect(codes.count == Set(codes).count)
    }

    @Test func theOpenAPIDocumentListsEveryCodeWithItsStatus() throws {
        let lines = try Self.text("openapi.yaml").split(separator: "\n", omittingEmptySubsequences: false)
        // The description's table: | `code` | status | meaning | what the frontend should do |
        let table: [String: Set<Int>] = lines.reduce(into: [:]) { codes, line in
            if let match = line.wholeMatch(of: /\s*\| `([a-z_]+)` \| (\d{3}) \|.*/), let status = Int(match.2) {
                codes[String(match.1), default: []].insert(status)
            }
        }
        #expect(table == Self.served)
        // components/schemas/ErrorCode's enum.
        let start = try #require(lines.firstIndex { $0 == "    ErrorCode:" })
        let end = try #require(lines[(start + 1)...].firstIndex { $0.wholeMatch(of: /\ {4}[A-Za-z]+:/) != nil })
        let enumeration = lines[start..<end].compactMap { $0.wholeMatch(of: /\s+- ([a-z_]+)/).map { String($0.1) } }
        #expect(Set(enumeration) == Set(Self.served.keys))
        #expect(enumeration.count == Set(enumeration).count)
    }

    @Test func theBrowserClientsTypesNameEveryCode() throws {
        let declarations = try Self.text("Sources/IDVBFF/Web/Assets/idv-session-client.d.ts")
        // The members of `export type IdvSessionErrorCode = … | (string & {});`, one `| 'code'` line each.
        let lines = declarations.split(separator: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("export type IdvSessionErrorCode =") })
        let end = try #require(lines[start...].firstIndex { $0.hasSuffix(";") })
        let union = lines[start...end].compactMap { $0.wholeMatch(of: /\s*\| '([a-z_]+)'/).map { String($0.1) } }
        #expect(Set(union).subtracting(Self.clientOnly) == Set(Self.served.keys))
        #expect(Self.clientOnly.isSubset(of: union))
    }
}
