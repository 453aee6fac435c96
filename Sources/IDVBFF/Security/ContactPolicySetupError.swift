/// Why the contact policy could not be set up at start-up: the JWKS file or URL did not yield usable keys.
public struct ContactPolicySetupError: Error, CustomStringConvertible {
    /// The setting to look at.
    let key: SettingKey
    let detail: String
    /// Whether the keys were unreachable (the identity provider may come back) rather than wrong.
    public let isUnavailable: Bool

    /// One line naming the setting, for standard error.
    public var description: String {
        "\(key.reference): \(detail)"
    }
}
