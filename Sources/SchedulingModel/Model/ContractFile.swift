import Foundation

/// A JSON file of the contract (day, schedule, events): read strictly (`StrictJSON`: no
/// duplicate keys, no trailing commas), decoded, then checked by its type; every error is an
/// ``InputError`` naming the file and the JSON path. The public `decode` and `load` of each
/// file type are these.
package protocol ContractFile: Decodable {
    /// What decoding cannot check — the format tag, values, references — or an ``InputError``
    /// (its `file` may be left for the caller to fill in with `file`).
    func checked(file: String?) throws -> Self
}

extension ContractFile {
    /// Decodes and checks JSON bytes, read strictly.
    package static func decodeStrictly(_ data: Data, file: String?) throws -> Self {
        try StrictJSON.check(data, file: file)
        return try decodeStrictlyRead(data, file: file)
    }

    /// ``decodeStrictly(_:file:)`` for bytes `StrictJSON` has already passed.
    package static func decodeStrictlyRead(_ data: Data, file: String?) throws -> Self {
        let value: Self
        do {
            value = try JSONDecoder().decode(Self.self, from: data)
        } catch {
            throw InputError.from(decoding: error, file: file, data: data)
        }
        return try value.checked(file: file)
    }

    /// Reads a file (``readInput(_:)``), then decodes and checks it.
    package static func loadStrictly(path: String) throws -> Self {
        try decodeStrictlyRead(readInput(path), file: path)
    }

    /// Refuses a file whose `format` is not `expected` (SPEC §4).
    package static func checkFormat(_ format: String, expected: String, file: String?) throws {
        guard format == expected else {
            throw InputError(file: file, path: "format", message: "unknown format \"\(clip(format))\": expected \"\(expected)\"",
                             kind: .unsupportedFormat)
        }
    }
}
