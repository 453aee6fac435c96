import Foundation

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

/// The claim checks on a payload whose signature has verified: `exp`, `nbf`, `iss`, `aud` and the contact claim.
///
/// Done here rather than with jwt-kit's claim types because those take no leeway, refuse a token at the very second
/// of its `nbf`, and decode with a JSON parser that lets a repeated key override an earlier one; the payload here
/// comes from ``StrictJSON``, which refuses repeated keys.
enum JWTPayloadClaims {
    /// Checks `payload` against `options` at `now`: what it says once every check passed, the contact claim's
    /// value included (`nil` when the token has none; `null` counts as none).
    static func check(_ payload: JSONValue, options: JWTOptions, now: Date) -> Result<JWTTimedClaims, JWTVerificationFailure> {
        let expiration: Double
        switch numericDate(payload, "exp") {
        case .failure(let failure): return .failure(failure)
        case .success(nil): return .failure(.missingClaim("exp"))
        case .success(let value?): expiration = value
        }
        let notBefore: Double?
        switch numericDate(payload, "nbf") {
        case .failure(let failure): return .failure(failure)
        case .success(let value): notBefore = value
        }
        var claims = JWTTimedClaims(expiration: expiration, notBefore: notBefore, contactId: nil)
        if case .failure(let failure) = claims.check(now: now, leewaySeconds: options.leewaySeconds) {
            return .failure(failure)
        }

        switch payload["iss"] {
        case nil:
            return .failure(.missingClaim("iss"))
        case .string(let issuer)?:
            // Byte comparison: Unicode-equivalent look-alikes are different issuers.
            guard issuer.utf8.elementsEqual(options.issuer.utf8) else { return .failure(.wrongIssuer(issuer)) }
        default:
            return .failure(.invalidClaim(name: "iss", reason: "is not a string"))
        }

        let audiences: [String]
        switch payload["aud"] {
        case nil:
            return .failure(.missingClaim("aud"))
        case .string(let audience)?:
            audiences = [audience]
        case .array(let elements)?:
            let strings = elements.compactMap(\.stringValue)
            guard strings.count == elements.count else {
                return .failure(.invalidClaim(name: "aud", reason: "is an array with non-string elements"))
            }
            audiences = strings
        default:
            return .failure(.invalidClaim(name: "aud", reason: "is neither a string nor an array of strings"))
        }
        guard audiences.contains(where: { $0.utf8.elementsEqual(options.audience.utf8) }) else {
            return .failure(.wrongAudience(audiences))
        }

        return contactId(payload, claim: options.contactClaim).map { contactId in
            claims.contactId = contactId
            return claims
        }
    }

    /// The contact claim's value: absent or `null` is no contact; anything else must be a well-formed contact id.
    private static func contactId(_ payload: JSONValue, claim: String) -> Result<String?, JWTVerificationFailure> {
        switch payload[claim] {
        case nil, .null?:
            return .success(nil)
        case .string(let contactId)? where IDVSessionRequest.isValidContactId(contactId):
            return .success(contactId)
        default:
            return .failure(.invalidClaim(name: claim, reason: "is not a contact id (1 to 64 of A-Z a-z 0-9 _ -)"))
        }
    }

    /// A NumericDate claim (RFC 7519 §2): seconds since the epoch, fractions allowed; `nil` when absent.
    private static func numericDate(_ payload: JSONValue, _ name: String) -> Result<Double?, JWTVerificationFailure> {
        switch payload[name] {
        case nil:
            return .success(nil)
        case .number(let text)?:
            guard let value = Double(text), value.isFinite else {
                return .failure(.invalidClaim(name: name, reason: "is out of range"))
            }
            return .success(value)
        default:
            return .failure(.invalidClaim(name: name, reason: "is not a number"))
        }
    }
}

/// The claims of a verified token that time can invalidate, and its contact: what a cached token is checked with.
struct JWTTimedClaims: Sendable, Equatable {
    var expiration: Double
    var notBefore: Double?
    var contactId: String?

    /// The contact id when `now` is inside the validity window (with `leewaySeconds` either side).
    func check(now: Date, leewaySeconds: Int) -> Result<String?, JWTVerificationFailure> {
        let now = now.timeIntervalSince1970
        let leeway = Double(max(leewaySeconds, 0))
        // RFC 7519 §4.1.4: the token must not be accepted on or after exp.
        guard now < expiration + leeway else {
            return .failure(.expired(expiration: expiration, now: now, leewaySeconds: leewaySeconds))
        }
        if let notBefore, now < notBefore - leeway {
            return .failure(.notYetValid(notBefore: notBefore, now: now, leewaySeconds: leewaySeconds))
        }
        return .success(contactId)
    }
}

/// Base64url without padding (RFC 7515 §2), the encoding of every part of a compact JWT and of JWK members.
enum JWTBase64URL {
    /// Whether `byte` belongs to the base64url alphabet: `A-Z a-z 0-9 - _`.
    static func isAlphabetByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    /// The decoded bytes, or `nil` when `encoded` holds anything but the alphabet (padding and the standard
    /// alphabet's `+` and `/` included) or has an impossible length.
    static func decode(_ encoded: some Collection<UInt8>) -> [UInt8]? {
        guard encoded.allSatisfy(isAlphabetByte), encoded.count % 4 != 1 else {
            return nil
        }
        var standard = encoded.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "-"): UInt8(ascii: "+")
            case UInt8(ascii: "_"): UInt8(ascii: "/")
            default: byte
            }
        }
        standard += repeatElement(UInt8(ascii: "="), count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: Data(standard)).map(Array.init)
    }

    /// The decoded bytes of a JWK member such as `n` or `x`.
    static func decode(_ encoded: String) -> [UInt8]? {
        decode(encoded.utf8)
    }

    /// Encodes `bytes` without padding.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
