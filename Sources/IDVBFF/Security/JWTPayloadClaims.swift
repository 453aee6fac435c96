import Foundation

/// The claim checks on a payload whose signature has verified: `exp`, `nbf`, `iss`, `aud` and the contact claim.
///
/// Done here rather than with jwt-kit's claim types because those take no leeway, refuse a token at the very second
/// of its `nbf`, and decode with a JSON parser that lets a repeated key override an earlier one; the payload here
/// comes from ``StrictJSON``, which refuses repeated keys.
enum JWTPayloadClaims {
    /// Checks `payload` against `options` at `now`; the contact id from the contact claim, or `nil` when the token
    /// has none (`null` counts as none).
    static func check(_ payload: JSONValue, options: JWTOptions, now: Date) -> Result<String?, JWTVerificationFailure> {
        let now = now.timeIntervalSince1970
        let leeway = Double(max(options.leewaySeconds, 0))

        let expiration: Double
        switch numericDate(payload, "exp") {
        case .failure(let failure): return .failure(failure)
        case .success(nil): return .failure(.missingClaim("exp"))
        case .success(let value?): expiration = value
        }
        // RFC 7519 §4.1.4: the token must not be accepted on or after exp.
        guard now < expiration + leeway else {
            return .failure(.expired(expiration: expiration, now: now, leewaySeconds: options.leewaySeconds))
        }
        switch numericDate(payload, "nbf") {
        case .failure(let failure):
            return .failure(failure)
        case .success(let notBefore?) where now < notBefore - leeway:
            return .failure(.notYetValid(notBefore: notBefore, now: now, leewaySeconds: options.leewaySeconds))
        case .success:
            break
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

        return contactId(payload, claim: options.contactClaim)
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
