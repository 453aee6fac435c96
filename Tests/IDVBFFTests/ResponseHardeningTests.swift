import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Response hardening")
struct ResponseHardeningTests {
    static let responses: [HTTPResponse] = [
        .json(status: 200, #"{"status":"ok"}"#),
        HTTPResponse(status: 204, headers: ["Access-Control-Allow-Origin": "*"]),
        APIError.notFound.response(requestID: "rid-1"),
        APIError.upstreamBusy(retryAfterSeconds: 2).response(requestID: "rid-2"),
        HTTPResponse(status: 500),
    ]

    @Test(arguments: responses)
    func everyResponseGetsTheHardeningHeaders(response: HTTPResponse) {
        let hardened = response.hardened()
        #expect(hardened.headers["X-Content-Type-Options"] == "nosniff")
        #expect(hardened.headers["Referrer-Policy"] == "no-referrer")
        #expect(hardened.headers["Cache-Control"] == "no-store")
        #expect(!hardened.headers.contains("Server"))
    }

    @Test(arguments: responses)
    func keepsStatusBodyAndOtherHeaders(response: HTTPResponse) {
        let hardened = response.hardened()
        #expect(hardened.status == response.status)
        #expect(hardened.body == response.body)
        #expect(hardened.delivery == response.delivery)
        for field in response.headers {
            #expect(hardened.headers[field.name] == field.value)
        }
    }

    @Test func doesNotOverrideAnExistingCacheControl() {
        let response = HTTPResponse(status: 200, headers: ["cache-control": "public, max-age=60"]).hardened()
        #expect(response.headers["Cache-Control"] == "public, max-age=60")
        #expect(response.headers.filter { $0.name.lowercased() == "cache-control" }.count == 1)
    }

    @Test func replacesWeakerValuesOfTheFixedHeaders() {
        let response = HTTPResponse(status: 200, headers: ["x-content-type-options": "sniff", "Referrer-Policy": "unsafe-url"]).hardened()
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        #expect(response.headers["Referrer-Policy"] == "no-referrer")
        #expect(response.headers.count(where: { $0.name.lowercased() == "referrer-policy" }) == 1)
    }

    @Test func removesAnyServerHeader() {
        let response = HTTPResponse(status: 200, headers: ["Server": "libevent", "server": "idv-bff/1.0", "Allow": "GET"]).hardened()
        #expect(!response.headers.contains("Server"))
        #expect(response.headers["Allow"] == "GET")
    }

    @Test func isIdempotent() {
        let once = APIError.notFound.response(requestID: "rid-1").hardened()
        #expect(once.hardened().headers == once.headers)
    }

    @Test func keepsRawDelivery() {
        let response = HTTPResponse(status: 200, delivery: .rawThenClose([1, 2])).hardened()
        #expect(response.delivery == .rawThenClose([1, 2]))
    }
}
