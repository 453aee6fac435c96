public import EventHTTP
extension HTTPResponse {
    /// The headers every response gets, whatever produced it.
    public enum Hardening {
        /// Browsers must not guess a content type other than the declared one.
        public static let contentTypeOptions = (name: "X-Content-Type-Options", value: "nosniff")
        /// Nothing about the page that called the API leaks to wherever a response leads.
        public static let referrerPolicy = (name: "Referrer-Policy", value: "no-referrer")
        /// API answers are about one moment, and tokens are credentials: no cache keeps them.
        public static let cacheControl = (name: "Cache-Control", value: "no-store")
        /// Never sent: it tells attackers what to look up.
        public static let removedServerHeader = "Server"
        /// Fields of a response that hardening drops (and sets again where it has a value of its own).
        static let replacedNames = [removedServerHeader, contentTypeOptions.name, referrerPolicy.name]
    }

    /// The response as it goes on the wire: with `X-Content-Type-Options: nosniff`,
    /// `Referrer-Policy: no-referrer`, `Cache-Control: no-store` unless the response has its own `Cache-Control`,
    /// and without `Server`.
    ///
    /// Pure and idempotent; the server applies it to every response just before sending.
    public func hardened() -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.reserveCapacity(self.headers.count + 3)
        for field in self.headers where !Hardening.replacedNames.contains(where: { field.name.utf8.elementsEqualIgnoringASCIICase($0.utf8) }) {
            headers.add(name: field.name, value: field.value)
        }
        // Fixed order, whatever the response had: hardening a hardened response changes nothing.
        if !headers.contains(Hardening.cacheControl.name) {
            headers.add(name: Hardening.cacheControl.name, value: Hardening.cacheControl.value)
        }
        headers.add(name: Hardening.contentTypeOptions.name, value: Hardening.contentTypeOptions.value)
        headers.add(name: Hardening.referrerPolicy.name, value: Hardening.referrerPolicy.value)
        var response = self
        response.headers = headers
        return response
    }
}
