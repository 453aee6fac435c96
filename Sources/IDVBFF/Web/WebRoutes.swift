import EventHTTP

/// The files the server hands to browsers and tools: the browser client module and its types, the OpenAPI
/// document, and in `--demo` the page that shows the whole flow.
///
/// They are compiled in (`Web/Assets`, embedded by SwiftPM), so the binary needs nothing beside it. The API's
/// ``CORSPolicy`` decides who may read them across origins: an allowed origin gets `Access-Control-Allow-Origin`, so
/// a frontend there can `import()` the module; any other request gets the same file without it (public bytes, so
/// nothing to refuse; a browser on another origin then declines to run it, and same-origin pages need no header).
public enum WebRoutes {
    /// The browser client module.
    public static let clientModulePath = "/client/idv-session-client.js"
    /// Its TypeScript declarations.
    public static let clientTypesPath = "/client/idv-session-client.d.ts"
    /// The API's OpenAPI 3.1 document.
    public static let openAPIPath = "/openapi.yaml"
    /// The demo page.
    public static let demoPagePath = "/"

    /// The page needs its own scripts, styles and `fetch` to this server, and nothing else: no inline code, no
    /// third party, no framing.
    public static let demoContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    private static let javaScript = "text/javascript; charset=utf-8"

    /// Served in every mode.
    static let assets: [StaticAsset] = [
        StaticAsset(path: clientModulePath, contentType: javaScript, body: PackageResources.idv_session_client_js),
        StaticAsset(path: clientTypesPath, contentType: "application/typescript; charset=utf-8",
                    body: PackageResources.idv_session_client_d_ts),
        StaticAsset(path: openAPIPath, contentType: "application/yaml", body: PackageResources.openapi_yaml),
    ]

    /// Served in `--demo` only: the page calls this server's own `POST /idv-session` against the fake ClientLoop.
    static let demoAssets: [StaticAsset] = [
        StaticAsset(path: demoPagePath, contentType: "text/html; charset=utf-8", body: PackageResources.demo_html,
                    extraHeaders: ["Content-Security-Policy": demoContentSecurityPolicy]),
        StaticAsset(path: "/demo/demo.js", contentType: javaScript, body: PackageResources.demo_js),
        StaticAsset(path: "/demo/demo.css", contentType: "text/css; charset=utf-8", body: PackageResources.demo_css),
        StaticAsset(path: "/demo/contact-idv-session-standin.js", contentType: javaScript,
                    body: PackageResources.contact_idv_session_standin_js),
    ]

    /// Registers `GET` (and so `HEAD`) for every asset, the demo's only when `demo` is set.
    public static func register(on router: inout Router, cors: CORSPolicy, demo: Bool) {
        for asset in assets + (demo ? demoAssets : []) {
            router.add(.get, asset.path, ImmediateHandler { request, _ in
                let response = asset.response(to: request)
                guard case .actualAllowed(let corsHeaders) = cors.decide(request) else {
                    // The answer still depends on Origin: no cache may hand it to an allowed origin.
                    return response.addingCORSHeaders(["Vary": "Origin"])
                }
                return response.addingCORSHeaders(corsHeaders)
            })
        }
    }
}
