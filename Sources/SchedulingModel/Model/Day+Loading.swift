import Foundation

extension Day: ContractFile {
    /// Decodes and checks a day from JSON bytes, read strictly (`StrictJSON`: no duplicate
    /// keys, no trailing commas).
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: the name used in error messages.
    /// - Throws: ``InputError`` naming `file` and the JSON path of the first problem.
    public static func decode(_ data: Data, file: String? = nil) throws -> Day { try decodeStrictly(data, file: file) }

    /// Reads, decodes and checks a day file.
    ///
    /// - Throws: ``InputError`` when the file cannot be read or breaks the contract.
    public static func load(path: String) throws -> Day { try loadStrictly(path: path) }

    /// Reads, decodes and checks a day file at a file URL (``load(path:)``).
    public static func load(url: URL) throws -> Day { try load(path: url.path) }

    /// A day is checked by resolving it (``ResolvedDay``), which names the path of a problem.
    package func checked(file: String?) throws -> Day {
        do {
            _ = try ResolvedDay(self)
        } catch let error as InputError {
            throw error.inFile(file)
        }
        return self
    }
}

/// Reads a whole JSON input file, turning I/O failures into an ``InputError``, and checks it
/// strictly (`StrictJSON`): every file the command line reads (day, schedule, events, what-if
/// plan) comes through here, so none may repeat a key or leave a trailing comma.
package func readInput(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let why = !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot be read"
        throw InputError(file: path, path: "", message: why, kind: .unreadable)
    }
    // A day file holds at most a few thousand requests; anything this large is not one.
    guard data.count <= 64 << 20 else { throw InputError(file: path, path: "", message: "file is larger than 64 MiB", kind: .unreadable) }
    try StrictJSON.check(data, file: path)
    return data
}
