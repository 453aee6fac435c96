import Foundation
import Testing
@testable import IDVBFF

@Suite("API errors")
struct APIErrorTests {
    @Test func rendersStableJSONShape() throws {
        let response = APIError.notFound.response(requestID: "rid-1")
        #expect(response.status == 404)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"error":{"code":"not_found","message":"No resource at this path.","requestId":"rid-1"}}"#)
    }

    @Test func escapesHostileRequestIDs() throws {
        let hostile = #"a"b\c</script>"#
        let response = APIError.notFound.response(requestID: hostile)
        let document = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let error = try #require(document["error"] as? [String: Any])
        #expect(error["requestId"] as? String == hostile)
    }

    @Test func methodNotAllowedCarriesAllow() {
        let error = APIError.methodNotAllowed(allowed: [.get, .head])
        #expect(error.status == 405)
        #expect(error.code == "method_not_allowed")
        #expect(error.response(requestID: "x").headers["Allow"] == "GET, HEAD")
    }

    @Test func shuttingDownClosesTheConnection() {
        let response = APIError.shuttingDown.response(requestID: "x")
        #expect(response.status == 503)
        #expect(response.headers["Connection"] == "close")
    }

    @Test(arguments: [APIError.notFound, .methodNotAllowed(allowed: [.post]), .shuttingDown, .internalError])
    func codesAreSnakeCase(error: APIError) {
        #expect(error.code.allSatisfy { $0.isLowercase || $0 == "_" })
        #expect(!error.message.isEmpty)
    }
}
