import Foundation
import InfusionScheduler

/// The bytes of the request being handled.
///
/// The OpenAPI document types every document body as a free-form JSON object, but the service
/// decodes it with the library's strict decoders (repeated keys, exact JSON paths, the same
/// messages as the command line): ``ServiceMiddleware`` collects the body within the size limit,
/// keeps its bytes here for the handler and hands the generated code an empty object instead.
enum RequestBody {
    @TaskLocal static var bytes: Data?

    /// The body of the request being handled (empty outside one).
    static var current: Data { bytes ?? Data() }
}

/// The members of a request body that bundles several documents, such as
/// `{"day": {...}, "schedule": {...}}`: each member's bytes exactly as sent, so that every
/// document is decoded by its own strict decoder, with its member's name as the error's `file`.
struct BundledDocuments {
    private var members: [String: Data] = [:]

    /// Splits `data`, a JSON object whose members are exactly `required` and some of `optional`.
    ///
    /// - Throws: ``InputError``: 400 (`malformed`) when it is not JSON, 422 when a member is
    ///   missing, unknown, repeated or the whole is not an object.
    init(_ data: Data, required: [String], optional: [String] = []) throws {
        var scanner = JSONScanner(bytes: [UInt8](data))
        let spans = try scanner.topLevelMembers()
        for (key, span) in spans {
            guard required.contains(key) || optional.contains(key) else {
                throw InputError(path: key, message: "unknown member; expected \(Self.list(required + optional))", kind: .unknownReference)
            }
            guard members[key] == nil else { throw InputError(path: key, message: "repeated key", kind: .malformed) }
            members[key] = data.subdata(in: span)
        }
        for key in required where members[key] == nil {
            throw InputError(path: key, message: "required field is missing", kind: .missingField)
        }
    }

    /// The bytes of member `key`, nil when it was not sent.
    subscript(key: String) -> Data? { members[key] }

    private static func list(_ keys: [String]) -> String { keys.map { "\"\($0)\"" }.joined(separator: ", ") }
}

/// Finds the byte ranges of a JSON object's members without decoding them. It checks only what
/// it needs to find them (strings, nesting, the top-level punctuation); each member's own
/// decoder checks its value.
struct JSONScanner {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func topLevelMembers() throws -> [(String, Range<Int>)] {
        skipSpace()
        guard i < bytes.count else { throw malformed("the body is empty") }
        guard bytes[i] == UInt8(ascii: "{") else { throw InputError(path: "", message: "expected an object", kind: .wrongType) }
        i += 1
        var members: [(String, Range<Int>)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return try finished(members)
        }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw malformed("expected a member name") }
            let keyStart = i
            try skipString()
            guard let key = try? JSONDecoder().decode(String.self, from: Data(bytes[keyStart..<i])) else {
                throw malformed("a member name is not a valid string")
            }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw malformed("expected ':' after a member name") }
            i += 1
            skipSpace()
            let valueStart = i
            try skipValue()
            var valueEnd = i
            while valueEnd > valueStart, Self.isSpace(bytes[valueEnd - 1]) { valueEnd -= 1 }
            members.append((key, valueStart..<valueEnd))
            skipSpace()
            guard i < bytes.count else { throw malformed("unexpected end of the body") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            guard bytes[i] == UInt8(ascii: "}") else { throw malformed("expected ',' or '}'") }
            i += 1
            return try finished(members)
        }
    }

    private mutating func finished(_ members: [(String, Range<Int>)]) throws -> [(String, Range<Int>)] {
        skipSpace()
        guard i == bytes.count else { throw malformed("unexpected text after the object") }
        return members
    }

    private func malformed(_ detail: String) -> InputError {
        InputError(path: "", message: "not valid JSON (\(detail))", kind: .malformed)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private mutating func skipSpace() {
        while i < bytes.count, Self.isSpace(bytes[i]) { i += 1 }
    }

    private mutating func skipString() throws {
        i += 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): i += 1; return
            default: i += 1
            }
        }
        throw malformed("a string is not closed")
    }

    /// Skips one value: a string, or anything up to the `,` or `}` that ends it at depth 0.
    private mutating func skipValue() throws {
        var depth = 0
        let start = i
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""): try skipString(); continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 {
                    guard i > start else { throw malformed("expected a value") }
                    return
                }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 {
                    guard i > start else { throw malformed("expected a value") }
                    return
                }
            default: break
            }
            i += 1
        }
        if depth != 0 { throw malformed("an object or array is not closed") }
    }
}
