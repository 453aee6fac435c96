public import EventHTTP
extension HTTPResponse {
    /// The response with the CORS headers of an allowed request: each replaces a field of the same name, except
    /// `Vary`, which is merged so that what the route already varies on is kept.
    func addingCORSHeaders(_ corsHeaders: HTTPHeaders) -> HTTPResponse {
        var response = self
        for field in corsHeaders {
            if field.name.utf8.elementsEqualIgnoringASCIICase("Vary".utf8) {
                let vary = response.headers.values(named: "Vary").joined(separator: ", ")
                response.headers.replaceOrAdd(name: field.name, value: CORSVary.merged(vary, adding: field.value))
            } else {
                response.headers.replaceOrAdd(name: field.name, value: field.value)
            }
        }
        return response
    }
}
