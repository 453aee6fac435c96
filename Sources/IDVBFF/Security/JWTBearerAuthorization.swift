public import EventHTTP
/// Reads the token out of an `Authorization: Bearer <token>` header (RFC 6750 §2.1).
///
/// Only the one canonical form is accepted: the scheme (in any letter case), exactly one space, and a token made of
/// base64url characters and dots. Browsers' `fetch` sends exactly that; refusing every variant (extra or trailing
/// spaces, a second credential, `Bearer` alone) leaves nothing for two parsers to read differently.
enum JWTBearerAuthorization {
    /// The longest token accepted, in bytes; identity tokens are a few hundred to a few thousand.
    static let maximumTokenLength = 8192

    /// The token in `header`, or why there is none.
    static func token(from header: String?) -> Result<String, JWTVerificationFailure> {
        guard let header else {
            return .failure(.missingAuthorization)
        }
        let bytes = Array(header.utf8)
        let separator = bytes.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let scheme = bytes[..<(separator ?? bytes.endIndex)]
        if scheme.isEmpty {
            return .failure(.malformedAuthorization(detail: "it starts with a space"))
        }
        guard scheme.elementsEqualIgnoringASCIICase("bearer".utf8) else {
            if scheme.count > 6, scheme.prefix(6).elementsEqualIgnoringASCIICase("bearer".utf8) {
                return .failure(.malformedAuthorization(detail: "no space after Bearer"))
            }
            return .failure(.notBearerScheme(scheme: loggableScheme(scheme)))
        }
        guard let space = separator else {
            return .failure(.malformedAuthorization(detail: "Bearer without a token"))
        }
        guard bytes[space] == UInt8(ascii: " ") else {
            return .failure(.malformedAuthorization(detail: "a tab after Bearer"))
        }
        let token = bytes[(space + 1)...]
        guard !token.isEmpty else {
            return .failure(.malformedAuthorization(detail: "Bearer without a token"))
        }
        guard !token.contains(UInt8(ascii: " ")) else {
            return .failure(.malformedAuthorization(detail: "extra spaces"))
        }
        guard token.count <= maximumTokenLength else {
            return .failure(.tokenTooLong(length: token.count))
        }
        guard token.allSatisfy({ JWTBase64URL.isAlphabetByte($0) || $0 == UInt8(ascii: ".") }) else {
            return .failure(.malformedAuthorization(detail: "the token holds characters a JWT cannot contain"))
        }
        return .success(String(decoding: token, as: UTF8.self))
    }

    /// The scheme as it may appear in the log: a short word, or a placeholder when it could be part of a credential.
    private static func loggableScheme(_ scheme: ArraySlice<UInt8>) -> String {
        let isWordByte = { (byte: UInt8) in
            JWTBase64URL.isAlphabetByte(byte) && byte != UInt8(ascii: "_")
        }
        guard scheme.count <= 20, scheme.allSatisfy(isWordByte) else {
            return "(not shown)"
        }
        return String(decoding: scheme, as: UTF8.self)
    }
}
