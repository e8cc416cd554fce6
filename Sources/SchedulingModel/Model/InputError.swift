import Foundation

/// Bad input: a file that cannot be read, is not JSON, or breaks the contract.
///
/// The description names the file and the JSON path of the first problem, e.g.
/// `day.json: requests[3].regimen: unknown regimen "XELOX"`. The CLI maps it to exit code 2.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the input came from, when it came from one.
    public var file: String?
    /// The JSON path of the problem (`requests[3].regimen`); empty for the whole document.
    public var path: String
    /// What is wrong.
    public var message: String
    /// What kind of problem it is, for an application to switch on (the message says it for people).
    public var kind: Kind

    /// The kinds of bad input.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The file cannot be read: missing, a directory, unreadable or larger than 64 MiB.
        case unreadable
        /// Not JSON, or JSON the formats forbid (a repeated key, a trailing comma).
        case malformed
        /// A required field is absent.
        case missingField
        /// A field holds the wrong JSON type (or null).
        case wrongType
        /// The `format` tag names another format or version.
        case unsupportedFormat
        /// An id that names nothing: an unknown regimen, chair, nurse, request or field.
        case unknownReference
        /// An id or name given twice.
        case duplicate
        /// A value out of its range, malformed text (a time, a date), or values that contradict
        /// each other; also options given to the library (time limit, gap, notice).
        case invalidValue
    }

    /// Creates an input error.
    public init(file: String? = nil, path: String, message: String, kind: Kind = .invalidValue) {
        self.file = file; self.path = path; self.message = message; self.kind = kind
    }

    /// `file: path: message`, each part made safe to print: control characters escaped
    /// (``InputError/printable(_:limit:)``), every word clipped to 80 characters and each part
    /// to a few hundred, so that no input can put escape sequences, line breaks or megabytes
    /// into a message or a log.
    public var description: String {
        var parts: [String] = []
        if let file { parts.append(Self.printable(file, limit: 300)) }
        parts.append(path.isEmpty ? "(document)" : Self.printable(path, limit: 300))
        return parts.joined(separator: ": ") + ": " + Self.printable(message, limit: 500)
    }

    /// The longest word (a run without spaces) a message shows before clipping it with `…`.
    public static let wordLimit = 80

    /// `text` safe to print on one line: control characters (C0, DEL, C1, the Unicode line and
    /// paragraph separators and the bidirectional overrides) written as `\n`, `\r`, `\t` or `\u{1B}`, a backslash already
    /// in the text kept as it is; every run of more than ``wordLimit`` characters without a
    /// space clipped to that many and `…`; the whole clipped to `limit` characters and `…`.
    public static func printable(_ text: String, limit: Int = 500) -> String {
        var out = ""
        var word = 0, total = 0
        var clippedWord = false
        for character in text {
            if total >= limit { out += "…"; break }
            if character == " " {
                word = 0; clippedWord = false
                out.append(character); total += 1
                continue
            }
            if clippedWord { continue }
            if word >= wordLimit { out += "…"; total += 1; clippedWord = true; continue }
            word += 1; total += 1
            let scalars = character.unicodeScalars
            if scalars.contains(where: isControl) {
                for scalar in scalars {
                    switch scalar {
                    case "\n": out += "\\n"
                    case "\r": out += "\\r"
                    case "\t": out += "\\t"
                    default:
                        if isControl(scalar) { out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" }
                        else { out.unicodeScalars.append(scalar) }
                    }
                }
            } else {
                out.append(character)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F: return true
        case 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: return true  // line breaks, bidi overrides
        default: return false
        }
    }

    /// The same error attributed to `file`.
    public func inFile(_ file: String?) -> InputError {
        var copy = self
        copy.file = file
        return copy
    }
}

/// Builds JSON paths such as `requests[3].window.earliest`.
struct JSONPath {
    static func render(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }
}

extension InputError {
    /// Translates a `DecodingError` (or any other error) from `JSONDecoder` into an input error.
    package static func from(decoding error: any Error, file: String?, data: Data? = nil) -> InputError {
        guard let decoding = error as? DecodingError else {
            return InputError(file: file, path: "", message: "not valid JSON", kind: .malformed)
        }
        switch decoding {
        case let .keyNotFound(key, context):
            return InputError(file: file, path: JSONPath.render(context.codingPath + [key]), message: "required field is missing", kind: .missingField)
        case let .typeMismatch(type, context):
            return InputError(file: file, path: JSONPath.render(context.codingPath), message: "expected \(jsonTypeName(type))", kind: .wrongType)
        case let .valueNotFound(type, context):
            return InputError(file: file, path: JSONPath.render(context.codingPath), message: "expected \(jsonTypeName(type)), found null", kind: .wrongType)
        case let .dataCorrupted(context):
            let path = JSONPath.render(context.codingPath)
            if context.codingPath.isEmpty {
                if let data, let located = locateNonInteger(in: data) {
                    return InputError(file: file, path: located, message: "expected an integer", kind: .wrongType)
                }
                return InputError(file: file, path: "", message: "not valid JSON (\(syntaxSummary(context)))", kind: .malformed)
            }
            return InputError(file: file, path: path, message: context.debugDescription)
        @unknown default:
            return InputError(file: file, path: "", message: "cannot be decoded", kind: .malformed)
        }
    }

    /// Fields the contract types as integers.
    private static let integerFields: Set<String> = [
        "slotMinutes", "capacity", "minutes", "compounders", "stations", "drawMinutes", "turnaroundMinutes",
        "chairMinutes", "bufferMinutes", "acuity", "nurseStartMinutes", "nurseEndMinutes", "prepMinutes",
        "stabilityMinutes", "station", "compounder", "offsetDays", "toleranceDays", "drugLeadHours",
    ]

    /// Foundation's decoder reports a fractional or out-of-range number in an integer field as
    /// corrupt data without a path; find the field (keys in sorted order) so the message can name it.
    private static func locateNonInteger(in data: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        func visit(_ node: Any, path: String, key: String?) -> String? {
            if let dict = node as? [String: Any] {
                for k in dict.keys.sorted() {
                    if let hit = visit(dict[k]!, path: path.isEmpty ? k : path + "." + k, key: k) { return hit }
                }
            } else if let array = node as? [Any] {
                for (i, item) in array.enumerated() {
                    if let hit = visit(item, path: path + "[\(i)]", key: nil) { return hit }
                }
            } else if let number = node as? NSNumber, let key, integerFields.contains(key),
                      !(node is Bool) {
                let value = number.doubleValue
                if !(value == value.rounded() && abs(value) < 9.0e18) { return path }
            }
            return nil
        }
        return visit(root, path: "", key: nil)
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is ClockTime.Type, is CivilDate.Type, is LocalDateTime.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is [Any].Type, is TimeWindow.Type: return "an array"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }

    private static func syntaxSummary(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError as NSError? {
            if let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String { return clip(detail) }
        }
        return clip(context.debugDescription)
    }
}
