import Foundation

/// Checks and reads files that settings point at: the configuration file, the API key file, the CA bundle.
enum LocalFile {
    /// Why a file cannot be used.
    enum Failure: Error, Equatable {
        case missing
        case directory
        case notRegularFile
        case unreadable
        case tooLarge(limit: Int)
        case notUTF8

        /// A message naming the path, for a ``ConfigurationProblem``.
        func message(for path: String) -> String {
            switch self {
            case .missing: "\"\(path)\" does not exist"
            case .directory: "\"\(path)\" is a directory, not a file"
            case .notRegularFile: "\"\(path)\" is not a regular file"
            case .unreadable: "\"\(path)\" is not readable"
            case .tooLarge(let limit): "\"\(path)\" is larger than \(limit) bytes"
            case .notUTF8: "\"\(path)\" is not UTF-8 text"
            }
        }
    }

    /// Returns why `path` is not a readable regular file, or `nil` if it is one.
    ///
    /// Symbolic links are followed, because Kubernetes mounts secrets and config maps through them.
    static func problem(readingFileAt path: String) -> Failure? {
        let fileManager = FileManager.default
        let resolvedPath = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard fileManager.fileExists(atPath: resolvedPath),
            let attributes = try? fileManager.attributesOfItem(atPath: resolvedPath)
        else {
            return .missing
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeRegular?:
            break
        case .typeDirectory?:
            return .directory
        default:
            // Devices and pipes could block or never end when read.
            return .notRegularFile
        }
        guard let handle = FileHandle(forReadingAtPath: resolvedPath) else {
            return .unreadable
        }
        try? handle.close()
        return nil
    }

    /// Reads a small UTF-8 text file whole.
    /// - Parameters:
    ///   - path: The file to read.
    ///   - limit: The largest size accepted, so a wrong path cannot exhaust memory.
    static func readText(at path: String, limit: Int) -> Result<String, Failure> {
        if let failure = problem(readingFileAt: path) {
            return .failure(failure)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(.unreadable)
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            return .failure(.unreadable)
        }
        guard data.count <= limit else {
            return .failure(.tooLarge(limit: limit))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(.notUTF8)
        }
        return .success(text)
    }
}
