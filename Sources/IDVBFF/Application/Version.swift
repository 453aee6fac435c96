/// The service's version, reported by `--version` and sent upstream in `User-Agent`.
public enum IDVBFFVersion {
    public static let current = "0.1.0"
}
