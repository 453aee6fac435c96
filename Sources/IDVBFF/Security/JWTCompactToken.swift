/// A compact JWS (`header.payload.signature`) split and with its header read, before anything is trusted.
///
/// The payload stays encoded: it is only read once the signature has verified. Header members other than `alg`,
/// `kid` and `crit` are ignored, `jku`, `jwk`, `x5u` and `x5c` included: keys come only from the configured JWKS,
/// never from the token.
struct JWTCompactToken {
    /// The header's `alg`, as written.
    let algorithm: String
    /// The header's `kid`, if any.
    let keyIdentifier: String?
    /// Whether the header has `crit`.
    let hasCriticalExtensions: Bool
    /// The signed bytes: the encoded header, a dot and the encoded payload.
    let signingInput: ArraySlice<UInt8>
    /// The encoded payload.
    let encodedPayload: ArraySlice<UInt8>
    /// The decoded signature.
    let signature: [UInt8]

    /// Deepest nesting read in a header or payload; both are flat in practice.
    static let maximumJSONDepth = 16

    /// Splits `token` and reads its header.
    static func parse(_ token: String) -> Result<JWTCompactToken, JWTVerificationFailure> {
        let bytes = Array(token.utf8)
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else {
            return .failure(.malformedToken(detail: "it has \(dots.count + 1) parts, not 3"))
        }
        let encodedHeader = bytes[..<dots[0]]
        let encodedPayload = bytes[(dots[0] + 1)..<dots[1]]
        let encodedSignature = bytes[(dots[1] + 1)...]
        guard let headerBytes = JWTBase64URL.decode(encodedHeader) else {
            return .failure(.malformedToken(detail: "the header is not base64url"))
        }
        guard let signature = JWTBase64URL.decode(encodedSignature) else {
            return .failure(.malformedToken(detail: "the signature is not base64url"))
        }
        let header: JSONValue
        do {
            header = try StrictJSON.parse(headerBytes, maxDepth: maximumJSONDepth)
        } catch {
            return .failure(.malformedToken(detail: "the header is not JSON: \(error.description)"))
        }
        guard case .object = header else {
            return .failure(.malformedToken(detail: "the header is not a JSON object"))
        }
        guard let algorithm = header["alg"]?.stringValue else {
            return .failure(.malformedToken(detail: "the header has no alg string"))
        }
        let keyIdentifier: String?
        switch header["kid"] {
        case nil, .null?:
            keyIdentifier = nil
        case .string(let kid)?:
            keyIdentifier = kid
        default:
            return .failure(.malformedToken(detail: "the header's kid is not a string"))
        }
        return .success(JWTCompactToken(
            algorithm: algorithm,
            keyIdentifier: keyIdentifier,
            hasCriticalExtensions: header["crit"] != nil,
            signingInput: bytes[..<dots[1]],
            encodedPayload: encodedPayload,
            signature: signature
        ))
    }

    /// The payload as a JSON object; call only after the signature has verified.
    func payload() -> Result<JSONValue, JWTVerificationFailure> {
        guard let payloadBytes = JWTBase64URL.decode(encodedPayload) else {
            return .failure(.malformedToken(detail: "the payload is not base64url"))
        }
        let payload: JSONValue
        do {
            payload = try StrictJSON.parse(payloadBytes, maxDepth: Self.maximumJSONDepth)
        } catch {
            return .failure(.malformedToken(detail: "the payload is not JSON: \(error.description)"))
        }
        guard case .object = payload else {
            return .failure(.malformedToken(detail: "the payload is not a JSON object"))
        }
        return .success(payload)
    }
}
