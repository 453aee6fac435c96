public import EventHTTP
/// Which browser origins may call the API across origins.
public enum CORSAllowedOrigins: Sendable, Equatable {
    /// No cross-origin caller at all: the empty list. A request carrying `Origin` is served only when that origin is
    /// the request's own, judged from `Host` (see ``CORSPolicy``), and never gets CORS headers.
    case sameOriginOnly
    /// Exactly these origins, compared after normalising; never empty (that is ``sameOriginOnly``).
    case exactly(Set<CORSOrigin>)
    /// Any origin, answered with `*`. Only ever the result of configuring `*` explicitly.
    case any

    /// The configuration value that stands for any origin.
    public static let anyOriginEntry = "*"

    /// Exactly `origins`; the empty list means ``sameOriginOnly``.
    public static func origins(_ origins: some Sequence<CORSOrigin>) -> CORSAllowedOrigins {
        let set = Set(origins)
        return set.isEmpty ? .sameOriginOnly : .exactly(set)
    }

    /// Reads configured entries, keeping every valid one and reporting every invalid one.
    ///
    /// `["*"]` is ``any``; `*` next to other entries is a problem, since it would silently widen them. Duplicate
    /// spellings of one origin are harmless and collapse into one.
    /// - Parameter entries: Origins as configured, such as `["https://app.example.com", "http://localhost:3000"]`.
    /// - Returns: The origins the valid entries allow, and one problem per invalid entry; the configuration is
    ///   usable only when `problems` is empty.
    public static func parsing(_ entries: [String]) -> (allowed: CORSAllowedOrigins, problems: [CORSOriginProblem]) {
        let isAny = { (entry: String) in entry.trimmingSpacesAndTabs() == anyOriginEntry }
        if entries.contains(where: isAny) {
            let problems = entries.count == 1 ? [] : [CORSOriginProblem(position: nil, entry: anyOriginEntry, reason: .anyAmongOrigins)]
            return (.any, problems)
        }
        var origins: [CORSOrigin] = []
        var problems: [CORSOriginProblem] = []
        for (index, entry) in entries.enumerated() {
            do {
                origins.append(try CORSOrigin(validating: entry))
            } catch {
                problems.append(CORSOriginProblem(position: index + 1, entry: entry, reason: .notAnOrigin(error)))
            }
        }
        return (.origins(origins), problems)
    }
}

extension CORSAllowedOrigins {
    /// The setting as it would be written in configuration: `*`, the sorted origins, or `(same origin only)`.
    public var configurationText: String {
        switch self {
        case .sameOriginOnly: "(same origin only)"
        case .any: Self.anyOriginEntry
        case .exactly(let origins): origins.map(\.description).sorted().joined(separator: ",")
        }
    }
}
