import Foundation
import JWTKit
import Testing

/// Plays the integrator's identity provider: an ES256 key published as a JWKS, and tokens signed with it.
struct IdentityProvider {
    static let issuer = "https://id.example.com/"
    static let audience = "idv-bff"
    private let keyID: String
    private let keys = JWTKeyCollection()
    /// The public key as one JWK.
    let jwk: String
    /// A JWKS document holding only this provider's key.
    var jwks: String { Self.jwks(of: [self]) }

    /// A JWKS document publishing every provider's key, as an identity provider does while it rotates keys.
    static func jwks(of providers: [IdentityProvider]) -> String {
        #"{"keys":["# + providers.map(\.jwk).joined(separator: ",") + "]}"
    }

    struct Claims: JWTPayload {
        var iss: IssuerClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var clientloop_contact_id: String

        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    init(keyID: String = "integration-ec-1") async throws {
        self.keyID = keyID
        let key = ES256PrivateKey()
        await keys.add(ecdsa: key, kid: JWKIdentifier(string: keyID))
        let parameters = try #require(key.publicKey.parameters)
        jwk = #"{"kty":"EC","crv":"P-256","alg":"ES256","use":"sig","kid":"\#(keyID)","x":"\#(parameters.x)","y":"\#(parameters.y)"}"#
    }

    func token(contactId: String, expiresIn seconds: TimeInterval = 300) async throws -> String {
        let claims = Claims(iss: .init(value: Self.issuer), aud: .init(value: [Self.audience]),
                            exp: .init(value: Date().addingTimeInterval(seconds)), clientloop_contact_id: contactId)
        return try await keys.sign(claims, kid: JWKIdentifier(string: keyID))
    }
}

/// A JWKS document on disk, in a directory of its own that goes away with this object.
final class JWKSFile {
    let url: URL
    var path: String { url.path }

    init(_ document: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idv-bff-jwks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = directory.appendingPathComponent("jwks.json")
        try write(document)
    }

    /// Replaces the document, as an identity provider does when it rotates keys.
    func write(_ document: String) throws {
        try document.write(to: url, atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(at: url.deletingLastPathComponent())
    }
}
