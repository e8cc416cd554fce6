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

    /// Creates an input error.
    public init(file: String? = nil, path: String, message: String) {
        self.file = file; self.path = path; self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        parts.append(path.isEmpty ? "(document)" : path)
        return parts.joined(separator: ": ") + ": " + message
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
    static func from(decoding error: any Error, file: String?, data: Data? = nil) -> InputError {
        guard let decoding = error as? DecodingError else {
            return InputError(file: file, path: "", message: "not valid JSON")
        }
        switch decoding {
        case let .keyNotFound(key, context):
            return InputError(file: file, path: JSONPath.render(context.codingPath + [key]), message: "required field is missing")
        case let .typeMismatch(type, context):
            return InputError(file: file, path: JSONPath.render(context.codingPath), message: "expected \(jsonTypeName(type))")
        case let .valueNotFound(type, context):
            return InputError(file: file, path: JSONPath.render(context.codingPath), message: "expected \(jsonTypeName(type)), found null")
        case let .dataCorrupted(context):
            let path = JSONPath.render(context.codingPath)
            if context.codingPath.isEmpty {
                if let data, let located = locateNonInteger(in: data) {
                    return InputError(file: file, path: located, message: "expected an integer")
                }
                return InputError(file: file, path: "", message: "not valid JSON (\(syntaxSummary(context)))")
            }
            return InputError(file: file, path: path, message: context.debugDescription)
        @unknown default:
            return InputError(file: file, path: "", message: "cannot be decoded")
        }
    }

    /// Fields the contract types as integers.
    private static let integerFields: Set<String> = [
        "slotMinutes", "capacity", "minutes", "compounders", "stations", "drawMinutes", "turnaroundMinutes",
        "chairMinutes", "bufferMinutes", "acuity", "nurseStartMinutes", "nurseEndMinutes", "prepMinutes",
        "stabilityMinutes", "station", "compounder",
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
