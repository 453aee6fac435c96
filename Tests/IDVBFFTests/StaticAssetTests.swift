import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Static assets")
struct StaticAssetTests {
    private static let asset = StaticAsset(
        path: "/client/x.js", contentType: "text/javascript; charset=utf-8", body: Array("export {};\n".utf8),
        extraHeaders: ["Content-Security-Policy": "default-src 'none'"])

    private static func get(_ headers: HTTPHeaders = [:]) -> HTTPResponse {
        asset.response(to: HTTPRequest(method: .get, path: asset.path, headers: headers))
    }

    @Test func servesTheBytesWithTypeTagAndRevalidation() {
        let response = Self.get()
        #expect(response.status == 200)
        #expect(response.body == Array("export {};\n".utf8))
        #expect(response.headers == [
            "ETag": Self.asset.entityTag, "Cache-Control": "no-cache",
            "Content-Type": "text/javascript; charset=utf-8", "Content-Security-Policy": "default-src 'none'",
        ])
    }

    @Test func theEntityTagIsADigestOfTheBody() {
        // printf 'export {};\n' | sha256sum | cut -c1-32
        #expect(Self.asset.entityTag == "\"8e609bb71c20b858c77f0e9f90bb1319\"")
        let other = StaticAsset(path: "/client/x.js", contentType: "text/javascript", body: Array("export {} ;\n".utf8))
        #expect(other.entityTag != Self.asset.entityTag)
    }

    @Test(arguments: [
        ("the tag itself", true),
        ("W/ + the tag", true),
        ("a list holding the tag", true),
        ("*", true),
        ("another tag", false),
        ("the tag unquoted", false),
    ])
    func ifNoneMatchGivesA304OnlyForThisVersion(form: String, matches: Bool) {
        let tag = Self.asset.entityTag
        let value = switch form {
        case "the tag itself": tag
        case "W/ + the tag": "W/" + tag
        case "a list holding the tag": "\"0000\", " + tag
        case "*": "*"
        case "another tag": "\"0123456789abcdef0123456789abcdef\""
        default: String(tag.dropFirst().dropLast())
        }
        let response = Self.get(["If-None-Match": value])
        if matches {
            #expect(response.status == 304)
            #expect(response.body.isEmpty)
            #expect(response.headers == ["ETag": tag, "Cache-Control": "no-cache"])
        } else {
            #expect(response.status == 200)
        }
    }

    @Test func demoFilesAreServedOnlyInDemoMode() {
        var plain = Router()
        WebRoutes.register(on: &plain, cors: CORSPolicy(.sameOriginOnly), demo: false)
        var demo = Router()
        WebRoutes.register(on: &demo, cors: CORSPolicy(.sameOriginOnly), demo: true)
        for path in [WebRoutes.clientModulePath, WebRoutes.clientTypesPath, WebRoutes.openAPIPath] {
            #expect(plain.routeTemplate(for: path) == path)
        }
        for asset in WebRoutes.demoAssets {
            #expect(plain.routeTemplate(for: asset.path) == "unmatched")
            #expect(demo.routeTemplate(for: asset.path) == asset.path)
        }
        let page = WebRoutes.demoAssets.first { $0.path == WebRoutes.demoPagePath }
        #expect(page?.extraHeaders["Content-Security-Policy"] == WebRoutes.demoContentSecurityPolicy)
    }
}
