public import EventHTTP
/// The request headers a CORS answer depends on, for `Vary`, so that no cache hands one origin's answer to another.
enum CORSVary {
    /// A preflight answer depends on the origin and on what it asks for.
    static let preflight = ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]
    /// Any other answer depends on the origin.
    static let actual = ["Origin"]

    /// `existing` with the members of `added` it lacks appended, compared without regard to case; `*` stays `*`.
    static func merged(_ existing: String?, adding added: String) -> String {
        guard let existing, !existing.trimmingSpacesAndTabs().isEmpty else { return added }
        let members = HTTPFieldList.members(of: [existing])
        if members.contains("*") {
            return "*"
        }
        let known = Set(members.map { $0.lowercased() })
        let missing = HTTPFieldList.members(of: [added]).filter { !known.contains($0.lowercased()) }
        return (members + missing).joined(separator: ", ")
    }
}
