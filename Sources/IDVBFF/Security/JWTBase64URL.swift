import Foundation

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
